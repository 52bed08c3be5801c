"""The image and the compose stack, built and run by a real Docker engine.

For three bakes (the defaults, ``database=sqlite use_celery=n`` and all-on) these tests
lock the project (a fresh bake has no uv.lock), ``docker build`` its image and inspect it
(non-root, no compiler, uv or pip, within the size budget, nothing .dockerignore keeps
out), then run the production-shaped ``compose.yaml`` as its header comment says:
every service healthy in time, ``/health/ready/``, a JWT login and an article round trip
through the published port, a Celery task run by the worker container, and ``down -v``
leaving nothing. One bake also runs the development stack through ``make up``, and the
default stack has to recover by itself from a database restart and a killed worker.

The engine is the one DOCKER_HOST names (``.ci/run`` starts ``../shared/docker-engine``
and exports what it prints). Without one these tests start that kit when it sits beside
the checkout; with CI=true a missing engine fails them, elsewhere they are skipped.

Every stack has its own compose project name, host ports and image tag (the project slug
carries this process's id), so two runs on one engine never meet; all tests share one
xdist group, so they run one after the other on one worker.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.baking import bake, describe, tail
from tests.integration.conftest import free_port, project_env
from tests.options import ALL_ON, DEFAULT, TEMPLATE_DIR, Combo

pytestmark = [pytest.mark.integration, pytest.mark.docker, pytest.mark.xdist_group("docker")]

# The runtime image of the default bake is about 250 MB (a slim Python, the locked
# dependencies, the code). 300 MB leaves room for a few dependencies; more than that is a
# build stage leaking into the runtime one, or a cache copied in.
IMAGE_SIZE_BUDGET_MB = 300
# `up --wait` of the all-on stack takes about 40 s on an idle two-core machine; a loaded
# one is several times slower, but a stack stuck in a retry loop never gets there.
UP_BUDGET_SECONDS = 240
# How long the stack may take to answer again after its database restarted or its worker
# was killed (restart policy, healthchecks, the entrypoint's wait for the database).
RECOVERY_SECONDS = 180
# The engine kit, beside the checkout (README "Testing the template").
ENGINE_KIT = TEMPLATE_DIR.parent / "shared" / "docker-engine" / "start"
HOST = "localhost"  # the first of DJANGO_ALLOWED_HOSTS in the .env a bake writes
PASSWORD = "correct-horse-battery-staple"
# Files a developer's checkout has that .dockerignore must keep out of the image.
LEFT_OUT = (
    ".env",
    ".env.local",
    "db.sqlite3",
    "db.sqlite3-journal",
    "db.sqlite3-wal",
    "test_db.sqlite3",
    "{slug}/scratch.sqlite3",
    ".git/HEAD",
    ".venv/pyvenv.cfg",
    "{slug}/__pycache__/stale.cpython-313.pyc",
    ".mypy_cache/CACHEDIR.TAG",
    ".ruff_cache/CACHEDIR.TAG",
    ".pytest_cache/CACHEDIR.TAG",
    ".cache/uv/CACHEDIR.TAG",
    "htmlcov/index.html",
    ".coverage",
)
TOOLS = ("gcc", "cc", "c++", "g++", "clang", "make", "uv", "uvx", "pip", "pip3")
INSPECT_IMAGE = """
import importlib.util, json, os, shutil
print(json.dumps({
    "uid": os.getuid(),
    "tools": {tool: shutil.which(tool) for tool in %r},
    "pip_module": importlib.util.find_spec("pip") is not None,
    "present": [name for name in %r if os.path.lexists(os.path.join("/app", name))],
    "manage_py": os.path.isfile("/app/manage.py"),
}))
"""


@dataclass(frozen=True)
class DockerCase:
    name: str
    combo: Combo

    @property
    def celery(self) -> bool:
        return self.combo.context["use_celery"] == "y"

    @property
    def flower(self) -> bool:
        return self.combo.context["use_flower"] == "y"

    @property
    def services(self) -> set[str]:
        names = {"web"}
        if self.combo.context["database"] == "postgresql":
            names.add("db")
        if self.combo.context["use_redis"] == "y":
            names.add("redis")
        if self.celery:
            names |= {"worker", "beat"}
        if self.flower:
            names.add("flower")
        return names

    def __str__(self) -> str:
        return self.name


def _slugged(short: str, answers: Mapping[str, str]) -> Combo:
    # The slug names the image (compose.yaml's `image: <slug>:local`): this process's id
    # in it keeps two runs on one engine from overwriting each other's image.
    return Combo(short, {**answers, "project_slug": f"nx_{short}_{os.getpid()}"})


DEFAULTS = DockerCase("defaults", _slugged("def", DEFAULT.answers))
SQLITE = DockerCase("sqlite_no_celery", _slugged("lite", {"database": "sqlite", "use_celery": "n"}))
ALL = DockerCase("all_on", _slugged("all", ALL_ON.answers))
DOCKER_CASES = (DEFAULTS, SQLITE, ALL)


def each(*cases: DockerCase) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("case", cases, ids=str)


# --- the engine -------------------------------------------------------------------------


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _engine_problem(env: Mapping[str, str]) -> str | None:
    """None if the docker CLI reaches an engine with BuildKit and compose, else why not."""
    if shutil.which("docker", path=env.get("PATH")) is None:
        return "no docker CLI on PATH"
    for command in (
        ("docker", "version", "--format", "{{.Server.Version}}"),
        ("docker", "buildx", "version"),
        ("docker", "compose", "version"),
    ):
        try:
            result = subprocess.run(
                command, env=env, capture_output=True, text=True, timeout=60, check=False
            )
        except subprocess.TimeoutExpired:
            return f"`{' '.join(command)}` did not answer in 60 s"
        if result.returncode != 0:
            return describe(result).splitlines()[0]
    return None


def _start_engine() -> str | None:
    """Start the kit beside the checkout and apply the exports it prints; None if it ran."""
    result = subprocess.run(
        [str(ENGINE_KIT)], capture_output=True, text=True, timeout=1800, check=False
    )
    if result.returncode != 0:
        return f"{ENGINE_KIT} failed: {describe(result)}"
    for line in result.stdout.splitlines():
        if match := re.fullmatch(r"export (\w+)=(.*)", line.strip()):
            name, value = match[1], match[2].strip("'\"")
            os.environ[name] = value.replace("$PATH", os.environ.get("PATH", ""))
    return None


@pytest.fixture(scope="session")
def engine() -> None:
    """A working engine, or a failure (CI=true) or skip (elsewhere) that says why not."""
    problem = _engine_problem(os.environ)
    if problem and ENGINE_KIT.is_file():
        problem = _start_engine() or _engine_problem(os.environ)
    if problem:
        message = f"no usable Docker engine: {problem}"
        if _in_ci():
            pytest.fail(f"{message} (CI=true: the docker tests must run)", pytrace=False)
        pytest.skip(message)


def docker(
    *command: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: int = 900,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["docker", *command],
        cwd=cwd,
        env=project_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check:
        assert result.returncode == 0, describe(result)
    return result


# --- the image --------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    case: DockerCase
    path: Path

    @property
    def slug(self) -> str:
        return self.case.combo.context["project_slug"]

    @property
    def image(self) -> str:
        return f"{self.slug}:local"


def _leave_out_files(project: Path, slug: str) -> None:
    """What a working copy has beside the code: local state, secrets, caches, git."""
    subprocess.run(["git", "init", "--quiet", str(project)], check=True, timeout=60)
    for name in LEFT_OUT:
        path = project / name.format(slug=slug)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("must not reach the image\n")


@pytest.fixture(scope="session")
def built(engine: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Bake, lock and `docker build` each case once; its image removed at the end."""
    done: dict[str, Built | str] = {}

    def get(case: DockerCase) -> Built:
        if case.name not in done:
            done[case.name] = _build(case, tmp_path_factory.mktemp(f"docker_{case.name}"))
        outcome = done[case.name]
        if isinstance(outcome, str):
            pytest.fail(outcome, pytrace=False)
        return outcome

    yield get
    for outcome in done.values():
        if isinstance(outcome, Built):
            docker("image", "rm", "--force", outcome.image, check=False)


