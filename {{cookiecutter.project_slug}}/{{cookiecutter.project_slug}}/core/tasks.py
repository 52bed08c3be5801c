"""What every Celery task shares: BaseTask, which config/celery.py makes the default.

Write a task in its app's tasks.py as `@shared_task(base=BaseTask)`, with `bind=True`
when it needs `self`. Every task gets BaseTask anyway; naming it tells mypy so. What it
brings: automatic retries for transient errors (a database or network hiccup), with
exponential backoff and jitter; other exceptions fail the task at once.

Services enqueue a task once their transaction commits, with
`transaction.on_commit(lambda: task.delay(...), robust=True)`: a rolled-back request
enqueues nothing, the worker never looks for a row that is not committed yet, and a
broker error is logged instead of failing the request that has already committed.

Tasks are acknowledged late (CELERY_TASK_ACKS_LATE), so a task whose worker dies runs
again: write every task to be idempotent. Pass ids, not model instances (JSON only).
A task that must not be retried opts out: `@shared_task(base=BaseTask, autoretry_for=())`.
"""

from typing import Any

import redis
from celery.contrib.django.task import DjangoTask
from django.db import InterfaceError, OperationalError

# Errors that a later attempt can be expected to get past.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    OperationalError,  # lost database connection, deadlock, serialization failure
    InterfaceError,  # database connection closed under us
    ConnectionError,  # refused or reset network connections (HTTP, SMTP, ...)
    TimeoutError,
    redis.ConnectionError,
    redis.TimeoutError,
)


class BaseTask(DjangoTask[Any, Any]):
    autoretry_for = TRANSIENT_ERRORS
    # Exponential backoff: the retries wait up to 2, 4, 8, 16 and 32 seconds ...
    retry_backoff = 2
    # ... never more than 10 minutes, which stays below the broker's visibility timeout ...
    retry_backoff_max = 10 * 60
    # ... and a random part of that (full jitter), so tasks that failed together do not
    # all hit the recovering service again at the same moment.
    retry_jitter = True
    # After five retries (about a minute) the error is real: fail and log it.
    max_retries = 5
