"""Validate the answers before Cookiecutter writes anything.

Each check returns an error message or None. The first failing check is printed as
one line naming the option and what it accepts, and generation stops with exit 1:
Cookiecutter then removes the half-made output directory.
"""

from __future__ import annotations

import json
import keyword
import re
import sys
from collections.abc import Callable

# The answers arrive as JSON inside a raw string: JSON escapes every quote and never ends
# in a backslash, so no answer can break this file's syntax.
ANSWERS: dict[str, str] = json.loads(r"""{{ cookiecutter | tojson }}""")

# The y/n toggles are every prompt of cookiecutter.json not named here, so a new toggle needs
# no change to this file (a new text or choice prompt must be named here, or every bake
# stops at it). "Default is y or n" cannot be read from the template: Cookiecutter 2.6 and
# 2.7 pass cookiecutter.json as `_cookiecutter`, but with the command line's answers written
# over its defaults (`use_redis=maybe` arrives as the default "maybe") and, under --replay,
# each choice list replaced by the earlier answer; and the file is out of reach, as
# `cookiecutter._repo_dir` may be relative to a directory this hook cannot know.
NOT_TOGGLES = {
    # text: validated by a check below, or free
    "project_name", "project_slug", "description", "author_name", "email", "domain_name",
    "version", "timezone",
    # choices: Cookiecutter itself keeps the answer to the list
    "license", "python_version", "database", "ci",
}  # fmt: skip
TOGGLES = [key for key in ANSWERS if not key.startswith("_") and key not in NOT_TOGGLES]

# (option, answer, the option it needs) -> (the answer it needs, why, in a few words).
# The first option is a toggle (the message offers flipping it); a new dependency is one
# new row.
REQUIRES: dict[tuple[str, str, str], tuple[str, str]] = {
    ("use_celery", "y", "use_redis"): ("y", "Redis is the Celery broker"),
    ("use_flower", "y", "use_celery"): ("y", "Flower monitors Celery"),
    ("use_kubernetes", "y", "use_docker"): ("y", "the manifests run the service's image"),
    ("use_kubernetes", "y", "use_redis"): ("y", "replicas share one cache and broker"),
    ("use_kubernetes", "y", "database"): ("postgresql", "replicas share one database"),
}

# Module names a project package must not shadow: the generated service imports these
# (or tools import them) by name, so a package called e.g. `celery` breaks start-up.
RESERVED = {
    "django", "rest_framework", "celery", "config", "test", "tests", "site", "redis",
    "environ", "structlog", "drf_spectacular", "django_redis", "kombu", "gunicorn",
    "uvicorn", "sentry_sdk", "strawberry", "strawberry_django", "factory", "pytest",
    "rest_framework_simplejwt", "django_celery_beat", "flower", "psycopg", "users",
    "core", "articles", "manage", "setup", "conftest", "typing", "types", "jwt",
    "health", "graphql", "health_check", "split_settings", "servestatic", "whitenoise", "importlinter",
    "grimp", "dns", "scripts", "prometheus_client", "opentelemetry", "corsheaders",
}  # fmt: skip
# At most 20 characters: every generated line that names the package stays within the
# line length its own ruff enforces (tests/options.py bakes the longest).
SLUG = re.compile(r"^[a-z][a-z0-9_]{0,19}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# PEP 440 public version, from packaging's canonical pattern (kept inline: hooks run
# in the user's cookiecutter environment, where `packaging` may be missing).
PEP440 = re.compile(
    r"^([1-9][0-9]*!)?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*"
    r"((a|b|rc)(0|[1-9][0-9]*))?(\.post(0|[1-9][0-9]*))?(\.dev(0|[1-9][0-9]*))?$"
)


NAME_MAX_LENGTH = 80


def check_name(name: str) -> str | None:
    if not name.strip() or len(name) > NAME_MAX_LENGTH or not name.isprintable():
        return (
            f"project_name {name[:40]!r} must be one line of 1 to {NAME_MAX_LENGTH} printable "
            "characters, e.g. My Service"
        )
    return None


def check_slug(slug: str) -> str | None:
    if not SLUG.match(slug) or keyword.iskeyword(slug):
        return (
            f"project_slug {slug!r} is not a lowercase Python identifier of at most 20 "
            "characters (letters, digits and underscores, starting with a letter), e.g. my_service"
        )
    if slug in RESERVED or slug in sys.stdlib_module_names:
        return (
            f"project_slug {slug!r} shadows an existing module "
            "(standard library, Django or a dependency); choose another, e.g. my_service"
        )
    return None


def check_email(email: str) -> str | None:
    if not EMAIL.match(email):
        return f"email {email!r} is not an email address, e.g. jane@example.com"
    return None


def check_domain(domain: str) -> str | None:
    if not DOMAIN.match(domain):
        return f"domain_name {domain!r} is not a lowercase domain name, e.g. api.example.com"
    return None


def check_version(version: str) -> str | None:
    if not PEP440.match(version):
        return f"version {version!r} is not a PEP 440 version, e.g. 0.1.0"
    return None


def check_timezone(timezone: str) -> str | None:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return f"timezone {timezone!r} is not an IANA time zone, e.g. UTC or Europe/Berlin"
    return None


def check_toggles() -> str | None:
    for key in TOGGLES:
        if ANSWERS[key] not in ("y", "n"):
            return f"{key} must be 'y' or 'n', got {ANSWERS[key]!r}"
    return None


def check_requirements() -> str | None:
    for (option, value, needed), (needed_value, why) in REQUIRES.items():
        if ANSWERS[option] == value and ANSWERS[needed] != needed_value:
            other = "n" if value == "y" else "y"
            return (
                f"{option}={value} needs {needed}={needed_value} ({why}); "
                f"set {option}={other} or {needed}={needed_value}"
            )
    return None


CHECKS: list[Callable[[], str | None]] = [
    check_toggles,
    check_requirements,
    lambda: check_name(ANSWERS["project_name"]),
    lambda: check_slug(ANSWERS["project_slug"]),
    lambda: check_email(ANSWERS["email"]),
    lambda: check_domain(ANSWERS["domain_name"]),
    lambda: check_version(ANSWERS["version"]),
    lambda: check_timezone(ANSWERS["timezone"]),
]


def main() -> int:
    for check in CHECKS:
        error = check()
        if error:
            print(f"ERROR: {error}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
