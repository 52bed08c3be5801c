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
