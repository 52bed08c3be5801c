import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_production_check(env_overrides: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "api.example.com",
        "DATABASE_URL": "sqlite:///:memory:",
{%- if cookiecutter.use_redis == "y" %}
        "REDIS_URL": "redis://localhost:6379/0",
{%- endif %}
        # The developer's .env must not fill in what this test takes away.
        "DJANGO_ENV_FILE": "/nonexistent/.env",
    }
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "variable",
    [
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
{%- if cookiecutter.database == "postgresql" %}
        "DATABASE_URL",
{%- endif %}
{%- if cookiecutter.use_redis == "y" %}
        "REDIS_URL",
{%- endif %}
    ],
)
def test_production_refuses_to_start_without_a_required_variable(variable):
    result = run_production_check({variable: None})
    assert result.returncode != 0
    assert f"Set the {variable} environment variable" in result.stderr


def test_production_passes_the_deploy_checks():
    result = run_production_check({})
    assert result.returncode == 0, result.stderr


def run_local_shell(
    code: str, env_overrides: dict[str, str], cleared: tuple[str, ...] = ("DJANGO_",)
) -> str:
    """What `code` prints in `manage.py shell` under local settings, with only these of
    the variables starting with `cleared` set (the developer's .env is not read either)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(cleared)}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.local", "DJANGO_ENV_FILE": "/nonexistent"}
    result = subprocess.run(  # noqa: S603 - our interpreter, the tests' own code
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env | env_overrides,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("variable", "http_only"), [({}, "True"), ({"DJANGO_CSRF_COOKIE_HTTPONLY": "false"}, "False")]
)
def test_the_csrf_cookie_is_http_only_unless_a_single_page_app_must_read_it(variable, http_only):
    shown = run_local_shell(
        "from django.conf import settings; print(settings.CSRF_COOKIE_HTTPONLY)", variable
    )
    assert shown == http_only
