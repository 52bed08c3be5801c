"""The GitHub Actions workflow and Dependabot config pass the checks GitHub and its linters apply.

The GitHub workflow and Dependabot JSON schemas (check-jsonschema's built-in copies),
actionlint and zizmor (offline), for every combination with ci=github.
"""

from __future__ import annotations

import re

import pytest

from tests.baking import describe
from tests.conftest import Baker
from tests.files import CI_COMBOS, ci_combos, load_yaml, makefile_targets, run_tool
from tests.options import Combo

# A full commit SHA, then the release it is, as a comment: `uses: owner/repo@<sha> # v1.2.3`.
PINNED_ACTION = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


@ci_combos
@pytest.mark.parametrize(
    ("schema", "path"),
    [
        ("vendor.github-workflows", ".github/workflows/ci.yml"),
        ("vendor.dependabot", ".github/dependabot.yml"),
    ],
)
def test_github_files_validate_against_their_schemas(
    baked: Baker, combo: Combo, schema: str, path: str
) -> None:
    result = run_tool("check-jsonschema", "--builtin-schema", schema, path, cwd=baked(combo))
    assert result.returncode == 0, describe(result)


@ci_combos
def test_workflow_passes_actionlint(baked: Baker, combo: Combo) -> None:
    # shellcheck from the dev group is on PATH beside actionlint, so `run:` scripts are
    # checked too.
    result = run_tool("actionlint", "-no-color", ".github/workflows/ci.yml", cwd=baked(combo))
    assert result.returncode == 0, describe(result)


@ci_combos
def test_zizmor_reports_nothing(baked: Baker, combo: Combo) -> None:
    result = run_tool(
        "zizmor", "--offline", "--no-progress", "--color=never", ".", cwd=baked(combo)
    )
    assert result.returncode == 0, describe(result)
    assert "No findings to report" in result.stdout, describe(result)


@ci_combos
def test_workflow_is_least_privilege_cancels_superseded_runs_and_pins_actions(
    baked: Baker, combo: Combo
) -> None:
    path = baked(combo) / ".github/workflows/ci.yml"
    workflow = load_yaml(path)
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["cancel-in-progress"] is True
    uses = re.findall(r"^\s*(?:-\s+)?uses:\s*(.+?)\s*$", path.read_text(), re.M)
    assert uses, "the workflow uses no action"
    unpinned = [u for u in uses if not PINNED_ACTION.match(u)]
    assert not unpinned, f"actions not pinned to a full commit SHA with its version: {unpinned}"
    for job in workflow["jobs"].values():
        checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout"))
        assert checkout["with"]["persist-credentials"] is False


def run_commands(workflow: dict) -> list[str]:
    return [
        line.strip()
        for job in workflow["jobs"].values()
        for step in job["steps"]
        for line in step.get("run", "").splitlines()
    ]


@ci_combos
def test_workflow_runs_the_makefile_targets(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    commands = run_commands(load_yaml(project / ".github/workflows/ci.yml"))
    called = {c.split()[1] for c in commands if c.startswith("make ")}
    assert {"lint", "typecheck", "test"} <= called
    assert called <= makefile_targets(project), "the workflow calls a target the Makefile lacks"
    assert "uv sync --locked" in commands
    assert "uv run python manage.py makemigrations --check --dry-run" in commands
    assert "uv run python manage.py check --deploy --fail-level WARNING" in commands


@ci_combos
def test_workflow_requires_the_committed_lock_file(baked: Baker, combo: Combo) -> None:
    workflow = load_yaml(baked(combo) / ".github/workflows/ci.yml")
    for name, job in workflow["jobs"].items():
        runs = [step.get("run", "") for step in job["steps"]]
        assert any("test -f uv.lock" in run for run in runs), f"job {name} does not require uv.lock"
    assert "make setup" in workflow["env"]["MISSING_LOCK"]


@ci_combos
def test_workflow_tests_against_health_checked_service_containers(
    baked: Baker, combo: Combo
) -> None:
    test_job = load_yaml(baked(combo) / ".github/workflows/ci.yml")["jobs"]["test"]
    services = test_job.get("services", {})
    wanted = set()
    if combo.context["database"] == "postgresql":
        wanted.add("postgres")
        assert test_job["env"]["DATABASE_URL"].startswith("postgres://")
    if combo.context["use_redis"] == "y":
        wanted.add("redis")
        assert test_job["env"]["REDIS_URL"].startswith("redis://")
    assert set(services) == wanted
    for name, service in services.items():
        assert "--health-cmd" in service["options"], f"service {name} is not health-checked"


@ci_combos
def test_workflow_builds_the_image_and_runs_the_stack_only_with_docker(
    baked: Baker, combo: Combo
) -> None:
    jobs = load_yaml(baked(combo) / ".github/workflows/ci.yml")["jobs"]
    steps = [step for job in jobs.values() for step in job["steps"]]
    builders = [s for s in steps if s.get("uses", "").startswith("docker/build-push-action@")]
    commands = run_commands({"jobs": jobs})
    smoke = [c for c in commands if "docker compose -f compose.yaml up" in c and "--wait" in c]
    assert bool(builders) is bool(smoke) is (combo.context["use_docker"] == "y")
    for builder in builders:
        # Cached between runs, loaded (not pushed) under the name compose.yaml runs.
        assert builder["with"]["cache-from"] == "type=gha"
        assert "push" not in builder["with"]
        assert builder["with"]["load"] is True
    if smoke:
        assert any("/health/ready/" in c for c in commands)
        assert any("down --volumes" in c for c in commands)


@ci_combos
def test_dependabot_updates_each_ecosystem_in_use(baked: Baker, combo: Combo) -> None:
    config = load_yaml(baked(combo) / ".github/dependabot.yml")
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    wanted = {"uv", "github-actions"}
    if combo.context["use_docker"] == "y":
        wanted |= {"docker", "docker-compose"}
    assert ecosystems == wanted


@pytest.mark.parametrize("combo", [c for c in CI_COMBOS if c.context["use_docker"] == "y"], ids=str)
def test_workflow_and_image_use_the_same_uv(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    image = re.search(r"ghcr\.io/astral-sh/uv:(\S+)", (project / "Dockerfile").read_text())
    workflow = (project / ".github/workflows/ci.yml").read_text()
    versions = set(re.findall(r'^\s+version: "(.+)"$', workflow, re.M))
    assert image, "the Dockerfile takes uv from no pinned image"
    assert versions == {image[1]}, f"uv {image[1]} in the image, {versions} in the workflow"
