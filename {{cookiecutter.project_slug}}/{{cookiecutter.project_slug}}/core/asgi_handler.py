"""Django's ASGI handler, with a sync view and its middleware served in one thread hop.

Under ASGI Django runs the whole middleware chain on the event loop, and every one of
Django's own middleware (sessions, CSRF, auth, messages, ...) hops to a thread and back
for its process_request and again for its process_response (`MiddlewareMixin.__acall__`),
before the sync view hops once more: 17 hops for one DRF request with Django 6.0, more
than the rest of its work (Django ticket #37177). This handler keeps two chains built from
the same MIDDLEWARE:

- a request for an async view (a coroutine: AsyncAPIView, the async health checks) or a
  static file (ServeStatic, async-only, serves it on the event loop) goes through
  Django's async chain, as before;
- every other request goes through the sync chain, as under WSGI, in one hop to a
  thread: each middleware, the view and the exception handling in the same thread.

Request signals, the body limit and the liveness answer in front (config/asgi.py) are
unchanged. The sync chain leaves out ServeStatic, which it would put through an event
loop of its own for every request; it serves no static file, since those never reach it.
"""

from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import Resolver404, get_resolver

ASYNC_ONLY_MIDDLEWARE = "servestatic.middleware.ServeStaticMiddleware"


class SyncChain(BaseHandler):
    """The middleware chain and view handling of MIDDLEWARE in sync mode, less ServeStatic."""

    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler reads settings.MIDDLEWARE while it builds the chain, once, at start-up.
        configured = settings.MIDDLEWARE
        settings.MIDDLEWARE = [path for path in configured if path != ASYNC_ONLY_MIDDLEWARE]
        try:
            super().load_middleware(is_async=False)
        finally:
            settings.MIDDLEWARE = configured


class OneHopASGIHandler(ASGIHandler):
    """ASGIHandler whose sync requests take one hop to a thread instead of one per step."""

    def __init__(self) -> None:
        super().__init__()
        self.sync_chain = SyncChain()
        self.sync_chain.load_middleware()
        self.static_prefix = urlsplit(str(settings.STATIC_URL)).path

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        if self.runs_async(request):
            return await super().get_response_async(request)
        # The request's own thread (ThreadSensitiveContext): the ORM's connection is its.
        response: HttpResponseBase = await sync_to_async(
            self.sync_chain.get_response, thread_sensitive=True
        )(request)
        return response

    def runs_async(self, request: HttpRequest) -> bool:
        """Whether the request goes through the async chain: a static file or an async view."""
        return request.path.startswith(self.static_prefix) or view_is_async(request.path_info)


def view_is_async(path_info: str) -> bool:
    """Whether the URL resolves to a coroutine view; a path that resolves to none: no."""
    return _resolves_to_coroutine(settings.ROOT_URLCONF, path_info)


@lru_cache(maxsize=4096)
def _resolves_to_coroutine(urlconf: str, path_info: str) -> bool:
    try:
        match: Any = get_resolver(urlconf).resolve(path_info)
    except Resolver404:
        return False
    return iscoroutinefunction(match.func)
