"""The API's default throttles: DRF's anon and user rates, counted in one cache call.

DRF's SimpleRateThrottle keeps every client's request times in the cache: each request
reads that list and writes it back (two round trips, and a value that grows with the
rate: up to 1,000 timestamps at 1000/minute). For the general rates a counter per
fixed window does the same job with one INCR. A client can spend its rate at the end of
one window and again at the start of the next (at most twice the rate in a window's
span); the login throttles, whose rates are small, keep DRF's exact sliding window.

While the cache is down (its calls answer None) requests are let through, as DRF's own
throttles do.
"""

from collections.abc import Callable
from typing import Any

from rest_framework import throttling
from rest_framework.request import Request

# The view arguments are Any: DRF imports this module while rest_framework.views loads,
# so APIView cannot be imported here.


class WindowCounterMixin:
    """Counts a client's requests in the current window: one `incr` per request."""

    cache: Any
    duration: int
    num_requests: int
    rate: str | None
    timer: Any
    # DRF's throttle class beside this mixin provides it (annotated only, so MRO finds theirs).
    get_cache_key: Callable[[Request, Any], str | None]
    window_end: float = 0.0
    now: float = 0.0

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_end = (window + 1) * self.duration
        count = self._count(f"{key}:{window}")
        return count is None or count <= self.num_requests

    def _count(self, key: str) -> int | None:
        """This request's number in the window; None when the cache does not answer."""
        if hasattr(self.cache, "expire"):
            # A cache server with expiries: a plain INCR starts a missing counter at 1;
            # the window's first request gives it its expiry.
            count = self.cache.incr(key, ignore_key_check=True)
            if count == 1:
                self.cache.expire(key, timeout=self.duration + 1)
            return count  # type: ignore[no-any-return]
        try:
            return self.cache.incr(key)  # type: ignore[no-any-return]
        except ValueError:
            # The window's first request (or the key expired): start it, unless another
            # request just did, in which case count on.
            if self.cache.add(key, 1, timeout=self.duration + 1):
                return 1
            try:
                return self.cache.incr(key)  # type: ignore[no-any-return]
            except ValueError:
                return None

    def wait(self) -> float:
        """Seconds until the window ends (Retry-After)."""
        return max(self.window_end - self.now, 0.0)


class AnonRateThrottle(WindowCounterMixin, throttling.AnonRateThrottle):
    """Anonymous requests per client address (`API_THROTTLE_ANON`)."""


class UserRateThrottle(WindowCounterMixin, throttling.UserRateThrottle):
    """Authenticated requests per user, anonymous ones per address (`API_THROTTLE_USER`)."""
