"""The commands the Kubernetes manifests run really work, as the compose smoke test does for
compose.yaml: each container's command (the image's, through its entrypoint) runs natively in
the installed bake with the environment the pod would get (the image's ENV, the rendered
ConfigMap, the Secret's keys), against the real PostgreSQL and Redis; each probe is asked
as the kubelet would ask it."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
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
from tests.integration.test_compose_smoke import image_command, image_env, wait_for
from tests.kubernetes import Rendered, containers, pod_spec, render

pytestmark = pytest.mark.integration

KUBERNETES_CASES = tuple(c for c in CASES if c.combo.context["use_kubernetes"] == "y")
# The Redis database index of these tests, apart from each case's own (its + 12).
REDIS_OFFSET = 12


@dataclass
class Cluster:
    """The production overlay's containers, run natively."""

    project: Installed
    services: Services
    case: Case
    rendered: Rendered
    scratch: Path
    database: str
    running: list[subprocess.Popen[str]] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.project.path

    def container(self, workload: str, name: str = "") -> dict:
        kind = "Job" if workload == "migrate" else "Deployment"
        found = containers(self.rendered.named(kind, workload))
        return next(c for c in found if c["name"] == (name or workload))

    def secret(self) -> dict[str, str]:
        """What the README's `kubectl create secret generic app-secrets` puts in."""
        database = urlsplit(self.services.database_url)._replace(path=f"/{self.database}")
        redis = urlsplit(self.services.redis_url)._replace(
            path=f"/{self.case.redis_db + REDIS_OFFSET}"
        )
        values = {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DATABASE_URL": urlunsplit(database),
            "REDIS_URL": urlunsplit(redis),
        }
        if self.case.combo.context["use_flower"] == "y":
            values |= {"FLOWER_USER": "ops", "FLOWER_PASSWORD": secrets.token_urlsafe(32)}
        return values

    def env(self) -> dict[str, str]:
        env = image_env((self.path / "Dockerfile").read_text())
        env.update(self.rendered.config())
        env.update(self.secret_values)
        env["PATH"] = f"{self.path / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"
        # A pod's host name is its name; Celery names its node after it (celery@HOSTNAME).
        env["HOSTNAME"] = socket.gethostname()
        return project_env(env)

    def __post_init__(self) -> None:
        self.secret_values = self.secret()

    def localize(self, argument: str, port: int) -> str:
        argument = argument.replace("0.0.0.0:8000", f"127.0.0.1:{port}")
        argument = argument.replace("--port=5555", f"--port={port}")
        return argument.replace("/tmp/", f"{self.scratch}/")

    def command(self, container: dict, port: int = 0) -> list[str]:
        """command (replaces the entrypoint), else entrypoint + (args or the image's CMD)."""
        if "command" in container:
            return [self.localize(c, port) for c in container["command"]]
        args = container.get("args") or image_command((self.path / "Dockerfile").read_text())
        entrypoint = str(self.path / "docker" / "entrypoint.sh")
        return [entrypoint, *(self.localize(a, port) for a in args)]

    def start(self, container: dict, port: int = 0) -> tuple[subprocess.Popen[str], Path]:
        log = self.scratch / f"{container['name']}.log"
        process = subprocess.Popen(
            self.command(container, port),
            cwd=self.path,
            env=self.env(),
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.running.append(process)
        return process, log

    def run(self, command: list[str], timeout: int = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command,
            cwd=self.path,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def exec_probe(self, container: dict, probe: str) -> subprocess.CompletedProcess[str]:
        command = [self.localize(c, 0) for c in container[probe]["exec"]["command"]]
        return self.run(command, timeout=int(container[probe].get("timeoutSeconds", 30)) + 30)

    def database_script(self, script: str) -> None:
        env = {"DATABASE_URL": self.secret_values["DATABASE_URL"]}
        self.project.assert_succeeds("uv", "run", "python", "-c", script, env=env)


def http_status(port: int, probe: dict) -> int:
    get = probe["httpGet"]
    headers = {h["name"]: h["value"] for h in get.get("httpHeaders", [])}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{get['path']}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=probe.get("timeoutSeconds", 5)) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(c, id=str(c), marks=pytest.mark.xdist_group(str(c))) for c in KUBERNETES_CASES
    ],
)
def cluster(
    request: pytest.FixtureRequest,
    installed: Callable[[Case], Installed],
    services: Services,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Cluster]:
    case: Case = request.param
    project = installed(case)
    cluster = Cluster(
        project=project,
        services=services,
        case=case,
        rendered=render(project.path, "production"),
        scratch=tmp_path_factory.mktemp(f"kubernetes-{case}"),
        database=f"nexus_kubernetes_{case}_{os.getpid()}",
    )
    cluster.database_script(DROP_DATABASES)
    cluster.database_script(CREATE_DATABASE)
    yield cluster
    for process in cluster.running:
        stop_process_group(process)
    cluster.database_script(DROP_DATABASES)


