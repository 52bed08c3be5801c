"""Static files: collected into STATIC_ROOT, served by the service itself.

{{ "ServeStatic (an async fork of WhiteNoise) serves them on the event loop," if cookiecutter.use_async == "y" else "WhiteNoise serves them in the sync middleware chain (an async-only middleware there\nwould put every request through an event loop of its own)," }}
so the admin and Swagger UI need no other web server and no CDN.
"""

from config.settings.components import BASE_DIR

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "{{ "servestatic" if cookiecutter.use_async == "y" else "whitenoise" }}.storage.CompressedManifestStaticFilesStorage"},
}
