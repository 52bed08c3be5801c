"""Writes of articles, tags and comments: keyword-only, typed, atomic.

Each write that changes what a cached article response shows invalidates the article
cache once its transaction has committed (see cache.py for why only then).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from {{ cookiecutter.project_slug }}.articles.cache import article_cache_invalidate_on_commit
from {{ cookiecutter.project_slug }}.articles.models import Article, Comment, Tag
{%- if cookiecutter.use_celery == "y" %}
from {{ cookiecutter.project_slug }}.articles.tasks import notify_article_author
{%- else %}
from {{ cookiecutter.project_slug }}.articles.notifications import comment_notify_article_author
{%- endif %}
from {{ cookiecutter.project_slug }}.core.exceptions import InvalidInputError
{%- if cookiecutter.use_celery == "y" %}
from {{ cookiecutter.project_slug }}.core.outbox import outbox_enqueue
{%- endif %}
from {{ cookiecutter.project_slug }}.core.services import model_full_clean, model_update
from {{ cookiecutter.project_slug }}.users.models import User

ARTICLE_FIELDS = ("title", "slug", "body", "status")


def tag_names_normalize(names: Iterable[str]) -> list[str]:
    """Trimmed, lower-case, without duplicates, in the order given."""
    return list(dict.fromkeys(name.strip().lower() for name in names if name.strip()))


@transaction.atomic
def tags_get_or_create(*, names: Iterable[str]) -> list[Tag]:
    """The tags with these names, creating the missing ones (three queries, any count)."""
    normalized = tag_names_normalize(names)
    missing = set(normalized) - set(
        Tag.objects.filter(name__in=normalized).values_list("name", flat=True)
    )
    for name in missing:
        model_full_clean(Tag(name=name), validate_unique=False)
    # A concurrent request may create the same tag: the unique index settles it.
    Tag.objects.bulk_create([Tag(name=name) for name in missing], ignore_conflicts=True)
    by_name = Tag.objects.in_bulk(normalized, field_name="name")
    return [by_name[name] for name in normalized]


@contextmanager
def _slug_race_is_invalid_input(article: Article) -> Iterator[None]:
    """A slug that a concurrent request took after validation is still a 400, not a 500."""
    try:
        with transaction.atomic():  # a savepoint, so the caller's transaction survives
            yield
    except IntegrityError as exc:
        if Article.objects.filter(slug=article.slug).exclude(pk=article.pk).exists():
            raise InvalidInputError.for_field("slug", Article.DUPLICATE_SLUG, "unique") from exc
        raise


@transaction.atomic
def article_create(
    *,
    author: User,
    title: str,
    body: str,
    status: str = Article.Status.DRAFT,
    slug: str = "",
    tags: Iterable[str] = (),
) -> Article:
    article = Article(
        author=author,
        title=title,
        body=body,
        status=status,
        slug=slug or slugify(title)[:200],
    )
    model_full_clean(article)
    with _slug_race_is_invalid_input(article):
        article.save()
    article.tags.set(tags_get_or_create(names=tags))
    article_cache_invalidate_on_commit()
    return article


@transaction.atomic
def article_update(*, article: Article, data: dict[str, Any]) -> Article:
    """Update the fields in `data`; `tags`, if given, replaces the article's tags."""
    fields = dict(data)
    tag_names = fields.pop("tags", None)
    # Saved even when only the tags change: `updated` says the article changed.
    with _slug_race_is_invalid_input(article):
        model_update(instance=article, fields=ARTICLE_FIELDS, data=fields)
    if tag_names is not None:
        article.tags.set(tags_get_or_create(names=tag_names))
    article_cache_invalidate_on_commit()
    return article


@transaction.atomic
def article_delete(*, article: Article) -> None:
    article.delete()
    article_cache_invalidate_on_commit()


@transaction.atomic
def comment_create(*, article: Article, author: User, body: str) -> Comment:
    comment = Comment(article=article, author=author, body=body)
    model_full_clean(comment)
    comment.save()
    # The list and detail show comment counts.
    article_cache_invalidate_on_commit()
{%- if cookiecutter.use_celery == "y" %}
    # In the outbox, in this transaction: a rolled-back comment notifies nobody, and a
    # committed one is notified even if the broker is down right now.
    outbox_enqueue(notify_article_author, comment.pk)
{%- else %}
    # Only after commit: a rolled-back comment must not notify anybody. `robust`: a
    # failed notification is logged and never fails the request that saved the comment.
    transaction.on_commit(lambda: comment_notify_article_author(comment_id=comment.pk), robust=True)
{%- endif %}
    return comment
