"""Structured logging: one processor chain for structlog and the stdlib.

Everything goes through structlog's ProcessorFormatter, so a log line from Django,
a library or our code looks the same and carries the request id bound by
RequestIdMiddleware (via contextvars){% if cookiecutter.use_opentelemetry == "y" %}, and inside a span the span's trace and
span ids{% endif %}.
"""

from typing import Any

import structlog
{%- if cookiecutter.use_opentelemetry == "y" %}

from {{ cookiecutter.project_slug }}.core.observability.tracing import add_trace_ids
{%- endif %}

SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
{%- if cookiecutter.use_opentelemetry == "y" %}
    add_trace_ids,
{%- endif %}
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.stdlib.ExtraAdder(),
]


def configure_structlog() -> None:
    structlog.configure(
        processors=[
            *SHARED_PROCESSORS,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def build_logging_config(*, level: str, log_format: str) -> dict[str, Any]:
    """The LOGGING setting: `json` renders JSON lines, anything else the console format."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    renderer,
                ],
                "foreign_pre_chain": SHARED_PROCESSORS,
            },
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "structured"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # RequestIdMiddleware logs every request once; Django's own request and
            # server loggers would log them a second time (runserver's logs each 4xx
            # as a warning). Errors stay: a 500's traceback, runserver's own troubles.
            "django.server": {"level": "ERROR"},
            "django.request": {"level": "ERROR"},
            "django.db.backends": {"level": "INFO"},
            # The readiness view logs each failing check itself, by name and without the
            # traceback that django-health-check adds to every failure.
            "health_check": {"level": "ERROR"},
{%- if cookiecutter.use_celery == "y" %}
            # Tasks log their start, success, retry and failure themselves (structured,
            # core/observability/task_logging.py); Celery's own lines would repeat them.
            "celery.app.trace": {"level": "WARNING"},
{%- endif %}
        },
    }
