"""The generated code keeps its layout: settings by concern, import layers, one `.env`
writer, and comments that cite only files the bake has."""

from __future__ import annotations

import ast
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.baking import describe, project_files
from tests.conftest import Baker
from tests.options import ALL_ON, COMBOS, DEFAULT, QUOTED, TEMPLATE_DIR, Combo

by_name = pytest.mark.parametrize("combo", COMBOS, ids=str)
SETTINGS_DIR = TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "config" / "settings"
JINJA_CONTROL = re.compile(r"\{%")
# A path a comment or docstring cites: `core/tasks.py`, `compose.yaml`, ...; not a
# dotted module name (`my_service.graphql`) nor a call (`response.json()`).
CITED_PATH = re.compile(
    r"(?<![\w./-])((?:[\w-]+/)*[\w-]+\.(?:py|ya?ml|toml|md|sh))(?!\w|\.\w|\(|\[)"
)
CODE_SUFFIXES = {".py", ".yaml", ".yml", ".toml", ".sh"}
CODE_NAMES = {"Makefile", "Dockerfile", ".env.example", ".dockerignore", ".gitignore"}


def test_base_settings_is_a_short_list_of_components() -> None:
    lines = (SETTINGS_DIR / "base.py").read_text().splitlines()
    assert len(lines) < 60, f"config/settings/base.py has {len(lines)} lines"
    assert "include(" in "\n".join(lines)


def test_settings_hold_at_most_five_jinja_control_lines() -> None:
    found = [
        f"{path.relative_to(SETTINGS_DIR)}:{number}: {line.strip()}"
        for path in sorted(SETTINGS_DIR.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if JINJA_CONTROL.search(line)
    ]
    assert len(found) <= 5, "Jinja control lines in config/settings/:\n" + "\n".join(found)


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} is not installed: run `uv sync` (it is in the dev group)"
    return found


@by_name
def test_every_bake_keeps_its_import_layers(baked: Baker, combo: Combo) -> None:
    result = subprocess.run(
        [_tool("lint-imports"), "--no-cache"],
        cwd=baked(combo),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, describe(result)
    kept = re.search(r"Contracts: (\d+) kept, 0 broken", result.stdout)
    assert kept, describe(result)
    assert int(kept[1]) >= 3, f"only {kept[1]} import contracts: {result.stdout}"


def _cited_but_missing(project: Path) -> list[str]:
    names = {path.name for path in project_files(project)}
    slug = project.name
    missing = []
    for relative in project_files(project):
        if relative.suffix not in CODE_SUFFIXES and relative.name not in CODE_NAMES:
            continue
        bases = [project, project / slug, *(project / parent for parent in relative.parents)]
        for number, line in enumerate((project / relative).read_text().splitlines(), start=1):
            for cited in CITED_PATH.findall(line):
                if any((base / cited).exists() for base in bases):
                    continue
                if "/" not in cited and cited in names:
                    continue
                missing.append(f"{relative}:{number}: {cited}")
    return missing


@by_name
def test_no_comment_cites_a_file_the_bake_does_not_have(baked: Baker, combo: Combo) -> None:
    missing = _cited_but_missing(baked(combo))
    assert not missing, "cited, but not in the bake:\n" + "\n".join(missing)


def _env(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {key: value for key, value in pairs if not key.startswith("#")}


@pytest.mark.parametrize("combo", [DEFAULT, ALL_ON], ids=str)
def test_make_setup_writes_the_same_env_as_generation(
    baked: Baker, combo: Combo, tmp_path: Path
) -> None:
    project = shutil.copytree(baked(combo), tmp_path / "project")
    generated = _env(project / ".env")
    (project / ".env").unlink()
    # What `make setup` runs once `uv sync` is done (the script is standard library only).
    subprocess.run([sys.executable, "scripts/write_env.py"], cwd=project, check=True)
    written = project / ".env"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    rewritten = _env(written)
    assert rewritten.keys() == generated.keys()
    secrets = [key for key, value in _env(project / ".env.example").items() if value == "change-me"]
    assert "DJANGO_SECRET_KEY" in secrets
    for key in secrets:
        assert len(rewritten[key]) >= 50, f"{key} is not a fresh secret"
        assert rewritten[key] != generated[key], f"{key} was not renewed"
    assert {k: v for k, v in rewritten.items() if k not in secrets} == {
        k: v for k, v in generated.items() if k not in secrets
    }


def test_make_setup_leaves_an_existing_env_alone(baked: Baker, tmp_path: Path) -> None:
    project = shutil.copytree(baked(DEFAULT), tmp_path / "project")
    before = (project / ".env").read_text()
    result = subprocess.run(
        [sys.executable, "scripts/write_env.py"], cwd=project, capture_output=True, text=True
    )
    assert result.returncode == 0
    assert (project / ".env").read_text() == before
    assert "left as it is" in result.stderr


def test_generation_writes_env_for_its_owner_only(baked: Baker) -> None:
    mode = stat.S_IMODE((baked(DEFAULT) / ".env").stat().st_mode)
    assert mode == 0o600, oct(mode)


def test_the_api_title_is_the_project_name_whatever_it_holds(baked: Baker) -> None:
    drf = baked(QUOTED) / "config" / "settings" / "components" / "drf.py"
    tree = ast.parse(drf.read_text())
    titles = [
        ast.literal_eval(value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Dict)
        for key, value in zip(node.keys, node.values, strict=True)
        if isinstance(key, ast.Constant) and key.value == "TITLE"
    ]
    assert titles == [QUOTED.context["project_name"] + " API"]


def test_settings_components_import_their_shared_names_absolutely() -> None:
    # split-settings runs components in base.py's namespace: a relative import there
    # would resolve against config.settings, not the component's own package.
    relative = [
        str(path.relative_to(SETTINGS_DIR))
        for folder in ("components", "options")
        for path in (SETTINGS_DIR / folder).rglob("*.py")
        if re.search(r"^from \.", path.read_text(), re.M)
    ]
    assert not relative, f"relative imports in included settings modules: {relative}"
