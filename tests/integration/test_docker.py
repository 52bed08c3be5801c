"""The image and the compose stacks, built and run on a real Docker engine.

For three bakes (the defaults, SQLite without Celery, all-on): lock, `docker build`, check
the runtime image (non-root, no compiler, uv or pip, a size budget, nothing
`.dockerignore` keeps out), `docker compose -f compose.yaml up --wait`, every service
healthy within a budget, readiness, a JWT login and an article round trip through the
published port, a task run by the worker container, recovery from a restarted database
and killed containers, and `down -v` leaving nothing. The development stack runs once,
through `make up`.

The engine is the one DOCKER_HOST names (`.ci/run` starts ../shared/docker-engine when it
is there) or the machine's own. Without one these tests skip, and with CI=true they fail.
Each bake gets its own slug, so image tags, compose projects and published ports never
collide between stacks that run at the same time.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.baking import GIT_ENV, bake, tail
from tests.integration.conftest import _unavailable, free_port, project_env
from tests.options import ALL_ON, DEFAULT, Combo

pytestmark = [pytest.mark.integration, pytest.mark.docker]

# Budgets, measured on the two-core CI machine with the other integration tests running
# beside (see the template README): the image's size and how long `up --wait` may take.
IMAGE_SIZE_BUDGETS_MB = {"docker_defaults": 300, "docker_sqlite": 300, "docker_all_on": 400}
UP_BUDGET_SECONDS = 240
RECOVERY_BUDGET_SECONDS = 180
COMMAND_TIMEOUT = 900

STACKS = (
    Combo("docker_defaults", {**DEFAULT.answers, "project_slug": "docker_defaults"}),
    Combo(
        "docker_sqlite",
        {"project_slug": "docker_sqlite", "database": "sqlite", "use_celery": "n"},
    ),
    Combo(
        "docker_all_on",
        {**ALL_ON.answers, "python_version": "3.13", "project_slug": "docker_all_on"},
    ),
)
# What `.dockerignore` must keep out, planted in the build context before each build.
PLANTED = (
    "db.sqlite3",
    "db.sqlite3-journal",
    "test_db.sqlite3",
    "config/other.sqlite3",
    ".git/HEAD",
    ".mypy_cache/x",
    ".ruff_cache/x",
    ".pytest_cache/x",
    ".venv/pyvenv.cfg",
    "config/__pycache__/settings.cpython-313.pyc",
)


def docker(*arguments: str, cwd: Path | None = None, timeout: int = COMMAND_TIMEOUT, env=None):
    return subprocess.run(
        ["docker", *arguments],
        cwd=cwd,
        env=project_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def succeeds(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, (
        f"{' '.join(result.args)} exited {result.returncode}\n{tail(result.stdout + result.stderr)}"
    )
    return result.stdout


@pytest.fixture(scope="session")
def engine() -> None:
    """A Docker engine with BuildKit and compose, or a skip (a failure with CI=true)."""
    if shutil.which("docker") is None:
        _unavailable("no docker CLI (start ../shared/docker-engine/start, or install Docker)")
    for command in (("info",), ("buildx", "version"), ("compose", "version")):
        result = docker(*command, timeout=60)
        if result.returncode != 0:
            _unavailable(f"docker {' '.join(command)} fails: {tail(result.stderr)}")


@dataclass
class Stack:
    """A baked project, its image, and its compose project on free ports."""

    combo: Combo
    path: Path
    web_port: int
    flower_port: int
    build_seconds: float = 0.0
    build_log: str = ""
    up_seconds: float = 0.0
    user_created: bool = False

    @property
    def slug(self) -> str:
        return self.combo.answers["project_slug"]

    @property
    def image(self) -> str:
        return f"{self.slug}:local"

    @property
    def project(self) -> str:
        return f"nexus-{self.slug.replace('_', '-')}"

    @property
    def env(self) -> dict[str, str]:
        return {"WEB_PORT": str(self.web_port), "FLOWER_PORT": str(self.flower_port)}

    def compose(self, *arguments: str, development: bool = False, timeout: int = COMMAND_TIMEOUT):
        files = () if development else ("-f", "compose.yaml")
        return docker(
            "compose", *files, "-p", self.project, *arguments,
            cwd=self.path, env=self.env, timeout=timeout,
        )  # fmt: skip

    def services(self) -> dict[str, dict]:
        """Each service's container, as `docker compose ps` reports it."""
        out = succeeds(self.compose("ps", "--all", "--format", "json"))
        rows = [json.loads(line) for line in out.splitlines() if line.strip()]
        return {row["Service"]: row for row in rows}

    def exec(self, service: str, *command: str, env: dict[str, str] | None = None) -> str:
        options = [item for key, value in (env or {}).items() for item in ("-e", f"{key}={value}")]
        return succeeds(self.compose("exec", "-T", *options, service, *command))

    def leftovers(self) -> list[str]:
        label = f"label=com.docker.compose.project={self.project}"
        found = []
        for kind in ("container", "volume", "network"):
            listing = ("ps", "--all") if kind == "container" else (kind, "ls")
            out = succeeds(docker(*listing, "--quiet", "--filter", label))
            found += [f"{kind} {name}" for name in out.split()]
        return found

    def down(self, *, development: bool = False) -> None:
        succeeds(self.compose("down", "--volumes", "--timeout", "20", development=development))


