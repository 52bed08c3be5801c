"""Under ASGI a sync view and its middleware take one hop to a thread (core/asgi_handler.py);
async views and static files keep Django's async chain."""

import json
import logging
from typing import Any
from unittest import mock

{% if cookiecutter.use_jwt == "y" -%}
import pytest
{% endif -%}
from asgiref.sync import SyncToAsync
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.urls import reverse
{%- if cookiecutter.use_jwt == "y" %}
from rest_framework_simplejwt.tokens import AccessToken
{%- endif %}

from {{ cookiecutter.project_slug }}.core.asgi_handler import (
    OneHopASGIHandler,
    SyncChain,
    view_is_async,
)

from tests.asgi_client import asgi_call, http_scope
{%- if cookiecutter.use_jwt == "y" %}
from tests.factories import UserFactory
{%- endif %}

MISSING_PAGE = "/no/such/page/"  # a sync view (the 404 handler) that reads no table
SWAGGER_JS = "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"


def asgi_get(
    app: Any, path: str, headers: list[tuple[bytes, bytes]] | None = None
) -> tuple[int, dict[bytes, bytes], bytes]:
    """GET `path` from the ASGI application `app`: status, headers and body."""
    sent = asgi_call(app, http_scope(path, headers=headers))
    start = next(message for message in sent if message["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {name.lower(): value for name, value in start["headers"]}, body


def thread_hops(app: Any, path: str) -> int:
    """How many times serving `path` hopped from the event loop to a thread."""
    hops = 0
    hop = SyncToAsync.__call__

    async def counted(self: SyncToAsync[Any, Any], *args: Any, **kwargs: Any) -> Any:
        nonlocal hops
        hops += 1
        return await hop(self, *args, **kwargs)

    with mock.patch.object(SyncToAsync, "__call__", counted):
        asgi_get(app, path)
    return hops


def without_request_id(body: bytes) -> dict[str, Any]:
    problem: dict[str, Any] = json.loads(body)
    return {key: value for key, value in problem.items() if key != "request_id"}


def test_a_sync_request_takes_one_hop_for_all_its_middleware_and_its_view():
    ours = thread_hops(OneHopASGIHandler(), MISSING_PAGE)
    djangos = thread_hops(ASGIHandler(), MISSING_PAGE)
    # Both hop for the request_started and request_finished signals; then ours once for
    # the chain and the view, and Django's once per middleware step (17 with Django 6.0).
    assert ours == 3
    assert djangos >= ours + 10


def test_the_sync_chain_answers_as_djangos_async_chain_does():
    ours = asgi_get(OneHopASGIHandler(), MISSING_PAGE)
    djangos = asgi_get(ASGIHandler(), MISSING_PAGE)
    assert ours[0] == djangos[0] == 404
    # The same problem details, but for the request id each names.
    assert without_request_id(ours[2]) == without_request_id(djangos[2])
    assert ours[1].keys() == djangos[1].keys()
    assert ours[1][b"content-type"] == b"application/problem+json"
    assert b"x-request-id" in ours[1]
    assert ours[1][b"x-frame-options"] == b"DENY"


def test_async_views_and_static_files_take_the_async_chain():
    assert view_is_async(reverse("health:ready"))
    assert view_is_async(reverse("v1:users:stats"))
    assert not view_is_async(reverse("v1:users:me"))
    assert not view_is_async(MISSING_PAGE)
    handler = OneHopASGIHandler()
    # ServeStatic is only in the async chain; it serves the file on the event loop.
    status, headers, _ = asgi_get(handler, f"{settings.STATIC_URL}{SWAGGER_JS}")
    assert status == 200
    assert headers[b"content-type"].startswith(b"text/javascript")


def test_the_sync_chain_has_every_middleware_but_servestatic_and_adapts_none(caplog, settings):
    configured = list(settings.MIDDLEWARE)
    settings.DEBUG = True  # Django logs each adaptation it makes only then
    with caplog.at_level(logging.DEBUG, logger="django.request"):
        SyncChain().load_middleware()
    assert [r.getMessage() for r in caplog.records if "adapted" in r.getMessage()] == []
    assert settings.MIDDLEWARE == configured
    assert "servestatic.middleware.ServeStaticMiddleware" in configured
{%- if cookiecutter.use_jwt == "y" %}


@pytest.mark.django_db(transaction=True)  # the request runs in a thread of its own
def test_a_bearer_request_is_answered_through_the_sync_chain():
    user = UserFactory.create()
    token = AccessToken.for_user(user)
    status, headers, body = asgi_get(
        OneHopASGIHandler(),
        reverse("v1:users:me"),
        [(b"authorization", f"Bearer {token}".encode())],
    )
    assert status == 200, body
    assert f'"username":"{user.username}"'.encode() in body
    assert headers[b"content-type"] == b"application/json"
{%- endif %}
