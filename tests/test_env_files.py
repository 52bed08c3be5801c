"""`.env` holds fresh secrets, stays out of git and Docker, and `.env.example` documents it."""

from __future__ import annotations

import fnmatch
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.baking import bake
from tests.conftest import Baker
from tests.options import COMBOS, DEFAULT, Combo

ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Z][A-Z0-9_]*)=(.*)$")
DOCUMENTED = re.compile(r"^\s*#?\s*(?:export\s+)?([A-Z][A-Z0-9_]*)=", re.M)

by_name = pytest.mark.parametrize("combo", COMBOS, ids=str)


def _assignments(path: Path) -> dict[str, str]:
    """KEY=value lines of a dotenv file (comments and blank lines skipped)."""
    found = {}
    for line in path.read_text().splitlines():
        if match := ASSIGNMENT.match(line):
            found[match[1]] = match[2].strip().strip("\"'")
    return found


def _expected_variables(combo: Combo) -> set[str]:
    """The variables DESIGN.md section 3 lists, for the parts this combination has."""
    answers = combo.context
    expected = {
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "DJANGO_LOG_LEVEL",
        "DJANGO_LOG_FORMAT",
    }
    if answers["use_redis"] == "y":
        expected.add("REDIS_URL")
    if answers["use_celery"] == "y":
        expected.add("CELERY_BROKER_URL")
    if answers["use_sentry"] == "y":
        expected.add("SENTRY_DSN")
    return expected


@by_name
def test_env_example_documents_every_variable(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    documented = set(DOCUMENTED.findall((project / ".env.example").read_text()))
    undocumented = set(_assignments(project / ".env")) - documented
    assert not undocumented, f".env sets {sorted(undocumented)}, absent from .env.example"
    missing = _expected_variables(combo) - documented
    assert not missing, f".env.example does not document {sorted(missing)}"


@by_name
def test_env_holds_a_strong_secret_key_that_is_not_the_example(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    secret = _assignments(project / ".env").get("DJANGO_SECRET_KEY", "")
    assert len(secret) >= 50, "DJANGO_SECRET_KEY in .env is missing or shorter than 50"
    assert len(set(secret)) >= 5, "DJANGO_SECRET_KEY in .env is not random"
    assert secret not in (project / ".env.example").read_text()


def test_each_bake_gets_its_own_secret_key(tmp_path: Path) -> None:
    first, second = (bake(DEFAULT, tmp_path / name) for name in ("first", "second"))
    keys = [_assignments(p / ".env")["DJANGO_SECRET_KEY"] for p in (first, second)]
    assert keys[0] != keys[1]


@by_name
def test_env_is_git_ignored_and_env_example_is_not(
    baked: Baker, combo: Combo, tmp_path: Path
) -> None:
    shutil.copy(baked(combo) / ".gitignore", tmp_path / ".gitignore")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)

    def ignored(name: str) -> bool:
        check = ["git", "-C", str(tmp_path), "check-ignore", "-q", "--no-index", name]
        return subprocess.run(check, check=False).returncode == 0

    assert ignored(".env"), ".gitignore does not ignore .env"
    assert not ignored(".env.example"), ".gitignore ignores .env.example, which is committed"


def _dockerignore_excludes(patterns: list[str], name: str) -> bool:
    """Docker's rule: the last pattern that matches decides; `!` re-includes."""
    excluded = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        bare = pattern.removeprefix("!").lstrip("/").removeprefix("**/")
        if fnmatch.fnmatchcase(name, bare):
            excluded = not negated
    return excluded


@pytest.mark.parametrize("combo", [c for c in COMBOS if c.context["use_docker"] == "y"], ids=str)
def test_env_is_docker_ignored(baked: Baker, combo: Combo) -> None:
    lines = (baked(combo) / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert _dockerignore_excludes(patterns, ".env"), ".dockerignore does not exclude .env"
