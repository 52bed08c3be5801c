"""Django's PostgreSQL backend; CONN_HEALTH_CHECKS pings only connections left idle.

With persistent connections (CONN_MAX_AGE) and CONN_HEALTH_CHECKS, Django pings the
connection (`SELECT 1`, a round trip) before the first query of every request, so that a
connection the server dropped while nobody used it (a restart, a failover, a proxy that
closes idle connections) is replaced instead of failing a request. Under load, though, a
connection served its last query milliseconds ago and the ping finds nothing, at the
price of one round trip per request (about 7% of an authenticated API call).

Here a connection is pinged only when it has been idle for IDLE_BEFORE_CHECK seconds or
more. One broken while it was busy fails the request that was using it, with 503 and
Retry-After (core/api/middleware.py), and Django drops it before the next request, as it
does with the ping.
"""

import time

from django.db.backends.postgresql import base

# Seconds a connection may rest before its next request pings it.
IDLE_BEFORE_CHECK = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    # When this thread's connection last served a query (time.monotonic()).
    last_used = float("-inf")
    health_check_done: bool

    def close_if_health_check_failed(self) -> None:
        # Django calls this before each cursor; it pings at most once per request.
        now = time.monotonic()
        if (
            self.connection is not None
            and not self.health_check_done
            and now - self.last_used < IDLE_BEFORE_CHECK
        ):
            self.health_check_done = True
        super().close_if_health_check_failed()
        self.last_used = now
