"""Structured logs for every Celery task, carrying the request id that enqueued it.

The web request's id (bound by RequestIdMiddleware) travels in a message header; the
worker binds it, with the task's id and name, to every log line the task writes, and
logs when a task starts, succeeds, is retried or fails. Connected by config/celery.py,
which imports this module.
"""

import time
from collections import defaultdict
from contextvars import Token
from dataclasses import dataclass
from typing import Any

import structlog
from celery import Task
from celery.signals import (
    before_task_publish,
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
    task_success,
)

from {{ cookiecutter.project_slug }}.core.observability.timing import elapsed_ms

REQUEST_ID_HEADER = "request_id"

logger = structlog.get_logger("{{ cookiecutter.project_slug }}.tasks")


@dataclass(frozen=True)
class RunningTask:
    started: float
    tokens: dict[str, Token[Any]]


# Per task id a stack, not one entry: an eager task's retries run nested, with its id.
_running: defaultdict[str, list[RunningTask]] = defaultdict(list)


@before_task_publish.connect
def add_request_id_header(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    if headers is not None and request_id:
        headers.setdefault(REQUEST_ID_HEADER, request_id)


@task_prerun.connect
def bind_task_context(task_id: str, task: Task[Any, Any], **kwargs: Any) -> None:
    if task.request.is_eager:
        # Run in-process (no broker): the caller's context already holds the request id.
        request_id = structlog.contextvars.get_contextvars().get("request_id")
    else:
        request_id = getattr(task.request, REQUEST_ID_HEADER, None)
    tokens = structlog.contextvars.bind_contextvars(
        task_id=task_id, task_name=task.name, request_id=request_id
    )
    _running[task_id].append(RunningTask(started=time.perf_counter(), tokens=dict(tokens)))
    logger.info("task_started", attempt=task.request.retries + 1)


@task_success.connect
def log_success(sender: Task[Any, Any], **kwargs: Any) -> None:
    logger.info("task_succeeded", duration_ms=_duration_ms(sender.request.id))


@task_retry.connect
def log_retry(sender: Task[Any, Any], reason: object, **kwargs: Any) -> None:
    logger.warning("task_retrying", reason=str(reason), attempt=sender.request.retries + 1)


@task_failure.connect
def log_failure(task_id: str, exception: BaseException, **kwargs: Any) -> None:
    # Celery's own logger (celery.app.trace) writes the traceback right after this line.
    logger.error("task_failed", error=repr(exception), duration_ms=_duration_ms(task_id))


@task_postrun.connect
def unbind_task_context(task_id: str, **kwargs: Any) -> None:
    stack = _running.get(task_id)
    if not stack:
        return
    structlog.contextvars.reset_contextvars(**stack.pop().tokens)
    if not stack:
        del _running[task_id]


def _duration_ms(task_id: str | None) -> float | None:
    stack = _running.get(task_id or "")
    return elapsed_ms(stack[-1].started) if stack else None
