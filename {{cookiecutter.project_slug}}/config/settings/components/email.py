"""Outgoing mail, from EMAIL_URL (e.g. smtp+tls://user:password@smtp.example.com:587).

Unset, mail is written to the log (console) instead of going nowhere.
"""

from config.settings.components import env

_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND: str = _email["EMAIL_BACKEND"]
EMAIL_HOST: str = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT: int = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER: str = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD: str = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS: bool = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL: bool = _email.get("EMAIL_USE_SSL", False)

DOMAIN_FROM_EMAIL = "noreply@{{ cookiecutter.domain_name }}"
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default=DOMAIN_FROM_EMAIL)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
