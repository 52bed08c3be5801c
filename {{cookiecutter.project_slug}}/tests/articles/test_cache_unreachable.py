"""With the cache server down or frozen, the article API still answers, from the database.

The cache is the project's real Redis configuration (the circuit-breaker backend,
IGNORE_EXCEPTIONS) pointed at a port where nothing listens, so every cache call fails at
once; or at a redis-server this test starts and freezes (SIGSTOP) in the middle of a write.
"""

import logging
import time

import pytest
from django.test import override_settings
from django.urls import reverse

from {{ cookiecutter.project_slug }}.articles import cache as article_cache
from {{ cookiecutter.project_slug }}.articles.models import Article
from {{ cookiecutter.project_slug }}.core.redis_cache import cache_breaker

from tests.articles.endpoints import LIST
from tests.articles.factories import ArticleFactory
from tests.redis_server import UNREACHABLE, RedisServer, free_port, redis_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down():
    cache_breaker(UNREACHABLE).reset()
    with override_settings(CACHES={"default": redis_cache(UNREACHABLE)}, REDIS_URL=UNREACHABLE):
        yield
    cache_breaker(UNREACHABLE).reset()
    article_cache._owed.pending = False


def test_the_version_is_unknown_and_a_failed_invalidation_is_owed(redis_down):
    assert article_cache.article_cache_version() is None
    article_cache.article_cache_invalidate()  # not raised
    assert article_cache._owed.pending


@pytest.mark.usefixtures("redis_down")
def test_reads_and_writes_work_and_are_never_served_from_the_cache(
    api_client, auth_client, user, django_capture_on_commit_callbacks
):
    article = ArticleFactory.create(author=user)
    for _ in range(2):
        response = api_client.get(LIST)
        assert response.status_code == 200
        assert response["X-Cache"] == "MISS"
    assert api_client.get(reverse("v1:articles:detail", args=[article.pk]))["X-Cache"] == "MISS"
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(
            LIST, {"title": "Still works", "body": "b", "status": "published"}, format="json"
        )
    assert response.status_code == 201
    assert Article.objects.count() == 2


def test_an_outage_is_one_warning_not_an_error_per_call(redis_down, api_client, caplog):
    ArticleFactory.create()
    with caplog.at_level(logging.WARNING):
        for _ in range(10):
            assert api_client.get(LIST).status_code == 200
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.msg["event"] for r in problems] == ["outage_started"], problems
    assert problems[0].levelno == logging.WARNING


def test_readiness_reports_the_cache_as_failing(redis_down, api_client):
    response = api_client.get(reverse("health:ready"))
    assert response.status_code == 503
    assert "cache" in response.json()["failing"]


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path, free_port())
    server.start()
    yield server
    server.stop()


def test_a_write_whose_invalidation_fails_is_seen_once_the_cache_answers_again(
    redis_server, api_client, auth_client, django_capture_on_commit_callbacks, monkeypatch
):
    breaker = cache_breaker(redis_server.url)
    breaker.reset()
    with override_settings(CACHES={"default": redis_cache(redis_server.url)}):
        ArticleFactory.create(title="Before")
        assert api_client.get(LIST)["X-Cache"] == "MISS"
        assert api_client.get(LIST)["X-Cache"] == "HIT"

        redis_server.freeze()  # the version bump after this write's commit times out
        with django_capture_on_commit_callbacks(execute=True):
            created = auth_client.post(
                LIST, {"title": "After", "body": "b", "status": "published"}, format="json"
            )
        assert created.status_code == 201
        redis_server.thaw()
        # The breaker's cooldown is over (instead of sleeping through it).
        monkeypatch.setattr(breaker, "_clock", lambda: time.monotonic() + 6)

        fresh = api_client.get(LIST)
        assert fresh["X-Cache"] == "MISS"  # the owed bump ran first: the old entry is gone
        assert {a["title"] for a in fresh.json()["results"]} == {"Before", "After"}
        assert api_client.get(LIST)["X-Cache"] == "HIT"
    breaker.reset()
