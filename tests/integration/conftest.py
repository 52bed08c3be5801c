"""Integration fixtures: bake a combination once per session, install it with uv, run it.

Each combination's tests share one xdist group, so under ``--dist loadgroup`` one worker
bakes and installs it once and runs all of its commands; the combinations run in parallel.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.baking import TOOL_ENV, bake, describe
from tests.options import ALL_OFF, ALL_ON, DEFAULT, Combo

# Variables of the generated service: none may leak in from the shell that runs the tests.
SERVICE_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "SENTRY_DSN",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_LOG_LEVEL",
    "DJANGO_LOG_FORMAT",
    "METRICS_TOKEN",
    "PROMETHEUS_MULTIPROC_DIR",
    "CELERY_WORKER_METRICS_PORT",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_SERVICE_NAME",
    "DJANGO_CORS_ALLOWED_ORIGINS",
    "DJANGO_CSRF_COOKIE_HTTPONLY",
)
UV_CACHE_DIR = os.environ.get("UV_CACHE_DIR") or str(
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "uv"
)
COMMAND_TIMEOUT = 900


@dataclass(frozen=True)
class Installed:
    """A baked project with its own .venv, and how to run commands in it."""

    combo: Combo
    path: Path

    def run(
        self, *command: str, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command,
            cwd=self.path,
            env=project_env(env),
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )

    def assert_succeeds(self, *command: str, env: Mapping[str, str] | None = None) -> None:
        result = self.run(*command, env=env)
        assert result.returncode == 0, f"[{self.combo}] {describe(result)}"


def project_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a command in a baked project: ours, less anything that would
    point uv at the template's venv or configure the service, plus ``extra``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PYTHONPATH", *SERVICE_VARIABLES}
        and not key.startswith("PYTEST_")
    }
    env.update(TOOL_ENV)
    env["UV_CACHE_DIR"] = UV_CACHE_DIR
    env.update(extra or {})
    return env


@dataclass(frozen=True)
class Case:
    """A combination the integration tests install, and what it gets from real services."""

    combo: Combo
    redis_db: int  # its own Redis database index, so parallel runs never share keys

    @property
    def python(self) -> str:
        return self.combo.context["python_version"]

    @property
    def uses_postgresql(self) -> bool:
        return self.combo.context["database"] == "postgresql"

    @property
    def uses_redis(self) -> bool:
        return self.combo.context["use_redis"] == "y"

    def __str__(self) -> str:
        return self.combo.name


# Python 3.14 cannot be installed here, so the defaults and all-on run on 3.13, all-off on 3.12.
CASES = (
    Case(Combo("defaults_py313", {**DEFAULT.answers, "python_version": "3.13"}), redis_db=1),
    Case(Combo("all_on_py313", {**ALL_ON.answers, "python_version": "3.13"}), redis_db=2),
    Case(Combo("all_off_py312", {**ALL_OFF.answers, "python_version": "3.12"}), redis_db=3),
)


def each_case(cases: tuple[Case, ...] = CASES) -> pytest.MarkDecorator:
    """Parametrize a test over ``cases``, grouping each case's tests on one xdist worker."""
    return pytest.mark.parametrize(
        "case",
        [pytest.param(c, id=str(c), marks=pytest.mark.xdist_group(str(c))) for c in cases],
    )


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Case], Installed]:
    """Bake and ``uv sync`` each case once per worker; a failed install fails every test."""
    done: dict[str, Installed | str] = {}

    def get(case: Case) -> Installed:
        if case.combo.name not in done:
            done[case.combo.name] = _install(case, tmp_path_factory.mktemp(case.combo.name))
        outcome = done[case.combo.name]
        if isinstance(outcome, str):
            pytest.fail(outcome, pytrace=False)
        return outcome

    return get


def _install(case: Case, directory: Path) -> Installed | str:
    project = Installed(case.combo, bake(case.combo, directory))
    result = project.run("uv", "sync", "--python", case.python)
    if result.returncode != 0:
        return f"[{case}] installing the baked project failed: {describe(result)}"
    return project


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _unavailable(message: str) -> None:
    """In CI a missing service is a failure; on a developer's machine, a skip."""
    if _in_ci():
        pytest.fail(f"{message} (CI=true: the services must run)", pytrace=False)
    pytest.skip(message)


