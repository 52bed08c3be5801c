"""A throw-away redis-server for tests that stop, freeze (SIGSTOP) and restart it.

Needs the `redis-server` program; without it those tests skip, and with CI=true they fail.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

# Nothing listens on port 1: every connection is refused at once.
UNREACHABLE = "redis://127.0.0.1:1/0"


def redis_cache(location: str) -> dict[str, object]:
    """The project's Redis cache configuration, at `location`."""
    configured = settings.CACHES["default"]
    if configured["BACKEND"].endswith("CircuitBreakerRedisCache"):
        return {**configured, "LOCATION": location}
    # REDIS_URL is unset (the embedded default): the options of config/settings/options/redis.py.
    return {
        "BACKEND": "{{ cookiecutter.project_slug }}.core.redis_cache.CircuitBreakerRedisCache",
        "LOCATION": location,
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 0.25,
            "SOCKET_TIMEOUT": 0.25,
            "IGNORE_EXCEPTIONS": True,
        },
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RedisServer:
    directory: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        program = shutil.which("redis-server")
        if program is None:
            reason = "redis-server is not installed: the cache and broker fault tests need it"
            if os.environ.get("CI") == "true":
                pytest.fail(f"{reason} (CI=true: they must run)")
            pytest.skip(reason)
        self.process = subprocess.Popen(  # noqa: S603 - a fixed program and arguments
            [program, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self.answers():
            if time.monotonic() > deadline:
                pytest.fail(f"redis-server on port {self.port} did not start")
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """Kill it: connections are refused until start()."""
        if self.process is not None:
            self.thaw()
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def freeze(self) -> None:
        """SIGSTOP: connections are accepted, and nothing is ever answered."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)
