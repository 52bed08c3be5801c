"""The default throttles: DRF's anon and user rates, each request counted with one
cache call (a counter per fixed window, not a list of request times read and rewritten)."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient, APIRequestFactory

from {{ cookiecutter.project_slug }}.core.api.throttling import AnonRateThrottle, UserRateThrottle

from tests.factories import UserFactory

ME_URL = reverse("v1:users:me")


class CountingCache:
    """The real cache, counting the calls that reach it."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.real, name)
        if not callable(attribute):
            return attribute

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return attribute(*args, **kwargs)

        return counted


class DeadCache:
    """A cache whose server is down, as the cache backend answers it: every call is None."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def anonymous_request(address: str = "192.0.2.1") -> Any:
    request = APIRequestFactory().get("/api/v1/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request


def anon_throttle(monkeypatch: pytest.MonkeyPatch, rate: str) -> AnonRateThrottle:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": rate})
    return AnonRateThrottle()


def allowed(throttle: AnonRateThrottle, request: Any) -> bool:
    return throttle.allow_request(request, None)


def test_the_rate_holds_within_a_window(monkeypatch):
    throttle = anon_throttle(monkeypatch, "3/minute")
    throttle.timer = Clock(600.0)
    request = anonymous_request()
    assert [allowed(throttle, request) for _ in range(4)] == [True, True, True, False]
    # Another client has its own count.
    assert allowed(throttle, anonymous_request("192.0.2.2"))


def test_a_refused_client_is_told_when_its_window_ends(monkeypatch):
    throttle = anon_throttle(monkeypatch, "1/minute")
    throttle.timer = Clock(615.0)
    request = anonymous_request()
    assert allowed(throttle, request)
    assert not allowed(throttle, request)
    assert throttle.wait() == pytest.approx(45.0)


def test_the_next_window_starts_a_new_count(monkeypatch):
    throttle = anon_throttle(monkeypatch, "2/minute")
    clock = Clock(600.0)
    throttle.timer = clock
    request = anonymous_request()
    assert [allowed(throttle, request) for _ in range(3)] == [True, True, False]
    clock.now = 660.0
    assert [allowed(throttle, request) for _ in range(3)] == [True, True, False]


def test_each_request_costs_one_cache_call(monkeypatch):
    counting = CountingCache(cache)
    monkeypatch.setattr(AnonRateThrottle, "cache", counting)
    throttle = anon_throttle(monkeypatch, "100/minute")
    throttle.timer = Clock(600.0)
    request = anonymous_request()
    allowed(throttle, request)  # the window's first request also starts the counter
    counting.calls.clear()
    for _ in range(5):
        assert allowed(throttle, request)
    assert counting.calls == ["incr"] * 5


def test_a_dead_cache_lets_requests_through(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "cache", DeadCache())
    throttle = anon_throttle(monkeypatch, "1/minute")
    request = anonymous_request()
    assert all(allowed(throttle, request) for _ in range(3))


@pytest.mark.django_db
def test_the_user_rate_answers_429_with_retry_after(monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    client = APIClient()
    client.force_authenticate(UserFactory.create())
    statuses = [client.get(ME_URL).status_code for _ in range(3)]
    refused = client.get(ME_URL)
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another user is not affected.
    other = APIClient()
    other.force_authenticate(UserFactory.create())
    assert other.get(ME_URL).status_code == 200
{%- if cookiecutter.use_redis == "y" %}


def test_a_window_counter_expires_with_its_window(monkeypatch, settings):
    if not hasattr(cache, "expire"):
        pytest.skip("needs REDIS_URL: the local-memory cache has no TTL to read")
    throttle = anon_throttle(monkeypatch, "5/minute")
    throttle.timer = Clock(600.0)
    request = anonymous_request()
    assert allowed(throttle, request)
    assert allowed(throttle, request)
    key = f"{throttle.get_cache_key(request, None)}:10"
    assert cache.get(key) == 2
    assert 0 < cache.ttl(key) <= 61  # type: ignore[attr-defined]  # django-redis
{%- endif %}