def _answers(url: str, port: int, probe: bytes, expect: tuple[bytes, ...]) -> str | None:
    """None if the service at ``url`` answers ``probe`` with one of ``expect``, else why not."""
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname, parts.port or port), timeout=5
        ) as connection:
            connection.sendall(probe)
            reply = connection.recv(64)
    except OSError as error:
        return str(error)
    if not reply.startswith(expect):
        return f"answered {reply!r} to {probe!r}"
    return None


@dataclass(frozen=True)
class Services:
    """The real PostgreSQL and Redis of NEXUS_TEST_DATABASE_URL / NEXUS_TEST_REDIS_URL."""

    database_url: str
    redis_url: str

    def env_for(self, case: Case) -> dict[str, str]:
        """URLs only this case uses: its own database name and its own Redis DB index."""
        env = {}
        if case.uses_postgresql:
            name = f"nexus_{case.combo.name}_{os.getpid()}"
            env["DATABASE_URL"] = urlunsplit(urlsplit(self.database_url)._replace(path=f"/{name}"))
        if case.uses_redis:
            url = urlsplit(self.redis_url)._replace(path=f"/{case.redis_db}")
            env["REDIS_URL"] = urlunsplit(url)
        return env


def redis_command(url: str, *arguments: str) -> bytes:
    """One command to the Redis server and database of ``url``; its raw RESP reply."""
    parts = urlsplit(url)
    database = parts.path.lstrip("/") or "0"

    def encoded(*words: str) -> bytes:
        return f"*{len(words)}\r\n".encode() + b"".join(
            f"${len(word.encode())}\r\n{word}\r\n".encode() for word in words
        )

    with socket.create_connection((parts.hostname, parts.port or 6379), timeout=5) as connection:
        # QUIT makes the server close the connection once it has answered all three.
        connection.sendall(encoded("SELECT", database) + encoded(*arguments) + encoded("QUIT"))
        reply = b""
        while chunk := connection.recv(4096):
            reply += chunk
    # Drop SELECT's "+OK" before and QUIT's after.
    return reply.split(b"\r\n", 1)[1].removesuffix(b"+OK\r\n")


@pytest.fixture(scope="session")
def services() -> Services:
    urls = {}
    for variable in ("NEXUS_TEST_DATABASE_URL", "NEXUS_TEST_REDIS_URL"):
        if not os.environ.get(variable):
            _unavailable(f"{variable} is not set")
        urls[variable] = os.environ[variable]
    probes = {
        # An SSLRequest: PostgreSQL answers one byte, 'S' or 'N'.
        "NEXUS_TEST_DATABASE_URL": (5432, b"\x00\x00\x00\x08\x04\xd2\x16\x2f", (b"S", b"N")),
        "NEXUS_TEST_REDIS_URL": (6379, b"PING\r\n", (b"+PONG",)),
    }
    for variable, (port, probe, expect) in probes.items():
        if problem := _answers(urls[variable], port, probe, expect):
            _unavailable(f"{variable}={urls[variable]} does not answer: {problem}")
    return Services(urls["NEXUS_TEST_DATABASE_URL"], urls["NEXUS_TEST_REDIS_URL"])


# Run with the baked project's own psycopg: pytest-django keeps its test database between
# runs (--reuse-db), so each run's uniquely named databases are dropped once it is done.
DROP_DATABASES = """
import os
from urllib.parse import urlsplit, urlunsplit

import psycopg

url = urlsplit(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
with psycopg.connect(urlunsplit(url._replace(path="/postgres")), autocommit=True) as connection:
    for database in (name, f"test_{name}"):
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
"""


# Creates the database DATABASE_URL names, for tests that start servers of their own.
CREATE_DATABASE = """
import os
from urllib.parse import urlsplit, urlunsplit

import psycopg

url = urlsplit(os.environ["DATABASE_URL"])
with psycopg.connect(urlunsplit(url._replace(path="/postgres")), autocommit=True) as connection:
    connection.execute(f'CREATE DATABASE "{url.path.lstrip("/")}"')
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop_process_group(process: subprocess.Popen[str]) -> None:
    """Stop a server started in its own process group: SIGTERM, then SIGKILL if it hangs."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


@pytest.fixture
def real_services(
    services: Services, installed: Callable[[Case], Installed], case: Case
) -> Iterator[dict[str, str]]:
    """The environment pointing ``case`` at the real services; its databases dropped after."""
    env = services.env_for(case)
    yield env
    if "DATABASE_URL" in env:
        installed(case).assert_succeeds("uv", "run", "python", "-c", DROP_DATABASES, env=env)
