"""Local development: debug on, mail to the console; everything else as in base."""

from .base import *  # noqa: F403
from .components import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Mail is printed to the console, never sent, while developing (whatever EMAIL_URL says).
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
