"""A newcomer's first steps in a fresh service: the message after generation, the
Makefile's port and help, the deployment guide."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.baking import describe, run_cookiecutter_cli, succeeds
from tests.conftest import Baker
from tests.options import ALL_OFF, ALL_ON, DEFAULT, Combo

each = pytest.mark.parametrize("combo", [DEFAULT, ALL_ON, ALL_OFF], ids=str)


def make(project: Path, *arguments: str, env: dict[str, str] | None = None) -> str:
    return succeeds("make", "--no-print-directory", *arguments, cwd=project, env=env, timeout=60)


def test_the_message_after_generation_promises_the_deployment_guide(tmp_path: Path) -> None:
    result = run_cookiecutter_cli({}, tmp_path)
    assert result.returncode == 0, describe(result)
    assert "docs/deployment.md" in result.stdout
    assert "git init" in result.stdout  # generation runs no git itself (hermetic)
    project = tmp_path / "my_service"
    assert (project / "docs" / "deployment.md").is_file()
    assert not (project / ".git").exists()


@each
def test_readme_links_the_deployment_guide(baked: Baker, combo: Combo) -> None:
    assert "(docs/deployment.md)" in (baked(combo) / "README.md").read_text()


@each
def test_make_help_prints_the_port_it_uses(baked: Baker, combo: Combo) -> None:
    shown = make(baked(combo), "help")
    assert "$(PORT)" not in shown
    assert "http://localhost:8000" in shown


@pytest.mark.parametrize("target", ["run", "serve"])
def test_make_takes_the_port_from_env_file_unless_the_environment_sets_it(
    baked: Baker, tmp_path: Path, target: str
) -> None:
    project = shutil.copytree(baked(DEFAULT), tmp_path / "project")
    with (project / ".env").open("a") as env_file:
        env_file.write("PORT=9123\n")
    dry_run = make(project, "--dry-run", target)
    assert ("runserver 9123" if target == "run" else "--bind 127.0.0.1:9123") in dry_run
    dry_run = make(project, "--dry-run", target, env={**os.environ, "PORT": "9200"})
    assert ("runserver 9200" if target == "run" else "--bind 127.0.0.1:9200") in dry_run


def test_make_serve_binds_this_machine_only_unless_host_says_otherwise(
    baked: Baker, tmp_path: Path
) -> None:
    project = shutil.copytree(baked(DEFAULT), tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT"}}
    assert "--bind 127.0.0.1:8000" in make(project, "--dry-run", "serve", env=env)
    shown = make(project, "--dry-run", "serve", env={**env, "HOST": "0.0.0.0"})
    assert "--bind 0.0.0.0:8000" in shown
