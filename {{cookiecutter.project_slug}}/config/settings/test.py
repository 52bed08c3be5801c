"""Tests: fast hashing, no outgoing mail, files found where the apps keep them."""

from typing import TYPE_CHECKING

from split_settings.tools import include

from .base import *  # noqa: F403
from .components import BASE_DIR, option_modules

if TYPE_CHECKING:
    from config.settings.components.database import DATABASES
    from config.settings.components.drf import REST_FRAMEWORK

# Argon2 is deliberately slow; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Throttling is tested explicitly, with its own rates; elsewhere it would only add noise.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "anon": "10000/minute",
        "user": "10000/minute",
    },
}
# Tests never run collectstatic; {{ "ServeStatic" if cookiecutter.use_async == "y" else "WhiteNoise" }} finds the files where the apps keep them.
{{ "SERVESTATIC" if cookiecutter.use_async == "y" else "WHITENOISE" }}_USE_FINDERS = True
{{ "SERVESTATIC" if cookiecutter.use_async == "y" else "WHITENOISE" }}_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file instead of SQLite's in-memory test database, so another process (a worker
    # or a server a test starts) opens the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test_db.sqlite3")}

# What the options change under test (e.g. tasks run in-process).
include(*option_modules("options/test"))
