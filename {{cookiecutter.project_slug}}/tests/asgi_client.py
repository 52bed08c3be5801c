"""Calling an ASGI application in-process, as a server would, for one HTTP request."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

type Message = dict[str, Any]


def http_scope(
    path: str,
    *,
    method: str = "GET",
    headers: list[tuple[bytes, bytes]] | None = None,
    root_path: str = "",
) -> dict[str, Any]:
    """The scope a server gives an HTTP request from 127.0.0.1 for `path` on localhost."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": root_path,
        "headers": [(b"host", b"localhost"), *(headers or [])],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


def asgi_call(
    app: Any, scope: dict[str, Any], receive: Callable[[], Awaitable[Message]] | None = None
) -> list[Message]:
    """Run `app` on `scope` and return the messages it sent.

    `receive` defaults to an empty body, then waiting for a disconnect that never comes.
    """
    sent: list[Message] = []
    received = False

    async def empty_body() -> Message:
        nonlocal received
        if received:
            await asyncio.sleep(3600)
        received = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    async def call() -> None:
        await asyncio.wait_for(app(scope, receive or empty_body, send), timeout=30)

    asyncio.run(call())
    return sent
