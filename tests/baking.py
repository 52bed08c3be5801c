"""Baking the template: through pytest-cookies (fast, in-process) or Cookiecutter's CLI (as
a user would)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from pytest_cookies.plugin import Cookies

from tests.options import TEMPLATE_DIR, Combo

# Environment for every subprocess the tests start: no downloads of Python builds,
# the system's CA store, and nothing inherited that would point tools at another venv.
TOOL_ENV = {"UV_SYSTEM_CERTS": "1", "UV_PYTHON_DOWNLOADS": "never"}


def isolated_config(directory: Path) -> Path:
    """A cookiecutter user config that keeps replay files out of the user's home."""
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "cookiecutterrc.yaml"
    config.write_text(
        f'cookiecutters_dir: "{directory / "templates"}"\nreplay_dir: "{directory / "replay"}"\n'
    )
    return config


def bake_with(cookies: Cookies, combo: Combo) -> Path:
    """Generate ``combo`` with pytest-cookies' baker and return the project directory.

    A refused answer raises what Cookiecutter raised (FailedHookException, ...)."""
    result = cookies.bake(extra_context=dict(combo.answers), template=str(TEMPLATE_DIR))
    if result.exception is not None:
        raise result.exception
    return Path(result.project_path)


def bake(combo: Combo, output_dir: Path) -> Path:
    """Generate ``combo`` into ``output_dir`` and return the project directory."""
    output_dir.mkdir(parents=True, exist_ok=True)
    config = isolated_config(output_dir.parent / f"{output_dir.name}-config")
    return bake_with(Cookies(str(TEMPLATE_DIR), lambda _name: output_dir, config), combo)


# The Cookiecutter releases the template supports: the installed one (the dev group's pin)
# and the newer one, run through uvx.
OTHER_COOKIECUTTER = "2.7.1"


def run_cookiecutter_cli(
    answers: Mapping[str, str],
    output_dir: Path,
    *,
    extra_env: Mapping[str, str] | None = None,
    version: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """``cookiecutter <template> --no-input -o <dir> key=value ...``, captured.

    The installed Cookiecutter, or with `version` that release through uvx.
    """
    config = isolated_config(output_dir.parent / f"{output_dir.name}-config")
    env = {**os.environ, **TOOL_ENV, "COOKIECUTTER_CONFIG": str(config), **(extra_env or {})}
    program = (
        [sys.executable, "-m", "cookiecutter"]
        if version is None
        else ["uvx", "--quiet", "--from", f"cookiecutter=={version}", "cookiecutter"]
    )
    return subprocess.run(
        [
            *program,
            str(TEMPLATE_DIR),
            "--no-input",
            "-o",
            str(output_dir),
            *(f"{key}={value}" for key, value in answers.items()),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


# Git needs an identity to commit; none of the user's git configuration may leak in.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Nexus tests",
    "GIT_AUTHOR_EMAIL": "tests@example.com",
    "GIT_COMMITTER_NAME": "Nexus tests",
    "GIT_COMMITTER_EMAIL": "tests@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def succeeds(
    *command: str | Path, cwd: Path, env: Mapping[str, str] | None = None, timeout: int = 300
) -> str:
    """Run ``command``, fail the test with its output unless it exits 0; its stdout."""
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, describe(result)
    return result.stdout


def project_files(project: Path) -> Iterator[Path]:
    """Every file of a baked project, relative to it (.git and caches excluded)."""
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project)
        if path.is_file() and not {".git", "__pycache__", ".ruff_cache"} & set(relative.parts):
            yield relative


def text_files(project: Path) -> Iterator[tuple[Path, str]]:
    """(relative path, content) for each file that is text, i.e. UTF-8 without NUL bytes."""
    for relative in project_files(project):
        data = (project / relative).read_bytes()
        if b"\0" in data:
            continue
        try:
            yield relative, data.decode("utf-8")
        except UnicodeDecodeError:
            continue


# make's own "make: *** [Makefile:12: test] Error 1" says less than the line before it.
MAKE_ERROR = re.compile(r"^make(\[\d+\])?: \*\*\* ")


def tail(text: str, lines: int = 60) -> str:
    """The last ``lines`` lines of a tool's output, for assertion messages."""
    return "\n".join(text.rstrip().splitlines()[-lines:])


def describe(result: subprocess.CompletedProcess[str]) -> str:
    """A failed command as a reader of the test log wants it: command, status and last
    line first (pytest's short summary shows only that), then the output tails."""
    command = " ".join(map(str, result.args))
    output = f"{result.stdout or ''}\n{result.stderr or ''}".splitlines()
    telling = [line.strip() for line in output if line.strip() and not MAKE_ERROR.match(line)]
    last = telling[-1] if telling else "no output"
    return (
        f"`{command}` exited {result.returncode}: {last}\n"
        f"--- stdout (tail) ---\n{tail(result.stdout or '')}\n"
        f"--- stderr (tail) ---\n{tail(result.stderr or '')}"
    )
