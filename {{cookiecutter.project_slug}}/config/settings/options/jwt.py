"""JWT authentication for the API (use_jwt).

Short-lived access tokens; refresh tokens rotate on every use and the used one is
blacklisted, so a replayed (stolen) refresh token is refused. Claims: the user id and the
login's time (a session ends JWT_REFRESH_MAX_LIFETIME_DAYS after it).
"""

from datetime import timedelta
from typing import TYPE_CHECKING

from config.settings.components import env

if TYPE_CHECKING:
    from config.settings.components.core import (
        INSTALLED_APPS,
        PRODUCTION_SECRET_VARIABLES,
        SECRET_KEY,
    )
    from config.settings.components.drf import REST_FRAMEWORK

INSTALLED_APPS += ["rest_framework_simplejwt.token_blacklist"]
# Bearer tokens first; the session stays for the admin and the browsable API.
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"].insert(
    0, "{{ cookiecutter.project_slug }}.users.authentication.AccessTokenAuthentication"
)
# Logins (the token endpoint) per client: brute-force protection.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"] = env.str("API_THROTTLE_AUTH", default="10/minute")
# ... and per username, from any address: one account cannot be tried from many.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth_account"] = env.str(
    "API_THROTTLE_AUTH_ACCOUNT", default="20/hour"
)

# Seconds a bearer request's user row may be served from the cache (users/row_cache.py).
# 0: a process's own memory cannot be told of a change made in another process.
{%- if cookiecutter.use_redis == "y" %}
# The shared Redis cache turns it on (redis_jwt.py).
{%- endif %}
USER_ROW_CACHE_SECONDS = 0

# Production refuses a weak JWT_SIGNING_KEY when it is set (unset: the checked secret key).
PRODUCTION_SECRET_VARIABLES += ["JWT_SIGNING_KEY"]

# However often its refresh token rotates, a session ends this long after its login.
JWT_REFRESH_MAX_LIFETIME = timedelta(days=env.int("JWT_REFRESH_MAX_LIFETIME_DAYS", default=30))

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(
        minutes=env.int("JWT_ACCESS_TOKEN_LIFETIME_MINUTES", default=5)
    ),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_TOKEN_LIFETIME_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    # HS256 signs with a shared secret; RS256/ES256 need JWT_SIGNING_KEY (private) and
    # JWT_VERIFYING_KEY (public) in PEM, and the `cryptography` package.
    "ALGORITHM": env.str("JWT_ALGORITHM", default="HS256"),
    "SIGNING_KEY": env.str("JWT_SIGNING_KEY", default=SECRET_KEY),
    "VERIFYING_KEY": env.str("JWT_VERIFYING_KEY", default=""),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
}
