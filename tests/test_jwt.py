"""JWT auth (use_jwt) and the files it shares with Celery: the token purge task and its
beat entry exist only when both are on; the management command whenever JWT is on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.baking import text_files
from tests.conftest import Baker
from tests.options import Combo

SLUG = "my_service"
JWT_ONLY_FILES = (
    f"{SLUG}/users/api/auth.py",
    f"{SLUG}/users/authentication.py",
    f"{SLUG}/users/tokens.py",
    f"{SLUG}/users/signals.py",
    f"{SLUG}/users/management/commands/purge_expired_tokens.py",
    "tests/users/test_auth.py",
    "tests/users/test_tokens.py",
)
PURGE_TASK_FILES = (f"{SLUG}/users/tasks.py", "tests/users/test_tasks.py")

JWT_AND_CELERY = Combo("jwt_and_celery", {"use_jwt": "y", "use_celery": "y"})
JWT_WITHOUT_CELERY = Combo("jwt_without_celery", {"use_jwt": "y", "use_celery": "n"})
# Without metrics, whose endpoint takes a bearer token of its own: "bearer" is JWT's here.
CELERY_WITHOUT_JWT = Combo(
    "celery_without_jwt", {"use_jwt": "n", "use_celery": "y", "use_metrics": "n"}
)


def settings_text(project: Path) -> str:
    """Every settings module of the project, as one text."""
    return "\n".join(p.read_text() for p in sorted((project / "config/settings").rglob("*.py")))


def test_jwt_with_celery_brings_the_purge_task_and_its_beat_entry(baked: Baker) -> None:
    project = baked(JWT_AND_CELERY)
    assert all((project / path).exists() for path in JWT_ONLY_FILES + PURGE_TASK_FILES)
    settings = settings_text(project)
    assert f'"task": "{SLUG}.users.tasks.purge_expired_tokens"' in settings


def test_jwt_without_celery_keeps_the_command_and_drops_the_task(baked: Baker) -> None:
    project = baked(JWT_WITHOUT_CELERY)
    assert all((project / path).exists() for path in JWT_ONLY_FILES)
    assert not any((project / path).exists() for path in PURGE_TASK_FILES)
    assert "CELERY_BEAT_SCHEDULE" not in settings_text(project)


def test_celery_without_jwt_leaves_no_token_code(baked: Baker) -> None:
    project = baked(CELERY_WITHOUT_JWT)
    assert not any((project / path).exists() for path in JWT_ONLY_FILES + PURGE_TASK_FILES)
    leftovers = [
        str(path)
        for path, text in text_files(project)
        if path.name != "uv.lock"
        and any(
            word in text.lower() for word in ("purge_expired_tokens", "bearer", "refresh token")
        )
    ]
    assert not leftovers


@pytest.mark.parametrize(
    "variable",
    [
        "JWT_ACCESS_TOKEN_LIFETIME_MINUTES",
        "JWT_REFRESH_TOKEN_LIFETIME_DAYS",
        "JWT_ALGORITHM",
        "JWT_SIGNING_KEY",
        "JWT_VERIFYING_KEY",
        "API_THROTTLE_AUTH",
    ],
)
def test_jwt_settings_are_read_from_the_environment_and_documented(
    baked: Baker, variable: str
) -> None:
    project = baked(JWT_AND_CELERY)
    assert f'"{variable}"' in settings_text(project)
    assert f"# {variable}=" in (project / ".env.example").read_text()
