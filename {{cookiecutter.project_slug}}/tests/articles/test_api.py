import pytest
from django.urls import reverse

from {{ cookiecutter.project_slug }}.articles.models import Article, Comment

from tests.articles.endpoints import LIST, comments, detail
from tests.articles.factories import ArticleFactory, CommentFactory, TagFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_list_shows_author_tags_and_comment_count(api_client):
    article = ArticleFactory.create(tags=[TagFactory.create(name="django")])
    CommentFactory.create_batch(2, article=article)
    response = api_client.get(LIST)
    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert item["author"] == {"id": article.author.pk, "username": article.author.username}
    assert item["tags"] == ["django"]
    assert item["comment_count"] == 2
    assert "body" not in item


def test_list_filters_by_tag_author_and_search(api_client):
    tagged = ArticleFactory.create(title="Caching in depth", tags=[TagFactory.create(name="cache")])
    other = ArticleFactory.create(title="Something else")
    assert [a["id"] for a in api_client.get(LIST, {"tag": "cache"}).json()["results"]] == [
        tagged.pk
    ]
    by_author = api_client.get(LIST, {"author": other.author.username}).json()["results"]
    assert [a["id"] for a in by_author] == [other.pk]
    assert [a["id"] for a in api_client.get(LIST, {"search": "DEPTH"}).json()["results"]] == [
        tagged.pk
    ]


def test_list_orders_by_a_whitelisted_field(api_client):
    b = ArticleFactory.create(title="B")
    a = ArticleFactory.create(title="A")
    ids = [item["id"] for item in api_client.get(LIST, {"ordering": "title"}).json()["results"]]
    assert ids == [a.pk, b.pk]
    ids = [item["id"] for item in api_client.get(LIST).json()["results"]]
    assert ids == [a.pk, b.pk]  # newest first by default


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"tag": "no-such-tag"}, "tag"),
        ({"author": "x" * 151}, "author"),
        ({"ordering": "password"}, "ordering"),
        ({"search": "x" * 101}, "search"),
    ],
)
def test_list_rejects_bad_query_parameters_with_400(api_client, params, field):
    response = api_client.get(LIST, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field


@pytest.mark.parametrize("page", ["999", "zero", "-1"])
def test_list_answers_a_bad_page_with_404(api_client, page):
    ArticleFactory.create()
    response = api_client.get(LIST, {"page": page})
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_create_returns_the_article(auth_client, user):
    response = auth_client.post(
        LIST,
        {"title": "Hello", "body": "World", "status": "published", "tags": ["Django"]},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "hello"
    assert body["author"]["id"] == user.pk
    assert body["tags"] == ["django"]
    assert body["comment_count"] == 0
    assert Article.objects.get(pk=body["id"]).author == user


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": "no title"}, "title"),
        ({"title": "x" * 201, "body": "b"}, "title"),
        ({"title": "t", "body": "b", "status": "archived"}, "status"),
        ({"title": "t", "body": "b", "tags": "not-a-list"}, "tags"),
        ({"title": "t", "body": "b", "tags": ["x" * 51]}, "tags.0"),
        ({"title": ["a list"], "body": "b"}, "title"),
        ({"title": "t", "body": "b", "slug": "not a slug"}, "slug"),
        ({"title": "!!!", "body": "b"}, "slug"),
    ],
)
def test_create_rejects_invalid_input_with_400(auth_client, payload, field):
    response = auth_client.post(LIST, payload, format="json")
    assert response.status_code == 400
    assert field in {error["field"] for error in response.json()["errors"]}


def test_create_rejects_a_duplicate_slug_with_400(auth_client):
    ArticleFactory.create(slug="taken")
    response = auth_client.post(LIST, {"title": "T", "body": "b", "slug": "taken"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "slug", "message": Article.DUPLICATE_SLUG, "code": "unique"}
    ]


def test_create_rejects_malformed_json_with_400(auth_client):
    response = auth_client.post(LIST, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_detail_includes_the_body(api_client):
    article = ArticleFactory.create(body="The whole text.")
    response = api_client.get(detail(article))
    assert response.status_code == 200
    assert response.json()["body"] == "The whole text."


def test_detail_of_a_missing_article_is_404(api_client):
    assert api_client.get("/api/v1/articles/999999/").status_code == 404
    assert api_client.get("/api/v1/articles/not-a-number/").status_code == 404


def test_author_patches_the_article(auth_client, user):
    article = ArticleFactory.create(author=user, tags=2)
    response = auth_client.patch(detail(article), {"tags": ["only"]}, format="json")
    assert response.status_code == 200
    assert response.json()["tags"] == ["only"]
    assert response.json()["title"] == article.title


def test_patch_rejects_a_duplicate_slug_with_400(auth_client, user):
    ArticleFactory.create(slug="taken")
    article = ArticleFactory.create(author=user)
    response = auth_client.patch(detail(article), {"slug": "taken"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "slug"


def test_author_deletes_the_article(auth_client, user):
    article = ArticleFactory.create(author=user)
    assert auth_client.delete(detail(article)).status_code == 204
    assert not Article.objects.filter(pk=article.pk).exists()


def test_comments_are_listed_oldest_first(api_client):
    article = ArticleFactory.create()
    first, second = CommentFactory.create_batch(2, article=article)
    response = api_client.get(comments(article))
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [first.pk, second.pk]
    assert response.json()["results"][0]["author"]["username"] == first.author.username


def test_signed_in_user_comments(auth_client, user):
    article = ArticleFactory.create()
    response = auth_client.post(comments(article), {"body": "Nice!"}, format="json")
    assert response.status_code == 201
    assert response.json()["author"]["id"] == user.pk
    assert Comment.objects.get().body == "Nice!"


@pytest.mark.parametrize("payload", [{}, {"body": ""}, {"body": "x" * 5001}, {"body": {"a": 1}}])
def test_comment_rejects_invalid_input_with_400(auth_client, payload):
    response = auth_client.post(comments(ArticleFactory.create()), payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body"


def test_comments_of_a_missing_article_are_404(api_client, auth_client):
    assert api_client.get("/api/v1/articles/999999/comments/").status_code == 404
    response = auth_client.post("/api/v1/articles/999999/comments/", {"body": "x"}, format="json")
    assert response.status_code == 404


def test_schema_documents_the_article_endpoints(api_client):
    schema = api_client.get(reverse("schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert {
        "/api/v1/articles/",
        "/api/v1/articles/{id}/",
        "/api/v1/articles/{article_id}/comments/",
    } <= set(paths)
    parameters = {p["name"] for p in paths["/api/v1/articles/"]["get"]["parameters"]}
    assert {"tag", "author", "search", "ordering", "page", "page_size"} <= parameters


def test_an_unknown_tag_is_named_in_the_error(api_client):
    errors = api_client.get(LIST, {"tag": "nope"}).json()["errors"]
    assert {(e["field"], e["message"]) for e in errors} == {
        ("tag", "There is no tag with this name."),
    }


def test_an_unknown_author_is_an_empty_page_like_an_author_without_articles(api_client):
    ArticleFactory.create()
    writer_of_nothing = UserFactory.create()
    unknown = api_client.get(LIST, {"author": "nobody"})
    known = api_client.get(LIST, {"author": writer_of_nothing.username})
    # Nothing tells a username that exists from one that does not.
    assert unknown.status_code == known.status_code == 200
    assert unknown.json()["results"] == known.json()["results"] == []
    assert unknown.json()["count"] == known.json()["count"] == 0
