"""Liveness, answered first in the middleware chain: a probe costs what a bare view does.

A liveness probe asks only whether the process answers. It needs no session, CSRF check,
user, DRF view, request id, access log line or metric, and it comes every few seconds
from every orchestrator node to every instance; so GET and HEAD of LIVENESS_PATH are
answered here, before any other middleware runs. The host is not checked either: a probe
reaches a pod by its address, and the answer tells nobody anything.

The view (views.health_live) stays in the URLconf, so the OpenAPI document describes the
endpoint, and it answers what this middleware lets through (other methods: a 405).

Served over ASGI (config/asgi.py), the probe is answered even before Django, by
answer_liveness: Django's ASGI handler sends its request signals through a thread for
every request, which cost a probe several times the middleware's answer.
"""

from collections.abc import Awaitable, Callable
from typing import cast

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse

from {{ cookiecutter.project_slug }}.core.api.body_limit import ASGIApp, Receive, Scope, Send

LIVENESS_PATH = "/health/live/"
LIVENESS_BODY = b'{"status":"ok"}'
PROBE_METHODS = ("GET", "HEAD")

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
    return request.path_info == LIVENESS_PATH and request.method in PROBE_METHODS


def answer_liveness(app: ASGIApp) -> ASGIApp:
    """The ASGI application, answering a liveness probe itself (the same answer)."""

    async def application(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and is_asgi_probe(scope):
            length = str(len(LIVENESS_BODY)).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", length),
                    ],
                }
            )
            body = b"" if scope["method"] == "HEAD" else LIVENESS_BODY
            await send({"type": "http.response.body", "body": body})
            return
        await app(scope, receive, send)

    return application


def is_asgi_probe(scope: Scope) -> bool:
    path_info = scope["path"].removeprefix(scope.get("root_path", ""))  # as Django has it
    return path_info == LIVENESS_PATH and scope["method"] in PROBE_METHODS
