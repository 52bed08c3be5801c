"""The Celery app, configured from Django settings (the CELERY_ namespace).

`make worker` and `make beat` load it with `celery -A config`. Tasks are found in each
app's tasks.py and share one base class: BaseTask, in the core app's tasks.py. Every
task logs its start, end and the request id that enqueued it (task_logging).
"""

import logging.config
import os
import sys
from typing import Any

from celery import Celery
from celery.signals import beat_init, celeryd_init, setup_logging
from django.conf import settings
{% if cookiecutter.use_metrics == "y" %}
# Imported for their receivers of Celery's signals: structured task logs, and task
# metrics (which each worker serves on a port of its own).
from {{ cookiecutter.project_slug }}.core.observability import (
    task_logging,  # noqa: F401
    task_metrics,  # noqa: F401
)
{%- else %}
# Imported for its receivers of Celery's task signals: structured task logs.
from {{ cookiecutter.project_slug }}.core.observability import task_logging  # noqa: F401
{%- endif %}

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery(
    "{{ cookiecutter.project_slug }}",
    # Every task gets the project's defaults: retries with backoff and jitter.
    task_cls="{{ cookiecutter.project_slug }}.core.tasks:BaseTask",
)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def configure_logging(**kwargs: Any) -> None:
    """Worker and beat log through Django's LOGGING (structlog), not Celery's handlers.

    With a receiver on this signal Celery leaves logging alone, so a worker's lines have
    the same format (console or JSON) as the web process's.
    """
    logging.config.dictConfig(settings.LOGGING)


@celeryd_init.connect
@beat_init.connect
def require_broker(**kwargs: Any) -> None:
    # Without a URL Celery would fall back to its default, AMQP on localhost.
    if not app.conf.broker_url:
        sys.exit("No broker: set REDIS_URL or CELERY_BROKER_URL (without, tasks run in-process).")
