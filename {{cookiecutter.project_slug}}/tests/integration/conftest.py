"""Integration tests: real Celery worker processes, the real Redis broker, the test database.

They need REDIS_URL (environment or .env) and skip without it; with CI=true they fail
instead, so CI never passes without running them. Tests that use a worker use the
`transactional_db` fixture: the worker is another process and sees committed rows only.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from kombu.exceptions import OperationalError

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
# One queue per test run, so no other worker on the same Redis (a `make worker` left
# running, another test run) takes these tasks.
QUEUE = f"integration-{uuid.uuid4().hex[:12]}"
# Generous: Django and Celery start slowly on a busy CI machine. Polls end when done.
DEADLINE_SECONDS = 60


@dataclass
class Worker:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "--- worker log (tail) ---\n" + "\n".join(text.splitlines()[-lines:])

    def answers_ping(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"{self.name} exited: {self.process.returncode}\n{self.log_tail()}")
        return bool(celery_app.control.ping(destination=[self.name], timeout=0.5))

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes: no warm shutdown, no acknowledgement."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=DEADLINE_SECONDS)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # warm shutdown
        try:
            self.process.wait(timeout=DEADLINE_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()


type WorkerFactory = Callable[..., Worker]


def wait_until(condition: Callable[[], bool], *, what: str, worker: Worker | None = None) -> None:
    """Poll `condition` until it holds; after the deadline, fail with the worker's log."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out waiting for {what}.\n{worker.log_tail() if worker else ''}")
        time.sleep(0.1)


@pytest.fixture(scope="session")
def broker_url() -> str:
    url: str = settings.CELERY_BROKER_URL
    if not url:
        reason = "REDIS_URL is not set: integration tests need a real Redis broker"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: they must run)")
        pytest.skip(reason)
    with celery_app.connection_for_write() as broker:
        try:
            broker.ensure_connection(max_retries=1, timeout=5)
        except (OperationalError, OSError) as exc:
            pytest.fail(f"The broker {broker.as_uri()} does not answer: {exc}")
    return url


@pytest.fixture(scope="session")
def worker_factory(
    broker_url: str,
    django_db_setup: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[WorkerFactory]:
    """Start real workers (`celery -A config worker`) on the test database; stop them after."""
    started: list[Worker] = []

    def start(*, queue: str = QUEUE, env: dict[str, str] | None = None) -> Worker:
        name = f"{queue}-{len(started)}@integration"
        log = tmp_path_factory.mktemp("worker") / "worker.log"
        worker_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
            # After django_db_setup, this is the test database's name (file with SQLite).
            "INTEGRATION_DATABASE_NAME": str(connection.settings_dict["NAME"]),
            "INTEGRATION_QUEUE": queue,
            **(env or {}),
        }
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            # Prefork, as `make worker`; its main process answers pings while a task runs.
            "--pool=prefork", "--concurrency=1", f"--queues={queue}", f"--hostname={name}",
            "--include=tests.integration.tasks", "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command,
                cwd=ROOT,
                env=worker_env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, to signal it with its pool
            )
        worker = Worker(name=name, process=process, log=log)
        started.append(worker)
        wait_until(worker.answers_ping, what=f"worker {name} to start", worker=worker)
        return worker

    yield start

    for worker in started:
        worker.stop()
    with celery_app.connection_for_write() as broker:
        channel: Any = broker.default_channel
        for queue in {QUEUE, f"{QUEUE}-redelivery"}:
            channel.queue_delete(queue)


@pytest.fixture(scope="session")
def worker(worker_factory: WorkerFactory) -> Worker:
    """A worker like `make worker` runs, with one pool process."""
    return worker_factory()


@pytest.fixture
def live_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send tasks to the broker instead of running them in-process, as in production."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "task_default_queue", QUEUE)