def request(
    stack: Stack, method: str, path: str, body: dict | None = None, token: str | None = None,
    *, port: int | None = None, proxied: bool = True,
) -> tuple[int, dict[str, str], bytes]:  # fmt: skip
    """One request through the published port, as the TLS proxy in front would send it."""
    headers = {"Host": "localhost", "Content-Type": "application/json"}
    if proxied:
        headers["X-Forwarded-Proto"] = "https"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    url = f"http://127.0.0.1:{port or stack.web_port}{path}"
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(
            urllib.request.Request(url, data, headers, method=method), timeout=10
        ) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except OSError:
        return 0, {}, b""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def eventually(what: str, check: Callable[[], bool], budget: float) -> float:
    """Poll ``check`` each second until it holds; the seconds it took, or a failure."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > budget:
            pytest.fail(f"{what}: not within {budget:.0f} s")
        time.sleep(1)
    return time.monotonic() - started


def plant_ignored_files(path: Path) -> None:
    for relative in PLANTED:
        planted = path / relative
        planted.parent.mkdir(parents=True, exist_ok=True)
        planted.write_text("must not reach the image\n")


@pytest.fixture(scope="module")
def baked(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Combo], Stack]:
    """Bake, lock and build each stack once per worker (a failure fails its every test)."""
    done: dict[str, Stack] = {}

    def get(combo: Combo) -> Stack:
        if combo.name not in done:
            path = bake(combo, tmp_path_factory.mktemp(combo.name))
            stack = Stack(combo, path, web_port=free_port(), flower_port=free_port())
            done[combo.name] = stack
            lock = subprocess.run(
                ["uv", "lock"], cwd=path, env=project_env(GIT_ENV), capture_output=True,
                text=True, timeout=COMMAND_TIMEOUT, check=False,
            )  # fmt: skip
            succeeds(lock)
            plant_ignored_files(path)
            started = time.monotonic()
            build = docker("build", "--progress=plain", "-t", stack.image, ".", cwd=path)
            stack.build_seconds = time.monotonic() - started
            stack.build_log = build.stdout + build.stderr
            succeeds(build)
        return done[combo.name]

    return get


@pytest.fixture(
    scope="module",
    params=[pytest.param(c, id=c.name, marks=pytest.mark.xdist_group(c.name)) for c in STACKS],
)
def stack(request: pytest.FixtureRequest, engine: None, baked) -> Iterator[Stack]:
    """The production-shaped stack (compose.yaml alone), up and healthy."""
    stack = baked(request.param)
    started = time.monotonic()
    up = stack.compose("up", "--detach", "--wait", "--wait-timeout", str(UP_BUDGET_SECONDS))
    stack.up_seconds = time.monotonic() - started
    if up.returncode != 0:
        logs = stack.compose("logs", "--no-color", "--tail", "40").stdout
        stack.down()
        pytest.fail(f"up --wait failed:\n{tail(up.stdout + up.stderr)}\n{tail(logs)}")
    yield stack
    stack.down()


# The image


def test_image_builds_without_warnings(stack: Stack) -> None:
    assert "SYS_UID_MAX" not in stack.build_log, tail(stack.build_log)
    assert "useradd warning" not in stack.build_log, tail(stack.build_log)


def test_image_runs_as_a_non_root_user_without_build_tools(stack: Stack) -> None:
    user = succeeds(docker("image", "inspect", "--format", "{{.Config.User}}", stack.image))
    assert user.strip() == "10001:10001"
    uid = succeeds(docker("run", "--rm", "--entrypoint", "id", stack.image, "-u"))
    assert uid.strip() == "10001"
    found = docker(
        "run", "--rm", "--entrypoint", "sh", stack.image, "-c",
        "for tool in gcc cc c++ g++ make uv uvx pip pip3; do command -v $tool; done;"
        " ls /opt/venv/bin | grep -E '^(pip|uv)' ; python -c 'import pip' 2>/dev/null && echo pip",
    )  # fmt: skip
    assert found.stdout.split() == [], f"the runtime image holds build tools: {found.stdout}"


def test_image_stays_within_its_size_budget(stack: Stack) -> None:
    size = int(succeeds(docker("image", "inspect", "--format", "{{.Size}}", stack.image)))
    budget = IMAGE_SIZE_BUDGETS_MB[stack.combo.name]
    assert size / 1e6 <= budget, f"{stack.image} is {size / 1e6:.0f} MB, over {budget} MB"


def test_dockerignore_keeps_secrets_databases_caches_and_git_out(stack: Stack) -> None:
    listing = succeeds(
        docker("run", "--rm", "--entrypoint", "find", stack.image, "/app", "-mindepth", "1")
    )
    present = {line.removeprefix("/app/") for line in listing.split()}
    assert "manage.py" in present
    directories = (".git", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".venv")
    kept_out = [".env", *PLANTED, *directories, "config/__pycache__"]
    leaked = sorted(name for name in kept_out if name in present)
    assert leaked == [], f"the build context let in {leaked}"


# The production-shaped stack


def test_every_service_is_healthy_within_the_budget(stack: Stack) -> None:
    services = stack.services()
    expected = set(succeeds(stack.compose("config", "--services")).split())
    assert set(services) == expected
    unhealthy = {
        name: row["Health"] for name, row in services.items() if row["Health"] != "healthy"
    }
    assert unhealthy == {}
    assert stack.up_seconds <= UP_BUDGET_SECONDS


def test_ports_are_published_on_localhost_only(stack: Stack) -> None:
    published = {
        name: {(p["URL"], p["PublishedPort"]) for p in row["Publishers"] if p["PublishedPort"]}
        for name, row in stack.services().items()
    }
    wanted = {"web": {("127.0.0.1", stack.web_port)}}
    if "flower" in published:
        wanted["flower"] = {("127.0.0.1", stack.flower_port)}
    assert {name: ports for name, ports in published.items() if ports} == wanted


def test_ready_through_the_published_port(stack: Stack) -> None:
    status, _, body = request(stack, "GET", "/health/ready/")
    assert status == 200, body
    # Without the proxy's header, production settings send a browser to https.
    status, headers, _ = request(stack, "GET", "/api/v1/articles/", proxied=False)
    assert status == 301
    assert headers["Location"].startswith("https://")


def login(stack: Stack, username: str = "ada") -> str:
    password = "correct-horse-battery-staple"
    if not stack.user_created:
        stack.exec(
            "web", "python", "manage.py", "createsuperuser", "--noinput",
            "--username", username, "--email", f"{username}@example.com",
            env={"DJANGO_SUPERUSER_PASSWORD": password},
        )  # fmt: skip
        stack.user_created = True
    status, _, body = request(
        stack, "POST", "/api/v1/auth/token/", {"username": username, "password": password}
    )
    assert status == 200, body
    return str(json.loads(body)["access"])


def test_jwt_login_and_an_article_round_trip(stack: Stack) -> None:
    token = login(stack)
    article = {"title": "Docker", "body": "Run for real.", "status": "published", "tags": []}
    status, _, body = request(stack, "POST", "/api/v1/articles/", article, token)
    assert status == 201, body
    created = json.loads(body)
    status, _, body = request(stack, "GET", f"/api/v1/articles/{created['id']}/")
    assert status == 200, body
    assert json.loads(body)["body"] == "Run for real."


def comment_is_notified(stack: Stack, token: str, text: str) -> Callable[[], bool]:
    """Post a comment; a check that the worker container logged its notification task."""
    article = {"title": f"Task {text}", "body": "b", "status": "published", "tags": []}
    status, _, body = request(stack, "POST", "/api/v1/articles/", article, token)
    assert status == 201, body
    article_id = json.loads(body)["id"]
    status, _, body = request(
        stack, "POST", f"/api/v1/articles/{article_id}/comments/", {"body": text}, token
    )
    assert status == 201, body
    comment_id = json.loads(body)["id"]

    def logged() -> bool:
        logs = stack.compose("logs", "--no-color", "--no-log-prefix", "worker").stdout
        for line in logs.splitlines():
            try:  # compose 2.26 starts each line with an erase-line escape sequence
                event = json.loads(line[line.find("{") :])
            except ValueError:
                continue
            if (event.get("event"), event.get("comment_id")) == (
                "notify_article_author_done",
                comment_id,
            ):
                return True
        return False

    return logged


def test_the_worker_container_runs_a_task(stack: Stack) -> None:
    if stack.combo.answers.get("use_celery") == "n":
        # The promise for this stack: no worker or beat at all.
        assert not {"worker", "beat"} & set(stack.services())
        return
    token = login(stack)
    eventually("the worker runs the notification", comment_is_notified(stack, token, "one"), 120)


def test_the_stack_recovers_from_a_database_restart_and_killed_containers(stack: Stack) -> None:
    services = stack.services()
    if "db" in services:
        succeeds(stack.compose("restart", "db"))
    # The worker, or web where there is none: killed, restarted by its restart policy.
    victim = "worker" if "worker" in services else "web"
    succeeds(docker("kill", services[victim]["ID"]))
    for _ in range(3):
        request(stack, "GET", "/health/ready/")
    took = eventually(
        "every service healthy again",
        lambda: all(row["Health"] == "healthy" for row in stack.services().values()),
        RECOVERY_BUDGET_SECONDS,
    )
    assert took <= RECOVERY_BUDGET_SECONDS
    status, _, body = request(stack, "GET", "/health/ready/")
    assert status == 200, body
    if "worker" in services:
        token = login(stack)
        eventually(
            "the restarted worker runs a task", comment_is_notified(stack, token, "two"), 120
        )


def test_down_leaves_nothing_behind(stack: Stack) -> None:
    stack.down()
    assert stack.leftovers() == []


# The development stack


@pytest.mark.xdist_group(STACKS[0].name)
def test_make_up_starts_the_development_stack(
    engine: None, baked: Callable[[Combo], Stack]
) -> None:
    """`make up`: uv lock, then compose.yaml with compose.override.yaml, local settings."""
    stack = baked(STACKS[0])
    port = free_port()
    env = {**GIT_ENV, "WEB_PORT": str(port), "COMPOSE_PROJECT_NAME": f"{stack.project}-dev"}
    try:
        started = time.monotonic()
        up = subprocess.run(
            ["make", "up"], cwd=stack.path, env=project_env(env), capture_output=True,
            text=True, timeout=COMMAND_TIMEOUT, check=False,
        )  # fmt: skip
        succeeds(up)
        assert time.monotonic() - started <= UP_BUDGET_SECONDS
        status, _, body = request(stack, "GET", "/health/ready/", port=port, proxied=False)
        assert status == 200, body  # local settings: no https redirect
        out = succeeds(
            docker("compose", "-p", f"{stack.project}-dev", "exec", "-T", "web", "printenv",
                   "DJANGO_SETTINGS_MODULE", cwd=stack.path, env=env)
        )  # fmt: skip
        assert out.strip() == "config.settings.local"
    finally:
        succeeds(
            docker("compose", "-p", f"{stack.project}-dev", "down", "--volumes",
                   cwd=stack.path, env=env)
        )  # fmt: skip
