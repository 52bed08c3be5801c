"""Sentry error and performance monitoring, switched on by SENTRY_DSN."""

import logging

import sentry_sdk
{%- if cookiecutter.use_celery == "y" %}
from sentry_sdk.integrations.celery import CeleryIntegration
{%- endif %}
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration
{%- if cookiecutter.use_redis == "y" %}
from sentry_sdk.integrations.redis import RedisIntegration
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
    return True
