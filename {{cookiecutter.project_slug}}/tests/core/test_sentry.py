import gzip
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
import sentry_sdk
import structlog
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
{%- if cookiecutter.use_opentelemetry == "y" %}
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import format_trace_id
{%- endif %}

from {{ cookiecutter.project_slug }}.core.observability.sentry import init_sentry, tag_request_and_trace

from tests.core.test_settings import run_production_check


def test_empty_dsn_leaves_sentry_off():
    assert init_sentry(dsn="", environment="test", release="r", traces_sample_rate=0.0) is False
    assert not sentry_sdk.get_client().is_active()


def test_dsn_starts_sentry_without_pii(monkeypatch):
    monkeypatch.setattr(sentry_sdk, "init", recorded := RecordingInit())
    started = init_sentry(
        dsn="https://key@sentry.example.com/1",
        environment="production",
        release="svc@1.0.0",
        traces_sample_rate=0.25,
    )
    assert started is True
    options = recorded.kwargs
    # The SDK's default sends no personal data; naming the option is deprecated.
    assert "send_default_pii" not in options
    assert "data_collection" not in options
    assert options["environment"] == "production"
    assert options["traces_sample_rate"] == 0.25
    names = {type(integration).__name__ for integration in options["integrations"]}
    assert {"DjangoIntegration", "LoggingIntegration"} <= names


class RecordingInit:
    def __init__(self) -> None:
        self.kwargs: dict[str, Any] = {}

    def __call__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs


def test_events_are_tagged_with_the_request_id():
    structlog.contextvars.bind_contextvars(request_id="req-sentry-1")
    try:
        event = tag_request_and_trace({"message": "boom"}, {})
    finally:
        structlog.contextvars.clear_contextvars()
    assert event["tags"]["request_id"] == "req-sentry-1"
    assert tag_request_and_trace({"tags": {"a": "b"}}, {})["tags"] == {"a": "b"}
{%- if cookiecutter.use_opentelemetry == "y" %}


def test_events_inside_a_span_are_tagged_with_its_trace_id():
    with TracerProvider().get_tracer("test").start_as_current_span("work") as span:
        event = tag_request_and_trace({"message": "boom"}, {})
    assert event["tags"]["trace_id"] == format_trace_id(span.get_span_context().trace_id)
{%- endif %}


def test_traces_are_sampled_by_default_and_a_bad_rate_is_refused(settings):
    assert 0 < settings.SENTRY_TRACES_SAMPLE_RATE <= 1
    result = run_production_check({"SENTRY_TRACES_SAMPLE_RATE": "2"})
    assert result.returncode != 0
    assert "SENTRY_TRACES_SAMPLE_RATE must be between 0.0 and 1.0, got 2.0" in result.stderr


# Values a request carries that must never reach Sentry.
SECRETS = {
    "password": "plain-Password-1",
    "refresh": "refresh-token-2",
    "new_password": "new-Password-3",
    "authorization": "bearer-token-4",
    "api_key": "api-key-5",
    "cookie": "cookie-token-6",
    "query": "query-token-7",
    "extra": "client-secret-8",
}


@csrf_exempt
def login_that_fails(request: HttpRequest) -> HttpResponse:
    attrs = json.loads(request.body)  # a local holding the plaintext password
    sentry_sdk.set_extra("oauth", {"client_secret": SECRETS["extra"]})
    msg = f"login failed for {attrs['username']}"
    raise RuntimeError(msg)


urlpatterns = [path("login/", login_that_fails)]


class FakeSentry(BaseHTTPRequestHandler):
    """A Sentry ingest endpoint on localhost: keeps every envelope it receives."""

    received: list[bytes]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_sentry() -> Iterator[list[bytes]]:
    received: list[bytes] = []
    handler = type("Handler", (FakeSentry,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    started = init_sentry(
        dsn=f"http://public@127.0.0.1:{server.server_port}/1",
        environment="test",
        release="svc@1.0.0",
        traces_sample_rate=0.0,
    )
    assert started
    try:
        yield received
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)
        server.shutdown()
        server.server_close()


@pytest.mark.urls("tests.core.test_sentry")
def test_an_error_reaches_sentry_without_the_secrets_of_its_request(fake_sentry):
    body = json.dumps(
        {
            "username": "ann",
            "password": SECRETS["password"],
            "refresh": SECRETS["refresh"],
            "profile": {"new_password": SECRETS["new_password"]},
        }
    ).encode()
    # Through the WSGI handler, as a server calls it: the SDK reads headers and URL there.
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/login/",
        "QUERY_STRING": f"access_token={SECRETS['query']}&page=2",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "HTTP_HOST": "testserver",
        "HTTP_AUTHORIZATION": f"Bearer {SECRETS['authorization']}",
        "HTTP_X_API_KEY": SECRETS["api_key"],
        "HTTP_COOKIE": f"refresh_token={SECRETS['cookie']}",
    }
    setup_testing_defaults(environ)
    statuses: list[str] = []

    def start_response(status: str, headers: object, exc_info: object = None) -> Any:
        statuses.append(status)

    WSGIHandler()(environ, start_response)
    assert statuses == ["500 Internal Server Error"]
    sentry_sdk.flush(timeout=10)
    sent = b"".join(fake_sentry).decode()
    assert "login failed for ann" in sent  # the error arrived, with what is harmless
    event = json.loads(next(line for line in sent.splitlines() if '"exception"' in line))
    assert event["request"]["data"]["username"] == "ann"
    assert event["request"]["headers"]["Host"] == "testserver"
    assert "page=2" in event["request"]["query_string"]
    leaked = [name for name, value in SECRETS.items() if value in sent]
    assert leaked == []
    assert '"vars"' not in sent  # no frame locals at all
    assert not sentry_sdk.get_client().should_send_default_pii()
    assert "user" not in event  # no address or id of the client either
