"""The articles example app (example_app): delete this file with the app."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.settings.components.core import INSTALLED_APPS

INSTALLED_APPS += ["django_filters", "{{ cookiecutter.project_slug }}.articles"]
