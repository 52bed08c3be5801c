"""Redis as the cache (use_redis), when REDIS_URL is set; required in production.

A dead or frozen Redis must slow nothing down and break nothing: short timeouts, errors
answered as cache misses, and a circuit breaker (core/redis_cache.py) that skips the cache
for a few seconds after a failure and logs an outage once when it starts and once when
it ends, instead of every failed call.
"""

from typing import TYPE_CHECKING

from config.settings.components import env

if TYPE_CHECKING:
    from config.settings.components.core import PRODUCTION_REQUIRED_VARIABLES

REDIS_URL = env.str("REDIS_URL", default="")
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.25)
# Without it production would fall back to the local-memory cache.
PRODUCTION_REQUIRED_VARIABLES += ["REDIS_URL"]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "{{ cookiecutter.project_slug }}.core.redis_cache.CircuitBreakerRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "{{ cookiecutter.project_slug }}",
            "TIMEOUT": env.int("CACHE_TIMEOUT", default=300),
            "OPTIONS": {
                # The most one request waits on a failing cache: after a failure the
                # breaker skips the cache for the next seconds.
                "SOCKET_CONNECT_TIMEOUT": CACHE_SOCKET_TIMEOUT,
                "SOCKET_TIMEOUT": CACHE_SOCKET_TIMEOUT,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    # The breaker logs an outage twice; django-redis would log every ignored error.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
