"""The web tier is stateless: two production instances (`make serve` on two ports) and two
Celery workers share one real PostgreSQL and Redis, and a client that alternates between
the instances sees one service. What would break on several machines breaks here:
in-process caches, per-process throttles, tokens only one instance knows, a task run twice.

Beat is not started twice: the Kubernetes manifests keep it at exactly one pod
(tests/test_kubernetes.py), as compose.yaml runs one.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
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

pytestmark = pytest.mark.integration

STATELESS_CASES = tuple(
    c
    for c in CASES
    if c.combo.name.startswith("defaults")  # the sync (WSGI) service most users run
)
DEADLINE = 300
# Logins per minute per client: low, so the test reaches the limit in a few requests.
AUTH_RATE = 5
PASSWORD = "correct-horse-battery-staple"


@dataclass
class Response:
    status: int
    body: Any
    headers: dict[str, str]


@dataclass
class Fleet:
    project: Installed
    env: dict[str, str]
    scratch: Path
    ports: list[int] = field(default_factory=list)
    workers: list[Path] = field(default_factory=list)
    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    def start(self, name: str, *command: str) -> Path:
        log = self.scratch / f"{name}.log"
        process = subprocess.Popen(
            command,
            cwd=self.project.path,
            env=self.project_env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.processes.append(process)
        return log

    @property
    def project_env(self) -> dict[str, str]:
        return project_env(self.env)

    def manage(self, *arguments: str) -> str:
        result = self.project.run("uv", "run", "python", "manage.py", *arguments, env=self.env)
        assert result.returncode == 0, tail(result.stdout + result.stderr)
        return result.stdout

    def request(
        self,
        instance: int,
        method: str,
        path: str,
        payload: dict[str, Any] | None = None,
        token: str = "",
    ) -> Response:
        headers = {"Content-Type": "application/json", "Host": "127.0.0.1"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.ports[instance]}{path}",
            data=json.dumps(payload).encode() if payload is not None else None,
            headers=headers,
            method=method,
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return Response(answer.status, _json(answer.read()), dict(answer.headers))
        except urllib.error.HTTPError as error:
            return Response(error.code, _json(error.read()), dict(error.headers))

    def log_in(self, instance: int, username: str) -> dict[str, str]:
        response = self.request(
            instance, "POST", "/api/v1/auth/token/", {"username": username, "password": PASSWORD}
        )
        assert response.status == 200, response
        return response.body

    def worker_events(self, event: str) -> list[dict[str, Any]]:
        found = []
        for log in self.workers:
            for line in log.read_text(errors="replace").splitlines():
                if line.startswith("{") and f'"{event}"' in line:
                    record = json.loads(line)
                    if record.get("event") == event:
                        found.append(record)
        return found


def _json(data: bytes) -> Any:
    return json.loads(data) if data else None


def _wait(
    what: str, ready: Callable[[], bool], fleet: Fleet, explain: Callable[[], str] = str
) -> None:
    deadline = time.monotonic() + DEADLINE
    while not ready():
        dead = [p for p in fleet.processes if p.poll() is not None]
        if dead or time.monotonic() > deadline:
            logs = "\n".join(
                f"--- {log.name}\n{tail(log.read_text(errors='replace'), 20)}"
                for log in sorted(fleet.scratch.glob("*.log"))
            )
            state = "a process exited" if dead else "timed out"
            pytest.fail(f"{what}: {state}\n{explain()}\n{logs}")
        time.sleep(0.5)


def _ready(fleet: Fleet, instance: int) -> bool:
    try:
        return fleet.request(instance, "GET", "/health/ready/").status == 200
    except OSError:
        return False


def _redis_url(services: Services, index: int) -> str:
    return urlunsplit(urlsplit(services.redis_url)._replace(path=f"/{index}"))


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(c, id=str(c), marks=pytest.mark.xdist_group(str(c))) for c in STATELESS_CASES
    ],
)
def fleet(
    request: pytest.FixtureRequest,
    installed: Callable[[Case], Installed],
    services: Services,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Fleet]:
    case: Case = request.param
    project = installed(case)
    database = urlsplit(services.database_url)._replace(
        path=f"/nexus_stateless_{case}_{os.getpid()}"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": urlunsplit(database),
        # The cache and the broker in databases of their own, apart from the other tests'.
        "REDIS_URL": _redis_url(services, case.redis_db + 4),
        "CELERY_BROKER_URL": _redis_url(services, case.redis_db + 10),
        # Plain HTTP on loopback, no TLS proxy in front.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "API_THROTTLE_AUTH": f"{AUTH_RATE}/minute",
        "WEB_CONCURRENCY": "1",
        "DJANGO_LOG_FORMAT": "json",
    }
    fleet = Fleet(project, env, tmp_path_factory.mktemp(f"stateless-{case}"))
    project.assert_succeeds("uv", "run", "python", "-c", DROP_DATABASES, env=env)
    project.assert_succeeds("uv", "run", "python", "-c", CREATE_DATABASE, env=env)
    try:
        fleet.manage("migrate", "--noinput", "--verbosity", "0")
        fleet.manage(
            "shell",
            "-c",
            "from {slug}.users.services import user_create\n"
            "user_create(username='ada', password='{pw}', email='ada@example.com')\n"
            "user_create(username='bob', password='{pw}', email='bob@example.com')".format(
                slug=case.combo.context["project_slug"], pw=PASSWORD
            ),
        )
        for instance in range(2):
            port = free_port()
            fleet.ports.append(port)
            fleet.start(f"web{instance}", "make", "serve", f"PORT={port}")
            # One after the other: both collect the static files into the same folder.
            _wait(f"instance {instance} is ready", lambda i=instance: _ready(fleet, i), fleet)
        for worker in range(2):
            fleet.workers.append(
                fleet.start(
                    f"worker{worker}",
                    "uv",
                    "run",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-n",
                    f"stateless{worker}@%h",
                    "--concurrency=1",
                )
            )
        # As beat would in a deployment: what a publish after commit could not hand to the
        # broker in time (a loaded machine) waits in the outbox for the relay.
        fleet.start("relay", "uv", "run", "python", "manage.py", "outbox_relay", "--interval=1")
        _wait(
            "both workers answer a ping",
            lambda: "2 worker(s)" in _ping(fleet),
            fleet,
        )
        yield fleet
    finally:
        for process in fleet.processes:
            stop_process_group(process)
        project.assert_succeeds("uv", "run", "python", "-c", DROP_DATABASES, env=env)


PENDING = """
from celery import current_app as app
inspect = app.control.inspect(timeout=2)
busy = [*(inspect.active() or {}).values(), *(inspect.reserved() or {}).values()]
with app.connection_for_write() as connection:
    queued = connection.default_channel.client.llen("celery")
