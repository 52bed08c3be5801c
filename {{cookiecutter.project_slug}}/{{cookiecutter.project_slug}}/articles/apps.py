from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.articles"
    label = "articles"
    verbose_name = "Articles"
