"""Enqueue Celery tasks through the transactional outbox (the OutboxMessage model).

    @transaction.atomic
    def comment_create(*, article: Article, author: User, body: str) -> Comment:
        comment = Comment.objects.create(article=article, author=author, body=body)
        outbox_enqueue(notify_article_author, comment.pk)
        return comment

The guarantee: a task enqueued by a transaction that commits is delivered at least once,
whatever the broker does meanwhile; one that rolls back never is. How:

1. `outbox_enqueue` writes the task (name, arguments, request id) in the caller's
   transaction.
2. After the commit it is published at once, under a short timeout (PUBLISH_TIMEOUT) and
   a circuit breaker: while the broker is down no request waits on it at all.
3. What is still unpublished `outbox_relay` publishes: beat runs it every few seconds,
   and `manage.py outbox_relay` runs it as a process of its own.
4. A message can be published twice (a crash between publishing and recording it), and
   Celery may deliver it twice (late acks). Its id is the Celery task id, and the worker
   runs the task in one transaction with marking the message completed (BaseTask), so a
   duplicate of a completed task is skipped: its database effects happen once. Effects
   outside the database (an email) need a claim of their own, set where it is sent.
"""

from datetime import timedelta
from typing import Any
from uuid import UUID

import structlog
from celery import Task, current_app
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError

from {{ cookiecutter.project_slug }}.core.circuit import CircuitBreaker
from {{ cookiecutter.project_slug }}.core.models import OutboxMessage
from {{ cookiecutter.project_slug }}.core.observability.task_logging import REQUEST_ID_HEADER

logger = structlog.get_logger(__name__)

# The most a publish waits on the broker (connect, then send), with no retries.
PUBLISH_TIMEOUT = 0.5
PUBLISH_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": PUBLISH_TIMEOUT,
    "socket_timeout": PUBLISH_TIMEOUT,
    "max_retries": 0,
}
PUBLISH_ERRORS = (OperationalError, OSError)
# The relay leaves a new message this long to the publish after its commit.
RELAY_DELAY = timedelta(seconds=5)
# A failed relay publish is retried after 2, 4, 8, ... seconds, at most this long.
RETRY_DELAY_MAX = timedelta(minutes=5)
RELAY_BATCH = 100
# Published messages are kept this long: the window in which a duplicate is recognised.
RETENTION = timedelta(days=7)

# Task ids of published messages start with this; retries and redeliveries keep the id.
TASK_ID_PREFIX = "outbox-"

broker_breaker = CircuitBreaker("broker", cooldown=5.0)


def outbox_enqueue(task: Task[Any, Any], *args: Any, **kwargs: Any) -> OutboxMessage:
    """Write `task(*args, **kwargs)` to the outbox in the current transaction.

    Arguments must be JSON (ids, not model instances). The task is published once the
    transaction commits; if that fails, the relay publishes it later.
    """
    message = OutboxMessage.objects.create(
        task_name=task.name,
        args=list(args),
        kwargs=kwargs,
        request_id=structlog.contextvars.get_contextvars().get("request_id", ""),
        available_at=timezone.now() + RELAY_DELAY,
    )
    transaction.on_commit(lambda: outbox_publish(message), robust=True)
    return message


def outbox_publish(message: OutboxMessage) -> bool:
    """Publish one message now, unless the broker is known to be down; True if published."""
    if not _send(message):
        return False
    OutboxMessage.objects.filter(pk=message.pk, published_at__isnull=True).update(
        published_at=timezone.now(), attempts=F("attempts") + 1
    )
    return True


def outbox_relay(*, limit: int = RELAY_BATCH) -> int:
    """Publish the pending messages that are due, oldest first; how many were published.

    Stops at the first failure (the broker is down: the rest would fail too). Concurrent
    relays take different messages where the database has SKIP LOCKED; elsewhere they may both
    publish one, which the worker runs once.
    """
    published = 0
    with transaction.atomic():
        due = OutboxMessage.objects.filter(
            published_at__isnull=True, available_at__lte=timezone.now()
        ).order_by("available_at")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        for message in due[:limit]:
            message.attempts += 1
            if not _send(message):
                delay = min(timedelta(seconds=2**message.attempts), RETRY_DELAY_MAX)
                message.available_at = timezone.now() + delay
                message.save(update_fields=["attempts", "available_at"])
                break
            message.published_at = timezone.now()
            message.save(update_fields=["attempts", "published_at"])
            published += 1
    if published:
        logger.info("outbox_relayed", published=published)
    return published


def outbox_purge() -> int:
    """Delete published messages older than RETENTION; how many were deleted."""
    deleted, _ = OutboxMessage.objects.filter(
        published_at__isnull=False, created_at__lt=timezone.now() - RETENTION
    ).delete()
    return deleted


def outbox_task_id(message: OutboxMessage) -> str:
    """The Celery task id of a message: it says the task came through the outbox."""
    return f"{TASK_ID_PREFIX}{message.pk}"


def outbox_message_id(task_id: str | None) -> UUID | None:
    """The id of the outbox message a task was published from, or None."""
    if not task_id or not task_id.startswith(TASK_ID_PREFIX):
        return None
    try:
        return UUID(task_id.removeprefix(TASK_ID_PREFIX))
    except ValueError:
        return None


def _send(message: OutboxMessage) -> bool:
    if not broker_breaker.allows():
        return False
    options: dict[str, Any] = {"task_id": outbox_task_id(message)}
    if message.request_id:
        options["headers"] = {REQUEST_ID_HEADER: message.request_id}
    if current_app.conf.task_always_eager:
        # No broker (or tests): the task runs here and now, as apply_async does then.
        current_app.tasks[message.task_name].apply_async(message.args, message.kwargs, **options)
        return True
    try:
        with current_app.connection_for_write(
            transport_options=PUBLISH_TRANSPORT_OPTIONS
        ) as broker:
            current_app.send_task(
                message.task_name,
                message.args,
                message.kwargs,
                connection=broker,
                retry=False,
                **options,
            )
    except PUBLISH_ERRORS as error:
        broker_breaker.record_failure(error)
        return False
    broker_breaker.record_success()
    return True
