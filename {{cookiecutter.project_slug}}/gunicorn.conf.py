"""Gunicorn settings, read from this file by default; GUNICORN_CMD_ARGS overrides any."""

import multiprocessing
import os
{%- if cookiecutter.use_metrics == "y" %}
import shutil
import tempfile
from pathlib import Path
from typing import Any
{%- endif %}

# Worker processes: WEB_CONCURRENCY, else gunicorn's 2 x cores + 1 capped at MAX_WORKERS.
# Each worker holds its own database connections and memory: 33 on a 16-core laptop
# would only exhaust them. Scale out with more instances (docs/deployment.md).
MAX_WORKERS = 8
workers = int(
    os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, MAX_WORKERS))
)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Our middleware logs each request once, as structured JSON; gunicorn's access log would
# be a second, unstructured line.
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicornc's control socket: gunicorn puts it under $HOME/.gunicorn by default, which the
# image's user cannot write and which two instances on one host would share. Off unless
# GUNICORN_CONTROL_SOCKET names a path.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
{%- if cookiecutter.use_metrics == "y" %}

# Metrics of every worker process, added up at each scrape (prometheus-client's
# multiprocess mode): each worker writes its values to files in this directory. Set here,
# before any worker starts and imports prometheus-client; a fresh one unless given.
OWN_METRICS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR" not in os.environ
if OWN_METRICS_DIRECTORY:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="prometheus-")


def on_starting(server: Any) -> None:
    # A given directory may hold the files of an earlier run, which would be added in.
    for stale in Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).glob("*.db"):
        stale.unlink()


def child_exit(server: Any, worker: Any) -> None:
    # A worker that exits (restart, crash) leaves its counters, not its live gauges.
    from prometheus_client import multiprocess  # noqa: PLC0415 - after the directory is set

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def on_exit(server: Any) -> None:
    if OWN_METRICS_DIRECTORY:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
{%- endif %}
