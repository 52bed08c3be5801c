"""Settings shared by every environment, all driven by environment variables.

`local`, `test` and `production` override only what differs. Each integration has its
own section below, so a reader finds cache, logging or auth set-up in one place.
"""

import tomllib
{%- if cookiecutter.use_jwt == "y" %}
from datetime import timedelta
{%- endif %}
from pathlib import Path

import django_stubs_ext
import environ

from {{ cookiecutter.project_slug }}.core.logging import build_logging_config, configure_structlog

# Lets generic Django classes be subscripted at run time, e.g. ModelAdmin[User].
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Name, version and description have one home: pyproject.toml.
PROJECT = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]
APPS_DIR = BASE_DIR / "{{ cookiecutter.project_slug }}"

env = environ.Env()
# Values already in the environment win over .env, so containers and CI can override.
env.read_env(env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

# --- Core -------------------------------------------------------------------------
# The fallback lets a fresh clone run (local, tests) before .env exists; production.py
# requires the real key, and `check --deploy` rejects this one.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-local-only-never-deployed")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="manage/")
DOMAIN_NAME = "{{ cookiecutter.domain_name }}"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "{{ cookiecutter.timezone }}"
USE_I18N = True
USE_TZ = True

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "rest_framework",
{%- if cookiecutter.use_jwt == "y" %}
    "rest_framework_simplejwt.token_blacklist",
{%- endif %}
    "drf_spectacular",
    "drf_spectacular_sidecar",
{%- if cookiecutter.use_async == "y" %}
    "servestatic",
{%- endif %}
{%- if cookiecutter.example_app == "y" %}
    "django_filters",
{%- endif %}
{%- if cookiecutter.use_celery == "y" %}
    "django_celery_beat",
{%- endif %}
{%- if cookiecutter.use_graphql == "y" %}
    "strawberry_django",
{%- endif %}
]
LOCAL_APPS = [
    "{{ cookiecutter.project_slug }}.core",
    "{{ cookiecutter.project_slug }}.users",
{%- if cookiecutter.example_app == "y" %}
    "{{ cookiecutter.project_slug }}.articles",
{%- endif %}
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "{{ cookiecutter.project_slug }}.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
{%- if cookiecutter.use_async == "y" %}
    # Async-native (a WhiteNoise fork): a sync-only middleware anywhere in the chain would
    # make every ASGI request hop to a thread and hold it until the response is done.
    "servestatic.middleware.ServeStaticMiddleware",
{%- else %}
    "whitenoise.middleware.WhiteNoiseMiddleware",
{%- endif %}
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------
# Unset DATABASE_URL means the embedded default: a SQLite file beside manage.py.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
{%- if cookiecutter.database == "postgresql" %}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when the server does not answer, instead of hanging a request or a probe.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DATABASE_CONNECT_TIMEOUT", default=5
    )
{%- endif %}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------
{%- if cookiecutter.use_redis == "y" %}
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "{{ cookiecutter.project_slug }}",
            "TIMEOUT": env.int("CACHE_TIMEOUT", default=300),
            "OPTIONS": {
                # A dead Redis must slow nothing down and break nothing: short
                # timeouts, and errors are logged and treated as cache misses.
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "{{ cookiecutter.project_slug }}.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
{%- else %}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
{%- endif %}

# --- Auth -------------------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Static files -----------------------------------------------------------------
{%- if cookiecutter.use_async == "y" %}
# Served by ServeStatic, so the admin and Swagger UI need no other web server.
{%- else %}
# Served by WhiteNoise, so the admin and Swagger UI need no other web server.
{%- endif %}
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
{%- if cookiecutter.use_async == "y" %}
    "staticfiles": {"BACKEND": "servestatic.storage.CompressedManifestStaticFilesStorage"},
{%- else %}
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
{%- endif %}
}

