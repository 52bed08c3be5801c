"""Cookies and headers every environment sends; production.py adds HTTPS on top."""

from config.settings.components import env

SESSION_COOKIE_HTTPONLY = True
# A single-page app that signs in with a session reads the CSRF token from this cookie
# (and sends it as X-CSRFToken), so it needs DJANGO_CSRF_COOKIE_HTTPONLY=false.
CSRF_COOKIE_HTTPONLY = env.bool("DJANGO_CSRF_COOKIE_HTTPONLY", default=True)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The largest request body accepted (uploads included): a larger one is answered 413
# before it is read (core/api/body_limit.py). Django's own check of bodies it parses agrees.
MAX_REQUEST_BODY_BYTES = env.int("DJANGO_MAX_REQUEST_BODY_BYTES", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY_BYTES
