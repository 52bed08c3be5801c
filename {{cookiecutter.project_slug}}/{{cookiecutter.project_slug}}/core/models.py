"""The transactional outbox: tasks written in the same transaction as the data they are about.

A service enqueues a task by writing an OutboxMessage (core/outbox.py): it commits or
rolls back with the service's own rows, so a committed write never loses its task and a
rolled-back one never sends one. After the commit the message is published to the
broker; whatever could not be published then (the broker was down) the relay publishes
later. The message's id is the Celery task id and its idempotency key: the worker runs
a task whose message is marked completed never again (BaseTask, core/tasks.py).
"""

import uuid

from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    # The request that enqueued it: the task's log lines carry the same id.
    request_id = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When the relay may (next) try to publish it: a moment after it was created, so the
    # publish right after the commit is not doubled; later after each failed attempt.
    available_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker in the transaction that ran the task: its effect happened once.
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["available_at"],
                condition=models.Q(published_at__isnull=True),
                name="core_outbox_pending_idx",
            ),
            models.Index(fields=["created_at"], name="core_outbox_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} {self.id}"
