"""Cache-aside for the article API's GET responses, as the bytes sent, checked against the
article cache's version.

A response is cached under

    articles:<api version>:<audience>:<digest of the URL>

as the version it was built under (see ../cache.py: a committed write bumps it), its
content type and its rendered body. A hit costs one cache round trip (the version and the
entry are read together) and no rendering: an entry whose version is not the current one
is a miss, rebuilt and stored over it. Only JSON is cached: the browsable API's pages
carry a per-session CSRF token.

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
from django.http import HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from {{ cookiecutter.project_slug }}.articles.cache import article_cache_lookup

CACHE_HEADER = "X-Cache"

# (version, content type, body): what a hit sends back as it is.
type Entry = tuple[int, str, bytes]


def article_cache_key(request: Request, parameters: Collection[str] = ()) -> str:
    user = request.user
    audience = f"user{user.pk}" if user.is_authenticated else "public"
    match = request.resolver_match
    api_version = match.namespaces[0] if match and match.namespaces else "-"
    understood = [item for item in request.query_params.lists() if item[0] in parameters]
    query = urlencode(sorted(understood), doseq=True)
    url = f"{request.build_absolute_uri(request.path)}?{query}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"articles:{api_version}:{audience}:{digest}"


def article_cache_respond(
    request: Request, build: Callable[[], Response], parameters: Collection[str] = ()
) -> HttpResponseBase:
    """Serve a GET from the cache, or build the response and cache it if it is a 200.

    `parameters`: the query parameters the view reads; the key ignores any other.
    """
    key = article_cache_key(request, parameters)
    version, entry = article_cache_lookup(key)
    current = _current(entry, version)
    response: HttpResponseBase
    if current is not None:
        _, content_type, content = current
        response = HttpResponse(content, content_type=content_type)
        response[CACHE_HEADER] = "HIT"
    else:
        response = build()
        if (
            version is not None
            and response.status_code == status.HTTP_200_OK
            and getattr(request, "accepted_media_type", "").startswith("application/json")
        ):
            response.add_post_render_callback(_storer(key, version))
        response[CACHE_HEADER] = "MISS"
    # Shared HTTP caches must not mix one user's response with another's either.
    patch_vary_headers(response, ["Authorization", "Cookie"])
    return response


def _current(entry: object, version: int | None) -> Entry | None:
    """The entry, if it was built under the current version."""
    if version is None or not isinstance(entry, tuple) or len(entry) != 3:
        return None
    built_under, content_type, content = entry
    if built_under != version or not isinstance(content, bytes):
        return None
    return built_under, str(content_type), content


def _storer(key: str, version: int) -> Callable[[Response], None]:
    def store(response: Response) -> None:
        # After rendering: the bytes a hit sends are the ones this response sent.
        entry: Entry = (version, response["Content-Type"], response.content)
        # A failing cache ignores the write (the backend logs the outage, once).
        cache.set(key, entry, timeout=settings.ARTICLE_CACHE_TIMEOUT)

    return store
