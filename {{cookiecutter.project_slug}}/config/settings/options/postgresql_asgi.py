"""PostgreSQL under ASGI (database=postgresql, use_async): psycopg's connection pool.

Each request closes its connection (options/asgi.py); the pool keeps them open for the
next request instead, and bounds them: a worker process never holds more than
DATABASE_POOL_MAX_SIZE, whatever the number of requests in flight. One that finds all in
use (or the database down) waits up to DATABASE_POOL_TIMEOUT seconds, then answers 503
with Retry-After: a pool keeps trying to connect instead of failing at once. So the
connection budget of a deployment is workers x DATABASE_POOL_MAX_SIZE per instance
(docs/deployment.md). CONN_HEALTH_CHECKS makes the pool check a connection before it
hands it out, so one that a database restart cut is replaced, not used.
"""

from typing import TYPE_CHECKING

from config.settings.components import env

if TYPE_CHECKING:
    from config.settings.components.database import DATABASES

# options/postgresql.py (included before this module) names the project's backend.
if DATABASES["default"]["ENGINE"] in (
    "django.db.backends.postgresql",
    "{{ cookiecutter.project_slug }}.core.db.postgresql",
):
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=2),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=3.0),
    }
