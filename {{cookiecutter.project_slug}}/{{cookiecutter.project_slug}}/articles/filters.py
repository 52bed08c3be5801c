"""The query parameters of the article list: filters and a whitelisted ordering.

All but `search` are backed by an index (see models.py). An unknown tag, a too-long search
or an ordering not on the list is a 400, never an empty page or a 500. An unknown author is
an empty page: a 400 there would tell anyone which usernames exist.
"""

import django_filters
from django.db.models import Q, QuerySet

from {{ cookiecutter.project_slug }}.articles.models import Article, Tag
from {{ cookiecutter.project_slug }}.users.models import User

ORDERINGS = {
    "created": ("created", "id"),
    "-created": ("-created", "-id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
}


class ArticleFilter(django_filters.FilterSet):
    tag = django_filters.ModelChoiceFilter(
        field_name="tags",
        to_field_name="name",
        queryset=Tag.objects.all(),
        help_text="Only articles with this tag (its name).",
        error_messages={"invalid_choice": "There is no tag with this name."},
    )
    author = django_filters.CharFilter(
        field_name="author__username",
        max_length=User._meta.get_field("username").max_length,
        help_text="Only articles by this author (their username); none for an unknown one.",
    )
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=100,
        help_text="Text in the title or the body (case-insensitive).",
    )
    ordering = django_filters.ChoiceFilter(
        method="filter_ordering",
        choices=[(value, value) for value in ORDERINGS],
        help_text="Sort order; default -created (newest first).",
    )

    class Meta:
        model = Article
        fields = ["tag", "author", "search", "ordering"]

    def filter_search(
        self, queryset: QuerySet[Article], name: str, value: str
    ) -> QuerySet[Article]:
        # The one filter no B-tree index can serve (a substring scan): fine for an
        # example; for a large table use the database's full-text search instead.
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))

    def filter_ordering(
        self, queryset: QuerySet[Article], name: str, value: str
    ) -> QuerySet[Article]:
        return queryset.order_by(*ORDERINGS[value])
