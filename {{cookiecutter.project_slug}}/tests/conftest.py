import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from {{ cookiecutter.project_slug }}.users.models import User

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Each test starts with an empty cache (a real cache server outlives a test)."""
    cache.clear()


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
