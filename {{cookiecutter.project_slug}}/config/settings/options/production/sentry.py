"""Production reports errors to Sentry; nothing starts while SENTRY_DSN is empty."""

from typing import TYPE_CHECKING

from {{ cookiecutter.project_slug }}.core.observability.sentry import init_sentry

if TYPE_CHECKING:
    from config.settings.options.sentry import (
        SENTRY_DSN,
        SENTRY_ENVIRONMENT,
        SENTRY_RELEASE,
        SENTRY_TRACES_SAMPLE_RATE,
    )

init_sentry(
    dsn=SENTRY_DSN,
    environment=SENTRY_ENVIRONMENT,
    release=SENTRY_RELEASE,
    traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
)
