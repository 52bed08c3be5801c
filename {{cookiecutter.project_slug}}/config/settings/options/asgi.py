"""Database connections under ASGI (use_async): closed at the end of every request.

Under ASGI each request runs its sync code (views, the ORM) in a thread of its own, and
a database connection belongs to the thread that opened it: a connection kept open for
CONN_MAX_AGE would never serve another request, only stay behind, one per request, until
the database refuses new ones. So every request closes its connection; with PostgreSQL
the connection goes back to a pool instead (options/postgresql_asgi.py).
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.settings.components.database import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 0
