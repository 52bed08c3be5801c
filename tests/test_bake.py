"""Baking each combination yields a complete, clean project.

Each test states one promise of DESIGN.md and is checked against every combination in
``tests/options.py``: the defaults, every toggle flipped, all-on, all-off, each database,
license and Python version.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.baking import describe, project_files, text_files
from tests.conftest import Baker
from tests.options import (
    ALWAYS_PRESENT,
    COMBOS,
    DEFAULTS,
    LICENSES,
    PARTS,
    PYTHONS,
    Combo,
    Part,
    combo_part_pairs,
)

JINJA_OPENERS = ("{{", "{%", "{#")
# Syntax of other tools that looks like Jinja but is meant to reach the generated files.
LEGITIMATE_BRACES = (
    (re.compile(r"^\.github/"), re.compile(r"\$\{\{.*?\}\}")),  # GitHub Actions expressions
    (re.compile(r""), re.compile(r"\$\{#")),  # shell: length of a variable
)

by_name = pytest.mark.parametrize("combo", COMBOS, ids=str)


def _pairs(*, off: bool, owning: str = "") -> list[object]:
    """(combination, part) parameters, with ids such as ``defaults-use_celery=n``."""
    return [
        pytest.param(c, p, id=f"{c}-{p.option}={c.context[p.option]}")
        for c, p in combo_part_pairs(off=off)
        if not owning or getattr(p, owning)
    ]


def _strip_legitimate_braces(relative: Path, line: str) -> str:
    for path_pattern, syntax in LEGITIMATE_BRACES:
        if path_pattern.search(relative.as_posix()):
            line = syntax.sub("", line)
    return line


def _missing(project: Path, combo: Combo, paths: tuple[str, ...]) -> list[str]:
    """Which of ``paths`` (with ``{slug}`` filled in) do not exist in the baked project."""
    slugged = (path.format(slug=combo.context["project_slug"]) for path in paths)
    return [path for path in slugged if not (project / path).exists()]


@by_name
def test_bake_leaves_no_unrendered_jinja(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    found = [
        f"{relative}:{number}: {line.strip()}"
        for relative, content in text_files(project)
        for number, line in enumerate(content.splitlines(), start=1)
        if any(o in _strip_legitimate_braces(relative, line) for o in JINJA_OPENERS)
    ]
    found += [
        f"{relative}: file name"
        for relative in project_files(project)
        if any(o in relative.as_posix() for o in JINJA_OPENERS)
    ]
    assert not found, "unrendered Jinja in the baked project:\n" + "\n".join(found[:40])


@pytest.mark.parametrize(("combo", "part"), _pairs(off=True))
def test_switched_off_option_leaves_no_trace(baked: Baker, combo: Combo, part: Part) -> None:
    project = baked(combo)
    traces = []
    for relative in project_files(project):
        name = relative.as_posix().lower()
        traces += [f"{relative}: file name has {w!r}" for w in part.words if w in name]
    for relative, content in text_files(project):
        for number, line in enumerate(content.splitlines(), start=1):
            traces += [
                f"{relative}:{number}: {w!r} in: {line.strip()[:120]}"
                for w in part.words
                if w in line.lower()
            ]
    assert not traces, f"{part} must leave no trace of {part.words}, found:\n" + "\n".join(
        traces[:40]
    )


@pytest.mark.parametrize(("combo", "part"), _pairs(off=False, owning="files"))
def test_switched_on_option_brings_its_files(baked: Baker, combo: Combo, part: Part) -> None:
    missing = _missing(baked(combo), combo, part.files)
    assert not missing, f"{part.option} is on but these files are missing: {missing}"


@pytest.mark.parametrize(("combo", "part"), _pairs(off=False, owning="dependency"))
def test_switched_on_option_adds_its_dependency(baked: Baker, combo: Combo, part: Part) -> None:
    pyproject = tomllib.loads((baked(combo) / "pyproject.toml").read_text())
    dependencies = [d.lower() for d in pyproject["project"]["dependencies"]]
    assert any(part.dependency in d for d in dependencies), (
        f"{part.option} is on but no dependency mentions {part.dependency!r}: {dependencies}"
    )


@by_name
def test_bake_has_the_fixed_layout(baked: Baker, combo: Combo) -> None:
    missing = _missing(baked(combo), combo, ALWAYS_PRESENT)
    assert not missing, f"paths fixed by DESIGN.md section 3 are missing: {missing}"


@by_name
def test_generated_pyproject_declares_the_dev_group_and_version(baked: Baker, combo: Combo) -> None:
    pyproject = tomllib.loads((baked(combo) / "pyproject.toml").read_text())
    assert "dev" in pyproject.get("dependency-groups", {}), "[dependency-groups] dev is missing"
    assert pyproject["project"]["version"] == combo.context["version"]


def _ruff(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """The template venv's ruff, run in the baked project so its own config applies."""
    return subprocess.run(
        [sys.executable, "-m", "ruff", *arguments, "--no-cache", "."],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


@by_name
def test_generated_code_passes_ruff_check(baked: Baker, combo: Combo) -> None:
    result = _ruff(baked(combo), "check")
    assert result.returncode == 0, describe(result)


@by_name
def test_generated_code_is_ruff_formatted(baked: Baker, combo: Combo) -> None:
    result = _ruff(baked(combo), "format", "--check")
    assert result.returncode == 0, describe(result)


def _parse(path: Path) -> object:
    text = path.read_text()
    if path.suffix in {".yaml", ".yml"}:
        return list(yaml.safe_load_all(text))
    if path.suffix == ".toml":
        return tomllib.loads(text)
    return json.loads(text)


@by_name
def test_every_yaml_toml_and_json_file_parses(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    parsed = 0
    errors = []
    for relative in project_files(project):
        if relative.suffix not in {".yaml", ".yml", ".toml", ".json"}:
            continue
        try:
            _parse(project / relative)
        except (yaml.YAMLError, tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
            errors.append(f"{relative}: {error}")
        parsed += 1
    assert parsed >= 2, "expected at least pyproject.toml and .pre-commit-config.yaml"
    assert not errors, "\n".join(errors)


def _names_version(text: str, version: str) -> bool:
    """Whether ``text`` names Python ``version`` (3.13 in "python:3.13-slim", not in 3.130)."""
    return re.search(rf"(?<![\d.]){re.escape(version)}(?![\d])", text) is not None


@pytest.mark.parametrize("combo", PYTHONS, ids=str)
def test_python_version_pins_the_interpreter_everywhere(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    chosen = combo.context["python_version"]
    others = [v for v in DEFAULTS["python_version"] if v != chosen]
    assert (project / ".python-version").read_text().strip() == chosen

    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    requires = pyproject["project"]["requires-python"]
    assert _names_version(requires, chosen), f"requires-python {requires!r} is not {chosen}"
    tools = pyproject.get("tool", {})
    if "target-version" in tools.get("ruff", {}):
        assert tools["ruff"]["target-version"] == "py" + chosen.replace(".", "")
    if "python_version" in tools.get("mypy", {}):
        assert str(tools["mypy"]["python_version"]) == chosen

    assert (project / "Dockerfile").is_file(), "use_docker=y but there is no Dockerfile"
    dockerfile = (project / "Dockerfile").read_text()
    assert _names_version(dockerfile, chosen), f"the Dockerfile's Python is not {chosen}"
    stale = [v for v in others if _names_version(dockerfile, v)]
    assert not stale, f"the Dockerfile still names Python {stale} after choosing {chosen}"


LICENSE_MARKERS = {
    "MIT": "Permission is hereby granted, free of charge",
    "BSD-3-Clause": "Redistribution and use in source and binary forms",
    "Apache-2.0": "Apache License",
}


@pytest.mark.parametrize("combo", LICENSES, ids=str)
def test_license_file_matches_the_choice(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    chosen = combo.context["license"]
    if chosen == "Proprietary":
        text = (project / "LICENSE").read_text() if (project / "LICENSE").exists() else ""
        assert not any(marker in text for marker in LICENSE_MARKERS.values()), (
            "a proprietary project must not ship an open-source license text"
        )
        return
    assert (project / "LICENSE").is_file(), f"license={chosen} but there is no LICENSE file"
    text = (project / "LICENSE").read_text()
    assert LICENSE_MARKERS[chosen] in text
    if chosen != "Apache-2.0":  # Apache's text names the holder only in a NOTICE, if at all
        assert combo.context["author_name"] in text, "the license names no copyright holder"
    others = [m for name, m in LICENSE_MARKERS.items() if name != chosen]
    assert not any(m in text for m in others)


def test_project_slug_is_derived_from_the_project_name(baked: Baker) -> None:
    project = baked(Combo("billing_api", {"project_name": "Billing API"}))
    assert project.name == "billing_api"
    assert (project / "billing_api" / "core").is_dir()


def test_the_defaults_are_the_first_choices() -> None:
    """The table in options.py and README agree with cookiecutter.json's defaults."""
    assert DEFAULTS["python_version"][0] == "3.13"
    assert DEFAULTS["database"][0] == "postgresql"
    assert DEFAULTS["ci"][0] == "github"
    toggles = {p.option: DEFAULTS[p.option] for p in PARTS if p.option.startswith(("use_", "ex"))}
    assert toggles == {
        "use_celery": "y",
        "use_redis": "y",
        "use_flower": "n",
        "use_jwt": "y",
        "use_graphql": "n",
        "use_async": "n",
        "use_docker": "y",
        "use_sentry": "n",
        "example_app": "y",
        "use_kubernetes": "n",
        "use_metrics": "y",
        "use_opentelemetry": "n",
        "use_cors": "n",
    }
