"""Cache-aside for the article API's GET responses, invalidated by a version number.

A response is cached under

    articles:<version>:<api version>:<audience>:<digest of the URL>

- `version` is a number kept in the cache itself. Every write that changes what a
  response shows bumps it (after its transaction commits), which makes every older
  entry unreachable at once: no key scan, no delete-by-pattern. Unreachable entries
  simply expire with the cache's TIMEOUT.
- `audience` is "public" for anonymous clients, who all see the same published
  articles, and "user<id>" for a signed-in user, whose responses include their own
  drafts: one user's response is never served to anybody else.
- The URL includes scheme and host (pagination links are absolute), the path and the
  query string with its parameters sorted (filters, ordering, page, page size).

Why bump only after commit: a reader between the bump and the commit would read the
old rows and cache them under the new version, and keep serving them.

The cache is an optimisation, never a dependency: when it fails, the error is logged
and the request is answered from the database.
"""

import hashlib
import time
from collections.abc import Callable
from urllib.parse import urlencode

import structlog
from django.core.cache import cache
from django.db import transaction
from django.utils.cache import patch_vary_headers
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

logger = structlog.get_logger(__name__)

VERSION_KEY = "articles:version"
CACHE_HEADER = "X-Cache"


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


def article_cache_key(request: Request, version: int) -> str:
    user = request.user
    audience = f"user{user.pk}" if user.is_authenticated else "public"
    match = request.resolver_match
    api_version = match.namespaces[0] if match and match.namespaces else "-"
    query = urlencode(sorted(request.query_params.lists()), doseq=True)
    url = f"{request.build_absolute_uri(request.path)}?{query}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"articles:{version}:{api_version}:{audience}:{digest}"


def article_cache_respond(request: Request, build: Callable[[], Response]) -> Response:
    """Serve a GET from the cache, or build the response and cache it if it is a 200."""
    version = article_cache_version()
    key = article_cache_key(request, version) if version is not None else None
    response = None
    if key is not None:
        data = _cache_get(key)
        if data is not None:
            response = Response(data)
            response[CACHE_HEADER] = "HIT"
    if response is None:
        response = build()
        if key is not None and response.status_code == status.HTTP_200_OK:
            _cache_set(key, response.data)
        response[CACHE_HEADER] = "MISS"
    # Shared HTTP caches must not mix one user's response with another's either.
    patch_vary_headers(response, ["Authorization", "Cookie"])
    return response


def _cache_get(key: str) -> object:
    try:
        return cache.get(key)
    except Exception:
        logger.warning("article_cache_failed", operation="get", exc_info=True)
        return None


def _cache_set(key: str, data: object) -> None:
    try:
        cache.set(key, data)
    except Exception:
        logger.warning("article_cache_failed", operation="set", exc_info=True)
