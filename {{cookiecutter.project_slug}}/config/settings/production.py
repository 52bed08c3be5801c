"""Production: every secret and address comes from the environment, or start-up fails."""

from {{ cookiecutter.project_slug }}.core.logging import build_logging_config
{%- if cookiecutter.use_sentry == "y" %}
from {{ cookiecutter.project_slug }}.core.sentry import init_sentry
{%- endif %}

from .base import *  # noqa: F403
from .base import DOMAIN_NAME, env

DEBUG = False
# env.str() without a default raises ImproperlyConfigured naming the missing variable.
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
{%- if cookiecutter.database == "postgresql" %}
# Required: without it base.py would have fallen back to SQLite.
DATABASE_URL = env.str("DATABASE_URL")
{%- endif %}
{%- if cookiecutter.use_redis == "y" %}
# Required: without it base.py would have fallen back to the local-memory cache.
REDIS_URL = env.str("REDIS_URL")
{%- endif %}

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
{%- if cookiecutter.use_celery == "y" %}
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False
{%- endif %}
{%- if cookiecutter.use_sentry == "y" %}

# --- Sentry: errors and traces; does nothing while SENTRY_DSN is empty -----------------
init_sentry(
    dsn=env.str("SENTRY_DSN", default=""),
    environment=env.str("SENTRY_ENVIRONMENT", default="production"),
    release=env.str("SENTRY_RELEASE", default="{{ cookiecutter.project_slug }}@{{ cookiecutter.version }}"),
    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
)
{%- endif %}
