"""Readiness checks: can this instance serve traffic right now?

Each check is a small function that raises when its dependency does not answer. The
readiness view runs them all and reports every failure by name, so an operator sees
at once which dependency is down.
{%- if cookiecutter.use_async == "y" %}

The async readiness view runs the same checks concurrently, each under its own timeout,
so one slow dependency neither delays the others nor hangs the probe.
{%- endif %}
"""
{%- if cookiecutter.use_async == "y" %}

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
{%- else %}

from collections.abc import Callable
{%- endif %}
from dataclasses import dataclass
from time import perf_counter

import structlog
{%- if cookiecutter.use_async == "y" %}
from asgiref.sync import sync_to_async
{%- endif %}
{%- if cookiecutter.use_redis == "y" %}
from django.conf import settings
{%- endif %}
from django.db import connections
{%- if cookiecutter.use_redis == "y" %}
from django_redis import get_redis_connection
{%- endif %}
{%- if cookiecutter.use_async == "y" and cookiecutter.use_redis == "y" %}
from redis.asyncio import Redis
{%- endif %}
{%- if cookiecutter.use_celery == "y" %}

from config.celery import app as celery_app
{%- endif %}

logger = structlog.get_logger(__name__)
{%- if cookiecutter.use_async == "y" %}

# Each check's budget in the async readiness view; keep the orchestrator's probe timeout
# above it, so a slow dependency is reported by name instead of the probe timing out.
CHECK_TIMEOUT_SECONDS = 2.0
# A probe that hangs past its timeout keeps its thread until it returns. Probes get their
# own threads, so hung ones can never use up the event loop's default executor, which
# Django itself needs (it logs every error response there).
PROBE_EXECUTOR = ThreadPoolExecutor(max_workers=4, thread_name_prefix="readiness")
{%- endif %}


@dataclass(frozen=True)
class ReadinessCheck:
    name: str
    probe: Callable[[], None]
{%- if cookiecutter.use_async == "y" %}
    # A native coroutine the async view awaits instead of running `probe` in a thread.
    async_probe: Callable[[], Awaitable[None]] | None = None
    # Django's database connections belong to a thread, so a probe that uses them runs on
    # the request's own thread; one that opens and closes its own connection need not,
    # and then runs in a worker thread beside the others.
    thread_sensitive: bool = True
{%- endif %}


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    duration_ms: float
    error: str = ""


def database_probe() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
{%- if cookiecutter.use_redis == "y" %}


def cache_probe() -> None:
    if not settings.REDIS_URL:
        return  # the embedded local-memory cache is always there
    # Ask Redis directly: the cache backend itself is told to swallow connection errors.
    get_redis_connection("default").ping()
{%- if cookiecutter.use_async == "y" %}


async def acache_probe() -> None:
    if not settings.REDIS_URL:
        return
    # A connection of its own, opened and closed on this event loop: the cache backend's
    # client is synchronous.
    client = Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        await client.ping()
    finally:
        await client.aclose()
{%- endif %}
{%- endif %}
{%- if cookiecutter.use_celery == "y" %}


def broker_probe() -> None:
    if not celery_app.conf.broker_url:
        return  # no broker configured: tasks run in-process
    # Socket timeouts of its own: a broker that accepts connections but never answers
    # must fail the probe, not hang it (and the request, or the worker thread, with it).
    with celery_app.connection_for_write(
        transport_options={"socket_timeout": 2, "socket_connect_timeout": 2}
    ) as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
{%- endif %}


CHECKS: list[ReadinessCheck] = [
    ReadinessCheck("database", database_probe),
{%- if cookiecutter.use_redis == "y" %}
{%- if cookiecutter.use_async == "y" %}
    ReadinessCheck("cache", cache_probe, async_probe=acache_probe),
{%- else %}
    ReadinessCheck("cache", cache_probe),
{%- endif %}
{%- endif %}
{%- if cookiecutter.use_celery == "y" %}
    ReadinessCheck("broker", broker_probe{% if cookiecutter.use_async == "y" %}, thread_sensitive=False{% endif %}),
{%- endif %}
]


{%- if cookiecutter.use_async == "y" %}


async def arun_check(check: ReadinessCheck) -> CheckResult:
    started = perf_counter()
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            if check.async_probe is not None:
                await check.async_probe()
            else:
                await probe_in_thread(check)()
    except TimeoutError:
        # Only the wait is cancelled: a probe in a thread runs on until it returns.
        return _failed(check, started, f"no answer within {CHECK_TIMEOUT_SECONDS} s")
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", reported by name
        return _failed(check, started, repr(exc))
    return CheckResult(check.name, ok=True, duration_ms=_since(started))


def probe_in_thread(check: ReadinessCheck) -> Callable[[], Awaitable[None]]:
    if check.thread_sensitive:
        return sync_to_async(check.probe)
    return sync_to_async(check.probe, thread_sensitive=False, executor=PROBE_EXECUTOR)


async def arun_checks(checks: list[ReadinessCheck] | None = None) -> list[CheckResult]:
    """Run every check at once; results keep the order of the checks."""
    return list(await asyncio.gather(*map(arun_check, CHECKS if checks is None else checks)))
{%- else %}


def run_check(check: ReadinessCheck) -> CheckResult:
    started = perf_counter()
    try:
        check.probe()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", reported by name
        return _failed(check, started, repr(exc))
    return CheckResult(check.name, ok=True, duration_ms=_since(started))


def run_checks(checks: list[ReadinessCheck] | None = None) -> list[CheckResult]:
    return [run_check(check) for check in (CHECKS if checks is None else checks)]
{%- endif %}


def _failed(check: ReadinessCheck, started: float, error: str) -> CheckResult:
    logger.warning("readiness_check_failed", check=check.name, error=error)
    return CheckResult(check.name, ok=False, duration_ms=_since(started), error=error)


def _since(started: float) -> float:
    return round((perf_counter() - started) * 1000, 2)
