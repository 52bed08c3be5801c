"""Per-request overhead of the generated service, measured side by side with references.

One command, from the template repository's root:

    uv run python benchmarks/run.py

bakes the default project, installs it (`make setup`), serves it with production settings
(gunicorn, 2 sync workers; uvicorn workers with --asgi) on real PostgreSQL and Redis, and
loads it with wrk next to two references built at run time and served by the same server
settings (with --asgi: the peer baked with use_async=y, both under uvicorn workers):

- cookiecutter-django (the most-used peer template) baked with DRF, served the same way,
  for `GET /api/users/me/` with a DRF token against our `GET /api/v1/users/me/` with a
  JWT bearer token;
- a bare Django view (no middleware, no app) returning the liveness JSON, against our
  `GET /health/live/`.

and compares the article list answered from the cache (X-Cache: HIT) with the same list
built for each request: every request of the uncached scenario is the first of its
reader (a signed-in user is an audience of its own in the cache key, see
articles/api/cache.py), so each is a miss without any parameter the view ignores.

Rounds alternate between the scenarios so that load from elsewhere on the machine hits
them alike; the table shows the median of the rounds. It also reports the bake time
(median of 5), `make setup` with a warm uv cache, and the generated test suite's wall time
and cost per test. See benchmarks/README.md for the latest figures.

Needs: wrk, PostgreSQL (DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres),
Redis (REDIS_URL, default redis://127.0.0.1:6379/0; the benchmark uses its databases 13-15
... pick others with --redis-url), and for the peer a bare git mirror of cookiecutter-django
(--peer-mirror).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent
PEER_MIRROR = Path("/work/.mirror/cookiecutter+cookiecutter-django/repo")
PEER_PYTHON = "3.13.0"
HOST = "127.0.0.1"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Figures and method: benchmarks/README.md.",
    )
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run (10)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (3)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument(
        "--asgi",
        action="store_true",
        help="bake use_async=y and serve it, and the references, with uvicorn workers",
    )
    parser.add_argument("--no-peer", action="store_true", help="skip cookiecutter-django")
    parser.add_argument(
        "--no-extras",
        action="store_true",
        help="skip bake time, warm `make setup` and the generated test suite",
    )
    parser.add_argument("--peer-mirror", type=Path, default=PEER_MIRROR)
    parser.add_argument(
        "--database-admin-url",
        default=os.environ.get("DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL URL allowed to create databases",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="a Redis server; its databases 13 (ours) and 14 (peer) are flushed",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    return parser.parse_args(argv)


# --- processes -----------------------------------------------------------------------


def run(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None, **kw: object) -> str:
    result = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False, **kw
    )
    if result.returncode != 0:
        sys.exit(
            f"`{' '.join(cmd)}` failed in {cwd} ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


def timed(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    out = run(cmd, cwd=cwd, env=env)
    return time.perf_counter() - started, out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"


@contextlib.contextmanager
def serve(
    name: str, cmd: list[str], *, cwd: Path, env: dict[str, str], log: Path
) -> Iterator[Server]:
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*cmd, "--bind", f"{HOST}:{port}"],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(name, port, process, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                sys.exit(f"{name} exited at start-up:\n{log.read_text()[-3000:]}")
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), 0.5):
                break
            if time.monotonic() > deadline:
                sys.exit(f"{name} did not listen within 60 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def expect(url: str, status: int, headers: dict[str, str] | None = None) -> dict[str, str]:
    code, response_headers, body = get(url, headers)
    if code != status:
        sys.exit(f"GET {url} answered {code}, expected {status}: {body[:500]!r}")
    return response_headers


# --- databases -----------------------------------------------------------------------


def database_url(admin_url: str, name: str) -> str:
    return admin_url.rsplit("/", 1)[0] + "/" + name


def recreate_database(python: Path, admin_url: str, name: str) -> str:
    script = textwrap.dedent(
        f"""
        import psycopg
        with psycopg.connect({admin_url!r}, autocommit=True) as connection:
            connection.execute('DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute('CREATE DATABASE "{name}"')
        """
    )
    run([str(python), "-c", script], cwd=Path.cwd())
    return database_url(admin_url, name)


def drop_database(python: Path, admin_url: str, name: str) -> None:
    script = (
        f"import psycopg\nwith psycopg.connect({admin_url!r}, autocommit=True) as c:\n"
        f"    c.execute('DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)')"
    )
    subprocess.run([str(python), "-c", script], check=False, capture_output=True)


def redis_db(url: str, index: int) -> str:
    return re.sub(r"/\d*$", "", url.rstrip("/")) + f"/{index}"


# --- the projects --------------------------------------------------------------------


def bake(output: Path, extra: dict[str, str]) -> Path:
    from cookiecutter.main import cookiecutter

    output.mkdir(parents=True, exist_ok=True)
    with contextlib.redirect_stdout(open(os.devnull, "w")):  # noqa: PTH123
        return Path(
            cookiecutter(str(TEMPLATE), no_input=True, output_dir=str(output), extra_context=extra)
        )


def bake_time(work: Path) -> float:
    times = []
    for index in range(5):
        started = time.perf_counter()
        bake(work / f"bake-time-{index}", {})
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def setup_generated(project: Path) -> dict[str, float]:
    """`make setup` twice (the second with the cache warm from the first); its figures."""
    run(["make", "setup"], cwd=project)
    shutil.rmtree(project / ".venv")
    seconds, _ = timed(["make", "setup"], cwd=project)
    return {"setup": seconds}


def test_suite(project: Path) -> tuple[float, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL"))}
    seconds, out = timed(["make", "test"], cwd=project, env=env)
    passed = re.search(r"(\d+) passed", out)
    return seconds, int(passed.group(1)) if passed else 0


GENERATED_FIXTURE = """
import json, sys
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from rest_framework_simplejwt.tokens import AccessToken
from my_service.articles.models import Article, Comment, Tag

User = get_user_model()
count = int(sys.argv[1])
password = make_password(None)
User.objects.bulk_create(User(username=f"reader{i}", password=password) for i in range(count))
users = list(User.objects.order_by("id"))
author = users[0]
tags = Tag.objects.bulk_create(Tag(name=f"tag{i}") for i in range(5))
for i in range(50):
    article = Article.objects.create(
        author=author, title=f"Article {i}", slug=f"article-{i}", body="Lorem ipsum dolor sit amet. " * 20,
        status=Article.Status.PUBLISHED,
    )
    article.tags.set(tags[: 1 + i % 5])
    Comment.objects.bulk_create(
        Comment(article=article, author=author, body="A comment.") for _ in range(i % 4)
    )
staff = User.objects.create(username="bench-staff", password=password, is_staff=True)
print(json.dumps({
    "readers": [str(AccessToken.for_user(user)) for user in users],
    "staff": str(AccessToken.for_user(staff)),
}))
"""

PEER_FIXTURE = """
import json, sys
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from rest_framework.authtoken.models import Token

User = get_user_model()
count = int(sys.argv[1])
password = make_password(None)
User.objects.bulk_create(User(username=f"reader{i}", password=password) for i in range(count))
tokens = [Token.objects.create(user=user).key for user in User.objects.order_by("id")]
print(json.dumps(tokens))
"""


def manage_script(python: Path, project: Path, env: dict[str, str], script: str, *args: str) -> str:
    code = f"import django; django.setup()\n{script}"
    return run([str(python), "-c", code, *args], cwd=project, env=env)


# gunicorn's options for ASGI: the uvicorn worker (uvicorn-worker), for every server of a run.
UVICORN = ["--worker-class", "uvicorn_worker.UvicornWorker"]


def build_peer(mirror: Path, work: Path, *, asgi: bool) -> Path:
    if not (mirror / "HEAD").exists():
        sys.exit(
            f"No cookiecutter-django mirror at {mirror}: clone one "
            "(git clone --mirror <cookiecutter-django> PATH) and pass --peer-mirror PATH, "
            "or run with --no-peer."
        )
    template = work / "peer-template"
    template.mkdir()
    archive = subprocess.run(
        ["git", f"--git-dir={mirror}", "archive", "HEAD"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(template)], input=archive.stdout, check=True)
    # It requires Python 3.14; this machine has 3.13. Nothing on the request path changes.
    slug_dir = template / "{{cookiecutter.project_slug}}"
    (slug_dir / ".python-version").write_text("3.13\n")
    pyproject = slug_dir / "pyproject.toml"
    text = pyproject.read_text()
    text = text.replace('requires-python = "==3.14.*"', 'requires-python = "==3.13.*"')
    text = text.replace('python_version = "3.14"', 'python_version = "3.13"')
    pyproject.write_text(text)
    env = {**os.environ, "PYENV_VERSION": PEER_PYTHON}
    context = ["rest_api=DRF", "use_whitenoise=y", "cloud_provider=None", "mail_service=Other SMTP"]
    if asgi:
        # Its config/asgi.py and uvicorn-worker, as its own production command serves them.
        context.append("use_async=y")
    cookiecutter = [sys.executable, "-m", "cookiecutter", "--no-input", "-o", str(work / "peer")]
    run([*cookiecutter, str(template), *context], cwd=work, env=env)
    project = work / "peer" / "my_awesome_project"
    run(["uv", "sync", "--quiet"], cwd=project, env=env)
    return project


BARE_APP = '''
"""A bare Django view: no app, no middleware, the liveness JSON."""
import django
from django.conf import settings
from django.http import JsonResponse
from django.urls import path

settings.configure(
    DEBUG=False, ALLOWED_HOSTS=["*"], SECRET_KEY="bare-benchmark-view", ROOT_URLCONF=__name__,
    MIDDLEWARE=[], INSTALLED_APPS=[], USE_I18N=False, LOGGING_CONFIG=None,
)
django.setup()


def live(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [path("health/live/", live)]

from django.core.asgi import get_asgi_application  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
asgi_application = get_asgi_application()
'''


# --- load ----------------------------------------------------------------------------

# Each wrk thread takes every n-th token of the list, from an offset that differs per
# round, so that a scenario that must not repeat a token (uncached) never does.
LUA = """
local tokens = {}
local scheme = "%(scheme)s"
for line in io.lines("%(tokens)s") do tokens[#tokens + 1] = line end
local threads = {}
local counter = 1
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  step = %(threads)d
  index = tonumber(args[1]) + id
end
function request()
  local token = tokens[(index - 1) %% #tokens + 1]
  index = index + step
  return wrk.format("GET", nil, {["Authorization"] = scheme .. " " .. token})
end
"""


@dataclass
class Figures:
    rps: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    errors: int = 0

    def median(self, values: list[float]) -> float:
        return statistics.median(values) if values else float("nan")


LATENCY_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def latency_percentile(wrk_output: str, percent: int) -> str:
    """The figure of a line of wrk's "Latency Distribution"; anchored at the line's start,
    since the thread statistics above it end in percentages too ("+/- Stdev 87.50%")."""
    match = re.search(rf"^\s*{percent}%\s+(\S+)\s*$", wrk_output, re.M)
    if match is None:
        sys.exit(f"wrk printed no {percent}% latency:\n{wrk_output}")
    return match.group(1)


def to_ms(value: str) -> float:
    """wrk's latency figure ("812.00us", "1.20ms", "2.01s", "1.00m") in milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", value.strip())
    if match is None:
        sys.exit(f"wrk printed a latency this benchmark cannot read: {value!r}")
    return float(match.group(1)) * LATENCY_UNITS_MS[match.group(2)]


def drain(url: str) -> None:
    """Wait for the server to finish what an earlier load left queued.

    When wrk stops, the requests it had in flight still sit in the server's accept
    queue, and sync workers answer every one of them (half a second each for an uncached
    list): the next scenario on the same server would spend its first seconds behind
    them. One request sent now is answered only once those were taken; a short pause
    lets the last of them finish.
    """
    with contextlib.suppress(OSError):
        urllib.request.urlopen(url, timeout=60).close()
    time.sleep(0.5)


@dataclass
class Scenario:
    label: str
    url: str
    script: Path | None = None
    token_offset: int = 0  # advanced per round by the tokens a round may use
    connections: int | None = None  # wrk's connections, when not --connections
    round_stride: int = 0
    figures: Figures = field(default_factory=Figures)

    def load(self, args: argparse.Namespace, seconds: float, round_index: int) -> None:
        drain(self.url)
        cmd = [
            "wrk",
            f"-t{args.threads}",
            f"-c{self.connections or args.connections}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "--timeout",
            "10s",
        ]
        if self.script is not None:
            cmd += [
                "-s",
                str(self.script),
                self.url,
                "--",
                str(self.token_offset + round_index * self.round_stride),
            ]
        else:
            cmd.append(self.url)
        out = run(cmd, cwd=Path.cwd())
        if round_index < 0:
            return  # warm-up
        figures = self.figures
        figures.rps.append(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)))  # type: ignore[union-attr]
        figures.p50.append(to_ms(latency_percentile(out, 50)))
        figures.p99.append(to_ms(latency_percentile(out, 99)))
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        socket_errors = re.search(r"Socket errors: (.*)", out)
        figures.errors += int(non_2xx.group(1)) if non_2xx else 0
        if socket_errors:
            figures.errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))


