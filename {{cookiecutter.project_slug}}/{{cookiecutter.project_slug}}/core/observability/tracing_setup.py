"""Start OpenTelemetry tracing: the SDK, the OTLP exporter and the instrumentations.

Called once per process by the tracing app (tracing.py). The exporter reads its endpoint,
headers, timeout and compression from the OTEL_EXPORTER_OTLP_* variables, the provider
its sampler from OTEL_TRACES_SAMPLER (default: every trace a caller did not decline) and
more resource attributes from OTEL_RESOURCE_ATTRIBUTES. Spans are sent in batches from a
background thread, which a forked process (a Celery pool process) restarts for itself.
"""

from django.conf import settings
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
{%- if cookiecutter.use_celery == "y" %}
from opentelemetry.instrumentation.celery import CeleryInstrumentor
{%- endif %}
from opentelemetry.instrumentation.django import DjangoInstrumentor
{%- if cookiecutter.database == "postgresql" %}
from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
{%- endif %}
{%- if cookiecutter.use_redis == "y" %}
from opentelemetry.instrumentation.redis import RedisInstrumentor
{%- endif %}
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from {{ cookiecutter.project_slug }}.core.observability.tracing import record_request_id

# The tracing middleware goes right outside this one: the request's log line, and its
# request id, are then inside the request's span.
INNER_MIDDLEWARE = "{{ cookiecutter.project_slug }}.core.api.middleware.RequestIdMiddleware"


def start_tracing(*, service_name: str, processor: SpanProcessor | None = None) -> TracerProvider:
    """Trace requests, queries{% if cookiecutter.use_redis == "y" %}, Redis calls{% endif %}{% if cookiecutter.use_celery == "y" %} and tasks{% endif %}; export them with `processor` (default: OTLP).

    Health probes (/health/) are not traced unless OTEL_PYTHON_DJANGO_EXCLUDED_URLS says
    otherwise.
    """
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service_name}))
    provider.add_span_processor(processor or BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    DjangoInstrumentor().instrument(
        tracer_provider=provider,
        middleware_position=settings.MIDDLEWARE.index(INNER_MIDDLEWARE),
        response_hook=record_request_id,
        excluded_urls=settings.OTEL_PYTHON_DJANGO_EXCLUDED_URLS,
    )
{%- if cookiecutter.database == "postgresql" %}
    PsycopgInstrumentor().instrument(tracer_provider=provider)
{%- endif %}
{%- if cookiecutter.use_redis == "y" %}
    RedisInstrumentor().instrument(tracer_provider=provider)
{%- endif %}
{%- if cookiecutter.use_celery == "y" %}
    # Publishing a task carries the trace context in the message; the worker continues it.
    CeleryInstrumentor().instrument(tracer_provider=provider)  # type: ignore[no-untyped-call]
{%- endif %}
    return provider


def stop_tracing() -> None:
    """Undo the instrumentation start_tracing added (tests that trace into memory)."""
    DjangoInstrumentor().uninstrument()
{%- if cookiecutter.database == "postgresql" %}
    PsycopgInstrumentor().uninstrument()
{%- endif %}
{%- if cookiecutter.use_redis == "y" %}
    RedisInstrumentor().uninstrument()
{%- endif %}
{%- if cookiecutter.use_celery == "y" %}
    CeleryInstrumentor().uninstrument()  # type: ignore[no-untyped-call]
{%- endif %}
