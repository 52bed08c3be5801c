"""OpenTelemetry traces (use_opentelemetry), exported over OTLP/HTTP.

Tracing starts only when an endpoint is set, OTEL_EXPORTER_OTLP_ENDPOINT (or
OTEL_EXPORTER_OTLP_TRACES_ENDPOINT): without one, nothing is imported, started or sent.
The SDK reads its other OTEL_* variables itself (headers, sampler, resource attributes).
Started by the tracing app (core/observability/tracing.py) in every process that loads
Django.
"""

from typing import TYPE_CHECKING

from config.settings.components import PROJECT, env

if TYPE_CHECKING:
    from config.settings.components.core import INSTALLED_APPS

INSTALLED_APPS += ["{{ cookiecutter.project_slug }}.core.observability.tracing.TracingConfig"]
OTEL_SERVICE_NAME = env.str("OTEL_SERVICE_NAME", default=PROJECT["name"])
TRACING_ENABLED = bool(
    env.str("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", default="")
    or env.str("OTEL_EXPORTER_OTLP_ENDPOINT", default="")
) and not env.bool("OTEL_SDK_DISABLED", default=False)
# Requests not traced: comma-separated regular expressions, searched in each URL.
OTEL_PYTHON_DJANGO_EXCLUDED_URLS = env.str("OTEL_PYTHON_DJANGO_EXCLUDED_URLS", default="/health/")
