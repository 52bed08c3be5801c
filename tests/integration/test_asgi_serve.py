"""use_async=y: `make serve` is gunicorn with uvicorn workers, and it serves every kind
of endpoint over ASGI: health, the OpenAPI schema, Swagger UI with its static assets,
the sync API and the async one; against the real PostgreSQL and Redis."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
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

pytestmark = pytest.mark.integration

ASGI_CASES = tuple(c for c in CASES if c.combo.context["use_async"] == "y")
# Start-up (collectstatic, then gunicorn importing Django) on a loaded two-core machine.
DEADLINE = 600
HOST = "localhost"
STAFF_PASSWORD = "serve-test-pass-phrase-42"


COUNT_CONNECTIONS = """
import os
from urllib.parse import urlsplit, urlunsplit

import psycopg

url = urlsplit(os.environ["DATABASE_URL"])
with psycopg.connect(urlunsplit(url._replace(path="/postgres"))) as connection:
    query = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
    print(connection.execute(query, [url.path.lstrip("/")]).fetchone()[0])
"""
# The pool's default size: what one worker (WEB_CONCURRENCY=1) may hold.
POOL_MAX_SIZE = 10
FLOOD_REQUESTS = 600
FLOOD_CONCURRENCY = 50


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Server:
    """`make serve` of an installed project, on a free port."""

    port: int
    process: subprocess.Popen[str]
    log: Path
    # The number of connections to the served database now (PostgreSQL only).
    database_connections: Callable[[], int] | None = None

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: dict | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=data,
            method=method,
            headers={
                "Host": HOST,
                **({"Content-Type": "application/json"} if data else {}),
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Reply(response.status, response.headers["Content-Type"], response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.headers["Content-Type"], error.read())


def live(port: int) -> bool:
    """Whether a worker answers: gunicorn listens before its workers have booted."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/health/live/", headers={"Host": HOST}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until_up(server: Server) -> None:
    """Poll /health/live/; fail at once if the server exits, or at the deadline. Never
    sleeps: between polls the test waits on the process itself."""
    deadline = time.monotonic() + DEADLINE
    while not live(server.port):
        try:
            server.process.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            if time.monotonic() > deadline:
                pytest.fail(
                    f"make serve: no answer within {DEADLINE} s\n{tail(server.log.read_text())}"
                )
            continue
        pytest.fail(
            f"make serve exited {server.process.returncode}\n{tail(server.log.read_text())}"
        )


@pytest.fixture(
    scope="module",
    params=[pytest.param(c, id=str(c), marks=pytest.mark.xdist_group(str(c))) for c in ASGI_CASES],
)
def server(
    request: pytest.FixtureRequest,
    installed: Callable[[Case], Installed],
    services: Services,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Server]:
    case: Case = request.param
    project = installed(case)
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": HOST,
        # Plain HTTP on the loopback: no TLS proxy in front to redirect to.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_FORMAT": "json",
        "PORT": str(free_port()),
        "WEB_CONCURRENCY": "1",
        # The connection-budget test sends hundreds of anonymous reads from one address.
        "API_THROTTLE_ANON": "100000/minute",
    }
    if case.uses_postgresql:
        database = urlsplit(services.database_url)._replace(
            path=f"/nexus_serve_{case}_{os.getpid()}"
        )
        env["DATABASE_URL"] = urlunsplit(database)
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('serve-db')}/db.sqlite3"
    if case.uses_redis:
        env["REDIS_URL"] = urlunsplit(
            urlsplit(services.redis_url)._replace(path=f"/{case.redis_db + 12}")
        )
    if case.uses_postgresql:
        project.assert_succeeds("uv", "run", "python", "-c", DROP_DATABASES, env=env)
        project.assert_succeeds("uv", "run", "python", "-c", CREATE_DATABASE, env=env)
    project.assert_succeeds("uv", "run", "python", "manage.py", "migrate", "--noinput", env=env)
    project.assert_succeeds(
        "uv",
        "run",
        "python",
        "manage.py",
        "createsuperuser",
        "--noinput",
        "--username=staff",
        "--email=staff@example.com",
        env={**env, "DJANGO_SUPERUSER_PASSWORD": STAFF_PASSWORD},
    )
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            ["make", "serve"],
            cwd=project.path,
            env=project_env(env),
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    running = Server(int(env["PORT"]), process, log)
    if case.uses_postgresql:

        def database_connections() -> int:
            result = project.run("uv", "run", "python", "-c", COUNT_CONNECTIONS, env=env)
            assert result.returncode == 0, result.stderr
            return int(result.stdout)

        running.database_connections = database_connections
    try:
        wait_until_up(running)
        yield running
    finally:
        stop_process_group(process)
        if case.uses_postgresql:
            project.assert_succeeds("uv", "run", "python", "-c", DROP_DATABASES, env=env)


