from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.users"
    label = "users"
    verbose_name = "Users"
{%- if cookiecutter.use_jwt == "y" %}

    def ready(self) -> None:
        from {{ cookiecutter.project_slug }}.users import signals  # noqa: F401, PLC0415
{%- endif %}
