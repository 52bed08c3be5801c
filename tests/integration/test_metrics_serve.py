"""use_metrics=y: `make serve` with two gunicorn workers answers /metrics for the token
only, and a scrape, whichever worker answers it, counts the requests both served; the
Celery worker (`make worker`) counts the task a request enqueued; against the real
PostgreSQL and Redis."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.baking import tail
from tests.integration.conftest import (
    CASES,
    CREATE_DATABASE,
    DROP_DATABASES,
    Case,
    Installed,
    Services,
    free_port,
    project_env,
    stop_process_group,
)
from tests.integration.test_asgi_serve import HOST, Server, wait_until_up

pytestmark = pytest.mark.integration

METRICS_CASES = tuple(c for c in CASES if c.combo.context["use_metrics"] == "y")
TOKEN = secrets.token_urlsafe(32)
PASSWORD = "metrics-test-pass-phrase-42"
REQUESTS = 60
SAMPLE = re.compile(r"^(\w+)\{(.*)\} (\S+)$")


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Prometheus' text format: (name, labels) -> value."""
    found = {}
    for line in text.splitlines():
        if match := SAMPLE.match(line):
            labels = frozenset(re.findall(r'(\w+)="([^"]*)"', match[2]))
            found[match[1], labels] = float(match[3])
    return found


@dataclass
class Stack:
    web: Server
    worker_port: int | None
    metrics_dir: Path
    worker_log: Path

    def scrape(self, port: int | None = None) -> dict[tuple[str, frozenset], float]:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        if port is None:
            reply = self.web.get("/metrics", headers=auth)
        else:
            reply = Server(port, self.web.process, self.web.log).get("/metrics", headers=auth)
        assert reply.status == 200, reply.body
        return samples(reply.body.decode())


def wait_for(condition: Callable[[], bool], what: str, stack: Stack) -> None:
    """Poll ``condition``; between polls wait on the server, failing at once if it exits."""
    deadline = time.monotonic() + 120
    while not condition():
        try:
            stack.web.process.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}\n{tail(stack.worker_log.read_text())}")
            continue
        pytest.fail(f"make serve exited\n{tail(stack.web.log.read_text())}")


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(c, id=str(c), marks=pytest.mark.xdist_group(str(c))) for c in METRICS_CASES
    ],
)
def stack(
    request: pytest.FixtureRequest,
    installed: Callable[[Case], Installed],
    services: Services,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stack]:
    case: Case = request.param
    project = installed(case)
    metrics_dir = tmp_path_factory.mktemp("prometheus")
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_FORMAT": "json",
        "PORT": str(free_port()),
        "WEB_CONCURRENCY": "2",
        "METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "DATABASE_URL": urlunsplit(
            urlsplit(services.database_url)._replace(path=f"/nexus_metrics_{case}_{os.getpid()}")
        ),
        "REDIS_URL": urlunsplit(
            urlsplit(services.redis_url)._replace(path=f"/{case.redis_db + 8}")
        ),
    }
    project.assert_succeeds("uv", "run", "python", "-c", DROP_DATABASES, env=env)
    project.assert_succeeds("uv", "run", "python", "-c", CREATE_DATABASE, env=env)
    project.assert_succeeds("uv", "run", "python", "manage.py", "migrate", "--noinput", env=env)
    project.assert_succeeds(
        "uv", "run", "python", "manage.py", "createsuperuser", "--noinput",
        "--username=staff", "--email=staff@example.com",
        env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
    )  # fmt: skip
    logs = tmp_path_factory.mktemp("metrics-serve")
    processes = []
    worker_port = None
    if case.combo.context["use_celery"] == "y":
        worker_port = free_port()
        worker_env = {
            **env,
            "CELERY_WORKER_METRICS_PORT": str(worker_port),
            # The worker's own directory: one per server.
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path_factory.mktemp("prometheus-worker")),
        }
        with (logs / "worker.log").open("w") as output:
            processes.append(
                subprocess.Popen(
                    ["make", "worker"],
                    cwd=project.path,
                    env=project_env(worker_env),
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    text=True,
                    start_new_session=True,
                )
            )
    with (logs / "serve.log").open("w") as output:
        serve = subprocess.Popen(
            ["make", "serve"], cwd=project.path, env=project_env(env),
            stdout=output, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )  # fmt: skip
    processes.append(serve)
    running = Stack(
        Server(int(env["PORT"]), serve, logs / "serve.log"),
        worker_port,
        metrics_dir,
        logs / "worker.log",
    )
    try:
        wait_until_up(running.web)
        yield running
    finally:
        for process in processes:
            stop_process_group(process)
        project.assert_succeeds("uv", "run", "python", "-c", DROP_DATABASES, env=env)


def test_metrics_answer_only_the_bearer_token(stack: Stack) -> None:
    assert stack.web.get("/metrics").status == 401
    assert stack.web.get("/metrics", headers={"Authorization": "Bearer wrong"}).status == 401
    # A request the service serves (liveness probes and scrapes are not counted).
    stack.web.get("/api/v1/users/me/")
    assert stack.scrape()


def test_a_scrape_counts_the_requests_of_every_gunicorn_worker(stack: Stack) -> None:
    path = "/api/v1/users/me/"  # no credentials: a quick 401 or 403, made for nothing else

    def burst() -> int:
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = set(pool.map(lambda _: stack.web.get(path).status, range(REQUESTS)))
        assert len(statuses) == 1, statuses
        return statuses.pop()

    def writers() -> set[str]:
        return {re.sub(r"\D", "", p.stem) for p in stack.metrics_dir.glob("counter_*.db")}

    # Until both workers have booted and served some of them: each then has values.
    status = burst()
    wait_for(lambda: len(writers()) >= 2 or not burst(), "both workers to serve requests", stack)
    key = (
        "http_requests_total",
        frozenset({("method", "GET"), ("route", path), ("status", str(status))}),
    )
    before = stack.scrape()[key]
    burst()
    # Each scrape is answered by either worker; every one adds up both.
    for _ in range(4):
        assert stack.scrape()[key] == before + REQUESTS


def test_the_worker_counts_the_task_a_request_enqueued(stack: Stack) -> None:
    if stack.worker_port is None:
        pytest.skip("use_celery=n: no worker")
    token = stack.web.request(
        "POST", "/api/v1/auth/token/", body={"username": "staff", "password": PASSWORD}
    )
    assert token.status == 200, token.body
    bearer = {"Authorization": f"Bearer {token.json()['access']}"}
    article = stack.web.request(
        "POST",
        "/api/v1/articles/",
        body={"title": "Measured", "body": "Counted.", "status": "published"},
        headers=bearer,
    )
    assert article.status == 201, article.body
    comment = stack.web.request(
        "POST", f"/api/v1/articles/{article.json()['id']}/comments/", body={"body": "Hi"},
        headers=bearer,
    )  # fmt: skip
    assert comment.status == 201, comment.body
    task = frozenset(
        {("task", "my_service.articles.tasks.notify_article_author"), ("state", "success")}
    )

    def counted() -> bool:
        return stack.scrape(stack.worker_port).get(("celery_tasks_total", task)) == 1

    wait_for(counted, "the worker to count the notification task", stack)
    queued = stack.scrape(stack.worker_port)
    assert queued.get(("celery_queue_length", frozenset({("queue", "celery")}))) == 0

    cache_route = ("route", "/api/v1/articles/")
    stack.web.get("/api/v1/articles/")
    stack.web.get("/api/v1/articles/")
    web = stack.scrape()
    for result in ("miss", "hit"):
        assert web.get(
            ("http_cache_responses_total", frozenset({cache_route, ("result", result)}))
        ), result
