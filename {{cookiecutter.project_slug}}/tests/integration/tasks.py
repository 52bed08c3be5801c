"""Tasks only the integration tests use; the worker they start imports this module.

A task shows what it did with a row that another process can see: an auth group named
after the event (a table every project has).
"""

import os
import time

import structlog
from celery import shared_task
from django.contrib.auth.models import Group
from django.db import OperationalError

from {{ cookiecutter.project_slug }}.core.tasks import BaseTask


def record(event: str) -> None:
    Group.objects.get_or_create(name=event)


@shared_task(base=BaseTask)
def record_visit(name: str) -> None:
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    record(f"visit:{name}:{request_id}")


@shared_task(bind=True, base=BaseTask)
def fail_once_then_record(self: BaseTask, name: str) -> None:
    record(f"{name}:attempt:{self.request.retries}")
    if self.request.retries == 0:
        raise OperationalError("the database went away")  # transient: retried
    record(f"{name}:done")


@shared_task(base=BaseTask, autoretry_for=())
def record_when_released(marker: str) -> None:
    """A long task: records its attempt and the process running it, waits to be released.

    Idempotent, as every task must be: `done` is recorded once however often it runs.
    """
    record(f"{marker}:attempt:{os.getpid()}")
    deadline = time.monotonic() + 60
    while not Group.objects.filter(name=f"{marker}:release").exists():
        if time.monotonic() > deadline:
            raise TimeoutError(marker)
        time.sleep(0.05)
    record(f"{marker}:done")
