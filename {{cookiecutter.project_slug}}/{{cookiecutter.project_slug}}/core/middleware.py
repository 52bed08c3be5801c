"""Request id and access log: one structured line per request."""

import re
import time
import uuid
from collections.abc import Callable

import structlog
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# A client-sent id is reused only if it is short and plain, so it can't inject into logs.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")

logger = structlog.get_logger("{{ cookiecutter.project_slug }}.request")


def request_id_from(request: HttpRequest) -> str:
    sent = request.headers.get(REQUEST_ID_HEADER, "")
    return sent if VALID_REQUEST_ID.match(sent) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Bind a request id to every log line of the request, return it, and log the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 2)
        response[REQUEST_ID_HEADER] = request_id
        user = getattr(request, "user", None)
        logger.info(
            "request",
            method=request.method,
            path=request.path,
            status=response.status_code,
            duration_ms=duration_ms,
            user_id=user.pk if user is not None and user.is_authenticated else None,
        )
        structlog.contextvars.clear_contextvars()
        return response
