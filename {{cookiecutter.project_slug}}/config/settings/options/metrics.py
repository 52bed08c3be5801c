"""Prometheus metrics (use_metrics): GET /metrics, for a bearer token only.

The middleware (core/api/metrics.py) is the outermost one after the liveness probe's
(health/middleware.py: probes are not requests the service serves): it times every
request and answers /metrics itself, before host validation, HTTPS redirects or
sessions, so a scraper reaching the pod by its address over plain HTTP gets the metrics. Without
METRICS_TOKEN the endpoint does not exist (404); with it, a request without the token
gets a 401. The names the service exports are in core/observability/metrics.py.
"""

from typing import TYPE_CHECKING

from config.settings.components import env

if TYPE_CHECKING:
    from config.settings.components.core import MIDDLEWARE

METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
MIDDLEWARE.insert(
    MIDDLEWARE.index("{{ cookiecutter.project_slug }}.health.middleware.LivenessMiddleware") + 1,
    "{{ cookiecutter.project_slug }}.core.api.metrics.MetricsMiddleware",
)
