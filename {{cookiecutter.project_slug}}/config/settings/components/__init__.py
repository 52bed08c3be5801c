"""What every settings module shares: where the project is, its metadata, its environment.

The settings are split by concern (django-split-settings): `base.py` includes the modules
of this package, then those of `options/`, into one namespace. A module that extends a
setting of an earlier one (`INSTALLED_APPS += [...]`) imports that name under
TYPE_CHECKING: for the type checker and the reader, not at run time.
"""

import tomllib
from pathlib import Path

import environ

SETTINGS_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SETTINGS_DIR.parent.parent
# Name, version and description have one home: pyproject.toml.
PROJECT = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]

env = environ.Env()
# Values already in the environment win over .env, so containers and CI can override.
env.read_env(env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)


def option_modules(folder: str) -> list[str]:
    """The option modules in `folder` (relative to config/settings/), in name order.

    Each is owned by one option and deleted by the post-generation hook when that option
    is off: a module that is not there is an option that is not there.
    """
    return sorted(
        path.relative_to(SETTINGS_DIR).as_posix()
        for path in (SETTINGS_DIR / folder).glob("*.py")
        if path.name != "__init__.py"
    )


# Values copied from examples and docs: a key anyone can read signs nothing.
PLACEHOLDER_SECRETS = frozenset(
    {"change-me", "changeme", "change_me", "secret", "secret-key", "your-secret-key", "password"}
)
SECRET_MIN_LENGTH = 50
SECRET_MIN_DISTINCT_CHARACTERS = 5


def secret_weakness(value: str) -> str:
    """Why `value` cannot sign anything in production, or "" if it can (or is unset)."""
    if not value:
        return ""
    if value.strip().lower() in PLACEHOLDER_SECRETS or value.startswith("django-insecure"):
        return "is a placeholder"
    if len(value) < SECRET_MIN_LENGTH:
        return f"is shorter than {SECRET_MIN_LENGTH} characters"
    if len(set(value)) < SECRET_MIN_DISTINCT_CHARACTERS:
        return f"has fewer than {SECRET_MIN_DISTINCT_CHARACTERS} distinct characters"
    return ""
