"""Request id and access log (one structured line per request); 503 when the database is gone."""

import re
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, cast

import structlog
from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin
from django.utils.functional import SimpleLazyObject

from {{ cookiecutter.project_slug }}.core.api.errors import DATABASE_UNAVAILABLE, database_unavailable
from {{ cookiecutter.project_slug }}.core.observability.timing import elapsed_ms

REQUEST_ID_HEADER = "X-Request-ID"
# A client-sent id is reused only if it is short and plain, so it can't inject into logs.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")

logger = structlog.get_logger("{{ cookiecutter.project_slug }}.request")

type GetResponse = Callable[[HttpRequest], HttpResponse | Awaitable[HttpResponse]]


def request_id_from(request: HttpRequest) -> str:
    sent = request.headers.get(REQUEST_ID_HEADER, "")
    return sent if VALID_REQUEST_ID.match(sent) else uuid.uuid4().hex


def user_id_of(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestIdMiddleware:
    """Bind a request id to every log line of the request, return it, and log the request.

    Runs in the mode of the chain it sits in: under ASGI the request stays on the event
    loop instead of hopping to a thread and back just for this middleware.
    """

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
        request_id, started = self.begin(request)
        try:
            response = cast("HttpResponse", self.get_response(request))
        finally:
            duration_ms = elapsed_ms(started)
        self.finish(request, response, request_id, duration_ms, user_id_of(request))
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        request_id, started = self.begin(request)
        try:
            response = await cast("Awaitable[HttpResponse]", self.get_response(request))
        finally:
            duration_ms = elapsed_ms(started)
        # A user Django has not loaded yet (outside DRF views) is loaded in a thread:
        # loading it queries the database, which must not block the event loop.
        if isinstance(getattr(request, "user", None), SimpleLazyObject):
            user_id = await sync_to_async(user_id_of)(request)
        else:
            user_id = user_id_of(request)
        self.finish(request, response, request_id, duration_ms, user_id)
        return response

    @staticmethod
    def begin(request: HttpRequest) -> tuple[str, float]:
        request_id = request_id_from(request)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        return request_id, time.perf_counter()

    @staticmethod
    def finish(
        request: HttpRequest,
        response: HttpResponse,
        request_id: str,
        duration_ms: float,
        user_id: Any,
    ) -> None:
        response[REQUEST_ID_HEADER] = request_id
        logger.info(
            "request",
            method=request.method,
            path=request.path,
            status=response.status_code,
            duration_ms=duration_ms,
            user_id=user_id,
        )
        structlog.contextvars.clear_contextvars()


class DatabaseUnavailableMiddleware(MiddlewareMixin):
    """A view whose database stops answering (a restart, a failover) gets 503 problem
    details with Retry-After instead of a 500: DRF's and Django's views alike."""

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.warning("database_unavailable", error=f"{type(exception).__name__}: {exception}")
        return database_unavailable(request)
