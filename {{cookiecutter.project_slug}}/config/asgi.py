import os

{% if cookiecutter.use_async == "y" -%}
import django
{%- else -%}
from django.core.asgi import get_asgi_application
{%- endif %}

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
{% if cookiecutter.use_async == "y" %}
# As django.core.asgi.get_asgi_application() does, with the handler that serves a sync
# view in one hop to a thread (core/asgi_handler.py), imported once Django is set up.
django.setup(set_prefix=False)
from {{ cookiecutter.project_slug }}.core.asgi_handler import OneHopASGIHandler  # noqa: E402

django_application = OneHopASGIHandler()
{%- else %}
django_application = get_asgi_application()
{%- endif %}

# Imported once Django is set up; refuses an oversized body before Django spools it.
from {{ cookiecutter.project_slug }}.core.api.body_limit import limit_asgi_body  # noqa: E402
from {{ cookiecutter.project_slug }}.health.middleware import answer_liveness  # noqa: E402

# Outermost: a liveness probe is answered before anything else runs for it.
application = answer_liveness(limit_asgi_body(django_application))
