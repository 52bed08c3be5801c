"""A worker killed in the middle of a task loses nothing: the task runs again, once more.

Tasks are acknowledged after they ran (acks_late). A pool process killed mid-task makes
its worker requeue the task at once (reject_on_worker_lost); a whole worker killed
leaves the task unacknowledged in Redis, which hands it to another worker after the
visibility timeout (shortened to seconds here). The task is idempotent: `done` once.
"""

import os
import re
import signal
from uuid import uuid4

import pytest
from django.contrib.auth.models import Group

from tests.integration.conftest import QUEUE, Worker, WorkerFactory, wait_until
from tests.integration.tasks import record_when_released

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("transactional_db", "live_tasks")]


def attempts(marker: str) -> list[int]:
    """Process ids that started the task, in order."""
    names = Group.objects.filter(name__startswith=f"{marker}:attempt:").order_by("pk")
    return [int(re.sub(r".*:", "", name)) for name in names.values_list("name", flat=True)]


def release_and_wait_for_done(marker: str, worker: Worker) -> None:
    Group.objects.create(name=f"{marker}:release")
    wait_until(
        lambda: Group.objects.filter(name=f"{marker}:done").exists(),
        what="the redelivered task to complete",
        worker=worker,
    )


def test_a_task_whose_pool_process_is_killed_is_requeued_and_completed(worker: Worker):
    marker = f"child-{uuid4().hex[:8]}"
    record_when_released.delay(marker)
    wait_until(lambda: len(attempts(marker)) == 1, what="the task to start")
    [first_pid] = attempts(marker)
    os.kill(first_pid, signal.SIGKILL)  # the pool process, as the OOM killer would
    release_and_wait_for_done(marker, worker)

    assert len(attempts(marker)) == 2
    assert attempts(marker)[1] != first_pid
    assert Group.objects.filter(name=f"{marker}:done").count() == 1


def test_a_task_of_a_killed_worker_is_redelivered_to_the_next_worker(
    worker_factory: WorkerFactory,
):
    queue = f"{QUEUE}-redelivery"
    marker = f"worker-{uuid4().hex[:8]}"
    first = worker_factory(queue=queue)
    record_when_released.apply_async((marker,), queue=queue)
    wait_until(lambda: len(attempts(marker)) == 1, what="the task to start")

    first.kill()  # the whole worker: main process and pool
    second = worker_factory(queue=queue, env={"INTEGRATION_VISIBILITY_TIMEOUT": "2"})
    release_and_wait_for_done(marker, second)

    assert len(attempts(marker)) == 2
    assert Group.objects.filter(name=f"{marker}:done").count() == 1