def _build(case: DockerCase, directory: Path) -> Built | str:
    project = Built(case, bake(case.combo, directory))
    locked = subprocess.run(
        ["uv", "lock"],
        cwd=project.path,
        env=project_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if locked.returncode != 0:
        return f"[{case}] uv lock failed: {describe(locked)}"
    _leave_out_files(project.path, project.slug)
    result = docker(
        "build", "--progress=plain", "-t", project.image, ".", cwd=project.path, check=False
    )
    if result.returncode != 0:
        return f"[{case}] docker build failed: {describe(result)}"
    return project


@each(*DOCKER_CASES)
def test_the_image_is_small_runs_as_non_root_and_holds_no_build_tools(
    built: Any, case: DockerCase
) -> None:
    project: Built = built(case)
    inspected = json.loads(docker("image", "inspect", project.image).stdout)[0]
    assert inspected["Config"]["User"] == "10001:10001", inspected["Config"]["User"]
    size_mb = inspected["Size"] / 1e6
    assert size_mb <= IMAGE_SIZE_BUDGET_MB, f"[{case}] {size_mb:.0f} MB > {IMAGE_SIZE_BUDGET_MB} MB"

    names = tuple(name.format(slug=project.slug) for name in LEFT_OUT)
    script = INSPECT_IMAGE % (TOOLS, names)
    found = json.loads(
        docker("run", "--rm", "--entrypoint", "python", project.image, "-c", script).stdout
    )
    assert found["manage_py"], "the code is not in /app"
    assert found["uid"] == 10001, found
    assert {tool: path for tool, path in found["tools"].items() if path} == {}
    assert not found["pip_module"], "pip is importable in the runtime image"
    assert found["present"] == [], f"[{case}] .dockerignore let these in: {found['present']}"


# --- the stack --------------------------------------------------------------------------


@dataclass
class Stack:
    project: Built
    name: str
    web_port: int
    env: dict[str, str]
    compose_files: tuple[str, ...] = ("-f", "compose.yaml")

    def compose(
        self, *command: str, timeout: int = 900, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        return docker(
            "compose",
            "-p",
            self.name,
            *self.compose_files,
            *command,
            cwd=self.project.path,
            env=self.env,
            timeout=timeout,
            check=check,
        )

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str = "",
        https: bool = True,
        timeout: float = 15,
    ) -> tuple[int, Any, Mapping[str, str]]:
        headers = {"Host": HOST, "Accept": "application/json"}
        if https:
            # What the TLS proxy in front says (production settings trust the header).
            headers["X-Forwarded-Proto"] = "https"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.web_port}{path}", data=data, method=method, headers=headers
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=timeout) as response:
                status, raw, answer_headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, answer_headers = error.code, error.read(), error.headers
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode(errors="replace")
        return status, parsed, answer_headers

    def states(self) -> dict[str, tuple[str, str]]:
        """service -> (state, health) of each of its containers."""
        out = self.compose("ps", "--all", "--format", "json").stdout
        rows = [json.loads(line) for line in out.splitlines() if line.strip()]
        if len(rows) == 1 and isinstance(rows[0], list):
            rows = rows[0]
        return {row["Service"]: (row["State"], row.get("Health", "")) for row in rows}

    def logs(self, *services: str) -> str:
        return self.compose("logs", "--no-color", "--no-log-prefix", *services, check=False).stdout

    def log_in(self, username: str) -> str:
        status, body, _ = self.request(
            "POST", "/api/v1/auth/token/", {"username": username, "password": PASSWORD}
        )
        assert status == 200, (status, body)
        return body["access"]

    def create_user(self, username: str) -> None:
        self.compose(
            "exec",
            "-T",
            "-e",
            f"DJANGO_SUPERUSER_PASSWORD={PASSWORD}",
            "web",
            "python",
            "manage.py",
            "createsuperuser",
            "--noinput",
            f"--username={username}",
            f"--email={username}@example.com",
        )

    def leftovers(self) -> dict[str, list[str]]:
        label = f"label=com.docker.compose.project={self.name}"
        return {
            kind: found
            for kind, listing in (
                ("containers", ("ps", "--all", "--quiet", "--filter", label)),
                ("volumes", ("volume", "ls", "--quiet", "--filter", label)),
                ("networks", ("network", "ls", "--quiet", "--filter", label)),
            )
            if (found := docker(*listing).stdout.split())
        }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _stack_env(case: DockerCase, name: str, web_port: int) -> dict[str, str]:
    env = {"COMPOSE_PROJECT_NAME": name, "WEB_PORT": str(web_port)}
    if case.flower:
        env["FLOWER_PORT"] = str(free_port())
    return env


