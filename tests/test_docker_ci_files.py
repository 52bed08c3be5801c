"""The Docker, compose and GitHub Actions files pass the checks a real run would apply.

No Docker engine and no GitHub runner here, so each file is checked statically by the
tool its ecosystem trusts: hadolint and shellcheck, the compose-spec, GitHub workflow
and Dependabot JSON schemas (check-jsonschema's built-in copies), actionlint and zizmor.
Every combination of use_docker, ci, database and use_celery is baked and checked.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.baking import describe, project_files
from tests.conftest import Baker
from tests.options import Combo

# Every combination of the options these files depend on. Celery needs Redis, so it is
# switched off with Redis; the rest keep their defaults.
FILE_COMBOS = tuple(
    Combo(
        f"docker_{docker}-ci_{ci}-{database}-celery_{celery}",
        {
            "use_docker": docker,
            "ci": ci,
            "database": database,
            "use_celery": celery,
            "use_redis": "y" if celery == "y" else "n",
        },
    )
    for docker, ci, database, celery in itertools.product(
        ("y", "n"), ("github", "none"), ("postgresql", "sqlite"), ("y", "n")
    )
)
# Flower adds a service of its own; check it too.
FLOWER = Combo("docker_y-ci_github-flower", {"use_flower": "y"})
DOCKER_COMBOS = [c for c in (*FILE_COMBOS, FLOWER) if c.context["use_docker"] == "y"]
CI_COMBOS = [c for c in (*FILE_COMBOS, FLOWER) if c.context["ci"] == "github"]
COMPOSE_FILES = ("compose.yaml", "compose.override.yaml")
DOCKER_PATHS = ("Dockerfile", ".dockerignore", "docker/entrypoint.sh", *COMPOSE_FILES)

docker_combos = pytest.mark.parametrize("combo", DOCKER_COMBOS, ids=str)
ci_combos = pytest.mark.parametrize("combo", CI_COMBOS, ids=str)
all_combos = pytest.mark.parametrize("combo", FILE_COMBOS, ids=str)

# A full commit SHA, then the release it is, as a comment: `uses: owner/repo@<sha> # v1.2.3`.
PINNED_ACTION = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def tool(name: str) -> str:
    """A checker installed in the template's venv (the dev group), found beside Python."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is not installed: run `uv sync` (it is in the dev group)"
    return found


