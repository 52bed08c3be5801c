"""Static files: collected into STATIC_ROOT, served by the service itself.

ServeStatic (an async-capable fork of WhiteNoise) serves them under WSGI and ASGI alike,
so the admin and Swagger UI need no other web server and no CDN.
"""

from config.settings.components import BASE_DIR

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "servestatic.storage.CompressedManifestStaticFilesStorage"},
}
