"""The template repository keeps its promises about itself: README, CI and tooling agree."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from tests.options import DEFAULTS, TEMPLATE_DIR

README = (TEMPLATE_DIR / "README.md").read_text()


def _readme_test_command() -> str:
    section = README.split("## Testing the template", 1)[1]
    block = re.search(r"```sh\n(.+?)\n```", section, re.S)
    assert block, "README's 'Testing the template' section has no command block"
    return block[1].strip()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = _readme_test_command()
    ci_lines = [line.strip() for line in (TEMPLATE_DIR / ".ci/run").read_text().splitlines()]
    assert any(line == command or line.startswith(f"{command} ||") for line in ci_lines), (
        f".ci/run does not run the README's test command {command!r}"
    )


def test_readme_documents_every_option_with_its_default() -> None:
    for key, value in DEFAULTS.items():
        if key.startswith("_") or key == "project_slug":
            continue
        default = value[0] if isinstance(value, list) else value
        row = re.search(rf"^\| `{key}` \| `?([^|`]+)`? \|", README, re.M)
        assert row, f"README's options table has no row for {key}"
        assert row[1].strip() == default, f"README gives {key} the default {row[1]!r}"


def test_pre_commit_runs_the_pinned_ruff() -> None:
    # Every hook is a dev-group tool run from the venv, so the ruff of the hooks is the
    # ruff uv.lock pins (the one the tests run), and nothing is cloned.
    config = yaml.safe_load((TEMPLATE_DIR / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = {hook["id"]: hook["entry"] for hook in config["repos"][0]["hooks"]}
    assert hooks["ruff-check"].startswith("uv run ruff check")
    assert hooks["ruff-format"].startswith("uv run ruff format")
    pyproject = tomllib.loads((TEMPLATE_DIR / "pyproject.toml").read_text())
    dev = pyproject["dependency-groups"]["dev"]
    assert any(d.startswith("ruff==") for d in dev)
    assert any(d.startswith("pre-commit-hooks==") for d in dev)


def test_ci_run_starts_the_docker_engine_and_fails_in_ci_without_one() -> None:
    """The docker tests need an engine: .ci/run starts the kit beside the checkout, applies
    its exports before the test command, and with CI=true stops when no engine answers."""
    script = (TEMPLATE_DIR / ".ci/run").read_text()
    kit = script.index("engine_kit=../shared/docker-engine/start")
    applied = script.index('eval "$engine_env"')
    tests = script.index("uv run pytest -n auto")
    assert kit < applied < tests, "the engine's exports must be applied before the tests run"
    check = script[applied:tests]
    assert "docker compose version" in check
    assert "docker buildx version" in check
    assert re.search(r'if \[ "\$\{CI:-\}" = "true" \]; then\s+exit 1', check), check


GROUPED_MODULE = """
import pytest

CASE = pytest.param("case", marks=pytest.mark.xdist_group("one_fleet"))


@pytest.fixture(scope="module", params=[CASE])
def fleet(request):
    return request.param


@pytest.mark.parametrize("n", range(6))
def test_member(fleet, n):
    pass
"""


def test_xdist_keeps_each_group_on_one_worker(tmp_path: Path) -> None:
    # The integration tests share one fleet, install or stack per case only because
    # --dist=loadgroup runs a case's tests on one worker; with pytest 9.2 it scattered
    # them (pyproject.toml pins the pytest that keeps them together).
    (tmp_path / "test_grouped.py").write_text(GROUPED_MODULE)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            "2",
            "--dist=loadgroup",
            "-v",
            "-p",
            "no:cacheprovider",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    workers = set(re.findall(r"^\[(gw\d+)\] .*PASSED", result.stdout, re.M))
    assert len(workers) == 1, f"one group ran on {sorted(workers)}:\n{result.stdout}"
