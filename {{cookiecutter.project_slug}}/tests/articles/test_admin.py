import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.articles.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, user):
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("model", ["article", "comment", "tag"])
def test_changelist_query_count_does_not_grow_with_the_rows(admin_client, model):
    url = reverse(f"admin:articles_{model}_changelist")
    CommentFactory.create(article=ArticleFactory.create(tags=2))
    few = queries_for(admin_client, url)
    for _ in range(5):
        CommentFactory.create(article=ArticleFactory.create(tags=2))
    assert queries_for(admin_client, url) == few


def test_change_form_uses_autocomplete_widgets(admin_client):
    article = ArticleFactory.create()
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    assert "admin-autocomplete" in response.content.decode()
