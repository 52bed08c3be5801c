"""A baked project installs with uv and passes its own checks: tests, migrations,
deployment checks, types and lint; on the embedded defaults and on real services."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.baking import GIT_ENV, describe
from tests.integration.conftest import CASES, Case, Installed, each_case, redis_command
from tests.options import QUOTED, Combo

pytestmark = pytest.mark.integration

type Install = Callable[[Case], Installed]


@each_case()
def test_make_test_passes_with_no_services(installed: Install, case: Case) -> None:
    # As on a developer's machine without services: the project's own tests that need a
    # real worker or Redis skip there, while with CI=true (as in its GitHub workflow)
    # they would fail by design. The real-services run below runs them.
    installed(case).assert_succeeds("make", "test", env={"CI": "false"})


@each_case(tuple(c for c in CASES if c.uses_postgresql or c.uses_redis))
def test_make_test_passes_against_real_postgresql_and_redis(
    installed: Install, real_services: dict[str, str], case: Case
) -> None:
    # The developer's own keys in the same Redis database (a `make run` cache, a worker's
    # results) outlive the test run: the tests delete only their own.
    redis_url = real_services.get("REDIS_URL")
    if redis_url:
        assert redis_command(redis_url, "SET", "developer:key", "kept").startswith(b"+OK")
    installed(case).assert_succeeds("make", "test", env=real_services)
    if redis_url:
        assert redis_command(redis_url, "GET", "developer:key").startswith(b"$4\r\nkept")


@each_case()
def test_models_have_all_their_migrations(installed: Install, case: Case) -> None:
    installed(case).assert_succeeds(
        "uv", "run", "python", "manage.py", "makemigrations", "--check", "--dry-run"
    )


@each_case()
def test_deploy_check_passes_under_production_settings(installed: Install, case: Case) -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "api.example.com",
    }
    # Syntactically real URLs; the deployment checks connect to neither.
    if case.uses_postgresql:
        env["DATABASE_URL"] = "postgres://nexus:secret@db.internal:5432/nexus"
    if case.uses_redis:
        env["REDIS_URL"] = "redis://cache.internal:6379/0"
    installed(case).assert_succeeds(
        "uv", "run", "python", "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=env
    )


@each_case()
def test_make_typecheck_passes(installed: Install, case: Case) -> None:
    installed(case).assert_succeeds("make", "typecheck")


@each_case()
def test_make_lint_passes(installed: Install, case: Case) -> None:
    installed(case).assert_succeeds("make", "lint")


@each_case()
def test_pre_commit_runs_every_hook_offline_and_finds_nothing(
    installed: Install, case: Case, tmp_path: Path
) -> None:
    # As the README says: the service in a git repository, then every hook on every file.
    # The hooks are the dev group's tools (nothing to clone), and a fresh service passes.
    project = installed(case)
    env = {**GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit")}
    project.assert_succeeds("git", "init", "--quiet", env=env)
    project.assert_succeeds("git", "add", "--all", env=env)
    project.assert_succeeds("uv", "run", "pre-commit", "run", "--all-files", env=env)


@each_case(tuple(c for c in CASES if c.combo.name in {"defaults_py313", "all_off_py312"}))
def test_make_app_adds_an_app_that_passes_lint_types_and_tests(
    installed: Install, case: Case, tmp_path: Path
) -> None:
    # In a copy: the other tests of this case share the installed project.
    original = installed(case)
    copy = Installed(
        case.combo,
        Path(
            shutil.copytree(
                original.path, tmp_path / "project", ignore=shutil.ignore_patterns(".venv")
            )
        ),
    )
    copy.assert_succeeds("uv", "sync", "--python", case.python)
    copy.assert_succeeds("make", "app", "name=invoices")
    slug = case.combo.context["project_slug"]
    for module in ("services", "selectors", "inputs", "api/views"):
        assert (copy.path / slug / "invoices" / f"{module}.py").is_file(), module
    assert (copy.path / slug / "invoices" / "migrations" / "0001_initial.py").is_file()
    copy.assert_succeeds("make", "lint")
    copy.assert_succeeds("make", "typecheck")
    copy.assert_succeeds("make", "test", env={"CI": "false"})
    result = copy.run("uv", "run", "pytest", "-q", "tests/invoices")
    assert result.returncode == 0, describe(result)
    assert " passed" in result.stdout, describe(result)
    copy.assert_succeeds(
        "uv", "run", "python", "manage.py", "makemigrations", "--check", "--dry-run"
    )


# Free text that must land safely in Python, TOML, YAML and Markdown: quotes, backslashes,
# a hash, accents and another script (the slug is transliterated from the name).
UNUSUAL_CASES = (
    Case(QUOTED, redis_db=0),
    Case(Combo("unicode_name", {"project_name": "Café Ünïcode 日本"}), redis_db=0),
)


@each_case(UNUSUAL_CASES)
def test_unusual_answers_bake_a_project_that_passes_its_checks(
    installed: Install, case: Case
) -> None:
    project = installed(case)
    project.assert_succeeds("make", "lint")
    project.assert_succeeds("make", "typecheck")
    project.assert_succeeds("uv", "run", "python", "manage.py", "check")