print(sum(map(len, busy)) + queued)
"""


OUTBOX_STATE = """
from {slug}.core.models import OutboxMessage
for message in OutboxMessage.objects.order_by("created_at"):
    print(message.pk, message.task_name, message.args, "attempts", message.attempts,
          "published", message.published_at, "completed", message.completed_at)
"""


def _pending_tasks(fleet: Fleet) -> int:
    return int(fleet.manage("shell", "-c", PENDING).strip().splitlines()[-1])


def _ping(fleet: Fleet) -> str:
    # Named, both of them: without a destination the command is content with one answer.
    names = [f"--destination=stateless{worker}@{socket.gethostname()}" for worker in range(2)]
    result = fleet.project.run(
        "uv", "run", "python", "manage.py", "celery_ping", "--timeout", "2", *names, env=fleet.env
    )
    return result.stdout


@pytest.fixture(autouse=True)
def fresh_throttles(fleet: Fleet) -> None:
    """Every test logs in from this address: each starts with a clean login count."""
    fleet.manage(
        "shell", "-c", "from django.core.cache import cache; cache.delete_pattern('*throttle*')"
    )


def test_a_token_issued_by_one_instance_works_on_the_other(fleet: Fleet) -> None:
    tokens = fleet.log_in(0, "ada")
    me = fleet.request(1, "GET", "/api/v1/users/me/", token=tokens["access"])
    assert me.status == 200, me
    assert me.body["username"] == "ada"


def test_a_refresh_rotated_on_one_instance_is_refused_on_the_other(fleet: Fleet) -> None:
    tokens = fleet.log_in(1, "ada")
    rotated = fleet.request(
        0, "POST", "/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}
    )
    assert rotated.status == 200, rotated
    replayed = fleet.request(
        1, "POST", "/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}
    )
    assert replayed.status == 401, replayed
    fresh = fleet.request(
        1, "POST", "/api/v1/auth/token/refresh/", {"refresh": rotated.body["refresh"]}
    )
    assert fresh.status == 200, fresh


def test_an_article_edited_through_one_instance_is_fresh_on_the_other(fleet: Fleet) -> None:
    token = fleet.log_in(0, "ada")["access"]
    created = fleet.request(
        0,
        "POST",
        "/api/v1/articles/",
        {"title": "Stateless", "body": "First.", "status": "published"},
        token=token,
    )
    assert created.status == 201, created
    detail = f"/api/v1/articles/{created.body['id']}/"
    assert fleet.request(1, "GET", detail).headers["X-Cache"] == "MISS"
    assert fleet.request(1, "GET", detail).headers["X-Cache"] == "HIT"
    edited = fleet.request(0, "PATCH", detail, {"title": "Stateless, edited"}, token=token)
    assert edited.status == 200, edited
    after = fleet.request(1, "GET", detail)
    assert after.headers["X-Cache"] == "MISS"
    assert after.body["title"] == "Stateless, edited"


def test_the_login_throttle_counts_attempts_across_instances(fleet: Fleet) -> None:
    wrong = {"username": "ada", "password": "not-the-password"}
    statuses = [
        fleet.request(attempt % 2, "POST", "/api/v1/auth/token/", wrong).status
        for attempt in range(AUTH_RATE + 1)
    ]
    # Each instance alone would have allowed AUTH_RATE attempts; together they do too.
    assert statuses == [401] * AUTH_RATE + [429], statuses


def test_a_task_enqueued_through_either_instance_runs_exactly_once(fleet: Fleet) -> None:
    token = fleet.log_in(0, "ada")["access"]
    article = fleet.request(
        0,
        "POST",
        "/api/v1/articles/",
        {"title": "Tasks", "body": "x", "status": "published"},
        token=token,
    )
    assert article.status == 201, article
    commenter = fleet.log_in(1, "bob")["access"]
    comments = [
        fleet.request(
            instance % 2,
            "POST",
            f"/api/v1/articles/{article.body['id']}/comments/",
            {"body": f"comment {instance}"},
            token=commenter,
        )
        for instance in range(6)
    ]
    assert [c.status for c in comments] == [201] * 6
    ids = sorted(c.body["id"] for c in comments)

    def notified() -> list[int]:
        return sorted(
            e["comment_id"]
            for e in fleet.worker_events("article_author_notified")
            if e["comment_id"] in ids
        )

    def outbox() -> str:
        # What a failure needs to be told apart: never published, published but not run.
        slug = fleet.project.combo.context["project_slug"]
        rows = fleet.manage("shell", "-c", OUTBOX_STATE.format(slug=slug))
        return f"notified: {notified()} of {ids}\n{rows}"

    _wait(
        "every comment's notification ran",
        lambda: len(notified()) >= len(ids),
        fleet,
        explain=outbox,
    )
    # Nothing left queued, reserved or running: a duplicate would have run by now.
    _wait("the workers are idle", lambda: _pending_tasks(fleet) == 0, fleet)
    assert notified() == ids, "a notification ran twice, or not at all"
