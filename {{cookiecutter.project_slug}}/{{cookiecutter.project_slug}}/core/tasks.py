"""What every Celery task shares: BaseTask, which config/celery.py makes the default.

Write a task in its app's tasks.py as `@shared_task(base=BaseTask)`, with `bind=True`
when it needs `self`. Every task gets BaseTask anyway; naming it tells mypy so. What it
brings: automatic retries for transient errors (a database or network hiccup), with
exponential backoff and jitter; other exceptions fail the task at once.

Services enqueue a task through the transactional outbox, `outbox_enqueue(task, ...)`
(core/outbox.py): written in the service's transaction, published after the commit, and
by the relay if the broker was down then. A rolled-back request enqueues nothing, and a
committed one never loses its task. Pass ids, not model instances (JSON only).

Delivery is at least once: the relay may publish a message twice, and tasks are
acknowledged late (CELERY_TASK_ACKS_LATE), so a task whose worker dies runs again. A task
that came through the outbox runs in one transaction with marking its message completed,
and a duplicate of a completed one is skipped: its database effects happen once. Effects
outside the database (mail, HTTP calls) must be idempotent on their own.
A task that must not be retried opts out: `@shared_task(base=BaseTask, autoretry_for=())`.
"""

from typing import Any

import redis
import structlog
from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from {{ cookiecutter.project_slug }}.core.models import OutboxMessage
from {{ cookiecutter.project_slug }}.core.outbox import outbox_message_id, outbox_purge, outbox_relay

logger = structlog.get_logger(__name__)

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

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        message_id = outbox_message_id(self.request.id)
        if message_id is None:
            return super().__call__(*args, **kwargs)  # not from the outbox
        with transaction.atomic():
            # Locked until the task's transaction ends: a duplicate delivered meanwhile
            # waits, then finds the message completed.
            try:
                message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
            except (OperationalError, InterfaceError) as error:
                raise self.retry(exc=error) from error
            if message is not None and message.completed_at is not None:
                logger.info("task_duplicate_skipped", completed_at=message.completed_at)
                return None
            result = super().__call__(*args, **kwargs)
            if message is not None:  # None: purged already, or never written
                message.completed_at = timezone.now()
                message.save(update_fields=["completed_at"])
            return result


@shared_task(base=BaseTask, autoretry_for=(), ignore_result=True)
def outbox_relay_task() -> int:
    """Beat's relay: publish what the outbox still holds (see core/outbox.py)."""
    published = outbox_relay()
    outbox_purge()
    return published
