"""Sentry error and performance monitoring, switched on by SENTRY_DSN."""

import logging
from urllib.parse import parse_qsl, urlencode

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
from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber
from sentry_sdk.types import Event, Hint
{%- if cookiecutter.use_opentelemetry == "y" %}

from {{ cookiecutter.project_slug }}.core.observability.tracing import current_trace_id
{%- endif %}

# A key that contains any of these (any case) never reaches Sentry with its value:
# `refresh`, `new_password`, `X-Api-Key`, `client_secret`, `sessionid`...
SENSITIVE_KEY_PARTS = (
    "password",
    "passwd",
    "secret",
    "token",
    "authorization",
    "cookie",
    "session",
    "csrf",
    "refresh",
    "access",
    "api_key",
    "apikey",
    "private_key",
    "signing_key",
    "credential",
    "dsn",
)
FILTERED = "[Filtered]"


def is_sensitive_key(key: object) -> bool:
    return isinstance(key, str) and any(part in key.lower() for part in SENSITIVE_KEY_PARTS)


class SecretScrubber(EventScrubber):
    """The SDK's scrubber (exact names, e.g. `auth`), plus any key containing a sensitive
    part, at any depth of request data, headers, cookies, extra, breadcrumbs and frames."""

    def __init__(self) -> None:
        super().__init__(denylist=DEFAULT_DENYLIST.copy(), recursive=True)

    def scrub_dict(self, d: object) -> None:
        if isinstance(d, dict):
            for key in d:
                if is_sensitive_key(key):
                    d[key] = FILTERED
        super().scrub_dict(d)


def scrub_query_string(event: Event, hint: Hint) -> Event:
    """`?token=...` in a URL: the query string is text, which the scrubber leaves alone."""
    request = event.get("request")
    if not isinstance(request, dict):
        return event
    query_string = request.get("query_string")
    if isinstance(query_string, str) and query_string:
        pairs = parse_qsl(query_string, keep_blank_values=True)
        request["query_string"] = urlencode(
            [(key, FILTERED if is_sensitive_key(key) else value) for key, value in pairs]
        )
    return event


def init_sentry(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> bool:
    """Start the SDK when a DSN is set; without one, do nothing and say so (False)."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        # No user emails, IPs or cookies leave the service: the SDK's default, kept by not
        # naming send_default_pii (deprecated; `data_collection` opts in instead).
        # Frame locals hold what a request carried (a login's plaintext password): never sent.
        include_local_variables=False,
        event_scrubber=SecretScrubber(),
        before_send=scrub_query_string,
        before_send_transaction=scrub_query_string,
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
