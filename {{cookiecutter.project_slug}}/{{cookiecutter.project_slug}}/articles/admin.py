"""The admin, N+1-free too: joined authors and articles, autocomplete instead of
<select> boxes that would load every user, tag or article into one page.

Admin writes skip the services, so each admin class invalidates the article cache itself.
"""

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from {{ cookiecutter.project_slug }}.articles.cache import article_cache_invalidate_on_commit
from {{ cookiecutter.project_slug }}.articles.models import Article, Comment, Tag


class InvalidatesArticleCache[M: Model](admin.ModelAdmin[M]):
    def save_model(self, request: HttpRequest, obj: M, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        article_cache_invalidate_on_commit()

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        super().delete_model(request, obj)
        article_cache_invalidate_on_commit()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        super().delete_queryset(request, queryset)
        article_cache_invalidate_on_commit()


@admin.register(Tag)
class TagAdmin(InvalidatesArticleCache[Tag]):
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(Article)
class ArticleAdmin(InvalidatesArticleCache[Article]):
    list_display = ("title", "author", "status", "created")
    list_filter = ("status",)
    list_select_related = ("author",)
    search_fields = ("title", "slug")
    autocomplete_fields = ("author", "tags")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "created"


@admin.register(Comment)
class CommentAdmin(InvalidatesArticleCache[Comment]):
    list_display = ("id", "article", "author", "created", "author_notified_at")
    list_select_related = ("article", "author")
    search_fields = ("body",)
    autocomplete_fields = ("article", "author")
    readonly_fields = ("author_notified_at",)
