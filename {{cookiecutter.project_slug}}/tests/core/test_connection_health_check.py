"""Persistent connections are pinged before a request only after they rested
(core/db/postgresql): a busy one costs no extra round trip, an idle one the server
dropped is replaced without failing the request."""

import time
from collections.abc import Iterator
from typing import cast

import pytest
from django.db import close_old_connections, connection

from {{ cookiecutter.project_slug }}.core.db.postgresql.base import IDLE_BEFORE_CHECK, DatabaseWrapper
from {{ cookiecutter.project_slug }}.users.models import User

from tests.core.test_postgresql_restart import terminate_backend

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def persistent_checked_connection(settings) -> Iterator[None]:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); the SQLite default has no server")
    options = connection.settings_dict["OPTIONS"]
    saved = connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"]
    connection.close()
    # Persistent connections, as WSGI serves them; a pool (ASGI) checks its own.
    pool = options.pop("pool", None)
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.settings_dict["CONN_HEALTH_CHECKS"] = True
    yield
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"] = saved
    if pool is not None:
        options["pool"] = pool


def rested() -> None:
    """As if the connection's last query was longer ago than the idle threshold."""
    cast("DatabaseWrapper", connection).last_used = time.monotonic() - IDLE_BEFORE_CHECK - 0.1


def a_request() -> None:
    """What a server does around a request that reads the database."""
    close_old_connections()
    User.objects.count()


def count_pings(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    pings: list[bool] = []
    real = connection.is_usable

    def counted() -> bool:
        pings.append(usable := real())
        return usable

    monkeypatch.setattr(connection, "is_usable", counted)
    return pings


def test_a_connection_in_steady_use_is_not_pinged(monkeypatch):
    a_request()
    pings = count_pings(monkeypatch)
    for _ in range(5):
        a_request()
    assert pings == []


def test_a_connection_that_rested_is_pinged_once(monkeypatch):
    a_request()
    rested()
    pings = count_pings(monkeypatch)
    close_old_connections()
    User.objects.count()
    User.objects.exists()
    assert pings == [True]


def test_an_idle_connection_the_server_dropped_is_replaced_without_an_error():
    a_request()
    dropped = connection.connection.info.backend_pid
    terminate_backend(dropped)
    rested()
    a_request()  # no OperationalError: the ping found the connection dead
    assert connection.connection.info.backend_pid != dropped
