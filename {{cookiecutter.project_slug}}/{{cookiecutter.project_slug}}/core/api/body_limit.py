"""Refuse a request body over MAX_REQUEST_BODY_BYTES with 413 before reading it.

Django reads a body only when a view asks for it, but under ASGI its handler first reads
the whole body into a temporary file, and a multipart upload is spooled to disk whatever
its size. So the limit sits in front of Django, around the WSGI and the ASGI application
(config/wsgi.py, config/asgi.py): a declared Content-Length over the limit is answered
at once, unread; a body without one (chunked) is counted as it arrives and cut off at
the limit.
"""

import json
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from django.conf import settings

from {{ cookiecutter.project_slug }}.core.api.errors import PROBLEM_CONTENT_TYPE, problem

type Scope = dict[str, Any]
type Message = dict[str, Any]
type Receive = Callable[[], Awaitable[Message]]
type Send = Callable[[Message], Awaitable[None]]
type ASGIApp = Callable[..., Awaitable[None]]
type WSGIApp = Callable[..., Iterable[bytes]]


class BodyTooLargeError(Exception):
    """A body without a Content-Length grew over the limit while it was read."""


def body_limit() -> int:
    return int(settings.MAX_REQUEST_BODY_BYTES)


def too_large(path: str) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """The headers and body of the 413 answer, in problem details."""
    body = json.dumps(
        problem(
            status_code=413,
            detail=f"The request body is larger than {body_limit()} bytes.",
            instance=path,
        )
    ).encode()
    return [
        (b"content-type", PROBLEM_CONTENT_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ], body


def declared_length(value: str | bytes | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0  # not a number: the server refuses it, or Django reads no body


def limit_wsgi_body(app: WSGIApp) -> WSGIApp:
    """The WSGI application, answering 413 to a Content-Length over the limit.

    Django reads no more than Content-Length under WSGI, so a chunked body (no length) is
    never read at all.
    """

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if declared_length(environ.get("CONTENT_LENGTH")) <= body_limit():
            return app(environ, start_response)
        headers, body = too_large(environ.get("PATH_INFO", "/"))
        wsgi_headers = [(name.decode().title(), value.decode()) for name, value in headers]
        start_response("413 Content Too Large", wsgi_headers)
        return [body]

    return application


def limit_asgi_body(app: ASGIApp) -> ASGIApp:
    """The ASGI application, answering 413 to a body over the limit, declared or streamed."""

    async def application(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        limit = body_limit()
        headers = dict(scope.get("headers", []))
        if declared_length(headers.get(b"content-length")) > limit:
            await refuse(scope, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await app(scope, counting_receive, watching_send)
        except BodyTooLargeError:
            if not started:
                await refuse(scope, send)

    return application


async def refuse(scope: Scope, send: Send) -> None:
    headers, body = too_large(scope.get("path", "/"))
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