# --- REST framework ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
{%- if cookiecutter.use_jwt == "y" %}
        "{{ cookiecutter.project_slug }}.users.authentication.AccessTokenAuthentication",
{%- endif %}
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "{{ cookiecutter.project_slug }}.core.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="100/minute"),
        "user": env.str("API_THROTTLE_USER", default="1000/minute"),
{%- if cookiecutter.use_jwt == "y" %}
        "auth": env.str("API_THROTTLE_AUTH", default="10/minute"),
{%- endif %}
    },
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "{{ cookiecutter.project_slug }}.core.exceptions.problem_details_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
{%- set api_title = (cookiecutter.project_name ~ " API") | replace("\\", "\\\\") %}
{#- A Python string literal in the quotes ruff's formatter chooses: the fewer escapes. #}
{%- if api_title.count('"') > api_title.count("'") %}
    "TITLE": '{{ api_title | replace("'", "\\'") }}',
{%- else %}
    "TITLE": "{{ api_title | replace('"', '\\"') }}",
{%- endif %}
    "DESCRIPTION": PROJECT["description"],
    "VERSION": PROJECT["version"],
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's JavaScript and CSS come from drf-spectacular-sidecar, served by us.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
{%- if cookiecutter.use_graphql == "y" %}

# --- GraphQL ----------------------------------------------------------------------
# POST /graphql/ (see the graphql package). Lists page as on the REST API: 20 items
# unless the client asks for more, never more than 100 in one request.
STRAWBERRY_DJANGO = {
    "PAGINATION_DEFAULT_LIMIT": 20,
    "PAGINATION_MAX_LIMIT": 100,
}
{%- endif %}

{%- if cookiecutter.use_jwt == "y" %}

# --- JWT --------------------------------------------------------------------------
# Short-lived access tokens; refresh tokens rotate on every use and the used one is
# blacklisted, so a replayed (stolen) refresh token is refused. Claims: the user id only.
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
{%- endif %}

# --- Logging ----------------------------------------------------------------------
# One pipeline for Django's, the libraries' and our own log lines: JSON lines in
# production (DJANGO_LOG_FORMAT=json), readable console output locally.
LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO").upper()
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="console")
LOGGING = build_logging_config(level=LOG_LEVEL, log_format=LOG_FORMAT)
configure_structlog()

# --- Email ------------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.com:587; unset, mail is written
# to the log (console) instead of going nowhere.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default=f"noreply@{DOMAIN_NAME}")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ---------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
{%- if cookiecutter.use_celery == "y" %}

# --- Celery -----------------------------------------------------------------------
# Background jobs (`make worker`, `make beat`). What every task shares (retries, logs,
# the request id) is in the core app: tasks.py and celery_signals.py.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
# Without a broker (the embedded default) tasks run in-process, so `make run` needs no
# services; with one they go to the worker.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Like on a worker, a failing task is logged and the request that enqueued it succeeds.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TIMEZONE = TIME_ZONE
# JSON only: a pickled message from the broker would run arbitrary code in the worker.
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Acknowledge a task when it has finished, not when it arrives: a worker that dies
# mid-task leaves the message on the broker, to be redelivered. So tasks are idempotent.
CELERY_TASK_ACKS_LATE = True
# ... and when the worker process running it is killed (OOM, SIGKILL), requeue the task
# instead of recording it as failed.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Each worker process reserves one task at a time: a long task never holds others back.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The soft limit raises SoftTimeLimitExceeded inside the task, so it can clean up; the
# hard limit kills the process. Tasks that need longer say so: @shared_task(time_limit=...).
CELERY_TASK_SOFT_TIME_LIMIT = 5 * 60
CELERY_TASK_TIME_LIMIT = 6 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis hands an unacknowledged task to another worker after this many seconds: it
    # must outlast the hard time limit and the longest retry countdown (10 minutes), or
    # a task still running (or waiting to retry) would run twice.
    "visibility_timeout": 60 * 60,
}
# Losing the broker connection means the running tasks will be redelivered anyway:
# cancel them rather than finish them twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# A worker started before Redis keeps trying to connect instead of exiting.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Results (and states) are kept one day: long enough to look at, short enough for Redis.
CELERY_RESULT_EXPIRES = 60 * 60 * 24
# Record STARTED, so a long task can be told apart from one still waiting in the queue.
CELERY_TASK_TRACK_STARTED = True
# Periodic tasks live in the database, editable in the admin; CELERY_BEAT_SCHEDULE
# entries (defined in code) are copied there when beat starts.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
{%- endif %}
{%- if cookiecutter.use_celery == "y" and cookiecutter.use_jwt == "y" %}
CELERY_BEAT_SCHEDULE = {
    # Expired refresh tokens are refused anyway; their records only fill the tables.
    "purge-expired-tokens": {
        "task": "{{ cookiecutter.project_slug }}.users.tasks.purge_expired_tokens",
        "schedule": timedelta(days=1),
    },
}
{%- endif %}
