"""Compose smoke test: the commands compose.yaml gives web, worker and beat really work.

No Docker engine runs here, so each service's command is run natively in the baked
project's environment, through the image's entrypoint (docker/entrypoint.sh), with the
environment the stack would give it: the Dockerfile's ENV, then `.env` (env_file), then
the service's `environment:`. Only what points into the compose network is translated:
the `db` and `redis` host names become the real PostgreSQL and Redis (own database, own
Redis index), ports and scratch files move to free ones.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import yaml

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

DOCKER_CASES = tuple(c for c in CASES if c.combo.context["use_docker"] == "y")
# Migrations on a loaded two-core machine take minutes; nothing here waits longer than needed.
DEADLINE = 600
INTERPOLATION = re.compile(r"\$\{(\w+)(?::?[-?][^}]*)?\}")


def dotenv(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and not key.lstrip().startswith("#"):
            values[key.strip()] = value.strip().strip("\"'")
    return values


def image_env(dockerfile: str) -> dict[str, str]:
    """The ENV of the Dockerfile's last (runtime) stage, PATH left out."""
    runtime = dockerfile.rsplit("\nFROM ", 1)[1].replace("\\\n", " ")
    values = {}
    for line in re.findall(r"^ENV\s+(.+)$", runtime, re.M):
        for token in shlex.split(line):
            key, _, value = token.partition("=")
            if key != "PATH":
                values[key] = value
    return values


def image_command(dockerfile: str) -> list[str]:
    return json.loads(re.findall(r"^CMD\s+(\[.+\])\s*$", dockerfile, re.M)[-1])


