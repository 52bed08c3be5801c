"""Traces into an in-memory exporter: the request's span and its request id, the trace
id in the log lines{% if cookiecutter.use_celery == "y" %}, the task a request enqueues in the request's trace{% endif %}.

Without an endpoint tracing does not start at all.{% if cookiecutter.use_celery == "y" %} tests/integration/ follows a trace
from a request to a real worker.{% endif %}
"""

import logging
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, format_trace_id
from rest_framework.test import APIClient

from {{ cookiecutter.project_slug }}.core.observability.tracing_setup import start_tracing, stop_tracing

from tests.core.test_settings import run_local_shell


@pytest.fixture(scope="module")
def spans() -> Iterator[InMemorySpanExporter]:
    """Tracing as production starts it, into memory; instrumentation removed afterwards."""
    exporter = InMemorySpanExporter()
    start_tracing(service_name="test", processor=SimpleSpanProcessor(exporter))
    yield exporter
    stop_tracing()


@pytest.fixture
def exporter(spans: InMemorySpanExporter) -> InMemorySpanExporter:
    spans.clear()
    return spans


def server_span(exporter: InMemorySpanExporter) -> ReadableSpan:
    (span,) = [s for s in exporter.get_finished_spans() if s.kind is SpanKind.SERVER]
    return span


def trace_id(span: ReadableSpan) -> str:
    assert span.context is not None
    return format_trace_id(span.context.trace_id)


def test_a_request_is_one_span_named_by_its_route_with_the_request_id(exporter, db):
    response = APIClient().get("/api/v1/users/me/", headers={"X-Request-ID": "req-trace-1"})
    assert response.status_code in (401, 403)
    span = server_span(exporter)
    assert span.name == "GET api/v1/users/me/"
    assert span.attributes is not None
    assert span.attributes["request_id"] == "req-trace-1"
    assert span.resource.attributes["service.name"] == "test"


def test_health_probes_are_not_traced(exporter):
    assert APIClient().get("/health/live/").status_code == 200
    assert exporter.get_finished_spans() == ()


def test_the_request_log_line_carries_the_trace_id(exporter, db, caplog):
    caplog.set_level(logging.INFO, logger="{{ cookiecutter.project_slug }}.request")
    APIClient().get("/api/v1/users/me/")
    (line,) = [r.msg for r in caplog.records if r.name == "{{ cookiecutter.project_slug }}.request"]
    assert isinstance(line, dict)
    assert line["trace_id"] == trace_id(server_span(exporter))
{%- if cookiecutter.use_celery == "y" %}


@pytest.mark.urls("tests.integration.urls")
def test_the_task_a_request_enqueues_is_in_the_request_trace(exporter, transactional_db):
    # A real transaction: the task is enqueued (and run, eagerly) as the request commits.
    response = APIClient().post("/visits/", {"name": "traced"}, format="json")
    assert response.status_code == 202
    request = server_span(exporter)
    (task,) = [s for s in exporter.get_finished_spans() if s.kind is SpanKind.CONSUMER]
    assert task.name == "run/tests.integration.tasks.record_visit"
    assert trace_id(task) == trace_id(request)
{%- endif %}


@pytest.mark.parametrize(
    ("variables", "started"),
    [({}, "False"), ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1"}, "True")],
)
def test_tracing_starts_only_with_an_endpoint(variables, started):
    """Without an endpoint the SDK is not even imported; with one, start-up sends nothing
    (spans go out later, in batches), even to an endpoint that does not answer."""
    assert (
        run_local_shell(
            "import sys; print('opentelemetry.sdk' in sys.modules)",
            variables,
            cleared=("DJANGO_", "OTEL_"),
        )
        == started
    )
