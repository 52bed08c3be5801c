"""Celery task metrics (use_metrics with use_celery): counts, durations, queue lengths.

Every process that runs tasks counts them (celery_tasks_total by task and state, and
celery_task_duration_seconds), whether a worker or, without a broker, the web process
running them in-process. A worker serves its own on CELERY_WORKER_METRICS_PORT (9808),
with celery_queue_length, behind the same bearer token as the web's /metrics.

A prefork worker runs tasks in child processes, so they write to files in
PROMETHEUS_MULTIPROC_DIR that the worker's main process reads; the directory is set
when the worker starts (celeryd_init, before the pool forks). Connected by
config/celery.py.
"""

import os
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import structlog
from celery import Task
from celery.signals import celeryd_init, task_postrun, task_prerun, worker_shutdown
from django.conf import settings
from prometheus_client import values

from {{ cookiecutter.project_slug }}.core.observability.metrics import (
    CELERY_TASK_DURATION,
    CELERY_TASKS,
    serve_worker_metrics,
)

logger = structlog.get_logger(__name__)

# Per task id a stack of start times: an eager task's retries run nested, with its id.
_started: defaultdict[str, list[float]] = defaultdict(list)
_own_directory: list[Path] = []


@celeryd_init.connect
def start_worker_metrics(instance: Any, **kwargs: Any) -> None:
    port: int = settings.CELERY_WORKER_METRICS_PORT
    if not port:
        return
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        # Values of an earlier run of this worker would be added to this one's.
        for stale in Path(directory).glob("*.db"):
            stale.unlink()
    else:
        _own_directory.append(Path(tempfile.mkdtemp(prefix="prometheus-worker-")))
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_own_directory[0])
    # prometheus-client chose where values live when it was first imported, which may
    # have been before this (the celery command first imports its plugins, and a
    # monitoring plugin may import it): choose again, before any task's value exists.
    values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]
    try:
        serve_worker_metrics(port=port, token=settings.METRICS_TOKEN, app=instance.app)
    except OSError as error:  # e.g. the port is taken: the worker still works, unmeasured
        logger.warning("worker_metrics_unavailable", port=port, error=str(error))
        return
    logger.info("worker_metrics_serving", port=port)


@worker_shutdown.connect
def remove_metrics_directory(**kwargs: Any) -> None:
    for directory in _own_directory:
        shutil.rmtree(directory, ignore_errors=True)


@task_prerun.connect
def start_timer(task_id: str, **kwargs: Any) -> None:
    _started[task_id].append(time.perf_counter())


@task_postrun.connect
def record_task(
    task_id: str, task: Task[Any, Any], state: str | None = None, **kwargs: Any
) -> None:
    stack = _started.get(task_id)
    if not stack:
        return
    seconds = time.perf_counter() - stack.pop()
    if not stack:
        del _started[task_id]
    CELERY_TASKS.labels(task.name, (state or "unknown").lower()).inc()
    CELERY_TASK_DURATION.labels(task.name).observe(seconds)