def interpolate(value: object, variables: Mapping[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:?message}, ${VAR:-default} and $$, from .env."""
    parts = str(value).split("$$")
    return "$".join(INTERPOLATION.sub(lambda m: variables[m[1]], part) for part in parts)


@dataclass
class Stack:
    """compose.yaml's application services, run natively against the real services."""

    project: Installed
    services: Services
    case: Case
    scratch: Path
    database: str
    running: list[subprocess.Popen[str]] = field(default_factory=list)
    migrated: bool = False

    @property
    def path(self) -> Path:
        return self.project.path

    @property
    def compose(self) -> dict:
        return yaml.safe_load((self.path / "compose.yaml").read_text())

    def spec(self, service: str, *, development: bool = False) -> dict:
        """The service as compose.yaml has it, or merged with compose.override.yaml."""
        spec = dict(self.compose["services"][service])
        if development:
            override = yaml.safe_load((self.path / "compose.override.yaml").read_text())
            changes = override["services"].get(service, {})
            spec["environment"] = {**spec.get("environment", {}), **changes.get("environment", {})}
            spec["command"] = changes.get("command", spec.get("command"))
        return spec

    def database_url(self) -> str:
        url = urlsplit(self.services.database_url)
        return urlunsplit(url._replace(path=f"/{self.database}"))

    def translate(self, key: str, value: str) -> str:
        url = urlsplit(value)
        if key == "DATABASE_URL" and url.hostname == "db":
            return self.database_url()
        if key == "DATABASE_URL" and url.scheme == "sqlite":
            return value.replace("/data/", f"{self.scratch}/")
        if url.scheme == "redis" and url.hostname == "redis":
            real = urlsplit(self.services.redis_url)
            return urlunsplit(real._replace(path=f"/{self.case.redis_db + 8}"))
        return value

    def env(self, service: str, *, development: bool = False) -> dict[str, str]:
        """What the container of ``service`` would see: image ENV, .env, environment:."""
        dotenv_values = dotenv(self.path / ".env")
        env = image_env((self.path / "Dockerfile").read_text())
        env.update(dotenv_values)
        spec = self.spec(service, development=development)
        for key, value in (spec.get("environment") or {}).items():
            env[key] = interpolate(value, dotenv_values)
        env = {key: self.translate(key, value) for key, value in env.items()}
        env["PATH"] = f"{self.path / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"
        env["HOSTNAME"] = socket.gethostname()
        env["WEB_CONCURRENCY"] = "2"  # gunicorn's default follows the CPU count
        return project_env(env)

    def localize(self, argument: str, port: int) -> str:
        """A free port instead of the container's, scratch files instead of its /tmp."""
        argument = re.sub(r"(0\.0\.0\.0|127\.0\.0\.1):(8000|5555)\b", f"127.0.0.1:{port}", argument)
        argument = argument.replace("--port=5555", f"--port={port}")
        return argument.replace("/tmp/", f"{self.scratch}/")

    def command(self, service: str, port: int, *, development: bool = False) -> list[str]:
        """The service's command (the image's CMD if it has none), through the entrypoint."""
        spec = self.spec(service, development=development)
        command = spec.get("command") or image_command((self.path / "Dockerfile").read_text())
        command = [self.localize(c, port) for c in command]
        return [str(self.path / "docker" / "entrypoint.sh"), *command]

    def healthcheck(self, service: str, port: int = 0) -> list[str]:
        test = self.compose["services"][service]["healthcheck"]["test"]
        test = [self.localize(interpolate(t, {}), port) for t in test]
        return ["sh", "-c", test[1]] if test[0] == "CMD-SHELL" else test[1:]

    def start(
        self, service: str, port: int = 0, *, development: bool = False
    ) -> tuple[subprocess.Popen[str], Path]:
        log = self.scratch / f"{service}{'-development' if development else ''}.log"
        process = subprocess.Popen(
            self.command(service, port, development=development),
            cwd=self.path,
            env=self.env(service, development=development),
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.running.append(process)
        return process, log

    def run(self, command: list[str], service: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command,
            cwd=self.path,
            env=self.env(service),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def create_database(self) -> None:
        self._database_script(CREATE_DATABASE)

    def drop_database(self) -> None:
        self._database_script(DROP_DATABASES)

    def _database_script(self, script: str) -> None:
        """Run a script of the project's own psycopg against this stack's database."""
        if self.case.uses_postgresql:
            self.project.assert_succeeds(
                "uv", "run", "python", "-c", script, env={"DATABASE_URL": self.database_url()}
            )

    def ensure_migrated(self) -> None:
        """For a test run on its own: what web's start-up would have done."""
        if not self.migrated:
            self.drop_database()
            self.create_database()
            result = self.run(["python", "manage.py", "migrate", "--noinput"], "web")
            assert result.returncode == 0, tail(result.stdout + result.stderr)
            self.migrated = True

    def stop(self, process: subprocess.Popen[str]) -> None:
        stop_process_group(process)


def wait_for(
    what: str, ready: Callable[[], bool], process: subprocess.Popen[str], log: Path
) -> None:
    """Poll ``ready`` until it holds; fail at once if the process dies, or at the deadline.

    Between polls the test waits on the process itself, so an exit is seen immediately.
    """
    deadline_left = DEADLINE * 2  # half-second steps
    while not ready():
        try:
            process.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            deadline_left -= 1
            if deadline_left <= 0:
                pytest.fail(f"{what}: not within {DEADLINE} s\n{tail(log.read_text())}")
        else:
            pytest.fail(f"{what}: the process exited {process.returncode}\n{tail(log.read_text())}")


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(c, id=str(c), marks=pytest.mark.xdist_group(str(c))) for c in DOCKER_CASES
    ],
)
def stack(
    request: pytest.FixtureRequest,
    installed: Callable[[Case], Installed],
    services: Services,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stack]:
    case: Case = request.param
    stack = Stack(
        project=installed(case),
        services=services,
        case=case,
        scratch=tmp_path_factory.mktemp(f"compose-{case}"),
        database=f"nexus_compose_{case}_{os.getpid()}",
    )
    stack.drop_database()
    yield stack
    for process in stack.running:
        stack.stop(process)
    stack.drop_database()


def ready_status(port: int, host: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/health/ready/", headers={"Host": host}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def test_web_waits_for_the_database_migrates_and_answers_ready(stack: Stack) -> None:
    port = free_port()
    env = stack.env("web")
    assert env.get("DJANGO_MIGRATE") == "true", "compose.yaml does not ask web to migrate"
    process, log = stack.start("web", port)
    if stack.case.uses_postgresql:
        # The database does not exist yet: the entrypoint must wait, not fail.
        wait_for(
            "the entrypoint says it waits",
            lambda: "waiting for the database" in log.read_text(),
            process,
            log,
        )
        stack.create_database()
    host = env["DJANGO_ALLOWED_HOSTS"].split(",")[0]
    wait_for("/health/ready/ answers 200", lambda: ready_status(port, host) == 200, process, log)
    stack.migrated = True
    output = log.read_text()
    assert "Applying" in output, "the entrypoint did not migrate"
    # exec: the process started as the entrypoint is now the server itself.
    command_line = Path(f"/proc/{process.pid}/cmdline").read_bytes().replace(b"\0", b" ")
    assert b"gunicorn" in command_line, f"the entrypoint did not exec the server: {command_line!r}"
    health = stack.run(stack.healthcheck("web", port), "web")
    assert health.returncode == 0, f"web's healthcheck fails: {tail(health.stderr)}"
    stack.stop(process)
    assert process.returncode is not None


def test_worker_answers_a_ping(stack: Stack) -> None:
    if "worker" not in stack.compose["services"]:
        pytest.skip("use_celery=n: no worker")
    stack.ensure_migrated()
    process, log = stack.start("worker")
    ping = stack.healthcheck("worker")
    wait_for(
        "the worker answers its healthcheck's ping",
        lambda: stack.run(ping, "worker").returncode == 0,
        process,
        log,
    )
    stack.stop(process)


def test_beat_starts(stack: Stack) -> None:
    if "beat" not in stack.compose["services"]:
        pytest.skip("use_celery=n: no beat")
    stack.ensure_migrated()
    process, log = stack.start("beat")
    wait_for("beat starts", lambda: "beat: Starting" in log.read_text(), process, log)
    check = stack.healthcheck("beat")
    wait_for(
        "beat's healthcheck passes", lambda: stack.run(check, "beat").returncode == 0, process, log
    )
    assert "Traceback" not in log.read_text(), tail(log.read_text())
    stack.stop(process)


def test_development_web_server_answers_ready(stack: Stack) -> None:
    """compose.override.yaml's web (what `make up` runs): local settings, runserver."""
    stack.ensure_migrated()
    port = free_port()
    env = stack.env("web", development=True)
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.local"
    process, log = stack.start("web", port, development=True)
    host = env["DJANGO_ALLOWED_HOSTS"].split(",")[0]
    wait_for("/health/ready/ answers 200", lambda: ready_status(port, host) == 200, process, log)
    health = stack.run(stack.healthcheck("web", port), "web")
    assert health.returncode == 0, f"web's healthcheck fails: {tail(health.stderr)}"
    stack.stop(process)


def test_flower_answers_its_healthcheck(stack: Stack) -> None:
    if stack.case.combo.context["use_flower"] == "n":
        # Nothing to start: the promise for this stack is that there is no Flower at all.
        assert "flower" not in stack.compose["services"]
        return
    stack.ensure_migrated()  # the entrypoint waits for the database web would have made
    port = free_port()
    env = stack.env("flower")
    assert env.get("FLOWER_USER"), "flower gets no basic-auth user"
    assert env.get("FLOWER_PASSWORD"), "flower gets no basic-auth password"
    process, log = stack.start("flower", port)
    check = stack.healthcheck("flower", port)
    wait_for(
        "flower answers its healthcheck",
        lambda: stack.run(check, "flower").returncode == 0,
        process,
        log,
    )
    stack.stop(process)