@contextmanager
def running(project: Built, *, development: bool = False) -> Iterator[Stack]:
    """The case's stack, up and healthy; `down -v` before and after, whatever happens."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"{project.slug}-{'dev' if development else 'prod'}-{worker}".replace("_", "-")
    port = free_port()
    stack = Stack(project, name, port, _stack_env(project.case, name, port))
    if development:
        stack.compose_files = ()  # compose.yaml and compose.override.yaml, as `make up`
    stack.compose("down", "--volumes", "--remove-orphans", check=False)
    try:
        started = time.monotonic()
        if development:
            result = subprocess.run(
                ["make", "up"],
                cwd=project.path,
                env=project_env(stack.env),
                capture_output=True,
                text=True,
                timeout=UP_BUDGET_SECONDS + 600,
                check=False,
            )
        else:
            # The command compose.yaml's header gives, with a deadline.
            result = stack.compose(
                "up",
                "--build",
                "--detach",
                "--wait",
                "--wait-timeout",
                str(UP_BUDGET_SECONDS),
                timeout=UP_BUDGET_SECONDS + 600,
                check=False,
            )
        took = time.monotonic() - started
        assert result.returncode == 0, f"[{project.case}] {describe(result)}\n{tail(stack.logs())}"
        states = stack.states()
        assert set(states) == project.case.services, states
        unhealthy = {s: st for s, st in states.items() if st != ("running", "healthy")}
        assert unhealthy == {}, f"{unhealthy}\n{tail(stack.logs())}"
        # A healthy stack in time, builds included (cached by the image test before).
        assert took <= UP_BUDGET_SECONDS, f"up --wait took {took:.0f} s"
        print(f"[{project.case}] {'make up' if development else 'up --wait'}: {took:.0f} s")
        yield stack
    finally:
        stack.compose("down", "--volumes", "--remove-orphans", check=False, timeout=300)


def _article_round_trip(stack: Stack, token: str, title: str = "Through the stack") -> int:
    status, created, _ = stack.request(
        "POST",
        "/api/v1/articles/",
        {"title": title, "body": "Hello", "status": "published"},
        token=token,
    )
    assert status == 201, (status, created)
    status, fetched, _ = stack.request("GET", f"/api/v1/articles/{created['id']}/", token=token)
    assert status == 200, (status, fetched)
    assert fetched["title"] == title, fetched
    return int(created["id"])


def _wait_for(what: str, ready: Any, seconds: float, stack: Stack) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(1)
    pytest.fail(f"{what}: not within {seconds:.0f} s\n{tail(stack.logs())}", pytrace=False)


def _task_ran(stack: Stack, comment_id: int) -> bool:
    for line in stack.logs("worker").splitlines():
        # compose prefixes each line with a terminal escape (erase line) even without a TTY.
        record_text = line[line.find("{") :]
        if record_text.startswith("{") and '"notify_article_author_done"' in record_text:
            record = json.loads(record_text)
            if record.get("comment_id") == comment_id:
                return True
    return False


def _comment_runs_a_task(stack: Stack, article_id: int, token: str, seconds: float) -> None:
    status, comment, _ = stack.request(
        "POST", f"/api/v1/articles/{article_id}/comments/", {"body": "A task"}, token=token
    )
    assert status == 201, (status, comment)
    # The comment enqueues the author's notification; the worker container runs it.
    _wait_for(
        f"the worker ran the task of comment {comment['id']}",
        lambda: _task_ran(stack, comment["id"]),
        seconds,
        stack,
    )


@each(*DOCKER_CASES)
def test_the_production_stack_serves_through_the_published_port(
    built: Any, case: DockerCase
) -> None:
    project: Built = built(case)
    with running(project) as stack:
        status, body, _ = stack.request("GET", "/health/ready/")
        assert status == 200, (status, body)
        # Without a proxy in front only /health/ answers plain HTTP; the rest redirects.
        status, _, headers = stack.request("GET", "/api/v1/articles/", https=False)
        assert status == 301, status
        assert headers["Location"] == f"https://{HOST}/api/v1/articles/", headers["Location"]

        stack.create_user("ada")
        token = stack.log_in("ada")
        status, me, _ = stack.request("GET", "/api/v1/users/me/", token=token)
        assert (status, me["username"]) == (200, "ada"), (status, me)
        article_id = _article_round_trip(stack, token)
        if case.celery:
            _comment_runs_a_task(stack, article_id, token, seconds=120)
        if case.flower:
            flower_port = stack.env["FLOWER_PORT"]
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"http://127.0.0.1:{flower_port}/", timeout=15)
            assert refused.value.code == 401, "Flower answers without its credentials"
    assert stack.leftovers() == {}, "docker compose down -v left these behind"


@each(SQLITE)
def test_make_up_runs_the_development_stack(built: Any, case: DockerCase) -> None:
    project: Built = built(case)
    with running(project, development=True) as stack:
        # Local settings: plain HTTP, the development server.
        status, body, _ = stack.request("GET", "/health/ready/", https=False)
        assert status == 200, (status, body)
        status, body, _ = stack.request("GET", "/api/v1/articles/", https=False)
        assert status == 200, (status, body)
        assert "runserver" in stack.compose("top", "web").stdout
    assert stack.leftovers() == {}, "docker compose down -v left these behind"


def _ready(stack: Stack) -> bool:
    try:
        return stack.request("GET", "/health/ready/", timeout=5)[0] == 200
    except OSError:
        return False


@each(DEFAULTS)
def test_the_stack_recovers_from_a_database_restart_and_a_killed_worker(
    built: Any, case: DockerCase
) -> None:
    project: Built = built(case)
    with running(project) as stack:
        stack.create_user("ada")
        token = stack.log_in("ada")
        article_id = _article_round_trip(stack, token)

        stack.compose("restart", "db", timeout=300)
        # Requests during and after the restart: the first ones may fail (503), none may
        # leave web broken; it reconnects without being restarted.
        statuses = []
        deadline = time.monotonic() + RECOVERY_SECONDS
        while time.monotonic() < deadline:
            try:
                status = stack.request("GET", f"/api/v1/articles/{article_id}/", timeout=5)[0]
            except OSError as error:
                status = type(error).__name__
            statuses.append(status)
            if statuses[-3:] == [200] * 3:
                break
            time.sleep(1)
        assert statuses[-3:] == [200] * 3, f"after `restart db`: {statuses}\n{tail(stack.logs())}"
        _article_round_trip(stack, token, title="After the database restart")

        # A crash, as the kernel's OOM killer makes one: SIGKILL to the worker's process.
        # (`docker kill` would not do: the engine takes it for a manual stop, and restart
        # policies ignore a container stopped by hand.)
        worker = stack.compose("ps", "--quiet", "worker").stdout.strip()
        pid = int(docker("inspect", "--format", "{{.State.Pid}}", worker).stdout)
        os.kill(pid, signal.SIGKILL)
        for _ in range(3):
            assert _ready(stack), "web stopped answering while the worker was down"
        # The restart policy brings the worker back, its healthcheck says when it serves,
        # and a task enqueued meanwhile or after runs.
        _comment_runs_a_task(stack, article_id, token, seconds=RECOVERY_SECONDS)
        _wait_for(
            "the worker is healthy again",
            lambda: stack.states().get("worker") == ("running", "healthy"),
            RECOVERY_SECONDS,
            stack,
        )
    assert stack.leftovers() == {}, "docker compose down -v left these behind"
