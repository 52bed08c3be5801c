"""Cache-aside for the article API's GET responses, keyed by the article cache's version.

A response is cached under

    articles:<version>:<api version>:<audience>:<digest of the URL>

- `version` is the articles' cache version (see ../cache.py): a committed write bumps it.
- `audience` is "public" for anonymous clients, who all see the same published
  articles, and "user<id>" for a signed-in user, whose responses include their own
  drafts: one user's response is never served to anybody else.
- The URL includes scheme and host (pagination links are absolute), the path and, sorted,
  the query parameters the view understands (its filters, ordering, page, page size):
  any other parameter changes nothing in the response, so it makes no entry of its own
  (a client adding `&junk=N` cannot fill the cache).

Entries live ARTICLE_CACHE_TIMEOUT seconds (see ../cache.py for the staleness bound).
When the cache fails, the request is answered from the database.
"""

import hashlib
from collections.abc import Callable, Collection
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_vary_headers
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from {{ cookiecutter.project_slug }}.articles.cache import article_cache_version

CACHE_HEADER = "X-Cache"


def article_cache_key(request: Request, version: int, parameters: Collection[str] = ()) -> str:
    user = request.user
    audience = f"user{user.pk}" if user.is_authenticated else "public"
    match = request.resolver_match
    api_version = match.namespaces[0] if match and match.namespaces else "-"
    understood = [item for item in request.query_params.lists() if item[0] in parameters]
    query = urlencode(sorted(understood), doseq=True)
    url = f"{request.build_absolute_uri(request.path)}?{query}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"articles:{version}:{api_version}:{audience}:{digest}"


def article_cache_respond(
    request: Request, build: Callable[[], Response], parameters: Collection[str] = ()
) -> Response:
    """Serve a GET from the cache, or build the response and cache it if it is a 200.

    `parameters`: the query parameters the view reads; the key ignores any other.
    """
    version = article_cache_version()
    key = article_cache_key(request, version, parameters) if version is not None else None
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
    # A failing cache answers a miss (the backend logs the outage, once).
    return cache.get(key)


def _cache_set(key: str, data: object) -> None:
    cache.set(key, data, timeout=settings.ARTICLE_CACHE_TIMEOUT)
