"""Anonymous read, authenticated write, only the author changes or deletes."""

import pytest

from {{ cookiecutter.project_slug }}.articles.models import Article

from tests.articles.endpoints import LIST, comments, detail
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db
{%- if cookiecutter.use_jwt == "y" %}
# Bearer tokens come first among the authentication classes, so DRF asks an anonymous
# client to authenticate (401 with a WWW-Authenticate challenge).
ANONYMOUS_WRITE_STATUS = 401
{%- else %}
# Session authentication has no challenge to send, so DRF answers 403.
ANONYMOUS_WRITE_STATUS = 403
{%- endif %}


def test_anonymous_clients_read_articles_and_comments(api_client):
    article = ArticleFactory.create()
    assert api_client.get(LIST).status_code == 200
    assert api_client.get(detail(article)).status_code == 200
    assert api_client.get(comments(article)).status_code == 200


def test_anonymous_clients_cannot_write(api_client):
    article = ArticleFactory.create()
    writes = [
        api_client.post(LIST, {"title": "t", "body": "b"}, format="json"),
        api_client.patch(detail(article), {"title": "t"}, format="json"),
        api_client.delete(detail(article)),
        api_client.post(comments(article), {"body": "b"}, format="json"),
    ]
    assert [response.status_code for response in writes] == [ANONYMOUS_WRITE_STATUS] * 4
    assert all(r["Content-Type"] == "application/problem+json" for r in writes)


def test_another_user_cannot_change_or_delete_an_article(other_client):
    article = ArticleFactory.create(title="Original")
    assert other_client.patch(detail(article), {"title": "Mine"}, format="json").status_code == 403
    assert other_client.delete(detail(article)).status_code == 403
    article.refresh_from_db()
    assert article.title == "Original"


def test_another_user_may_comment_on_a_published_article(other_client):
    article = ArticleFactory.create()
    assert other_client.post(comments(article), {"body": "Hi"}, format="json").status_code == 201


def test_drafts_are_invisible_to_everybody_but_their_author(
    api_client, other_client, user, auth_client
):
    draft = ArticleFactory.create(author=user, status=Article.Status.DRAFT)
    for client in (api_client, other_client):
        assert client.get(LIST).json()["count"] == 0
        assert client.get(detail(draft)).status_code == 404
        assert client.get(comments(draft)).status_code == 404
    assert other_client.patch(detail(draft), {"title": "x"}, format="json").status_code == 404
    assert other_client.post(comments(draft), {"body": "x"}, format="json").status_code == 404
    assert auth_client.get(LIST).json()["count"] == 1
    assert auth_client.get(detail(draft)).status_code == 200