@pytest.fixture
def migrated(cluster: Cluster) -> Cluster:
    """The migrate Job's container has run to completion, as the README's deploy waits for."""
    result = cluster.run(cluster.command(cluster.container("migrate")))
    assert result.returncode == 0, tail(result.stdout + result.stderr)
    return cluster


def test_web_pods_wait_for_the_migrations_then_pass_their_probes(cluster: Cluster) -> None:
    cluster.database_script(DROP_DATABASES)
    cluster.database_script(CREATE_DATABASE)
    wait = cluster.container("web", "wait-for-migrations")
    # Before the Job ran: the init container keeps the pod from serving.
    with pytest.raises(subprocess.TimeoutExpired):
        cluster.run(cluster.command(wait), timeout=15)
    migrate = cluster.run(cluster.command(cluster.container("migrate")))
    assert migrate.returncode == 0, tail(migrate.stdout + migrate.stderr)
    assert "Applying" in migrate.stdout, "the Job did not migrate the new database"
    # After it: the init container ends and the web container starts.
    done = cluster.run(cluster.command(wait), timeout=120)
    assert done.returncode == 0, tail(done.stdout + done.stderr)

    web = cluster.container("web")
    port = free_port()
    process, log = cluster.start(web, port)
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        wait_for(
            f"web's {probe} passes",
            lambda probe=probe: http_status(port, web[probe]) == 200,
            process,
            log,
        )
    stop_process_group(process)


def test_worker_passes_its_celery_ping_probe(migrated: Cluster) -> None:
    if migrated.case.combo.context["use_celery"] == "n":
        return
    worker = migrated.container("worker")
    process, log = migrated.start(worker)
    wait_for(
        "the worker answers its liveness probe",
        lambda: migrated.exec_probe(worker, "livenessProbe").returncode == 0,
        process,
        log,
    )
    stop_process_group(process)


def test_beat_passes_its_probe(migrated: Cluster) -> None:
    if migrated.case.combo.context["use_celery"] == "n":
        return
    beat = migrated.container("beat")
    process, log = migrated.start(beat)
    wait_for(
        "beat's liveness probe passes",
        lambda: migrated.exec_probe(beat, "livenessProbe").returncode == 0,
        process,
        log,
    )
    assert "Traceback" not in log.read_text(), tail(log.read_text())
    stop_process_group(process)


def test_flower_passes_its_probes(migrated: Cluster) -> None:
    if migrated.case.combo.context["use_flower"] == "n":
        return
    flower = migrated.container("flower")
    port = free_port()
    process, log = migrated.start(flower, port)
    for probe in ("livenessProbe", "readinessProbe"):
        wait_for(
            f"Flower's {probe} passes",
            lambda probe=probe: http_status(port, flower[probe]) == 200,
            process,
            log,
        )
    stop_process_group(process)


def test_the_pods_are_configured_for_production(cluster: Cluster) -> None:
    env = cluster.env()
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    check = cluster.run(["python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert check.returncode == 0, tail(check.stdout + check.stderr)
    assert pod_spec(cluster.rendered.named("Deployment", "web"))["containers"][0]["envFrom"]
