"""The image: the Dockerfile passes hadolint, the scripts shellcheck, and both keep their promises.

Every combination of use_docker, ci, database and use_celery is baked; use_docker=n must
leave none of the Docker files behind.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.baking import describe, project_files
from tests.conftest import Baker
from tests.files import COMPOSE_FILES, FILE_COMBOS, docker_combos, makefile_targets, run_tool
from tests.options import Combo

DOCKER_PATHS = ("Dockerfile", ".dockerignore", "docker/entrypoint.sh", *COMPOSE_FILES)


def shell_scripts(project: Path) -> list[Path]:
    """Files that are shell scripts: by extension or by a sh/bash shebang."""
    scripts = []
    for relative in project_files(project):
        if relative.parts[0] == ".venv":
            continue
        head = (project / relative).read_bytes()[:64]
        if relative.suffix in {".sh", ".bash"} or re.match(rb"#!\S*(/|env )(ba)?sh\b", head):
            scripts.append(relative)
    return scripts


@docker_combos
def test_dockerfile_passes_hadolint_with_no_finding(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    result = run_tool(
        "hadolint", "--no-color", "--failure-threshold", "info", "Dockerfile", cwd=project
    )
    assert result.returncode == 0, describe(result)
    assert not result.stdout.strip(), f"hadolint reports:\n{result.stdout}"


@docker_combos
def test_dockerfile_builds_with_locked_uv_and_runs_unprivileged(baked: Baker, combo: Combo) -> None:
    dockerfile = (baked(combo) / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?", dockerfile, re.M)
    assert len(stages) >= 3, "expected a uv stage, a build stage and a runtime stage"
    assert re.fullmatch(r"ghcr\.io/astral-sh/uv:\d+\.\d+\.\d+", stages[0][0]), stages[0]
    python = combo.context["python_version"]
    assert stages[-1][0] == f"python:{python}-slim-trixie", "runtime is not the pinned slim image"
    assert "uv sync --locked --no-dev" in dockerfile
    assert "--mount=type=cache,target=/root/.cache/uv" in dockerfile
    assert "UV_COMPILE_BYTECODE=1" in dockerfile
    runtime = dockerfile.rsplit("\nFROM ", 1)[1]
    assert "uv " not in runtime.replace("--from=uv", ""), "uv must not reach the runtime stage"
    users = re.findall(r"^USER\s+(\S+)", runtime, re.M)
    assert users, "the runtime stage never leaves root"
    assert users[-1].split(":")[0] not in {"0", "root"}
    assert "collectstatic" in runtime
    assert re.search(r"^HEALTHCHECK .*\n?.*/health/live/", runtime, re.M)
    assert 'ENTRYPOINT ["/app/docker/entrypoint.sh"]' in runtime


@docker_combos
def test_the_build_time_secret_key_never_reaches_the_image(baked: Baker, combo: Combo) -> None:
    dockerfile = (baked(combo) / "Dockerfile").read_text()
    declared = re.findall(r"^(?:ENV|ARG)\s+.*", dockerfile, re.M)
    assert not [line for line in declared if "SECRET" in line], declared


def secret_weakness_of(project: Path) -> Callable[[str], str]:
    """The baked project's own secret_weakness(), run without Django or django-environ:
    the function and the constants it reads, lifted out of its settings package."""
    source = (project / "config/settings/components/__init__.py").read_text()
    wanted = {"PLACEHOLDER_SECRETS", "SECRET_MIN_LENGTH", "SECRET_MIN_DISTINCT_CHARACTERS"}
    nodes = [
        node
        for node in ast.parse(source).body
        if (isinstance(node, ast.FunctionDef) and node.name == "secret_weakness")
        or (isinstance(node, ast.Assign) and {getattr(t, "id", "") for t in node.targets} & wanted)
    ]
    assert len(nodes) == 4, "secret_weakness or its constants moved"
    namespace: dict[str, Any] = {}
    exec(compile(ast.Module(body=nodes, type_ignores=[]), "secret_weakness", "exec"), namespace)
    return namespace["secret_weakness"]


@docker_combos
def test_the_build_time_secret_key_passes_production_checks(baked: Baker, combo: Combo) -> None:
    """collectstatic runs under production settings, which refuse a weak key: the build's
    throw-away key must pass the same check (a short one failed every `docker build`)."""
    project = baked(combo)
    keys = re.findall(r"DJANGO_SECRET_KEY=(\S+)", (project / "Dockerfile").read_text())
    assert len(keys) == 1, keys
    assert secret_weakness_of(project)(keys[0]) == "", keys[0]


@docker_combos
def test_every_shell_script_passes_shellcheck(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    scripts = shell_scripts(project)
    assert Path("docker/entrypoint.sh") in scripts
    result = run_tool("shellcheck", "--severity=style", *map(str, scripts), cwd=project)
    assert result.returncode == 0, describe(result)


@docker_combos
def test_entrypoint_waits_migrates_when_asked_and_execs(baked: Baker, combo: Combo) -> None:
    entrypoint = baked(combo) / "docker/entrypoint.sh"
    assert entrypoint.stat().st_mode & 0o111, "docker/entrypoint.sh is not executable"
    text = entrypoint.read_text()
    assert "ensure_connection()" in text
    assert '"${DJANGO_MIGRATE:-false}" = "true"' in text
    assert text.rstrip().endswith('exec "$@"')


@docker_combos
def test_dockerignore_keeps_secrets_state_and_caches_out(baked: Baker, combo: Combo) -> None:
    lines = (baked(combo) / ".dockerignore").read_text().splitlines()
    patterns = {line.strip().rstrip("/") for line in lines if line and not line.startswith("#")}
    for needed in (".env", ".git", ".venv", "**/__pycache__", ".mypy_cache", "**/*.sqlite3"):
        assert needed in patterns, f".dockerignore does not exclude {needed}"


@pytest.mark.parametrize(
    "combo", [c for c in FILE_COMBOS if c.context["use_docker"] == "n"], ids=str
)
def test_docker_off_leaves_no_file_target_or_ignore(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    present = [path for path in DOCKER_PATHS if (project / path).exists()]
    assert not present, f"use_docker=n but these exist: {present}"
    assert not {"up", "down"} & makefile_targets(project)