def token_script(work: Path, name: str, scheme: str, tokens: list[str], threads: int) -> Path:
    token_file = work / f"{name}.tokens"
    token_file.write_text("\n".join(tokens) + "\n")
    script = work / f"{name}.lua"
    script.write_text(LUA % {"scheme": scheme, "tokens": token_file, "threads": threads})
    return script


# --- the run -------------------------------------------------------------------------


def generated_env(project: Path, database: str, redis: str, workers: int) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("VIRTUAL_ENV")},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "WEB_CONCURRENCY": str(workers),
        "JWT_ACCESS_TOKEN_LIFETIME_MINUTES": "120",
        # The throttles stay on (their cost is part of every request); at rates a
        # benchmark cannot reach, so it measures answers, not 429s.
        "API_THROTTLE_USER": "10000000/minute",
        "API_THROTTLE_ANON": "10000000/minute",
    }


def print_table(rows: list[tuple[str, Figures]], ratios: list[tuple[str, float, float]]) -> str:
    lines = [
        "| scenario | req/s | p50 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, fig in rows:
        lines.append(
            f"| {label} | {fig.median(fig.rps):,.0f} | {fig.median(fig.p50):.2f} | "
            f"{fig.median(fig.p99):.2f} | {fig.errors} |"
        )
    lines += ["", "| ratio | value | target | met |", "|---|---:|---:|---|"]
    for label, value, target in ratios:
        lines.append(
            f"| {label} | {value:.2f} | >= {target:g} | {'yes' if value >= target else 'NO'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk).")
    work = Path(tempfile.mkdtemp(prefix="nexus-bench-"))
    print(f"work directory: {work}", flush=True)
    report: list[str] = []
    databases: list[str] = []
    python: Path | None = None
    failed = False  # any request failed: the work directory (with the logs) is kept
    try:
        extras: dict[str, float] = {}
        if not args.no_extras:
            print("baking 5 times ...", flush=True)
            extras["bake"] = bake_time(work)
        context = {"use_async": "y"} if args.asgi else {}
        project = bake(work / "generated", context)
        print(f"make setup in {project} ...", flush=True)
        run(["make", "setup"], cwd=project)
        python = project / ".venv" / "bin" / "python"
        if not args.no_extras:
            shutil.rmtree(project / ".venv")
            extras["setup"], _ = timed(["make", "setup"], cwd=project)
            print("make test ...", flush=True)
            extras["tests"], extras["test_count"] = test_suite(project)

        pid = os.getpid()
        ours_db = f"nexus_bench_{pid}"
        databases.append(ours_db)
        env = generated_env(
            project,
            recreate_database(python, args.database_admin_url, ours_db),
            redis_db(args.redis_url, 13),
            args.workers,
        )
        run(
            [
                str(python),
                "-c",
                "import redis,sys; redis.from_url(sys.argv[1]).flushdb()",
                env["REDIS_URL"],
            ],
            cwd=project,
        )
        run([str(python), "manage.py", "migrate", "--verbosity", "0"], cwd=project, env=env)
        run(
            [str(python), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=project,
            env=env,
        )
        # Readers: a few for the cached scenarios, then one per request of the uncached one.
        per_round = int(1000 * args.duration) + 2000
        readers = 200 + per_round * (args.rounds + 1)
        print(f"creating {readers} users and 50 articles ...", flush=True)
        fixture = json.loads(manage_script(python, project, env, GENERATED_FIXTURE, str(readers)))
        tokens, staff_token = fixture["readers"], fixture["staff"]

        if args.asgi:
            server_cmd = [str(project / ".venv/bin/gunicorn"), "config.asgi:application", *UVICORN]
        else:
            server_cmd = [str(project / ".venv/bin/gunicorn"), "config.wsgi:application"]

        bare = work / "bare"
        bare.mkdir()
        (bare / "bare_view.py").write_text(BARE_APP)
        bare_cmd = [
            str(project / ".venv/bin/gunicorn"),
            *(["bare_view:asgi_application", *UVICORN] if args.asgi else ["bare_view:application"]),
            "--workers",
            str(args.workers),
        ]
        bare_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}

        with contextlib.ExitStack() as stack:
            ours = stack.enter_context(
                serve("generated", server_cmd, cwd=project, env=env, log=work / "generated.log")
            )
            bare_server = stack.enter_context(
                serve("bare view", bare_cmd, cwd=bare, env=bare_env, log=work / "bare.log")
            )
            scenarios: list[Scenario] = []
            me = Scenario(
                "generated GET /api/v1/users/me/ (JWT)",
                ours.url("/api/v1/users/me/"),
                token_script(work, "me", "Bearer", tokens[:200], args.threads),
            )
            scenarios.append(me)
            peer_me = None
            if not args.no_peer:
                print("building cookiecutter-django ...", flush=True)
                peer = build_peer(args.peer_mirror, work, asgi=args.asgi)
                peer_python = peer / ".venv" / "bin" / "python"
                peer_db = f"nexus_bench_peer_{pid}"
                databases.append(peer_db)
                peer_env = {
                    **{k: v for k, v in os.environ.items() if not k.startswith("VIRTUAL_ENV")},
                    "DJANGO_SETTINGS_MODULE": "config.settings.production",
                    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                    "DJANGO_ADMIN_URL": "manage/",
                    "DATABASE_URL": recreate_database(
                        peer_python, args.database_admin_url, peer_db
                    ),
                    "REDIS_URL": redis_db(args.redis_url, 14),
                    "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
                    "DJANGO_SECURE_SSL_REDIRECT": "false",
                }
                if args.asgi:
                    # Django's deployment docs: under ASGI, disable persistent connections
                    # (or pool them). With its default 60 s, every request's thread kept its
                    # own connection and PostgreSQL ran out of them ("too many clients").
                    peer_env["CONN_MAX_AGE"] = "0"
                run(
                    [str(peer_python), "manage.py", "migrate", "--verbosity", "0"],
                    cwd=peer,
                    env=peer_env,
                )
                run(
                    [
                        str(peer_python),
                        "manage.py",
                        "collectstatic",
                        "--noinput",
                        "--verbosity",
                        "0",
                    ],
                    cwd=peer,
                    env=peer_env,
                )
                peer_tokens = json.loads(
                    manage_script(peer_python, peer, peer_env, PEER_FIXTURE, "200")
                )
                peer_server = stack.enter_context(
                    serve(
                        "cookiecutter-django",
                        [
                            str(peer / ".venv/bin/gunicorn"),
                            *(
                                ["config.asgi:application", *UVICORN]
                                if args.asgi
                                else ["config.wsgi"]
                            ),
                            "--workers",
                            str(args.workers),
                        ],
                        cwd=peer,
                        env=peer_env,
                        log=work / "peer.log",
                    )
                )
                expect(
                    peer_server.url("/api/users/me/"),
                    200,
                    {"Authorization": f"Token {peer_tokens[0]}"},
                )
                peer_me = Scenario(
                    "cookiecutter-django GET /api/users/me/ (DRF token)",
                    peer_server.url("/api/users/me/"),
                    token_script(work, "peer", "Token", peer_tokens, args.threads),
                )
                scenarios.append(peer_me)
            live = Scenario("generated GET /health/live/", ours.url("/health/live/"))
            bare_live = Scenario("bare Django view, same JSON", bare_server.url("/health/live/"))
            articles = ours.url("/api/v1/articles/")
            cached = Scenario(
                "generated GET /api/v1/articles/ cached (HIT)",
                articles,
                token_script(work, "cached", "Bearer", tokens[:50], args.threads),
            )
            uncached = Scenario(
                "generated GET /api/v1/articles/ uncached (MISS)",
                articles,
                token_script(work, "uncached", "Bearer", tokens[200:], args.threads),
                round_stride=per_round,
            )
            scenarios += [live, bare_live, cached, uncached]
            if args.asgi:
                # The async endpoint (async ORM and cache calls on the event loop) under
                # four times the connections: what an event loop is for.
                stats = Scenario(
                    f"generated async GET /api/v1/users/stats/ (staff, "
                    f"{4 * args.connections} connections)",
                    ours.url("/api/v1/users/stats/"),
                    token_script(work, "stats", "Bearer", [staff_token], args.threads),
                    connections=4 * args.connections,
                )
                expect(stats.url, 200, {"Authorization": f"Bearer {staff_token}"})
                scenarios.append(stats)

            # The responses are what they should be before anything is timed.
            expect(me.url, 200, {"Authorization": f"Bearer {tokens[0]}"})
            body = get(live.url)[2]
            if json.loads(body) != json.loads(get(bare_live.url)[2]):
                sys.exit(f"/health/live/ answers {body!r}, unlike the bare view")
            for token in tokens[:50]:
                expect(articles, 200, {"Authorization": f"Bearer {token}"})
            hit = expect(articles, 200, {"Authorization": f"Bearer {tokens[1]}"})
            if hit.get("X-Cache") != "HIT":
                sys.exit(f"the second read of the article list was not a cache hit: {hit}")

            print("warming up ...", flush=True)
            for scenario in scenarios:
                if scenario is not uncached:
                    scenario.load(args, min(2.0, args.duration), -1)
            for index in range(args.rounds):
                print(f"round {index + 1} of {args.rounds} ...", flush=True)
                for scenario in scenarios:
                    scenario.load(args, args.duration, index)
            # Every uncached request was a reader's first: the next read by the last of
            # them is a hit, so its own first one was a miss.
            rows = [(s.label, s.figures) for s in scenarios]

        def rps(scenario: Scenario) -> float:
            return scenario.figures.median(scenario.figures.rps)

        ratios = []
        if peer_me is not None:
            ratios.append(
                ("users/me: generated / cookiecutter-django", rps(me) / rps(peer_me), 1.2)
            )
        ratios.append(
            ("/health/live/: generated / bare Django view", rps(live) / rps(bare_live), 0.9)
        )
        ratios.append(("articles list: cached / uncached", rps(cached) / rps(uncached), 4.0))

        server = (
            "gunicorn + uvicorn workers (ASGI, use_async=y)"
            if args.asgi
            else "gunicorn sync workers (WSGI)"
        )
        report.append(
            f"{server}, {args.workers} workers; wrk -t{args.threads} -c{args.connections}, "
            f"{args.rounds} alternating rounds of {args.duration:g} s, medians"
        )
        report.append("")
        report.append(print_table(rows, ratios))
        if extras:
            report += [
                "",
                f"bake (median of 5): {extras['bake']:.2f} s",
                f"make setup (warm uv cache): {extras['setup']:.1f} s",
                f"make test: {extras['tests']:.1f} s for {extras['test_count']:.0f} tests, "
                f"{1000 * extras['tests'] / max(extras['test_count'], 1):.0f} ms per test",
            ]
        print("\n" + "\n".join(report))
        failed = any(s.figures.errors for s in scenarios)
        if failed:
            sys.exit(f"some requests failed: see the errors column and the servers' logs in {work}")
    finally:
        if python is not None:
            for name in databases:
                drop_database(python, args.database_admin_url, name)
        if args.keep or failed:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
