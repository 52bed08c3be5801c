from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.core"
    label = "core"
    verbose_name = "Core"
{%- if cookiecutter.use_celery == "y" %}

    def ready(self) -> None:
        # Importing the module connects its receivers to Celery's task signals.
        from {{ cookiecutter.project_slug }}.core import celery_signals  # noqa: F401, PLC0415
{%- endif %}
