"""PostgreSQL (database=postgresql): required in production, never waited on forever, and
health-checked only after a rest (core/db/postgresql)."""

from typing import TYPE_CHECKING

from config.settings.components import env

if TYPE_CHECKING:
    from config.settings.components.core import PRODUCTION_REQUIRED_VARIABLES
    from config.settings.components.database import DATABASES

# Without it production would fall back to the SQLite file.
PRODUCTION_REQUIRED_VARIABLES += ["DATABASE_URL"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, pinging a persistent connection only when it was idle.
    DATABASES["default"]["ENGINE"] = "{{ cookiecutter.project_slug }}.core.db.postgresql"
    # Fail fast when the server does not answer, instead of hanging a request or a probe.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DATABASE_CONNECT_TIMEOUT", default=5
    )
