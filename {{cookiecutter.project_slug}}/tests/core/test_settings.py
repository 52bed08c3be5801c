import json
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


REQUIRED_VARIABLES = [
    "DJANGO_SECRET_KEY",
{%- if cookiecutter.database == "postgresql" %}
    "DATABASE_URL",
{%- endif %}
{%- if cookiecutter.use_redis == "y" %}
    "REDIS_URL",
{%- endif %}
]


def missing_message(variable: str) -> str:
    return f"Set the {variable} environment variable (production needs it; see .env.example)."


@pytest.mark.parametrize("variable", REQUIRED_VARIABLES)
def test_production_refuses_to_start_without_a_required_variable(variable):
    result = run_production_check({variable: None})
    assert result.returncode != 0
    assert result.stderr.strip() == missing_message(variable)


def test_production_names_every_missing_variable_at_once_one_line_each():
    result = run_production_check(dict.fromkeys(REQUIRED_VARIABLES))
    assert result.returncode != 0
    assert result.stderr.splitlines() == [missing_message(name) for name in REQUIRED_VARIABLES]


WEAK_SECRETS = {
    "change-me": "is a placeholder",
    "django-insecure-local-only-never-deployed": "is a placeholder",
    "short-but-random-Zx81q": "is shorter than 50 characters",
    "abcd" * 20: "has fewer than 5 distinct characters",
}
SECRET_VARIABLES = [
    "DJANGO_SECRET_KEY",
{%- if cookiecutter.use_jwt == "y" %}
    "JWT_SIGNING_KEY",
{%- endif %}
]


@pytest.mark.parametrize("variable", SECRET_VARIABLES)
@pytest.mark.parametrize(("value", "reason"), WEAK_SECRETS.items())
def test_production_refuses_a_weak_secret_in_one_line(variable, value, reason):
    result = run_production_check({variable: value})
    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        f"{variable} {reason}: set 50 or more random characters, e.g. from "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'."
    ]


def production_settings(
    names: list[str], hosts: str | None = None, environment: dict[str, str] | None = None
) -> dict[str, object]:
    """The named settings as production computes them (DJANGO_ALLOWED_HOSTS=hosts, or
    unset; `environment` set on top)."""
    code = (
        "import json, sys, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({name: getattr(settings, name) for name in sys.argv[1:]}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": "sqlite:///:memory:",
{%- if cookiecutter.use_redis == "y" %}
        "REDIS_URL": "redis://localhost:6379/0",
{%- endif %}
        "DJANGO_ENV_FILE": "/nonexistent/.env",
    }
    if hosts is not None:
        env["DJANGO_ALLOWED_HOSTS"] = hosts
    env |= environment or {}
    shown = subprocess.run(  # noqa: S603 - our interpreter, our code, setting names
        [sys.executable, "-c", code, *names],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(shown.stdout))


def test_production_serves_the_generation_domain_unless_told_otherwise():
    assert production_settings(["ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"]) == {
        "ALLOWED_HOSTS": ["{{ cookiecutter.domain_name }}"],
        "CSRF_TRUSTED_ORIGINS": ["https://{{ cookiecutter.domain_name }}"],
    }


def test_hsts_starts_at_one_hour():
    # A mistake in HTTPS then locks browsers out for an hour, not a year.
    assert production_settings(["SECURE_HSTS_SECONDS"]) == {"SECURE_HSTS_SECONDS": 3600}


def test_production_renders_json_only():
    # No browsable API in production: no HTML renderer to negotiate, no pages to serve.
    shown = production_settings(["REST_FRAMEWORK"])["REST_FRAMEWORK"]
    assert isinstance(shown, dict)
    assert shown["DEFAULT_RENDERER_CLASSES"] == ["rest_framework.renderers.JSONRenderer"]


def test_csrf_trusted_origins_follow_the_allowed_hosts():
    shown = production_settings(["CSRF_TRUSTED_ORIGINS"], hosts="api.example.org,.example.net")
    assert shown == {"CSRF_TRUSTED_ORIGINS": ["https://api.example.org", "https://*.example.net"]}


def production_database(environment: dict[str, str]) -> dict[str, object]:
    databases = production_settings(["DATABASES"], environment=environment)["DATABASES"]
    assert isinstance(databases, dict)
    return dict(databases["default"])
{%- if cookiecutter.use_async == "y" %}


def test_under_asgi_every_request_closes_its_database_connection():
    # Each request runs in a thread of its own: a kept connection would only pile up.
    database = production_database({"DJANGO_CONN_MAX_AGE": "60"})
    assert database["CONN_MAX_AGE"] == 0
{%- if cookiecutter.database == "postgresql" %}


POSTGRESQL_URL = "postgres://app:secret@db.example.com:5432/app"


def test_under_asgi_postgresql_connections_come_from_a_bounded_pool():
    options = production_database({"DATABASE_URL": POSTGRESQL_URL})["OPTIONS"]
    assert isinstance(options, dict)
    assert options["pool"] == {"min_size": 2, "max_size": 10, "timeout": 3.0}


def test_the_pool_is_sized_from_the_environment():
    database = production_database(
        {
            "DATABASE_URL": POSTGRESQL_URL,
            "DATABASE_POOL_MIN_SIZE": "1",
            "DATABASE_POOL_MAX_SIZE": "4",
            "DATABASE_POOL_TIMEOUT": "2.5",
        }
    )
    assert database["OPTIONS"] == {
        "connect_timeout": 5,
        "pool": {"min_size": 1, "max_size": 4, "timeout": 2.5},
    }
    # Django's pool needs both: no persistent connections, and a check before each use.
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (0, True)
{%- endif %}
{%- else %}


def test_under_wsgi_database_connections_persist_between_requests():
    # One thread serves request after request: reusing its connection saves a connect.
    assert production_database({})["CONN_MAX_AGE"] == 60
    assert production_database({"DJANGO_CONN_MAX_AGE": "0"})["CONN_MAX_AGE"] == 0
{%- endif %}


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


API_DOCUMENTS = (
    "from django.test import Client; client = Client(SERVER_NAME='localhost'); "
    "print(*(client.get(url).status_code for url in ('/api/schema/', '/api/docs/')))"
)


@pytest.mark.parametrize(
    ("variable", "statuses"),
    # Refused: 401 where access tokens authenticate, 403 where only sessions do.
    [({}, "200 200"), ({"DJANGO_API_DOCS_PUBLIC": "false"}, "{{ "401 401" if cookiecutter.use_jwt == "y" else "403 403" }}")],
)
def test_the_api_documents_are_public_unless_kept_to_staff(variable, statuses):
    assert run_local_shell(API_DOCUMENTS, variable).splitlines()[-1] == statuses
