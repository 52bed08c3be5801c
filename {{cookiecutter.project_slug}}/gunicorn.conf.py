"""Gunicorn settings, read from this file by default; GUNICORN_CMD_ARGS overrides any."""

import multiprocessing
import os

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
