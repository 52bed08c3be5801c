import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

django_application = get_asgi_application()

# Imported once Django is set up; refuses an oversized body before Django spools it.
from {{ cookiecutter.project_slug }}.core.api.body_limit import limit_asgi_body  # noqa: E402
from {{ cookiecutter.project_slug }}.health.middleware import answer_liveness  # noqa: E402

# Outermost: a liveness probe is answered before anything else runs for it.
application = answer_liveness(limit_asgi_body(django_application))
