"""Who users are, how their passwords are kept, and how the admin's login is guarded."""

from datetime import timedelta
from typing import TYPE_CHECKING

from config.settings.components import env

if TYPE_CHECKING:
    from config.settings.components.core import INSTALLED_APPS, MIDDLEWARE

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

# The admin site's login locks out after DJANGO_ADMIN_LOGIN_FAILURE_LIMIT failures
# (django-axes), per client address and, from any address, per username, for
# DJANGO_ADMIN_LOGIN_COOLOFF_MINUTES; a success clears the count. Only the admin's login
{%- if cookiecutter.use_jwt == "y" %}:
# the API's login has throttles of its own (API_THROTTLE_AUTH*), which this leaves alone.
{%- else %}.
{%- endif %}
# Unlock early with `python manage.py axes_reset_username NAME` (or axes_reset_ip ADDRESS).
INSTALLED_APPS += ["axes"]
# Last but one: it turns a refused admin login into the lockout page; the database
# middleware stays last.
MIDDLEWARE.insert(-1, "axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: a locked-out login goes no further
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ONLY_ADMIN_SITE = True
AXES_HANDLER = "{{ cookiecutter.project_slug }}.users.admin_login.AdminLoginHandler"
AXES_FAILURE_LIMIT = env.int("DJANGO_ADMIN_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_ADMIN_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
# The client's address as the API throttles see it (DJANGO_NUM_PROXIES), never a
# forged X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "{{ cookiecutter.project_slug }}.users.admin_login.client_address"
# Failures are kept (AccessAttempt, shown in the admin); every successful login is not.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # no banner on every manage.py command; lockouts are still logged
