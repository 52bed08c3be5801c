import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

django_application = get_wsgi_application()

# Imported once Django is set up; refuses an oversized body before Django reads it.
from {{ cookiecutter.project_slug }}.core.api.body_limit import limit_wsgi_body  # noqa: E402

application = limit_wsgi_body(django_application)
