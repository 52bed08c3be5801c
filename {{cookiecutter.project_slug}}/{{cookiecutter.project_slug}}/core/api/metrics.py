"""Request metrics, and GET /metrics for Prometheus (use_metrics).

MetricsMiddleware is the outermost middleware (config/settings/options/metrics.py puts
it first). Per request it adds a counter and three histogram observations, labelled by
the route template Django resolved; its database queries are counted by a wrapper on
the connection. /metrics is answered here, before the other middleware: no host check,
HTTPS redirect, session or log line for a scraper every few seconds.
"""

import time
from collections.abc import Awaitable, Callable
from typing import Any, cast

import structlog
from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.db import connection
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse

from {{ cookiecutter.project_slug }}.core.observability.metrics import (
    CACHE_RESPONSES,
    DB_DURATION,
    DB_QUERIES,
    HTTP_DURATION,
    HTTP_REQUESTS,
    UNMATCHED_ROUTE,
    QueryStats,
    authorization_status,
    count_queries_on,
    current_query_stats,
    exposition,
)

METRICS_PATH = "/metrics"
CACHE_HEADER = "X-Cache"  # HIT or MISS, from a response cache
# Any other method a client makes up is counted as one: labels must stay a bounded set.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

logger = structlog.get_logger(__name__)

type GetResponse = Callable[[HttpRequest], HttpResponse | Awaitable[HttpResponse]]

# Every connection opened from now on counts its queries; see also __init__ below.
connection_created.connect(count_queries_on)


def route_of(request: HttpRequest) -> str:
    """The route template that matched (`/api/v1/<name>/<int:pk>/`), not the raw path."""
    match = request.resolver_match
    return f"/{match.route}" if match is not None and match.route else UNMATCHED_ROUTE


def metrics_response(request: HttpRequest) -> HttpResponse:
    status = authorization_status(request.headers.get("Authorization"), settings.METRICS_TOKEN)
    if status == 401:
        logger.warning("metrics_unauthorized", client=request.META.get("REMOTE_ADDR"))
        return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
    if status is not None:
        return HttpResponse(status=status)
    body, content_type = exposition()
    return HttpResponse(body, content_type=content_type)


class MetricsMiddleware:
    """Count and time each request by route and status; serve GET /metrics."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)
        # The connection this thread has already opened (tests, `manage.py shell`) was
        # created before the receiver above was connected.
        count_queries_on(connection)
        # Labelled series by their labels: a dict lookup instead of labels() per request.
        self.series: dict[tuple[str, str, int], tuple[Any, ...]] = {}

    def __call__(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        if self.is_async:
            return self.__acall__(request)
        if request.path_info == METRICS_PATH:
            return metrics_response(request)
        stats = QueryStats()
        token = current_query_stats.set(stats)
        started = time.perf_counter()
        try:
            response = cast("HttpResponse", self.get_response(request))
        finally:
            current_query_stats.reset(token)
        self.observe(request, response, time.perf_counter() - started, stats)
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == METRICS_PATH:
            # Reading every worker's files is file I/O: off the event loop.
            return await sync_to_async(metrics_response, thread_sensitive=False)(request)
        stats = QueryStats()
        token = current_query_stats.set(stats)
        started = time.perf_counter()
        try:
            response = await cast("Awaitable[HttpResponse]", self.get_response(request))
        finally:
            current_query_stats.reset(token)
        self.observe(request, response, time.perf_counter() - started, stats)
        return response

    def observe(
        self, request: HttpRequest, response: HttpResponse, seconds: float, stats: QueryStats
    ) -> None:
        method = request.method if request.method in METHODS else "other"
        key = (str(method), route_of(request), response.status_code)
        series = self.series.get(key)
        if series is None:
            method, route, status = key
            series = self.series[key] = (
                HTTP_REQUESTS.labels(method, route, status),
                HTTP_DURATION.labels(method, route, status),
                DB_QUERIES.labels(route),
                DB_DURATION.labels(route),
            )
        requests, duration, queries, query_time = series
        requests.inc()
        duration.observe(seconds)
        queries.observe(stats.count)
        query_time.observe(stats.seconds)
        cached = response.headers.get(CACHE_HEADER)
        if cached in ("HIT", "MISS"):
            CACHE_RESPONSES.labels(key[1], cached.lower()).inc()
