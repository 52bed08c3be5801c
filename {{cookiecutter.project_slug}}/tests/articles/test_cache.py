"""Cache-aside on the article API: HIT after MISS, and a MISS after every kind of write."""

import contextlib
from typing import Any, cast
from unittest import mock

import pytest
from django.core.cache import cache, caches
from django.db import transaction
from django.urls import reverse
from rest_framework.renderers import JSONRenderer

from {{ cookiecutter.project_slug }}.articles import cache as article_cache
from {{ cookiecutter.project_slug }}.articles.models import Article
from {{ cookiecutter.project_slug }}.articles.services import article_update

from tests.articles.endpoints import LIST, comments, detail
from tests.articles.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def x_cache(client, url: str, params: dict[str, str] | None = None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200
    return str(response["X-Cache"])


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the callbacks a request registers, as a real commit would."""

    def run(request):
        with django_capture_on_commit_callbacks(execute=True):
            return request()

    return run


def test_second_read_is_a_hit_with_the_same_body(api_client):
    article = ArticleFactory.create()
    for url in (LIST, detail(article), comments(article)):
        first = api_client.get(url)
        second = api_client.get(url)
        assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
        assert first.json() == second.json()


def article_calls(call: mock.MagicMock) -> int:
    """How many calls named an article key (the throttles use the cache too)."""
    keys = [args[0] for args, _ in call.call_args_list]
    return sum(
        any(str(k).startswith("articles:") for k in (key if isinstance(key, list) else [key]))
        for key in keys
    )


def test_a_hit_is_one_cache_round_trip_and_sends_the_stored_bytes(api_client):
    ArticleFactory.create_batch(3)
    miss = api_client.get(LIST)
    backend = caches["default"]
    with contextlib.ExitStack() as stack:
        calls = {
            name: stack.enter_context(
                mock.patch.object(backend, name, wraps=getattr(backend, name))
            )
            # Not get: the local-memory cache answers get_many with a get per key.
            for name in ("get_many", "set", "add", "incr")
        }
        rendered = stack.enter_context(
            mock.patch.object(JSONRenderer, "render", wraps=JSONRenderer().render)
        )
        hit = api_client.get(LIST)
    assert hit["X-Cache"] == "HIT"
    assert {name: article_calls(call) for name, call in calls.items()} == {
        "get_many": 1,  # the version and the entry together
        "set": 0,
        "add": 0,
        "incr": 0,
    }
    assert rendered.call_count == 0  # the body is the one the miss rendered
    assert hit.content == miss.content
    assert hit["Content-Type"] == miss["Content-Type"]


def test_a_stale_entry_is_rebuilt_in_its_place(api_client, auth_client, on_commit):
    article = ArticleFactory.create()
    x_cache(api_client, detail(article))
    before = article_entries()
    article_cache.article_cache_invalidate()
    assert x_cache(api_client, detail(article)) == "MISS"
    assert x_cache(api_client, detail(article)) == "HIT"
    assert article_entries() == before  # overwritten, not one more entry per version


def test_only_json_is_cached(client):
    # The browsable API's page carries the session's CSRF token: never shared, never cached.
    ArticleFactory.create()
    for _ in range(2):
        response = client.get(LIST, HTTP_ACCEPT="text/html")
        assert response["Content-Type"].startswith("text/html")
        assert response["X-Cache"] == "MISS"


def test_an_anonymous_hit_touches_no_database(api_client, django_assert_num_queries):
    ArticleFactory.create()
    api_client.get(LIST)
    with django_assert_num_queries(0):
        assert api_client.get(LIST)["X-Cache"] == "HIT"


def test_query_string_and_page_are_part_of_the_key(api_client):
    ArticleFactory.create_batch(3)
    assert x_cache(api_client, LIST, {"page_size": "1"}) == "MISS"
    assert x_cache(api_client, LIST, {"page_size": "1", "page": "2"}) == "MISS"
    assert x_cache(api_client, LIST, {"page": "2", "page_size": "1"}) == "HIT"  # order-free
    assert x_cache(api_client, LIST, {"ordering": "title"}) == "MISS"


def article_entries() -> set[str]:
    """The cached article responses (not the version), whichever cache backend holds them."""
    if hasattr(cache, "keys"):  # a server-backed cache lists its keys by pattern
        keys = list(cache.keys("articles:*"))
    else:  # local memory: ":<version>:<key>"
        keys = [key.split(":", 2)[-1] for key in cast("Any", cache)._cache]
    return {key for key in keys if key.startswith("articles:") and key != article_cache.VERSION_KEY}


def test_parameters_the_view_ignores_make_no_entries(api_client):
    article = ArticleFactory.create()
    before = article_entries()
    responses = [api_client.get(LIST, {"junk": str(n)}) for n in range(50)]
    assert [r["X-Cache"] for r in responses] == ["MISS"] + ["HIT"] * 49
    assert len({r.content for r in responses}) == 1
    assert len(article_entries() - before) == 1
    for url in (detail(article), comments(article)):
        assert x_cache(api_client, url) == "MISS"
        assert x_cache(api_client, url, {"junk": "1", "utm_source": "x"}) == "HIT"
    assert len(article_entries() - before) == 3


def test_errors_are_not_cached(api_client):
    assert api_client.get(LIST, {"tag": "later"}).status_code == 400
    TagFactory.create(name="later")  # not through a service: nothing is invalidated
    assert api_client.get(LIST, {"tag": "later"}).status_code == 200


def test_anonymous_and_signed_in_readers_never_share_entries(api_client, auth_client, user):
    ArticleFactory.create(author=user, status=Article.Status.DRAFT, title="Secret draft")
    assert x_cache(auth_client, LIST) == "MISS"
    response = api_client.get(LIST)
    assert response["X-Cache"] == "MISS"
    assert response.json()["count"] == 0  # the author's cached list leaked nothing
    assert "Authorization" in response["Vary"]
    assert "Cookie" in response["Vary"]


def test_one_users_drafts_are_never_served_to_another(auth_client, other_client, user):
    draft = ArticleFactory.create(author=user, status=Article.Status.DRAFT)
    assert auth_client.get(detail(draft)).status_code == 200
    assert other_client.get(detail(draft)).status_code == 404
    assert other_client.get(LIST).json()["count"] == 0


def test_article_create_invalidates(api_client, auth_client, on_commit):
    assert x_cache(api_client, LIST) == "MISS"
    assert x_cache(api_client, LIST) == "HIT"
    payload = {"title": "New", "body": "b", "status": "published"}
    assert on_commit(lambda: auth_client.post(LIST, payload, format="json")).status_code == 201
    response = api_client.get(LIST)
    assert response["X-Cache"] == "MISS"
    assert response.json()["count"] == 1


def test_article_update_invalidates_list_and_detail(api_client, auth_client, user, on_commit):
    article = ArticleFactory.create(author=user, title="Before")
    for url in (LIST, detail(article)):
        x_cache(api_client, url)
        assert x_cache(api_client, url) == "HIT"
    on_commit(lambda: auth_client.patch(detail(article), {"title": "After"}, format="json"))
    for url in (LIST, detail(article)):
        response = api_client.get(url)
        assert response["X-Cache"] == "MISS"
        assert "After" in response.content.decode()


def test_tag_change_invalidates(api_client, auth_client, user, on_commit):
    article = ArticleFactory.create(author=user, tags=[TagFactory.create(name="old")])
    x_cache(api_client, detail(article))
    on_commit(lambda: auth_client.patch(detail(article), {"tags": ["new"]}, format="json"))
    response = api_client.get(detail(article))
    assert response["X-Cache"] == "MISS"
    assert response.json()["tags"] == ["new"]


def test_article_delete_invalidates(api_client, auth_client, user, on_commit):
    article = ArticleFactory.create(author=user)
    x_cache(api_client, LIST)
    x_cache(api_client, detail(article))
    on_commit(lambda: auth_client.delete(detail(article)))
    assert api_client.get(LIST).json()["count"] == 0
    assert api_client.get(detail(article)).status_code == 404


def test_new_comment_invalidates_counts_and_comment_list(api_client, auth_client, on_commit):
    article = ArticleFactory.create()
    for url in (LIST, detail(article), comments(article)):
        x_cache(api_client, url)
    on_commit(lambda: auth_client.post(comments(article), {"body": "Hi"}, format="json"))
    assert api_client.get(LIST).json()["results"][0]["comment_count"] == 1
    assert api_client.get(detail(article)).json()["comment_count"] == 1
    assert len(api_client.get(comments(article)).json()["results"]) == 1


def test_admin_edits_invalidate(client, api_client, user, on_commit):
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    tag = TagFactory.create(name="old")
    article = ArticleFactory.create(tags=[tag])
    x_cache(api_client, detail(article))
    url = reverse("admin:articles_tag_change", args=[tag.pk])
    assert on_commit(lambda: client.post(url, {"name": "renamed"})).status_code == 302
    response = api_client.get(detail(article))
    assert response["X-Cache"] == "MISS"
    assert response.json()["tags"] == ["renamed"]


def test_the_version_is_bumped_only_after_commit(django_capture_on_commit_callbacks):
    article = ArticleFactory.create()
    before = article_cache.article_cache_version()
    assert before is not None
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        article_update(article=article, data={"title": "Changed"})
        assert article_cache.article_cache_version() == before  # not yet committed
    assert article_cache.article_cache_version() == before + 1


def test_a_rolled_back_write_keeps_the_cache(django_capture_on_commit_callbacks):
    article = ArticleFactory.create()
    before = article_cache.article_cache_version()

    def write_then_fail() -> None:
        with transaction.atomic():
            article_update(article=article, data={"title": "Changed"})
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        write_then_fail()
    assert article_cache.article_cache_version() == before


def test_a_lost_version_never_revives_old_entries(api_client):
    ArticleFactory.create()
    x_cache(api_client, LIST)
    old = article_cache.article_cache_version()
    cache.delete(article_cache.VERSION_KEY)  # evicted, or the cache restarted
    assert article_cache.article_cache_version() != old
    assert x_cache(api_client, LIST) == "MISS"
