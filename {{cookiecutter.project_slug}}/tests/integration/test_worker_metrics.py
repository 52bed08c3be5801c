"""A real worker serves the metrics of its pool processes and the length of its queue."""

import socket
import urllib.error
import urllib.request
import uuid

import pytest
from django.contrib.auth.models import Group
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.conftest import QUEUE, Worker, WorkerFactory, wait_until
from tests.integration.tasks import record_visit, record_when_released

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("transactional_db", "live_tasks")]

TOKEN = "integration-metrics-token"
METRICS_QUEUE = f"{QUEUE}-metrics"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def measured_worker(worker_factory: WorkerFactory) -> tuple[Worker, int]:
    port = free_port()
    worker = worker_factory(
        queue=METRICS_QUEUE,
        env={"CELERY_WORKER_METRICS_PORT": str(port), "METRICS_TOKEN": TOKEN},
    )
    return worker, port


def scrape(port: int, token: str | None = TOKEN) -> dict[tuple[str, str], float]:
    """(sample name, its task or queue label) -> value."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the loopback
        text = response.read().decode()
    return {
        (sample.name, sample.labels.get("task") or sample.labels.get("queue", "")): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.labels.get("state", "success") == "success"
    }


def test_the_worker_metrics_need_the_token(measured_worker):
    _, port = measured_worker
    for token in (None, "wrong"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            scrape(port, token)
        assert refused.value.code == 401


def test_tasks_run_by_pool_processes_are_counted_and_waiting_ones_measured(
    measured_worker, monkeypatch
):
    worker, port = measured_worker
    monkeypatch.setitem(record_visit.app.conf, "task_default_queue", METRICS_QUEUE)
    marker = f"metrics-{uuid.uuid4().hex[:8]}"
    # The one pool process is busy with this task, so the next three wait in the queue.
    record_when_released.delay(marker)
    wait_until(
        lambda: Group.objects.filter(name__startswith=f"{marker}:attempt:").exists(),
        what="the long task to start",
        worker=worker,
    )
    for number in range(3):
        record_visit.delay(f"{marker}-{number}")
    wait_until(
        lambda: scrape(port).get(("celery_queue_length", METRICS_QUEUE)) == 3,
        what="three tasks waiting in the queue",
        worker=worker,
    )

    Group.objects.create(name=f"{marker}:release")
    wait_until(
        lambda: scrape(port).get(("celery_tasks_total", record_visit.name)) == 3,
        what="the worker to count three tasks that ran in its pool process",
        worker=worker,
    )
    samples = scrape(port)
    assert samples[("celery_tasks_total", record_when_released.name)] == 1
    assert samples[("celery_task_duration_seconds_count", record_visit.name)] == 3
    assert samples[("celery_queue_length", METRICS_QUEUE)] == 0
