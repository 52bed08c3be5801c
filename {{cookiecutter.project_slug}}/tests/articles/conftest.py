import pytest
from rest_framework.test import APIClient

from {{ cookiecutter.project_slug }}.users.models import User

from tests.factories import UserFactory


@pytest.fixture
def other_user(db: None) -> User:
    return UserFactory.create()


@pytest.fixture
def other_client(other_user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(other_user)
    return client
