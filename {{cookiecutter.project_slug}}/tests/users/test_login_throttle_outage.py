"""The login throttles keep counting while Redis is down: each process counts on its own,
at the same rates, so the limits hold per process through an outage; once Redis answers
again the counts kept there are used again.

Redis is the project's real cache configuration (the circuit-breaker backend,
IGNORE_EXCEPTIONS) pointed at a port where nothing listens, or a redis-server this test
starts and freezes (SIGSTOP).
"""

import time

import pytest
from django.test import override_settings
from django.urls import reverse

from {{ cookiecutter.project_slug }}.core.redis_cache import cache_breaker
from {{ cookiecutter.project_slug }}.users.api.auth import (
    LOGIN_COUNTS,
    LoginAccountThrottle,
    LoginClientThrottle,
)

from tests.redis_server import UNREACHABLE, RedisServer, free_port, redis_cache

pytestmark = pytest.mark.django_db

TOKEN_URL = reverse("v1:auth:token")
# The defaults of API_THROTTLE_AUTH and API_THROTTLE_AUTH_ACCOUNT, whatever the
# environment running the tests sets.
RATES = {"auth": "10/minute", "auth_account": "20/hour"}
PER_CLIENT = 10
PER_ACCOUNT = 20


@pytest.fixture(autouse=True)
def rates(monkeypatch):
    monkeypatch.setattr(LoginClientThrottle, "THROTTLE_RATES", RATES)
    monkeypatch.setattr(LoginAccountThrottle, "THROTTLE_RATES", RATES)
    LOGIN_COUNTS.local.clear()
    yield
    LOGIN_COUNTS.local.clear()


@pytest.fixture
def redis_down():
    breaker = cache_breaker(UNREACHABLE)
    breaker.reset()
    with override_settings(CACHES={"default": redis_cache(UNREACHABLE)}):
        yield breaker
    breaker.reset()


def bad_login(client, user, address="192.0.2.1"):
    return client.post(
        TOKEN_URL, {"username": user.username, "password": "guess"}, REMOTE_ADDR=address
    )


def assert_throttled(response):
    assert response.status_code == 429, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0


def test_the_eleventh_login_from_one_client_is_refused_while_redis_is_down(
    redis_down, api_client, user
):
    statuses = [bad_login(api_client, user).status_code for _ in range(PER_CLIENT)]
    assert statuses == [401] * PER_CLIENT  # not one earlier
    assert redis_down.is_open  # the counts above were kept without Redis
    assert_throttled(bad_login(api_client, user))
    # Another client is counted on its own.
    assert bad_login(api_client, user, address="192.0.2.2").status_code == 401


def test_one_account_is_limited_from_many_addresses_while_redis_is_down(
    redis_down, api_client, user
):
    statuses = [
        bad_login(api_client, user, address=f"198.51.100.{number}").status_code
        for number in range(PER_ACCOUNT)
    ]
    assert statuses == [401] * PER_ACCOUNT  # not one earlier
    assert_throttled(bad_login(api_client, user, address="198.51.100.200"))


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path, free_port())
    server.start()
    yield server
    server.stop()


def test_the_counts_kept_in_redis_are_used_again_once_it_answers(
    redis_server, api_client, user, monkeypatch
):
    breaker = cache_breaker(redis_server.url)
    breaker.reset()
    with override_settings(CACHES={"default": redis_cache(redis_server.url)}):
        for _ in range(3):
            assert bad_login(api_client, user).status_code == 401  # counted in Redis

        redis_server.freeze()
        statuses = [bad_login(api_client, user).status_code for _ in range(PER_CLIENT)]
        assert statuses == [401] * PER_CLIENT  # this process's own count, from zero
        assert_throttled(bad_login(api_client, user))

        redis_server.thaw()
        # The breaker's cooldown is over (instead of sleeping through it).
        monkeypatch.setattr(breaker, "_clock", lambda: time.monotonic() + 6)
        statuses = [bad_login(api_client, user).status_code for _ in range(PER_CLIENT - 3)]
        assert statuses == [401] * (PER_CLIENT - 3)  # Redis's count: 3 before the outage
        assert not breaker.is_open
        assert_throttled(bad_login(api_client, user))
    breaker.reset()
