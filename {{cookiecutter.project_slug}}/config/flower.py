"""Start Flower behind basic auth, or refuse to start: `python -m config.flower [options]`.

Flower can revoke tasks and shut workers down, and has no login of its own, so it never
runs open. FLOWER_USER and FLOWER_PASSWORD (from the environment or .env) are required;
Flower gets them as its own FLOWER_BASIC_AUTH variable, never on the command line,
where `ps` would show the password. Options after the command go to Flower (--port=5555).
"""

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
PLACEHOLDER_PASSWORD = "change-me"  # noqa: S105 - the value .env.example ships with


def flower_environment(environment: Mapping[str, str]) -> dict[str, str]:
    """The environment to run Flower with; exits with a message when auth is not set."""
    env = dict(environment)
    user = env.get("FLOWER_USER", "")
    password = env.get("FLOWER_PASSWORD", "")
    if not user or not password or password == PLACEHOLDER_PASSWORD:
        sys.exit(
            "Flower refuses to start without basic auth: set FLOWER_USER and "
            "FLOWER_PASSWORD (not the placeholder) in the environment or .env."
        )
    if ":" in user or "," in user + password:
        sys.exit("FLOWER_USER must not contain ':', nor FLOWER_USER or FLOWER_PASSWORD ','.")
    env["FLOWER_BASIC_AUTH"] = f"{user}:{password}"
    return env


def main() -> None:
    env_file = os.environ.get("DJANGO_ENV_FILE", str(BASE_DIR / ".env"))
    environ.Env.read_env(env_file, overwrite=False)
    env = flower_environment(os.environ)
    command = [sys.executable, "-m", "celery", "-A", "config", "flower", *sys.argv[1:]]
    os.execve(sys.executable, command, env)  # noqa: S606 - no shell; replaces this process


if __name__ == "__main__":
    main()
