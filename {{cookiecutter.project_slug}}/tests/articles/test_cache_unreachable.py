"""With the cache server down, the article API still answers, from the database.

The cache is the project's real Redis configuration (django-redis, IGNORE_EXCEPTIONS)
pointed at a port where nothing listens, so every cache call fails at once.
"""

import logging

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from {{ cookiecutter.project_slug }}.articles import cache as article_cache
from {{ cookiecutter.project_slug }}.articles.models import Article

from tests.articles.endpoints import LIST
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db
UNREACHABLE = "redis://127.0.0.1:1/0"


def unreachable_redis_cache() -> dict[str, object]:
    configured = settings.CACHES["default"]
    if configured["BACKEND"] == "django_redis.cache.RedisCache":
        return {**configured, "LOCATION": UNREACHABLE}
    # REDIS_URL is unset (the embedded default): the same options as config/settings/base.py.
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": UNREACHABLE,
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1, "IGNORE_EXCEPTIONS": True},
    }


@pytest.fixture
def redis_down():
    with override_settings(
        CACHES={"default": unreachable_redis_cache()},
        REDIS_URL=UNREACHABLE,
        DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS=True,
    ):
        yield


def test_the_version_is_unknown_and_invalidation_is_harmless(redis_down):
    assert article_cache.article_cache_version() is None
    article_cache.article_cache_invalidate()  # logged, not raised


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


def test_cache_errors_are_logged(redis_down, api_client, caplog):
    ArticleFactory.create()
    with caplog.at_level(logging.ERROR):
        assert api_client.get(LIST).status_code == 200
    assert any(record.getMessage() == "Exception ignored" for record in caplog.records)


def test_readiness_reports_the_cache_as_failing(redis_down, api_client):
    response = api_client.get(reverse("health:ready"))
    assert response.status_code == 503
    assert "cache" in response.json()["failing"]
