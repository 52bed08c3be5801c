"""The article cache's version: every write that changes what a response shows bumps it.

Cached article responses (api/cache.py) carry the version in their key, so a bump makes
every older entry unreachable at once: no key scan, no delete-by-pattern. Unreachable
entries simply expire with the cache's TIMEOUT.

The bump happens only after the write's transaction commits: a reader between the bump
and the commit would read the old rows, cache them under the new version, and keep
serving them.

The cache is an optimisation, never a dependency: when it fails, the error is logged
and nothing else happens.
"""

import time

import structlog
from django.core.cache import cache
from django.db import transaction

logger = structlog.get_logger(__name__)

VERSION_KEY = "articles:version"


def article_cache_version() -> int | None:
    """The current version, or None when the cache does not answer."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            # Start from the clock, not from 1: a version lost to eviction or a restart
            # must never come back as a number whose old entries still exist.
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
            version = cache.get(VERSION_KEY)
    except Exception:  # any cache failure means "no cache", never an error
        logger.warning("article_cache_failed", operation="version", exc_info=True)
        return None
    return version if isinstance(version, int) else None


def article_cache_invalidate() -> None:
    """Bump the version: every cached article response is stale from now on."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        pass  # no version yet, so nothing is cached; the next read starts one
    except Exception:
        # Entries stay reachable until they expire (the cache's TIMEOUT bounds that).
        logger.warning("article_cache_failed", operation="invalidate", exc_info=True)


def article_cache_invalidate_on_commit() -> None:
    transaction.on_commit(article_cache_invalidate, robust=True)
