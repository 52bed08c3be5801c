"""The article cache's version: every write that changes what a response shows bumps it.

Cached article responses (api/cache.py) carry the version they were built under, and one
round trip reads the version and an entry together: a bump makes every older entry stale
at once (no key scan, no delete-by-pattern); the next read of a stale entry rebuilds it,
and stale entries nobody reads again simply expire (settings.ARTICLE_CACHE_TIMEOUT).

The bump happens only after the write's transaction commits: a reader between the bump
and the commit would read the old rows, cache them under the new version, and keep
serving them.

The cache is an optimisation, never a dependency: when it fails, requests are answered
from the database (the cache backend logs the outage once, when it starts and ends).

Staleness: while the cache answers, a committed write is visible to the next read. A bump
that fails (the cache is down or frozen at that moment) is remembered: this process
serves nothing from the cache until a retried bump succeeds, which it tries before each
article read. Other processes can serve an entry older than the write until then, and
never longer than ARTICLE_CACHE_TIMEOUT (60 s) after it was cached: the staleness bound.
"""

import threading
import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "articles:version"


class _PendingBump:
    """Whether this process failed to bump the version and owes the cache a bump."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.pending = False

    def settle(self) -> bool:
        """Retry an owed bump; True when nothing is owed (any more)."""
        if not self.pending:
            return True
        with self._lock:
            if self.pending and _bump():
                self.pending = False
            return not self.pending


_owed = _PendingBump()


def _bump() -> bool:
    """Increment the version; False if the cache did not answer."""
    try:
        # A failing cache answers None (the backend ignores its errors); else the new value.
        return cache.incr(VERSION_KEY) is not None
    except ValueError:
        return True  # no version yet, so nothing is cached; the next read starts one


def article_cache_version() -> int | None:
    """The current version, or None when the cache must not be used right now."""
    if not _owed.settle():
        return None  # a write this process made may still be cached as it was before
    version = cache.get(VERSION_KEY)
    return _known(version) if version is not None else _start_version()


def article_cache_lookup(key: str) -> tuple[int | None, object]:
    """The current version and the entry at `key`, in one round trip to the cache.

    The version is None when the cache must not be used right now (and the entry too).
    """
    if not _owed.settle():
        return None, None
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        return _start_version(), None
    return _known(version), found.get(key)


def _start_version() -> int | None:
    # Start from the clock, not from 1: a version lost to eviction or a restart
    # must never come back as a number whose old entries still exist.
    cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    return _known(cache.get(VERSION_KEY))


def _known(version: object) -> int | None:
    return version if isinstance(version, int) else None


def article_cache_invalidate() -> None:
    """Bump the version: every cached article response is stale from now on."""
    if not _bump():
        _owed.pending = True


def article_cache_invalidate_on_commit() -> None:
    transaction.on_commit(article_cache_invalidate, robust=True)
