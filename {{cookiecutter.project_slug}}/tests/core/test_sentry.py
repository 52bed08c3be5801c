from typing import Any

import sentry_sdk
import structlog
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
    assert options["send_default_pii"] is False
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
