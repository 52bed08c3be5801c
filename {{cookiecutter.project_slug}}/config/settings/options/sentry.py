"""Sentry (use_sentry): where errors are reported. Started by production settings only
(options/production/sentry.py), and only while SENTRY_DSN is set."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.components import PROJECT, env

SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
# The version in pyproject.toml, so a release bump needs no other change.
SENTRY_RELEASE = env.str("SENTRY_RELEASE", default=f"{PROJECT['name']}@{PROJECT['version']}")
# Share of requests traced for performance monitoring, 0.0 to 1.0: one in ten unless set.
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.1)
if not 0.0 <= SENTRY_TRACES_SAMPLE_RATE <= 1.0:
    raise ImproperlyConfigured(
        f"SENTRY_TRACES_SAMPLE_RATE must be between 0.0 and 1.0, got {SENTRY_TRACES_SAMPLE_RATE}"
    )
