"""A real worker runs what the web process enqueues, retries transient errors, answers pings."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.integration.conftest import Worker, wait_until
from tests.integration.tasks import fail_once_then_record

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("transactional_db", "live_tasks")]


def recorded(event: str) -> bool:
    return Group.objects.filter(name=event).exists()


@pytest.mark.urls("tests.integration.urls")
def test_a_task_enqueued_by_a_request_runs_on_the_worker_with_its_request_id(
    client, worker: Worker
):
    response = client.post("/visits/", {"name": "api"}, headers={"X-Request-ID": "req-int-1"})

    assert response.status_code == 202
    # The worker wrote the row, and logged with the id of the request that enqueued it.
    wait_until(
        lambda: recorded("visit:api:req-int-1"),
        what="the worker to run the task",
        worker=worker,
    )


def test_a_transient_error_is_retried_by_the_worker(worker: Worker):
    fail_once_then_record.delay("flaky")

    wait_until(lambda: recorded("flaky:done"), what="the retry", worker=worker)
    assert recorded("flaky:attempt:0")
    assert recorded("flaky:attempt:1")


def test_celery_ping_succeeds_while_a_worker_answers(worker: Worker, capsys):
    # It returns on the worker's answer: a ping that sat out its timeout would hold the
    # run for ten minutes.
    call_command("celery_ping", "--destination", worker.name, "--timeout", "600")
    assert worker.name in capsys.readouterr().out


def test_celery_ping_fails_when_no_worker_answers(worker: Worker):
    with pytest.raises(CommandError, match="No Celery worker answered a ping within 1s"):
        call_command("celery_ping", "--destination", "nobody@nowhere", "--timeout", "1")
