"""compose.yaml and its override validate against the compose spec and run the chosen stack.

Checked with check-jsonschema's built-in copy of the compose-spec schema, for every
combination with use_docker=y.
"""

from __future__ import annotations

import re

from tests.baking import describe
from tests.conftest import Baker
from tests.files import COMPOSE_FILES, docker_combos, load_yaml, makefile_targets, run_tool
from tests.options import Combo


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
