"""The integration worker, tracing to the OTLP endpoint the test gives it."""

from tests.integration.worker_settings import *  # noqa: F403

TRACING_ENABLED = True
