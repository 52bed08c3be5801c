"""Production: every secret and address comes from the environment, or start-up fails."""

from typing import TYPE_CHECKING

from split_settings.tools import include

from {{ cookiecutter.project_slug }}.core.observability.logging import build_logging_config

from .base import *  # noqa: F403
from .components import env, option_modules

if TYPE_CHECKING:
    from config.settings.components.core import DOMAIN_NAME, PRODUCTION_REQUIRED_VARIABLES

DEBUG = False
# env.str() without a default raises ImproperlyConfigured naming the missing variable.
for variable in PRODUCTION_REQUIRED_VARIABLES:
    env.str(variable)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

LOGGING = build_logging_config(
    level=env.str("DJANGO_LOG_LEVEL", default="INFO").upper(),
    log_format=env.str("DJANGO_LOG_FORMAT", default="json"),
)

# --- HTTPS behind a TLS-terminating proxy --------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Health probes come from the orchestrator over plain HTTP inside the cluster.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[f"https://{DOMAIN_NAME}"])

# What the options add in production (e.g. error reporting).
include(*option_modules("options/production"))
