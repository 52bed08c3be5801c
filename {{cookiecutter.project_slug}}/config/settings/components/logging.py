"""Logging: one pipeline for Django's, the libraries' and our own lines.

JSON lines in production (DJANGO_LOG_FORMAT=json), readable console output locally; each
line carries the request id (see the core app's observability package).
"""

from {{ cookiecutter.project_slug }}.core.observability.logging import (
    build_logging_config,
    configure_structlog,
)

from config.settings.components import env

LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO").upper()
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="console")
LOGGING = build_logging_config(level=LOG_LEVEL, log_format=LOG_FORMAT)
configure_structlog()
