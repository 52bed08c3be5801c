"""The Redis cache behind its circuit breaker, against a real redis-server that this test
freezes (SIGSTOP) and kills: a failing cache costs one timeout, then nothing, and its
outage is logged once when it starts and once when it ends, as warnings.
"""

import logging
import time

import pytest
from django.core.cache import caches
from django.test import override_settings

from {{ cookiecutter.project_slug }}.core.redis_cache import cache_breaker

from tests.redis_server import RedisServer, free_port

TIMEOUT = 0.25
CALLS = 20


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path, free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def cache(redis_server):
    config = {
        "BACKEND": "{{ cookiecutter.project_slug }}.core.redis_cache.CircuitBreakerRedisCache",
        "LOCATION": redis_server.url,
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": TIMEOUT,
            "SOCKET_TIMEOUT": TIMEOUT,
            "IGNORE_EXCEPTIONS": True,
        },
    }
    breaker = cache_breaker(redis_server.url)
    breaker.reset()
    with override_settings(CACHES={"default": config}):
        yield caches["default"]
    breaker.reset()


@pytest.fixture
def warnings_and_errors(caplog):
    caplog.set_level(logging.WARNING)
    return lambda: [(r.levelno, r.msg) for r in caplog.records if r.levelno >= logging.WARNING]


def later(breaker, seconds: float, monkeypatch) -> None:
    """Move the breaker's clock on, instead of sleeping through its cooldown."""
    monkeypatch.setattr(breaker, "_clock", lambda: time.monotonic() + seconds)


@pytest.mark.parametrize("fault", ["freeze", "stop"])
def test_a_failing_cache_costs_one_timeout_then_nothing(
    redis_server, cache, warnings_and_errors, fault
):
    cache.set("answer", 42)
    assert cache.get("answer") == 42
    getattr(redis_server, fault)()

    started = time.perf_counter()
    answers = [cache.get("answer") for _ in range(CALLS)]
    elapsed = time.perf_counter() - started

    assert answers == [None] * CALLS  # misses, never errors
    breaker = cache_breaker(redis_server.url)
    assert (breaker.failures, breaker.skipped) == (1, CALLS - 1)
    # One socket timeout at most, where every call would otherwise wait for its own.
    assert elapsed < CALLS * TIMEOUT / 2
    [(level, event)] = warnings_and_errors()
    assert level == logging.WARNING
    assert event["event"] == "outage_started"
    assert event["dependency"] == "cache"


def test_the_end_of_an_outage_is_logged_once_with_its_counts(
    redis_server, cache, warnings_and_errors, monkeypatch
):
    cache.set("answer", 42)
    redis_server.freeze()
    for _ in range(5):
        cache.get("answer")
    redis_server.thaw()
    breaker = cache_breaker(redis_server.url)
    later(breaker, 6, monkeypatch)
    assert cache.get("answer") == 42
    assert cache.get("answer") == 42
    started, ended = (event for _, event in warnings_and_errors())
    assert started["event"] == "outage_started"
    assert ended["event"] == "outage_ended"
    assert (ended["failed_calls"], ended["skipped_calls"]) == (1, 4)


def test_an_error_answer_is_no_outage(redis_server, cache):
    cache.set("text", "not a number")
    with pytest.raises(ValueError, match="not found"):
        cache.incr("missing")
    assert not cache_breaker(redis_server.url).is_open
