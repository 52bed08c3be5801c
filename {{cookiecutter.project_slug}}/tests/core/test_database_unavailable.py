"""A database that stops answering mid-request is a 503 with Retry-After, never a 500."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory


@contextmanager
def failing_queries(fail: Callable[[str], None]) -> Iterator[None]:
    def wrapper(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        fail(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(wrapper):
        yield


def database_gone(sql: str) -> None:
    raise OperationalError("server closed the connection unexpectedly")


def assert_is_retryable_problem(response) -> None:
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"].isdigit()
    assert response.json()["status"] == 503


@pytest.mark.django_db
def test_an_api_request_whose_database_fails_is_a_503_problem():
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(UserFactory.create())
    with failing_queries(database_gone):
        response = client.patch(reverse("v1:users:me"), {"first_name": "Ada"}, format="json")
    assert_is_retryable_problem(response)


@pytest.mark.django_db
def test_a_django_view_whose_database_fails_is_a_503_problem(client, admin_user):
    client.raise_request_exception = False
    client.force_login(admin_user)
    with failing_queries(database_gone):
        response = client.get(reverse("admin:index"))
    assert_is_retryable_problem(response)