def test_make_serve_runs_gunicorn_with_uvicorn_workers(server: Server) -> None:
    assert server.get("/health/live/").status == 200
    assert "uvicorn_worker.UvicornWorker" in server.log.read_text()


def test_health_endpoints_answer_over_asgi(server: Server) -> None:
    live = server.get("/health/live/")
    assert (live.status, live.json()) == (200, {"status": "ok"})
    ready = server.get("/health/ready/")
    assert ready.status == 200, ready.body
    assert all(check["ok"] for check in ready.json()["checks"].values())


def test_schema_lists_the_async_endpoint(server: Server) -> None:
    schema = server.get("/api/schema/?format=json")
    assert schema.status == 200
    assert "/api/v1/users/stats/" in schema.json()["paths"]


def test_swagger_ui_and_its_static_assets_are_served(server: Server) -> None:
    docs = server.get("/api/docs/")
    assert docs.status == 200
    assets = sorted(set(re.findall(r"""["'](/static/[^"']+)["']""", docs.body.decode())))
    assert assets, "Swagger UI references no local static files"
    for asset in assets:
        reply = server.get(asset)
        assert (reply.status, bool(reply.body)) == (200, True), asset


def test_async_endpoint_answers_problem_details_and_data(server: Server) -> None:
    anonymous = server.get("/api/v1/users/stats/")
    assert anonymous.status in (401, 403)
    assert anonymous.content_type == "application/problem+json"

    token = server.request(
        "POST",
        "/api/v1/auth/token/",
        body={"username": "staff", "password": STAFF_PASSWORD},
    )
    if token.status == 404:
        pytest.skip("use_jwt=n: no token endpoint to authenticate with")
    assert token.status == 200, token.body
    bearer = {"Authorization": f"Bearer {token.json()['access']}"}
    stats = server.get("/api/v1/users/stats/", headers=bearer)
    assert stats.status == 200, stats.body
    assert stats.json()["staff"] == 1
    me = server.get("/api/v1/users/me/", headers=bearer)
    assert (me.status, me.json()["username"]) == (200, "staff")


def test_a_flood_of_probes_and_reads_stays_within_the_connection_budget(server: Server) -> None:
    # Under ASGI every request runs in a thread of its own: connections kept per thread
    # (CONN_MAX_AGE > 0) would pile up, one per request, and exhaust the database.
    paths = ["/health/ready/", "/api/v1/articles/"]
    with ThreadPoolExecutor(FLOOD_CONCURRENCY) as pool:
        replies = list(pool.map(lambda n: server.get(paths[n % 2]), range(FLOOD_REQUESTS)))
    statuses = Counter(reply.status for reply in replies)
    # Readiness may answer 503 (Retry-After) to the probes that arrive while its first
    # checks run; nothing fails.
    assert set(statuses) <= {200, 503}, statuses
    assert statuses[200] > FLOOD_REQUESTS * 0.9, statuses
    assert server.get("/health/ready/").status == 200
    assert server.database_connections is not None
    # The pool keeps what it opened (the peak): within one worker's budget.
    assert server.database_connections() <= POOL_MAX_SIZE
