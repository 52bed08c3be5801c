"""Readiness checks: can this instance serve traffic right now?

Each check is a small function that raises when its dependency does not answer. The
readiness view runs them all and reports every failure by name, so an operator sees
at once which dependency is down.
"""

from collections.abc import Callable
from dataclasses import dataclass
from time import perf_counter

import structlog
{%- if cookiecutter.use_redis == "y" %}
from django.conf import settings
{%- endif %}
from django.db import connections
{%- if cookiecutter.use_redis == "y" %}
from django_redis import get_redis_connection
{%- endif %}
{%- if cookiecutter.use_celery == "y" %}

from config.celery import app as celery_app
{%- endif %}

logger = structlog.get_logger(__name__)


@dataclass(frozen=True)
class ReadinessCheck:
    name: str
    probe: Callable[[], None]


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
{%- endif %}
{%- if cookiecutter.use_celery == "y" %}


def broker_probe() -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # no broker configured: tasks run in-process
    with celery_app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
{%- endif %}


CHECKS: list[ReadinessCheck] = [
    ReadinessCheck("database", database_probe),
{%- if cookiecutter.use_redis == "y" %}
    ReadinessCheck("cache", cache_probe),
{%- endif %}
{%- if cookiecutter.use_celery == "y" %}
    ReadinessCheck("broker", broker_probe),
{%- endif %}
]


def run_check(check: ReadinessCheck) -> CheckResult:
    started = perf_counter()
    try:
        check.probe()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", reported by name
        logger.warning("readiness_check_failed", check=check.name, error=repr(exc))
        return CheckResult(check.name, ok=False, duration_ms=_since(started), error=repr(exc))
    return CheckResult(check.name, ok=True, duration_ms=_since(started))


def run_checks(checks: list[ReadinessCheck] | None = None) -> list[CheckResult]:
    return [run_check(check) for check in (CHECKS if checks is None else checks)]


def _since(started: float) -> float:
    return round((perf_counter() - started) * 1000, 2)
