"""The generated README's walk-throughs, run as a newcomer runs them: `make run` in one
terminal, every `<!-- walk-through -->` shell block in order in another, on a fresh
database; each `# -> text` the README shows must appear in the output, in that order."""

from __future__ import annotations

import re
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.baking import tail
from tests.integration.conftest import (
    CASES,
    Case,
    Installed,
    each_case,
    free_port,
    project_env,
    stop_process_group,
)

pytestmark = pytest.mark.integration

type Install = Callable[[Case], Installed]

WALK_THROUGH = re.compile(r"^<!-- walk-through -->\n```bash\n(.*?)^```$", re.MULTILINE | re.DOTALL)
SHOWN = re.compile(r"#\s*->\s*(.+?)\s*$", re.MULTILINE)
START_SECONDS = 120


def walk_throughs(readme: str) -> tuple[str, list[str]]:
    """The walk-through blocks as one script, and the outputs they document, in order."""
    script = "\n".join(WALK_THROUGH.findall(readme))
    return script, SHOWN.findall(script)


def wait_until_serving(url: str, server: subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"make run exited {server.returncode}:\n{tail(log.read_text())}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    pytest.fail(f"make run did not answer {url} in {START_SECONDS} s:\n{tail(log.read_text())}")


def in_order(expected: list[str], output: str) -> list[str]:
    """The expected texts that are missing from ``output``, read in order."""
    missing, position = [], 0
    for text in expected:
        found = output.find(text, position)
        if found < 0:
            missing.append(text)
        else:
            position = found + len(text)
    return missing


@each_case(CASES)
def test_readme_walk_throughs_run_top_to_bottom_against_make_run(
    installed: Install, case: Case, tmp_path: Path
) -> None:
    project = installed(case)
    script, expected = walk_throughs((project.path / "README.md").read_text())
    assert script, "the README has no walk-through"
    port = free_port()
    # A fresh database of its own; no REDIS_URL: the embedded defaults of a first run.
    env = project_env({"PORT": str(port), "DATABASE_URL": f"sqlite:///{tmp_path / 'walk.sqlite3'}"})
    log = tmp_path / "make-run.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            ["make", "run"],
            cwd=project.path,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    try:
        wait_until_serving(f"http://localhost:{port}/health/live/", server, log)
        result = subprocess.run(
            [
                "bash",
                "-euo",
                "pipefail",
                "-c",
                script.replace("localhost:8000", f"localhost:{port}"),
            ],
            cwd=project.path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        # One 404, as a client of the API sees it and as the log records it.
        request = urllib.request.Request(f"http://localhost:{port}/api/v1/no-such-thing/")
        with pytest.raises(urllib.error.HTTPError) as not_found:
            urllib.request.urlopen(request, timeout=10)
    finally:
        stop_process_group(server)
        (project.path / "jar").unlink(missing_ok=True)  # the session walk-throughs' cookies
    shown = f"{result.stdout}\n--- stderr ---\n{result.stderr}"
    assert result.returncode == 0, f"the walk-through failed:\n{shown}\n{tail(log.read_text())}"
    missing = in_order(expected, result.stdout)
    assert not missing, f"documented but not printed: {missing}\n{shown}"
    assert not_found.value.code == 404
    assert not_found.value.headers["Content-Type"] == "application/problem+json"
    logged = [line for line in log.read_text().splitlines() if "/api/v1/no-such-thing/" in line]
    assert len(logged) == 1, "a 4xx is logged once:\n" + "\n".join(logged)
