"""The circuit breaker: one failure opens it, trials after the cooldown, outages logged twice."""

import logging

import pytest

from {{ cookiecutter.project_slug }}.core.circuit import CircuitBreaker


@pytest.fixture
def events(caplog):
    caplog.set_level(logging.WARNING, logger="{{ cookiecutter.project_slug }}.core.circuit")
    return lambda: [r.msg for r in caplog.records if r.name.endswith("core.circuit")]


def test_a_closed_breaker_allows_every_call_and_logs_nothing(events):
    breaker = CircuitBreaker("cache")
    assert all(breaker.allows() for _ in range(5))
    breaker.record_success()
    assert events() == []


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_after_a_failure_calls_are_skipped_until_the_cooldown_then_one_trial(events):
    clock = Clock()
    breaker = CircuitBreaker("cache", cooldown=5, clock=clock)
    breaker.record_failure(TimeoutError("Timeout reading from socket"))
    assert not any(breaker.allows() for _ in range(10))
    clock.now += 5
    assert breaker.allows()  # the trial
    assert not breaker.allows()  # only one per cooldown
    breaker.record_failure(TimeoutError("still frozen"))
    clock.now += 5
    assert breaker.allows()
    breaker.record_success()
    assert not breaker.is_open
    assert breaker.allows()
    started, ended = events()
    assert started["event"] == "outage_started"
    assert started["dependency"] == "cache"
    assert "Timeout reading from socket" in started["error"]
    assert ended["event"] == "outage_ended"
    assert ended["duration_s"] == 10
    assert ended["failed_calls"] == 2
    assert ended["skipped_calls"] == 11
