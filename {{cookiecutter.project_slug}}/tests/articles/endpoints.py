"""The article API's URLs, as the tests call them."""

from django.urls import reverse

from {{ cookiecutter.project_slug }}.articles.models import Article

LIST = reverse("v1:articles:list")


def detail(article: Article) -> str:
    return reverse("v1:articles:detail", args=[article.pk])


def comments(article: Article) -> str:
    return reverse("v1:articles:comments", args=[article.pk])
