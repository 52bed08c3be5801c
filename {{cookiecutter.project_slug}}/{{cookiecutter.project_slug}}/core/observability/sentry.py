"""Sentry error and performance monitoring, switched on by SENTRY_DSN."""

import logging

import sentry_sdk
import structlog
{%- if cookiecutter.use_celery == "y" %}
from sentry_sdk.integrations.celery import CeleryIntegration
{%- endif %}
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration
{%- if cookiecutter.use_redis == "y" %}
from sentry_sdk.integrations.redis import RedisIntegration
{%- endif %}
from sentry_sdk.types import Event, Hint
{%- if cookiecutter.use_opentelemetry == "y" %}

from {{ cookiecutter.project_slug }}.core.observability.tracing import current_trace_id
{%- endif %}


def init_sentry(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> bool:
    """Start the SDK when a DSN is set; without one, do nothing and say so (False)."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        # No user emails, IPs or cookies leave the service unless you opt in.
        send_default_pii=False,
        integrations=[
            DjangoIntegration(),
            # Log records at ERROR become Sentry events; INFO and up become breadcrumbs.
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
{%- if cookiecutter.use_celery == "y" %}
            CeleryIntegration(monitor_beat_tasks=True),
{%- endif %}
{%- if cookiecutter.use_redis == "y" %}
            RedisIntegration(),
{%- endif %}
        ],
    )
    sentry_sdk.get_global_scope().add_event_processor(tag_request_and_trace)
    return True


def tag_request_and_trace(event: Event, hint: Hint) -> Event:
    """Tag each event with the request id{% if cookiecutter.use_opentelemetry == "y" %} and the OpenTelemetry trace id{% endif %} of its log lines,
    so an error report leads to the request's logs{% if cookiecutter.use_opentelemetry == "y" %} and trace{% endif %}."""
    tags = event.setdefault("tags", {})
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    if request_id:
        tags["request_id"] = request_id
{%- if cookiecutter.use_opentelemetry == "y" %}
    trace_id = current_trace_id()
    if trace_id:
        tags["trace_id"] = trace_id
{%- endif %}
    return event
