"""Readiness: can this instance serve traffic right now?

The checks are django-health-check's, named in the READINESS_CHECKS setting (option
modules add theirs, e.g. the broker). They run concurrently, each under its own timeout,
so one slow dependency neither delays the others nor hangs the probe; every failure is
reported by name, and detailed in the log only (error text can carry hostnames).
"""

import asyncio
import dataclasses
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import structlog
from django.conf import settings
from django.utils.module_loading import import_string
from health_check.base import HealthCheck
{%- if cookiecutter.use_metrics == "y" %}

from {{ cookiecutter.project_slug }}.core.observability.metrics import observe_readiness
{%- endif %}

logger = structlog.get_logger(__name__)

# Each check's budget; keep the orchestrator's probe timeout above it (django-health-check
# gives a check one more second to report its own timeout first), so a slow dependency
# is reported by name instead of the probe timing out.
CHECK_TIMEOUT = timedelta(seconds=2)
# A sync check that hangs past its timeout keeps its thread until it returns. Checks get
# their own threads, so hung ones can never use up the event loop's default executor,
# which Django itself needs (it logs every error response there).
PROBE_EXECUTOR = ThreadPoolExecutor(max_workers=4, thread_name_prefix="readiness")


@dataclasses.dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    duration_ms: float


def readiness_checks() -> dict[str, HealthCheck]:
    """The configured checks, by name, each with the readiness timeout."""
    checks = {}
    for name, check_class in settings.READINESS_CHECKS.items():
        check = import_string(check_class)() if isinstance(check_class, str) else check_class()
        check.timeout = CHECK_TIMEOUT
        checks[name] = check
    return checks


async def check_readiness(checks: dict[str, HealthCheck] | None = None) -> list[CheckResult]:
    """Run every check at once; results keep the order of the checks."""
    checks = readiness_checks() if checks is None else checks
    results = await asyncio.gather(*(check.get_result(PROBE_EXECUTOR) for check in checks.values()))
    for name, result in zip(checks, results, strict=True):
        if result.error is not None:
            logger.warning("readiness_check_failed", check=name, error=str(result.error))
{%- if cookiecutter.use_metrics == "y" %}
    observe_readiness(
        (name, result.error is None, result.time_taken)
        for name, result in zip(checks, results, strict=True)
    )
{%- endif %}
    return [
        CheckResult(name, ok=result.error is None, duration_ms=round(result.time_taken * 1000, 2))
        for name, result in zip(checks, results, strict=True)
    ]
