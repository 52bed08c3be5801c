"""Traces (use_opentelemetry): the app that starts them, and what ties them to logs.

TracingConfig starts tracing when Django is set up, in the web and every Celery process,
if an OTLP endpoint is configured (config/settings/options/opentelemetry.py). The SDK
and the instrumentations (tracing_setup.py) are imported only then: without an endpoint
the service starts as it would without the option and opens no connection.

Every log line written inside a span carries its `trace_id` and `span_id`
(add_trace_ids), and each request's span its `request_id` (record_request_id), so a
log line, a trace and an error report find each other.
"""

from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from opentelemetry import trace
from opentelemetry.trace import Span, format_span_id, format_trace_id

REQUEST_ID_HEADER = "X-Request-ID"  # set on every response by RequestIdMiddleware


class TracingConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.core.observability"
    label = "tracing"
    verbose_name = "Tracing"

    def ready(self) -> None:
        if settings.TRACING_ENABLED:
            # The SDK only when it is used (see the module's docstring).
            from {{ cookiecutter.project_slug }}.core.observability.tracing_setup import start_tracing  # noqa: PLC0415

            start_tracing(service_name=settings.OTEL_SERVICE_NAME)


def add_trace_ids(logger: Any, method_name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """A structlog processor: the current span's trace and span ids, if there is one."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event_dict["trace_id"] = format_trace_id(context.trace_id)
        event_dict["span_id"] = format_span_id(context.span_id)
    return event_dict


def current_trace_id() -> str | None:
    context = trace.get_current_span().get_span_context()
    return format_trace_id(context.trace_id) if context.is_valid else None


def record_request_id(span: Span, request: HttpRequest, response: HttpResponse) -> None:
    """The Django instrumentation's response hook: the request id on the request's span."""
    request_id = response.get(REQUEST_ID_HEADER)
    if request_id and span.is_recording():
        span.set_attribute("request_id", request_id)
