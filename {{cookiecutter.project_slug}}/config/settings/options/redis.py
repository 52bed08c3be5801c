"""Redis as the cache (use_redis), when REDIS_URL is set; required in production.

A dead Redis must slow nothing down and break nothing: short timeouts, and errors are
logged and treated as cache misses.
"""

from typing import TYPE_CHECKING

from config.settings.components import env

if TYPE_CHECKING:
    from config.settings.components.core import PRODUCTION_REQUIRED_VARIABLES

REDIS_URL = env.str("REDIS_URL", default="")
# Without it production would fall back to the local-memory cache.
PRODUCTION_REQUIRED_VARIABLES += ["REDIS_URL"]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "{{ cookiecutter.project_slug }}",
            "TIMEOUT": env.int("CACHE_TIMEOUT", default=300),
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "{{ cookiecutter.project_slug }}.cache"
