"""The ASGI side: readiness checks run concurrently, each under its own timeout, and
the request-id middleware runs on the event loop without a hop to a thread."""

import asyncio
import logging
import os
import threading

import pytest
from asgiref.sync import iscoroutinefunction, sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.module_loading import import_string

from {{ cookiecutter.project_slug }}.core import health
from {{ cookiecutter.project_slug }}.core.middleware import RequestIdMiddleware

from tests.factories import UserFactory

# Generous: the tests never wait it out unless what they guard against is broken.
DEADLINE_SECONDS = 10


async def test_readiness_checks_run_concurrently():
    # Each pair only gets past its barrier when both of its probes are in flight at once:
    # run one after the other, the first would wait until its check timed out.
    loop_barrier = asyncio.Barrier(2)
    thread_barrier = threading.Barrier(2, timeout=DEADLINE_SECONDS)

    async def on_the_loop() -> None:
        await loop_barrier.wait()

    def in_a_thread() -> None:
        thread_barrier.wait()

    checks = [
        health.ReadinessCheck("loop-a", in_a_thread, async_probe=on_the_loop),
        health.ReadinessCheck("loop-b", in_a_thread, async_probe=on_the_loop),
        health.ReadinessCheck("thread-a", in_a_thread, thread_sensitive=False),
        health.ReadinessCheck("thread-b", in_a_thread, thread_sensitive=False),
    ]
    async with asyncio.timeout(DEADLINE_SECONDS):
        results = await health.arun_checks(checks)

    assert [(r.name, r.ok, r.error) for r in results] == [
        ("loop-a", True, ""),
        ("loop-b", True, ""),
        ("thread-a", True, ""),
        ("thread-b", True, ""),
    ]


async def test_a_check_that_hangs_is_reported_failing_by_name(monkeypatch):
    monkeypatch.setattr(health, "CHECK_TIMEOUT_SECONDS", 0.01)

    async def hangs() -> None:
        await asyncio.Event().wait()

    async def answers() -> None:
        return None

    results = await health.arun_checks(
        [
            health.ReadinessCheck("stuck", lambda: None, async_probe=hangs),
            health.ReadinessCheck("fine", lambda: None, async_probe=answers),
        ]
    )

    assert [(r.name, r.ok) for r in results] == [("stuck", False), ("fine", True)]
    assert results[0].error == "no answer within 0.01 s"


async def test_hung_probes_never_use_up_the_default_executor(monkeypatch):
    # Django runs some of its own work (logging error responses) on the loop's default
    # executor; readiness probes that never return must not take all of its threads.
    monkeypatch.setattr(health, "CHECK_TIMEOUT_SECONDS", 0.01)
    release = threading.Event()

    def hangs() -> None:
        release.wait(DEADLINE_SECONDS * 6)  # set at the end of the test

    stuck = health.ReadinessCheck("stuck", hangs, thread_sensitive=False)
    default_executor_threads = min(32, (os.cpu_count() or 1) + 4)
    loop = asyncio.get_running_loop()
    try:
        for _ in range(default_executor_threads + 1):
            [result] = await health.arun_checks([stuck])
            assert not result.ok
        async with asyncio.timeout(DEADLINE_SECONDS):
            assert await loop.run_in_executor(None, str, "free") == "free"
    finally:
        release.set()


@pytest.mark.django_db(transaction=True)
async def test_ready_endpoint_answers_503_naming_the_check_that_timed_out(
    async_client, monkeypatch
):
    async def hangs() -> None:
        await asyncio.Event().wait()

    monkeypatch.setattr(health, "CHECK_TIMEOUT_SECONDS", 0.05)
    monkeypatch.setattr(
        health,
        "CHECKS",
        [
            health.ReadinessCheck("database", health.database_probe),
            health.ReadinessCheck("stuck", lambda: None, async_probe=hangs),
        ],
    )

    response = await async_client.get(reverse("health:ready"))

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["stuck"]
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db(transaction=True)
async def test_ready_endpoint_runs_every_configured_check_under_asgi(async_client):
    response = await async_client.get(reverse("health:ready"))
    assert response.status_code == 200
    assert set(response.json()["checks"]) == {check.name for check in health.CHECKS}


def test_request_id_middleware_runs_in_the_mode_of_its_chain():
    def sync_view(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    async def async_view(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    assert RequestIdMiddleware.sync_capable
    assert RequestIdMiddleware.async_capable
    assert iscoroutinefunction(RequestIdMiddleware(async_view))
    assert not iscoroutinefunction(RequestIdMiddleware(sync_view))


def test_every_middleware_can_run_on_the_event_loop():
    # One sync-only middleware would put every ASGI request on a thread until it is done.
    sync_only = [path for path in settings.MIDDLEWARE if not import_string(path).async_capable]
    assert sync_only == []


async def test_static_assets_are_served_under_asgi(async_client):
    response = await async_client.get(
        f"{settings.STATIC_URL}drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
    )
    assert response.status_code == 200
    assert b"".join([chunk async for chunk in response.streaming_content])


async def test_async_request_gets_its_request_id_and_one_log_line(async_client, caplog):
    with caplog.at_level(logging.INFO, logger="{{ cookiecutter.project_slug }}.request"):
        response = await async_client.get(
            reverse("health:live"), headers={"X-Request-ID": "async-42"}
        )
    assert response["X-Request-ID"] == "async-42"
    records = [r for r in caplog.records if r.name == "{{ cookiecutter.project_slug }}.request"]
    assert len(records) == 1
    assert records[0].msg["request_id"] == "async-42"
    assert records[0].msg["status"] == 200


@pytest.mark.django_db(transaction=True)
async def test_async_access_log_names_a_session_user_outside_drf_views(async_client, caplog):
    # A 404 page never authenticates; the middleware loads the user without blocking.
    user = await sync_to_async(UserFactory.create)()
    await async_client.aforce_login(user)
    with caplog.at_level(logging.INFO, logger="{{ cookiecutter.project_slug }}.request"):
        response = await async_client.get("/no/such/page/")
    assert response.status_code == 404
    records = [r for r in caplog.records if r.name == "{{ cookiecutter.project_slug }}.request"]
    assert records[-1].msg["user_id"] == user.pk
