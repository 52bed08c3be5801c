"""Production: every secret and address comes from the environment, or start-up fails."""

import sys
from typing import TYPE_CHECKING

from split_settings.tools import include

from {{ cookiecutter.project_slug }}.core.observability.logging import build_logging_config

from .base import *  # noqa: F403
from .components import env, option_modules, secret_weakness

if TYPE_CHECKING:
    from config.settings.components.core import (
        DOMAIN_NAME,
        PRODUCTION_REQUIRED_VARIABLES,
        PRODUCTION_SECRET_VARIABLES,
    )
    from config.settings.components.drf import REST_FRAMEWORK

DEBUG = False
# Every missing variable at once, one line each, and no traceback: the reader needs
# only the names (SystemExit prints its message and ends the process).
_missing = [name for name in PRODUCTION_REQUIRED_VARIABLES if not env.str(name, default="")]
if _missing:
    sys.exit(
        "\n".join(
            f"Set the {name} environment variable (production needs it; see .env.example)."
            for name in _missing
        )
    )
# A placeholder or short key would let anyone who guesses it forge sessions and tokens.
_weak = [
    f"{name} {reason}: set 50 or more random characters, e.g. from "
    "python -c 'import secrets; print(secrets.token_urlsafe(64))'."
    for name in PRODUCTION_SECRET_VARIABLES
    if (reason := secret_weakness(env.str(name, default="")))
]
if _weak:
    sys.exit("\n".join(_weak))
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
# The production domain given at generation, unless the environment names the hosts.
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[DOMAIN_NAME])

# JSON only: the browsable API's HTML pages cost every response a renderer choice and
# serve no client (the documented API is at /api/docs/).
REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = ["rest_framework.renderers.JSONRenderer"]

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
# An hour to begin with, so a mistake locks browsers out briefly; raise it once HTTPS
# works on every host (docs/deployment.md, section 3).
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Session POSTs (admin, browsable API) are trusted from the hosts served, over HTTPS.
CSRF_TRUSTED_ORIGINS = env.list(
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    # ".example.com" (the domain and its subdomains) becomes "https://*.example.com".
    default=[f"https://{'*' if host.startswith('.') else ''}{host}" for host in ALLOWED_HOSTS],
)

# What the options add in production (e.g. error reporting).
include(*option_modules("options/production"))
