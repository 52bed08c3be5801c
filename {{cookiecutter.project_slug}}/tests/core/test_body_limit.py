"""A body over MAX_REQUEST_BODY_BYTES is answered 413 (problem details) before it is read,
under WSGI (config/wsgi.py) and ASGI (config/asgi.py), declared or streamed."""

import asyncio
import io
import json
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

from config.asgi import application as asgi_application
from config.wsgi import application as wsgi_application
from tests.asgi_client import asgi_call, http_scope

LIMIT = 1024 * 1024


@pytest.fixture(autouse=True)
def _small_limit(settings: Any) -> None:
    settings.MAX_REQUEST_BODY_BYTES = LIMIT


class UnreadableBody(io.RawIOBase):
    """A body the server must not touch."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")


def wsgi_call(**environ: Any) -> tuple[str, dict[str, str], bytes]:
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/health/live/", **environ}
    setup_testing_defaults(environ)
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        answer.update(status=status, headers=dict(headers))

    body = b"".join(wsgi_application(environ, start_response))
    return answer["status"], answer["headers"], body


def test_wsgi_refuses_a_declared_body_over_the_limit_unread():
    status, headers, body = wsgi_call(
        CONTENT_LENGTH=str(2 * 1024**3),
        CONTENT_TYPE="application/json",
        **{"wsgi.input": UnreadableBody()},
    )
    assert status == "413 Content Too Large"
    assert headers["Content-Type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == 413
    assert problem["detail"] == f"The request body is larger than {LIMIT} bytes."


# Through to Django, whose request may reach the database (a session, say).
@pytest.mark.django_db
def test_wsgi_passes_a_body_within_the_limit():
    status, _, _ = wsgi_call(
        REQUEST_METHOD="GET",
        CONTENT_LENGTH=str(LIMIT),
        **{"wsgi.input": io.BytesIO(b"x" * LIMIT)},
    )
    assert status.startswith("200")


def send_body(
    *, headers: list[tuple[bytes, bytes]], chunks: int, method: str = "POST"
) -> tuple[list[dict[str, Any]], int]:
    """Call the ASGI application with `chunks` chunks of 64 KiB; its answer and bytes read."""
    read = 0

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read >= chunks * 65536:
            await asyncio.sleep(3600)  # waits for a disconnect that never comes
        read += 65536
        return {"type": "http.request", "body": b"x" * 65536, "more_body": read < chunks * 65536}

    scope = http_scope("/health/live/", method=method, headers=headers)
    return asgi_call(asgi_application, scope, receive), read


def asgi_problem(sent: list[dict[str, Any]]) -> dict[str, Any]:
    start, body = sent[0], sent[1]
    assert start["status"] == 413
    assert dict(start["headers"])[b"content-type"] == b"application/problem+json"
    return dict(json.loads(body["body"]))


def test_asgi_refuses_a_declared_body_over_the_limit_unread():
    sent, read = send_body(headers=[(b"content-length", str(2 * 1024**3).encode())], chunks=100)
    assert asgi_problem(sent)["status"] == 413
    assert read == 0


def test_asgi_cuts_off_a_streamed_body_at_the_limit():
    # Chunked: no Content-Length; 100 MiB on offer, reading stops just past the limit.
    sent, read = send_body(headers=[(b"transfer-encoding", b"chunked")], chunks=1600)
    assert asgi_problem(sent)["status"] == 413
    assert LIMIT < read <= LIMIT + 65536


def test_asgi_passes_a_body_within_the_limit():
    sent, _ = send_body(
        headers=[(b"content-length", str(LIMIT).encode())], chunks=LIMIT // 65536, method="GET"
    )
    assert sent[0]["status"] == 200