def run_tool(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool(command[0]), *command[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def load_yaml(path: Path) -> dict:
    loaded = yaml.safe_load(path.read_text())
    assert isinstance(loaded, dict), f"{path.name} is not a YAML mapping"
    return loaded


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


def makefile_targets(project: Path) -> set[str]:
    return set(re.findall(r"^([a-z][\w-]*):", (project / "Makefile").read_text(), re.M))


# --- Docker ---------------------------------------------------------------------------


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
def test_compose_files_validate_against_the_compose_spec(baked: Baker, combo: Combo) -> None:
    result = run_tool(
        "check-jsonschema",
        "--builtin-schema",
        "vendor.compose-spec",
        *COMPOSE_FILES,
        cwd=baked(combo),
    )
    assert result.returncode == 0, describe(result)


def expected_services(combo: Combo) -> set[str]:
    answers = combo.context
    services = {"web"}
    if answers["database"] == "postgresql":
        services.add("db")
    if answers["use_redis"] == "y":
        services.add("redis")
    if answers["use_celery"] == "y":
        services |= {"worker", "beat"}
    if answers["use_flower"] == "y":
        services.add("flower")
    return services


@docker_combos
def test_compose_runs_exactly_the_chosen_services(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    services = load_yaml(project / "compose.yaml")["services"]
    assert set(services) == expected_services(combo)
    override = load_yaml(project / "compose.override.yaml")["services"]
    assert set(override) <= set(services), "the override names a service compose.yaml lacks"


@docker_combos
def test_every_compose_service_is_health_checked_restarted_and_waits_for_health(
    baked: Baker, combo: Combo
) -> None:
    services = load_yaml(baked(combo) / "compose.yaml")["services"]
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
        assert service.get("restart") == "unless-stopped", f"{name} has no restart policy"
        for dependency, condition in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            assert condition == {"condition": "service_healthy"}, f"{name} -> {dependency}"
    if "db" in services or "redis" in services:
        assert {"db", "redis"} & set(services["web"]["depends_on"]) == {"db", "redis"} & set(
            services
        )


@docker_combos
def test_compose_reads_env_file_and_writes_no_secret(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    compose = load_yaml(project / "compose.yaml")
    for name, service in compose["services"].items():
        if "build" in service:
            assert service["env_file"] == ".env", f"{name} does not read .env"
        for key, value in (service.get("environment") or {}).items():
            if re.search(r"PASSWORD|SECRET|TOKEN|AUTH", key):
                assert str(value).startswith("${"), f"{name}.{key} holds a literal secret"
    text = (project / "compose.yaml").read_text()
    secrets = re.findall(
        r"^(?:DJANGO_SECRET_KEY|POSTGRES_PASSWORD)=(.*)$", (project / ".env").read_text(), re.M
    )
    assert not [s for s in secrets if s in text], "a secret from .env was written into compose.yaml"


@docker_combos
def test_compose_keeps_data_in_declared_named_volumes(baked: Baker, combo: Combo) -> None:
    compose = load_yaml(baked(combo) / "compose.yaml")
    declared = set(compose.get("volumes") or {})
    used = {
        volume.split(":", 1)[0]
        for service in compose["services"].values()
        for volume in service.get("volumes", [])
        if not volume.startswith((".", "/"))
    }
    assert used, "no named volume keeps the data"
    assert used == declared


@docker_combos
def test_production_compose_mounts_no_code_and_development_does(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    compose = load_yaml(project / "compose.yaml")
    for name, service in compose["services"].items():
        mounts = [v for v in service.get("volumes", []) if v.startswith((".", "/"))]
        assert not mounts, f"compose.yaml mounts code into {name}: {mounts}"
    assert "command" not in compose["services"]["web"], "web runs the image's server (CMD)"
    assert compose["services"]["web"]["environment"]["DJANGO_SETTINGS_MODULE"] == (
        "config.settings.production"
    )
    web = load_yaml(project / "compose.override.yaml")["services"]["web"]
    assert ".:/app" in web["volumes"]
    assert web["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.local"


@docker_combos
def test_dockerignore_keeps_secrets_state_and_caches_out(baked: Baker, combo: Combo) -> None:
    lines = (baked(combo) / ".dockerignore").read_text().splitlines()
    patterns = {line.strip().rstrip("/") for line in lines if line and not line.startswith("#")}
    for needed in (".env", ".git", ".venv", "**/__pycache__", ".mypy_cache", "db.sqlite3"):
        assert needed in patterns, f".dockerignore does not exclude {needed}"


@docker_combos
def test_makefile_and_readme_document_the_stack(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    assert {"up", "down"} <= makefile_targets(project)
    readme = (project / "README.md").read_text()
    assert "make up" in readme
    assert "make down" in readme
    diagram = re.search(r"```mermaid\n(.+?)```", readme, re.S)
    assert diagram, "README has no Mermaid diagram of the stack"
    nodes = set(re.findall(r"\b(web|db|redis|worker|beat|flower)\b[\[(]", diagram[1]))
    assert nodes == expected_services(combo) | {"db"}, "the diagram does not match the stack"


@pytest.mark.parametrize(
    "combo", [c for c in FILE_COMBOS if c.context["use_docker"] == "n"], ids=str
)
def test_docker_off_leaves_no_file_target_or_ignore(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    present = [path for path in DOCKER_PATHS if (project / path).exists()]
    assert not present, f"use_docker=n but these exist: {present}"
    assert not {"up", "down"} & makefile_targets(project)


# --- GitHub Actions and Dependabot ---------------------------------------------------


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
def test_workflow_builds_the_image_only_with_docker(baked: Baker, combo: Combo) -> None:
    jobs = load_yaml(baked(combo) / ".github/workflows/ci.yml")["jobs"]
    builds = any("docker build" in c for c in run_commands({"jobs": jobs}))
    assert builds is (combo.context["use_docker"] == "y")


@ci_combos
def test_dependabot_updates_each_ecosystem_in_use(baked: Baker, combo: Combo) -> None:
    config = load_yaml(baked(combo) / ".github/dependabot.yml")
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    wanted = {"uv", "github-actions"}
    if combo.context["use_docker"] == "y":
        wanted |= {"docker", "docker-compose"}
    assert ecosystems == wanted


@all_combos
def test_pre_commit_config_has_the_promised_hooks(baked: Baker, combo: Combo) -> None:
    config = load_yaml(baked(combo) / ".pre-commit-config.yaml")
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    promised = {
        "ruff-check",
        "ruff-format",
        "django-upgrade",
        "trailing-whitespace",
        "end-of-file-fixer",
        "check-yaml",
        "migrations-are-current",
    }
    assert promised <= hooks, f"missing hooks: {promised - hooks}"


@pytest.mark.parametrize("combo", [c for c in CI_COMBOS if c.context["use_docker"] == "y"], ids=str)
def test_workflow_and_image_use_the_same_uv(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    image = re.search(r"ghcr\.io/astral-sh/uv:(\S+)", (project / "Dockerfile").read_text())
    workflow = (project / ".github/workflows/ci.yml").read_text()
    versions = set(re.findall(r'^\s+version: "(.+)"$', workflow, re.M))
    assert image, "the Dockerfile takes uv from no pinned image"
    assert versions == {image[1]}, f"uv {image[1]} in the image, {versions} in the workflow"
