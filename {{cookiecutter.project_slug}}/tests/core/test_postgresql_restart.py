"""PostgreSQL restarts: the requests in flight answer 503 with Retry-After, and nothing
a client was told succeeded is lost.

The request's connection is really terminated by the server, as a restart does to the
connections in flight (pg_terminate_backend from a second connection); the shared server
itself is never restarted.
"""

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.urls import reverse
from rest_framework.test import APIClient

from {{ cookiecutter.project_slug }}.users.models import User

from tests.core.test_database_unavailable import assert_is_retryable_problem, failing_queries
from tests.factories import UserFactory

WRITES = 6
INTERRUPTED = 3


def terminate_own_connection(sql: str) -> None:
    """What a PostgreSQL restart does to a connection in flight: the server ends it."""
    if sql.startswith("UPDATE"):
        terminate_backend(connection.connection.info.backend_pid)


def terminate_backend(pid: int) -> None:
    """End a server process from a second connection, as a restart would."""
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.django_db(transaction=True)
def test_writes_in_flight_during_a_restart_are_503_and_none_acknowledged_is_lost():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); the SQLite default has no server")
    user = UserFactory.create()
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    url = reverse("v1:users:me")
    statuses = []
    for number in range(WRITES):
        close_old_connections()  # as a server does at the start of every request
        data = {"first_name": f"name {number}"}
        if number == INTERRUPTED:
            with failing_queries(terminate_own_connection):
                response = client.patch(url, data, format="json")
            assert_is_retryable_problem(response)
        else:
            response = client.patch(url, data, format="json")
            assert response.json()["first_name"] == data["first_name"]
        statuses.append(response.status_code)
    close_old_connections()
    assert statuses == [200] * INTERRUPTED + [503] + [200] * (WRITES - INTERRUPTED - 1)
    # The last acknowledged write is what the database holds.
    assert User.objects.get(pk=user.pk).first_name == f"name {WRITES - 1}"
