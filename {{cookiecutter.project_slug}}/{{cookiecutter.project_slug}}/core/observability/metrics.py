"""What the service exports to Prometheus, and how it is read (prometheus-client).

Requests are labelled by route template (`/api/v1/users/me/`, `/api/v1/<name>/<int:pk>/`),
never by raw path, so the number of series stays bounded whatever clients ask for.

Under gunicorn (whatever its worker class) every worker process writes its values to files
in PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py sets one up), and a scrape, whichever worker
answers it, adds up all of them. Without the variable (runserver, tests) the values live
in the process.
"""

import hmac
import os
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
{%- if cookiecutter.use_celery == "y" %}
from http.server import ThreadingHTTPServer
from threading import Thread
{%- endif %}
from typing import Any
{% if cookiecutter.use_celery == "y" %}
import structlog
from celery import Celery
{%- endif %}
from django.db.backends.base.base import BaseDatabaseWrapper
{%- if cookiecutter.use_celery == "y" %}
from kombu.exceptions import ChannelError, OperationalError
{%- endif %}
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
{%- if cookiecutter.use_celery == "y" %}
from prometheus_client.exposition import MetricsHandler
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

logger = structlog.get_logger(__name__)
{%- endif %}

UNMATCHED_ROUTE = "<unmatched>"  # a 404 outside every URL pattern: one series, not one per path

HTTP_REQUESTS = Counter(
    "http_requests_total", "Requests answered, by route template and status.",
    ["method", "route", "status"],
)  # fmt: skip
HTTP_DURATION = Histogram(
    "http_request_duration_seconds", "Time to answer a request, by route template and status.",
    ["method", "route", "status"],
)  # fmt: skip
DB_QUERIES = Histogram(
    "http_request_db_queries", "Database queries one request made, by route template.",
    ["route"], buckets=(0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 100),
)  # fmt: skip
DB_DURATION = Histogram(
    "http_request_db_duration_seconds", "Time one request spent in database queries.",
    ["route"], buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)  # fmt: skip
CACHE_RESPONSES = Counter(
    "http_cache_responses_total",
    "Responses that said whether they came from a response cache (X-Cache: HIT or MISS).",
    ["route", "result"],
)
READINESS_UP = Gauge(
    "readiness_check_up", "Whether a readiness check passed the last time it ran (1 or 0).",
    ["check"], multiprocess_mode="livemostrecent",
)  # fmt: skip
READINESS_FAILURES = Counter(
    "readiness_check_failures_total", "Readiness checks that failed.", ["check"]
)
READINESS_DURATION = Histogram(
    "readiness_check_duration_seconds", "Time a readiness check took.", ["check"],
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3),
)  # fmt: skip
{%- if cookiecutter.use_celery == "y" %}
# Recorded by the worker process that ran the task (core/observability/task_metrics.py).
CELERY_TASKS = Counter(
    "celery_tasks_total", "Tasks that ran, by name and final state (success, failure, retry).",
    ["task", "state"],
)  # fmt: skip
CELERY_TASK_DURATION = Histogram(
    "celery_task_duration_seconds", "Time a task ran, by name.", ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)  # fmt: skip
{%- endif %}


@dataclass
class QueryStats:
    """The database work of one request: filled in by the query wrapper below."""

    count: int = 0
    seconds: float = 0.0


# Set by the middleware for the length of a request. A ContextVar, not a thread-local:
# async views run their queries in another thread, and that thread sees the same object.
current_query_stats: ContextVar[QueryStats | None] = ContextVar("query_stats", default=None)


def count_query(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """A database execute wrapper: times each query of a request (outside one, only runs it)."""
    stats = current_query_stats.get()
    if stats is None:
        return execute(sql, params, many, context)
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        stats.count += 1
        stats.seconds += time.perf_counter() - started


def count_queries_on(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Wrap a database connection's queries with count_query (once)."""
    if count_query not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, count_query)


def observe_readiness(results: Iterable[tuple[str, bool, float]]) -> None:
    """Record (check name, passed, seconds) for each readiness check that ran."""
    for name, ok, seconds in results:
        READINESS_UP.labels(name).set(1 if ok else 0)
        READINESS_DURATION.labels(name).observe(seconds)
        if not ok:
            READINESS_FAILURES.labels(name).inc()


def multiprocess_registry() -> CollectorRegistry:
    """A registry that reads every process's files in PROMETHEUS_MULTIPROC_DIR."""
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return generate_latest(multiprocess_registry()), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def authorization_status(header: str | None, token: str) -> int | None:
    """None when `header` is `Bearer <token>`; else the status to answer: 404 while no
    token is configured (the endpoint does not exist), 401 for a missing or wrong one."""
    if not token:
        return 404
    if header is None or not hmac.compare_digest(header.encode(), f"Bearer {token}".encode()):
        return 401
    return None
{%- if cookiecutter.use_celery == "y" %}


BROKER_TIMEOUT_SECONDS = 2


class QueueLengthCollector(Collector):
    """celery_queue_length: messages waiting in each queue the worker consumes, asked of
    the broker at every scrape (so it is right even while every worker is busy or down)."""

    def __init__(self, app: Celery) -> None:
        self.app = app

    def describe(self) -> Iterable[Metric]:
        return []  # registering must not reach the broker; collect() does, per scrape

    def collect(self) -> Iterable[Metric]:
        family = GaugeMetricFamily(
            "celery_queue_length", "Messages waiting in a queue.", labels=["queue"]
        )
        try:
            with self.app.connection_for_read() as connection:
                connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
                channel: Any = connection.default_channel  # kombu's types lack queue_declare
                for queue in sorted(self.app.amqp.queues.consume_from):
                    try:
                        waiting = channel.queue_declare(queue=queue, passive=True).message_count
                    except ChannelError:
                        waiting = 0  # Redis drops an empty queue's key: nothing waits
                    family.add_metric([queue], waiting)
        except (OperationalError, OSError) as error:
            logger.warning("queue_length_unavailable", error=str(error))
            return []
        return [family]


def serve_worker_metrics(*, port: int, token: str, app: Celery) -> ThreadingHTTPServer:
    """Serve the worker's metrics (all its pool processes', and the queue lengths) on
    `port`, behind the same bearer token as the web's /metrics, in a daemon thread."""
    registry = multiprocess_registry()
    registry.register(QueueLengthCollector(app))

    class Handler(MetricsHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            status = authorization_status(self.headers.get("Authorization"), token)
            if status is not None:
                self.send_response(status)
                if status == 401:
                    self.send_header("WWW-Authenticate", "Bearer")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            super().do_GET()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # a line per scrape would drown the task logs

    Handler.registry = registry
    server = ThreadingHTTPServer(("", port), Handler)
    Thread(target=server.serve_forever, name="worker-metrics", daemon=True).start()
    return server
{%- endif %}
