"""The Redis cache backend: django-redis behind a circuit breaker (core/circuit.py).

django-redis with IGNORE_EXCEPTIONS answers a failing Redis with cache misses, but every
call still waits for its socket timeout, and logging each ignored error floods the log
with tracebacks. Here one breaker per Redis server guards every command: the first
failure opens it, and for the next seconds each cache call is a miss at once, with no
network round trip; the outage is logged when it starts and when it ends, nothing in
between. An answer that is an error (e.g. INCR of a non-number) is no outage.

A miss is the right answer for cached data, not for a count that must hold: a throttle
whose counts are misses lets everything through. CacheWithLocalFallback keeps such counts
in this process's memory while Redis does not answer.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ResponseError

from {{ cookiecutter.project_slug }}.core.circuit import CircuitBreaker, CircuitOpenError

# A cache that does not answer is skipped for this long before one call tries again.
COOLDOWN_SECONDS = 5.0
# Client methods that send no command (or must run whatever the breaker says).
UNGUARDED = frozenset({"close", "make_key", "make_pattern", "encode", "decode", "get_client"})

_breakers: dict[str, CircuitBreaker] = {}


def cache_breaker(server: str) -> CircuitBreaker:
    """The breaker of a Redis server (shared by every thread's backend instance)."""
    return _breakers.setdefault(server, CircuitBreaker("cache", cooldown=COOLDOWN_SECONDS))


class GuardedClient:
    """A django-redis client whose commands go through the server's breaker."""

    def __init__(self, client: Any, breaker: CircuitBreaker) -> None:
        self._client = client
        self._breaker = breaker

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if name.startswith("_") or name in UNGUARDED or not callable(attribute):
            return attribute
        return self._guarded(attribute)

    def _guarded(self, command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def call(*args: Any, **kwargs: Any) -> Any:
            if not self._breaker.allows():
                # RedisCache (IGNORE_EXCEPTIONS) answers this as it answers a failure.
                raise ConnectionInterrupted(connection=None) from CircuitOpenError("cache")
            try:
                result = command(*args, **kwargs)
            except ConnectionInterrupted as error:
                if not isinstance(error.__cause__, ResponseError):
                    self._breaker.record_failure(error.__cause__ or error)
                raise
            self._breaker.record_success()
            return result

        return call


class CircuitBreakerRedisCache(RedisCache):  # type: ignore[misc]  # django-redis is untyped
    _guarded: GuardedClient | None = None

    @property
    def client(self) -> GuardedClient:
        if self._guarded is None:
            client = self._client_cls(self._server, self._params, self)
            self._guarded = GuardedClient(client, self.breaker)
        return self._guarded

    @property
    def breaker(self) -> CircuitBreaker:
        return cache_breaker(self._server)


class CacheWithLocalFallback(BaseCache):
    """The default cache while it answers; this process's memory while it does not.

    For counts that must keep counting through an outage (the login throttles). A call
    whose breaker is open, or that just failed (and so opened it), is answered from a
    local-memory cache instead: the count then holds per process. Once a call gets through
    to Redis again (the breaker's trial), the counts kept there are used again.
    """

    def __init__(self, alias: str = "default") -> None:
        super().__init__({})
        self.alias = alias
        self.local = LocMemCache(f"{alias}-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        backend = caches[self.alias]
        value = backend.get(key, default, version)
        if answers(backend):
            return value
        return self.local.get(key, default, version)

    def set(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        backend = caches[self.alias]
        backend.set(key, value, timeout, version)
        if not answers(backend):
            self.local.set(key, value, timeout, version)


def answers(backend: BaseCache) -> bool:
    """Whether the last call reached the cache (only a Redis behind a breaker can fail)."""
    return not isinstance(backend, CircuitBreakerRedisCache) or not backend.breaker.is_open
