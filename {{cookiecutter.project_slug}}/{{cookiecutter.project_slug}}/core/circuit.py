"""A circuit breaker: after a dependency fails, stop calling it for a few seconds.

A dependency that is down or frozen costs every call its full timeout, and a request that
makes several calls waits for each. The breaker opens at the first failure; while it is
open every call is skipped at once (the caller falls back: a cache miss, a task kept for
later), and one call per `cooldown` is let through as a trial, whose success closes
it. So a request waits at most one timeout on a failing dependency, and usually none.

An outage is logged twice, at warning level: `outage_started` at its first failure and
`outage_ended` when a call succeeds again, with how many calls failed and were skipped.
"""

import threading
import time
from collections.abc import Callable

import structlog

logger = structlog.get_logger(__name__)


class CircuitOpenError(ConnectionError):
    """Raised instead of calling a dependency whose breaker is open."""


class CircuitBreaker:
    def __init__(
        self, name: str, *, cooldown: float = 5.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.name = name
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._opened_at: float | None = None
        self._trial_at = 0.0
        self.failures = 0
        self.skipped = 0

    @property
    def is_open(self) -> bool:
        return self._opened_at is not None

    def allows(self) -> bool:
        """Whether to call now: while closed, or as the one trial after each cooldown."""
        if not self.is_open:
            return True
        with self._lock:
            now = self._clock()
            if now >= self._trial_at:
                self._trial_at = now + self.cooldown
                return True
            self.skipped += 1
            return False

    def record_success(self) -> None:
        if not self.is_open:
            return
        with self._lock:
            if self._opened_at is None:  # another thread closed it meanwhile
                return
            logger.warning(
                "outage_ended",
                dependency=self.name,
                duration_s=round(self._clock() - self._opened_at, 1),
                failed_calls=self.failures,
                skipped_calls=self.skipped,
            )
            self._opened_at = None
            self.failures = self.skipped = 0

    def record_failure(self, error: BaseException) -> None:
        with self._lock:
            now = self._clock()
            self.failures += 1
            self._trial_at = now + self.cooldown
            if self._opened_at is None:
                self._opened_at = now
                logger.warning(
                    "outage_started",
                    dependency=self.name,
                    error=f"{type(error).__name__}: {error}",
                    skipping_for_s=self.cooldown,
                )

    def reset(self) -> None:
        """Closed, counts cleared, nothing logged (tests start from here)."""
        with self._lock:
            self._opened_at = None
            self._trial_at = 0.0
            self.failures = self.skipped = 0
