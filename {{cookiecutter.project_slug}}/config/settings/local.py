"""Local development: debug on, everything else as in base (embedded defaults)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A fresh clone runs before .env exists; never used outside local development.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="local-only-insecure-secret-key")
# Mail is printed to the console, never sent, while developing.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
