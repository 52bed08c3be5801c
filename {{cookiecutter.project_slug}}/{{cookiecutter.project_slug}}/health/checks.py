"""Readiness: can this instance serve traffic right now?

The checks are django-health-check's, named in the READINESS_CHECKS setting (option
modules add theirs, e.g. the broker). They run concurrently, each under its own timeout,
so one slow dependency neither delays the others nor hangs the probe; every failure is
reported by name, and detailed in the log only (error text can carry hostnames).

The endpoint is anonymous, and every run costs a database query and cache and broker
round trips: a flood of probes must not become a flood of work on the dependencies. So
each process reuses its last result for REUSE_SECONDS and runs the checks for one probe
at a time (ReadinessProbe); a probe that arrives meanwhile gets the last result.
"""

import asyncio
import dataclasses
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import structlog
{%- if cookiecutter.use_async == "n" %}
from asgiref.sync import async_to_sync
{%- endif %}
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


# How long one process answers probes with the same result: the checks run at most once
# per second per process, however many probes arrive.
REUSE_SECONDS = 1.0


class ReadinessProbe:
    """The checks' results for many probes at the cost of one run.

    A result younger than `reuse_seconds` is reused. Otherwise the first probe runs the
    checks, and one that arrives while they run gets the last result (None before there
    is one: the view answers 503 with Retry-After); so a process runs at most one set of
    checks at a time, whatever the number of probes.
    """

    def __init__(
        self, *, reuse_seconds: float = REUSE_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.reuse_seconds = reuse_seconds
        self._clock = clock
        self._running = threading.Lock()
        self._last: tuple[float, list[CheckResult]] | None = None

    def recent(self) -> list[CheckResult] | None:
        """The last results if they may be reused, else None."""
        last = self._last
        if last is not None and self._clock() - last[0] < self.reuse_seconds:
            return last[1]
        return None

    async def results(self) -> list[CheckResult] | None:
        """Recent results, else fresh ones; while another probe checks, the last ones."""
        if (recent := self.recent()) is not None:
            return recent
        if not self._running.acquire(blocking=False):
            return self._last[1] if self._last is not None else None
        try:
            results = await check_readiness()
            self._last = (self._clock(), results)
        finally:
            self._running.release()
        return results
{%- if cookiecutter.use_async == "n" %}

    def results_sync(self) -> list[CheckResult] | None:
        """results() for a sync view: a reused result costs no event loop."""
        if (recent := self.recent()) is not None:
            return recent
        # The checks run concurrently on an event loop of their own.
        return async_to_sync(self.results)()
{%- endif %}

    def forget(self) -> None:
        """No result to reuse (tests start from here)."""
        self._last = None


readiness_probe = ReadinessProbe()
