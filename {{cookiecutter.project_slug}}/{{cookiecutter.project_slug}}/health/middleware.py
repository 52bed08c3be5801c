"""Liveness, answered first in the middleware chain: a probe costs what a bare view does.

A liveness probe asks only whether the process answers. It needs no session, CSRF check,
user, DRF view, request id, access log line or metric, and it comes every few seconds
from every orchestrator node to every instance; so GET and HEAD of LIVENESS_PATH are
answered here, before any other middleware runs. The host is not checked either: a probe
reaches a pod by its address, and the answer tells nobody anything.

The view (views.health_live) stays in the URLconf, so the OpenAPI document describes the
endpoint, and it answers what this middleware lets through (other methods: a 405).
"""

from collections.abc import Awaitable, Callable
from typing import cast

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse

LIVENESS_PATH = "/health/live/"
LIVENESS_BODY = b'{"status":"ok"}'

type GetResponse = Callable[[HttpRequest], HttpResponse | Awaitable[HttpResponse]]


def liveness_response(request: HttpRequest) -> HttpResponse:
    body = b"" if request.method == "HEAD" else LIVENESS_BODY
    response = HttpResponse(body, content_type="application/json")
    response["Content-Length"] = str(len(LIVENESS_BODY))
    return response


class LivenessMiddleware:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        if self.is_async:
            return self.__acall__(request)
        if is_probe(request):
            return liveness_response(request)
        return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        if is_probe(request):
            return liveness_response(request)
        return await cast("Awaitable[HttpResponse]", self.get_response(request))


def is_probe(request: HttpRequest) -> bool:
    return request.path_info == LIVENESS_PATH and request.method in ("GET", "HEAD")
