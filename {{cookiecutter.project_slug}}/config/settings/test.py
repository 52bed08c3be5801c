"""Tests: fast hashing, no outgoing mail, eager tasks unless a test starts a worker."""

from .base import *  # noqa: F403
{%- if cookiecutter.use_celery == "y" %}
from .base import BASE_DIR, DATABASES, REST_FRAMEWORK
{%- else %}
from .base import REST_FRAMEWORK
{%- endif %}

# Argon2 is deliberately slow; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Throttling is tested explicitly, with its own rates; elsewhere it would only add noise.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],  # type: ignore[dict-item]
        "anon": "10000/minute",
        "user": "10000/minute",
    },
}
{%- if cookiecutter.use_async == "y" %}
# Tests never run collectstatic; ServeStatic finds the files where the apps keep them.
SERVESTATIC_USE_FINDERS = True
SERVESTATIC_AUTOREFRESH = True
{%- else %}
# Tests never run collectstatic; WhiteNoise looks files up per request instead.
WHITENOISE_AUTOREFRESH = True
{%- endif %}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
{%- if cookiecutter.use_celery == "y" %}
# Unit tests run tasks in-process; integration tests start a real worker and turn this off.
CELERY_TASK_ALWAYS_EAGER = True
# A task that fails makes the test that ran it fail, with the task's traceback.
CELERY_TASK_EAGER_PROPAGATES = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file instead of SQLite's in-memory test database: the worker that integration
    # tests start is another process, and must open the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test_db.sqlite3")}
{%- endif %}
