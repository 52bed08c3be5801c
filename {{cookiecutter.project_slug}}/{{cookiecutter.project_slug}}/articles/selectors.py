"""Reads of articles: every queryset the API serves is built here, N+1-free.

One query for the page of articles (author joined, comments counted), one for all of
their tags, whatever the page size; the list tests pin that number.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet

from {{ cookiecutter.project_slug }}.articles.models import Article, Comment, Tag

type Viewer = AbstractBaseUser | AnonymousUser


def article_visibility(viewer: Viewer) -> Q:
    """Published articles for everyone; drafts only for their author."""
    published = Q(status=Article.Status.PUBLISHED)
    if viewer.is_authenticated:
        return published | Q(author_id=viewer.pk)
    return published


def article_list(*, viewer: Viewer) -> QuerySet[Article]:
    """The articles `viewer` may read, newest first, with everything the API shows."""
    return (
        Article.objects.filter(article_visibility(viewer))
        .select_related("author")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        # Counting in the same query; the only multi-valued join of the list is
        # this one (the ?tag= filter matches one tag row per article), so it never
        # multiplies.
        .annotate(comment_count=Count("comments"))
        .order_by("-created", "-id")
    )


def article_detail_get(*, article_id: int, viewer: Viewer) -> Article | None:
    """One article as the API shows it (author, tags, comment count), if `viewer` may read it."""
    return article_list(viewer=viewer).filter(pk=article_id).first()


def article_get(*, article_id: int, viewer: Viewer) -> Article | None:
    """Just the article, if `viewer` may read it (e.g. to comment on it)."""
    return Article.objects.filter(article_visibility(viewer), pk=article_id).first()


def comment_list(*, article: Article) -> QuerySet[Comment]:
    """An article's comments, oldest first, with their authors."""
    return (
        Comment.objects.filter(article=article).select_related("author").order_by("created", "id")
    )
