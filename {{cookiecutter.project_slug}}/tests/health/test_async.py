"""Readiness under ASGI: the checks run concurrently, each under its own timeout, and a
hung one neither hangs the probe nor takes the threads Django needs."""

import asyncio
import dataclasses
import os
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from health_check.base import HealthCheck

from {{ cookiecutter.project_slug }}.health import checks
from {{ cookiecutter.project_slug }}.health.checks import readiness_probe

# Generous: the tests never wait it out unless what they guard against is broken.
DEADLINE_SECONDS = 10
# django-health-check waits a check's timeout plus one second before it gives up.
TINY_TIMEOUT = timedelta(milliseconds=10)


@pytest.fixture
def tiny_timeout(monkeypatch):
    monkeypatch.setattr(checks, "CHECK_TIMEOUT", TINY_TIMEOUT)


def with_timeout(check: HealthCheck) -> HealthCheck:
    check.timeout = checks.CHECK_TIMEOUT
    return check


async def test_readiness_checks_run_concurrently():
    # Each pair only gets past its barrier when both of its checks are in flight at once:
    # run one after the other, the first would wait until its check timed out.
    loop_barrier = asyncio.Barrier(2)
    thread_barrier = threading.Barrier(2, timeout=DEADLINE_SECONDS)

    @dataclasses.dataclass
    class OnTheLoop(HealthCheck):
        async def run(self) -> None:
            await loop_barrier.wait()

    @dataclasses.dataclass
    class InAThread(HealthCheck):
        def run(self) -> None:
            thread_barrier.wait()

    async with asyncio.timeout(DEADLINE_SECONDS):
        results = await checks.check_readiness(
            {
                "loop-a": with_timeout(OnTheLoop()),
                "loop-b": with_timeout(OnTheLoop()),
                "thread-a": with_timeout(InAThread()),
                "thread-b": with_timeout(InAThread()),
            }
        )

    assert [(r.name, r.ok) for r in results] == [
        ("loop-a", True),
        ("loop-b", True),
        ("thread-a", True),
        ("thread-b", True),
    ]


@dataclasses.dataclass
class Hangs(HealthCheck):
    async def run(self) -> None:
        await asyncio.Event().wait()


@dataclasses.dataclass
class Answers(HealthCheck):
    async def run(self) -> None:
        return None


@pytest.mark.usefixtures("tiny_timeout")
async def test_a_check_that_hangs_is_reported_failing_by_name(caplog):
    results = await checks.check_readiness(
        {"stuck": with_timeout(Hangs()), "fine": with_timeout(Answers())}
    )

    assert [(r.name, r.ok) for r in results] == [("stuck", False), ("fine", True)]
    failures = [r.msg for r in caplog.records if isinstance(r.msg, dict)]
    assert {"event": "readiness_check_failed", "check": "stuck"}.items() <= failures[0].items()
    assert "Timed out" in failures[0]["error"]


@pytest.mark.usefixtures("tiny_timeout")
async def test_hung_probes_never_use_up_the_default_executor():
    # Django runs some of its own work (logging error responses) on the loop's default
    # executor; readiness checks that never return must not take all of its threads.
    release = threading.Event()

    @dataclasses.dataclass
    class HangsInAThread(HealthCheck):
        def run(self) -> None:
            release.wait(DEADLINE_SECONDS * 6)  # set at the end of the test

    threads = min(32, (os.cpu_count() or 1) + 4)  # the default executor's
    loop = asyncio.get_running_loop()
    try:
        stuck = {f"stuck-{n}": with_timeout(HangsInAThread()) for n in range(threads + 1)}
        results = await checks.check_readiness(stuck)
        assert not any(result.ok for result in results)
        async with asyncio.timeout(DEADLINE_SECONDS):
            assert await loop.run_in_executor(None, str, "free") == "free"
    finally:
        release.set()


@pytest.mark.usefixtures("tiny_timeout")
@pytest.mark.django_db(transaction=True)
async def test_ready_endpoint_answers_503_naming_the_check_that_timed_out(async_client, settings):
    settings.READINESS_CHECKS = {
        "database": settings.READINESS_CHECKS["database"],
        "stuck": Hangs,
    }

    response = await async_client.get(reverse("health:ready"))

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["stuck"]
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db(transaction=True)
async def test_ready_endpoint_runs_every_configured_check_under_asgi(async_client):
    response = await async_client.get(reverse("health:ready"))
    assert response.status_code == 200
    assert set(response.json()["checks"]) == set(settings.READINESS_CHECKS)


async def test_concurrent_probes_on_the_event_loop_run_the_checks_once(async_client, settings):
    runs = 0
    checking = asyncio.Event()
    release = asyncio.Event()

    @dataclasses.dataclass
    class HeldUp(HealthCheck):
        async def run(self) -> None:
            nonlocal runs
            runs += 1
            checking.set()
            await release.wait()

    settings.READINESS_CHECKS = {"held-up": HeldUp}
    ready = reverse("health:ready")
    async with asyncio.timeout(DEADLINE_SECONDS):
        first = asyncio.create_task(async_client.get(ready))
        await checking.wait()
        # No result yet: the probes meanwhile get a 503 to retry, and run nothing.
        busy = await asyncio.gather(*(async_client.get(ready) for _ in range(20)))
        release.set()
        assert (await first).status_code == 200
        # Within the reuse window, the result is reused.
        reused = await asyncio.gather(*(async_client.get(ready) for _ in range(20)))

    assert {response.status_code for response in busy} == {503}
    assert all(response["Retry-After"] == "1" for response in busy)
    assert {response.status_code for response in reused} == {200}
    assert runs == 1
    assert readiness_probe.recent() is not None
