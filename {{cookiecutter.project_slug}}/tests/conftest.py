import pytest
from django.core.cache import cache{% if cookiecutter.use_redis == "y" %}, caches{% endif %}
{%- if cookiecutter.use_redis == "y" %}
from django_redis.cache import RedisCache
{%- endif %}
from rest_framework.test import APIClient

from {{ cookiecutter.project_slug }}.health.checks import readiness_probe
from {{ cookiecutter.project_slug }}.users.models import User

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Each test starts with an empty cache (a real cache server outlives a test).
{%- if cookiecutter.use_redis == "y" %}

    With REDIS_URL set, only the tests' own keys go (their prefix is set in
    config/settings/options/test/redis.py): clear() would empty the developer's database.
    """
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        backend.delete_pattern("*")
        return
{%- else %}"""
{%- endif %}
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_readiness() -> None:
    """Each test's readiness probe runs its checks: none reuses another test's result."""
    readiness_probe.forget()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db: None) -> User:
    return UserFactory.create()


@pytest.fixture
def auth_client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client
