"""The service itself: secret key, hosts, apps, middleware, templates, time zone."""

import django_stubs_ext

from config.settings.components import env

# Lets generic Django classes be subscripted at run time, e.g. ModelAdmin[User].
django_stubs_ext.monkeypatch()

# The fallback lets a fresh clone run (local, tests) before .env exists; production.py
# requires the real key, and `check --deploy` rejects this one.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-local-only-never-deployed")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# What production.py insists on; components add the addresses they cannot do without.
# (DJANGO_ALLOWED_HOSTS is not among them: production defaults it to DOMAIN_NAME.)
PRODUCTION_REQUIRED_VARIABLES = ["DJANGO_SECRET_KEY"]
# The secrets production refuses when weak (a placeholder, short, few distinct characters).
PRODUCTION_SECRET_VARIABLES = ["DJANGO_SECRET_KEY"]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="manage/")
DOMAIN_NAME = "{{ cookiecutter.domain_name }}"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "{{ cookiecutter.timezone }}"
USE_I18N = True
USE_TZ = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: its `runserver` serves static files as production does.
    "{{ "servestatic" if cookiecutter.use_async == "y" else "whitenoise" }}.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "{{ cookiecutter.project_slug }}.core",
    "{{ cookiecutter.project_slug }}.health",
    "{{ cookiecutter.project_slug }}.users",
]

MIDDLEWARE = [
    # First: a liveness probe is answered before any other middleware does work for it.
    "{{ cookiecutter.project_slug }}.health.middleware.LivenessMiddleware",
    "{{ cookiecutter.project_slug }}.core.api.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (see static.py), before anything that would do work for them.
    "{{ "servestatic.middleware.ServeStaticMiddleware" if cookiecutter.use_async == "y" else "whitenoise.middleware.WhiteNoiseMiddleware" }}",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it is the first to see a view's exception: a database gone is a 503.
    "{{ cookiecutter.project_slug }}.core.api.middleware.DatabaseUnavailableMiddleware",
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
