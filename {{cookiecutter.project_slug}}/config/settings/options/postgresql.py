"""PostgreSQL (database=postgresql): required in production, and never waited on forever."""

from typing import TYPE_CHECKING

from config.settings.components import env

if TYPE_CHECKING:
    from config.settings.components.core import PRODUCTION_REQUIRED_VARIABLES
    from config.settings.components.database import DATABASES

# Without it production would fall back to the SQLite file.
PRODUCTION_REQUIRED_VARIABLES += ["DATABASE_URL"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when the server does not answer, instead of hanging a request or a probe.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DATABASE_CONNECT_TIMEOUT", default=5
    )
