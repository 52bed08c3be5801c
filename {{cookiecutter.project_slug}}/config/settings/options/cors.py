"""Cross-origin API access for browser clients (use_cors; django-cors-headers).

No origin is allowed unless DJANGO_CORS_ALLOWED_ORIGINS names it (comma-separated,
`https://app.example.com`): the default is the browser's same-origin policy. Only the
API answers cross-origin requests, never the admin. Cookies (a session) are sent only
with DJANGO_CORS_ALLOW_CREDENTIALS=true; a token in the Authorization header needs none.
"""

from typing import TYPE_CHECKING

from config.settings.components import env

if TYPE_CHECKING:
    from config.settings.components.core import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS += ["corsheaders"]
# Before anything that answers by itself (static files, redirects, CommonMiddleware), so
# every answer, a preflight's too, gets its CORS headers.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware"),
    "corsheaders.middleware.CorsMiddleware",
)
CORS_ALLOWED_ORIGINS = env.list("DJANGO_CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOW_CREDENTIALS = env.bool("DJANGO_CORS_ALLOW_CREDENTIALS", default=False)
# Browsers may reuse a preflight's answer this many seconds (they cap it themselves too).
CORS_PREFLIGHT_MAX_AGE = env.int("DJANGO_CORS_PREFLIGHT_MAX_AGE", default=60 * 60 * 24)
CORS_URLS_REGEX = r"^/api/"
# Headers a browser client may read besides the basic ones.
CORS_EXPOSE_HEADERS = ["X-Request-ID"]
