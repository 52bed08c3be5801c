"""The articles example app (example_app): delete this file with the app."""

from typing import TYPE_CHECKING

from config.settings.components import env

if TYPE_CHECKING:
    from config.settings.components.core import INSTALLED_APPS

INSTALLED_APPS += ["django_filters", "{{ cookiecutter.project_slug }}.articles"]
# Lifetime of a cached article response, and so the most a reader can see an article as
# it was before a write whose invalidation failed (see articles/cache.py).
ARTICLE_CACHE_TIMEOUT = env.int("ARTICLE_CACHE_TIMEOUT", default=60)
