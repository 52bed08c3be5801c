"""Articles over GraphQL: the REST API's selectors, filters, services and rules.

Reads start from the articles selectors (visibility: published, plus the viewer's own
drafts; author joined, tags prefetched, comments counted) and strawberry-django's
optimizer adds what else the query asks for (its comments and their authors), so a page
of 50 articles costs as many queries as a page of one. Writes validate their input as
the REST API does (the articles app's inputs) and call the same services, which
invalidate the REST response cache.
"""

from datetime import datetime
from enum import Enum
from typing import Any, cast

import strawberry
import strawberry_django
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from strawberry import Info
from strawberry_django.pagination import OffsetPaginated

from {{ cookiecutter.project_slug }}.articles.filters import ArticleFilter
from {{ cookiecutter.project_slug }}.articles.inputs import (
    ArticleCreateInputSerializer,
    CommentCreateInputSerializer,
)
from {{ cookiecutter.project_slug }}.articles.models import Article, Comment
from {{ cookiecutter.project_slug }}.articles.selectors import article_get, article_list
from {{ cookiecutter.project_slug }}.articles.services import article_create, comment_create
from {{ cookiecutter.project_slug }}.core.exceptions import InvalidInputError, NotFoundError
from {{ cookiecutter.project_slug }}.core.validation import validated_input
from {{ cookiecutter.project_slug }}.graphql.limits import bounded_list
from {{ cookiecutter.project_slug }}.graphql.permissions import login_required
from {{ cookiecutter.project_slug }}.users.current import current_user
from {{ cookiecutter.project_slug }}.users.models import User


@strawberry.enum(name="ArticleStatus")
class ArticleStatus(Enum):
    DRAFT = Article.Status.DRAFT.value
    PUBLISHED = Article.Status.PUBLISHED.value


@strawberry.enum(name="ArticleOrdering", description="Sort order of the article list.")
class ArticleOrdering(Enum):
    NEWEST = "-created"
    OLDEST = "created"
    TITLE = "title"
    TITLE_DESCENDING = "-title"


@strawberry_django.type(User, name="Author")
class AuthorType:
    """A user as others see them: no e-mail, no names."""

    id: strawberry.ID
    username: str


@strawberry_django.type(Comment, name="Comment")
class CommentType:
    id: strawberry.ID
    body: str
    created: datetime
    author: AuthorType


def resolve_tag_names(root: Article) -> list[str]:
    return [tag.name for tag in root.tags.all()]  # prefetched by the selector


@strawberry_django.type(Article, name="Article")
class ArticleType:
    id: strawberry.ID
    title: str
    slug: str
    status: ArticleStatus
    body: str
    created: datetime
    updated: datetime
    author: AuthorType
    tags: list[str] = strawberry_django.field(resolver=resolve_tag_names)
    comment_count: int  # annotated by the selector
    comments: list[CommentType] = bounded_list(
        description="Oldest first; 20 unless `pagination.limit` asks for more (at most 100)."
    )


def viewer(info: Info[Any, Any]) -> Any:
    return info.context.request.user


def resolve_articles(
    info: Info[Any, Any],
    tag: str | None = None,
    author: str | None = None,
    search: str | None = None,
    ordering: ArticleOrdering | None = None,
) -> QuerySet[Article]:
    # The REST list's own filter set: same rules, same messages for an unknown tag.
    params = {"tag": tag, "author": author, "search": search}
    params["ordering"] = ordering.value if ordering else None
    filterset = ArticleFilter(
        data={name: value for name, value in params.items() if value is not None},
        queryset=article_list(viewer=viewer(info)),
    )
    if not filterset.is_valid():
        raise InvalidInputError.from_django(DjangoValidationError(filterset.form.errors.as_data()))
    return filterset.qs


# The largest primary key a database column holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def parse_id(value: strawberry.ID) -> int | None:
    """The integer an id names, or None for anything that names no row.

    ASCII digits only: `str.isdigit()` accepts "¹", which `int()` then refuses, and
    `int()` alone accepts " 7", "+7", "7_0" and other scripts' digits.
    """
    text = str(value)
    if not (text.isascii() and text.isdecimal()):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def resolve_article(info: Info[Any, Any], id: strawberry.ID) -> ArticleType | None:  # noqa: A002
    article_id = parse_id(id)
    if article_id is None:
        return None  # no such article, as for any unknown id
    # A queryset, not an instance: strawberry-django fetches it once the optimizer has
    # added what the query selects (e.g. the comments).
    return cast("ArticleType", article_list(viewer=viewer(info)).filter(pk=article_id))


@strawberry.input
class CreateArticleInput:
    title: str
    body: str
    slug: str | None = strawberry.field(
        default=None, description="Defaults to the title, slugified."
    )
    status: ArticleStatus = ArticleStatus.DRAFT
    tags: list[str] | None = strawberry.field(
        default=None, description="Tag names; unknown tags are created."
    )


@strawberry.input
class CreateCommentInput:
    article_id: strawberry.ID
    body: str


def resolve_create_article(info: Info[Any, Any], input: CreateArticleInput) -> ArticleType:  # noqa: A002
    data = {
        "title": input.title,
        "body": input.body,
        "slug": input.slug,
        "status": input.status.value,
        "tags": input.tags,
    }
    validated = validated_input(
        ArticleCreateInputSerializer(
            data={name: value for name, value in data.items() if value is not None}
        )
    )
    article = article_create(author=current_user(info.context.request), **validated)
    # Read back as the list shows it (tags, comment count), like REST's 201 response.
    return cast("ArticleType", article_list(viewer=viewer(info)).filter(pk=article.pk))


def resolve_create_comment(info: Info[Any, Any], input: CreateCommentInput) -> CommentType:  # noqa: A002
    article_id = parse_id(input.article_id)
    article = (
        None if article_id is None else article_get(article_id=article_id, viewer=viewer(info))
    )
    if article is None:
        # Another user's draft is as unknown as a missing article (REST: 404).
        msg = "There is no article with this id."
        raise NotFoundError(msg)
    validated = validated_input(CommentCreateInputSerializer(data={"body": input.body}))
    author = current_user(info.context.request)
    comment = comment_create(article=article, author=author, **validated)
    return cast("CommentType", comment)


@strawberry.type
class ArticleQuery:
    articles: OffsetPaginated[ArticleType] = strawberry_django.offset_paginated(
        resolver=resolve_articles,
        description=(
            "The articles you may read: published ones, and your own drafts. "
            "Newest first unless `ordering` says otherwise; 20 per page unless "
            "`pagination.limit` asks for more (at most 100)."
        ),
    )
    article: ArticleType | None = strawberry_django.field(
        resolver=resolve_article,
        description="One article, or null if there is none you may read with this id.",
    )


@strawberry.type
class ArticleMutation:
    create_article: ArticleType = strawberry_django.field(
        resolver=resolve_create_article,
        description="Write an article (a draft unless `status` says otherwise).",
        extensions=[login_required()],
    )
    create_comment: CommentType = strawberry_django.field(
        resolver=resolve_create_comment,
        description="Comment on an article you may read.",
        extensions=[login_required()],
    )
