"""A bearer request's user comes from the shared Redis cache (use_redis with use_jwt).

Included after redis.py and jwt.py (option modules come in name order). Every instance
sees a change at once (each save forgets the row); the timeout bounds a row cached by a
read racing a change, or a forget lost to a cache outage.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.settings.options.redis import REDIS_URL

if REDIS_URL:
    USER_ROW_CACHE_SECONDS = 60
