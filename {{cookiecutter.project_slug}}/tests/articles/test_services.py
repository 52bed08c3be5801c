from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from {{ cookiecutter.project_slug }}.articles.models import Article, Comment, Tag
from {{ cookiecutter.project_slug }}.articles.services import (
    article_create,
    article_delete,
    article_update,
    comment_create,
    tags_get_or_create,
)
from {{ cookiecutter.project_slug }}.core.exceptions import InvalidInputError

from tests.articles.factories import ArticleFactory, TagFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_article_create_derives_the_slug_and_normalizes_tags(user):
    TagFactory.create(name="django")
    article = article_create(
        author=user, title="Hello, World!", body="Hi.", tags=[" Django ", "python", "django"]
    )
    assert article.slug == "hello-world"
    assert article.status == Article.Status.DRAFT
    assert sorted(article.tags.values_list("name", flat=True)) == ["django", "python"]
    assert Tag.objects.count() == 2


def test_article_create_rejects_a_duplicate_slug(user):
    ArticleFactory.create(slug="taken")
    with pytest.raises(InvalidInputError) as excinfo:
        article_create(author=user, title="Other", body="x", slug="taken")
    assert excinfo.value.message_dict == {"slug": [Article.DUPLICATE_SLUG]}


def test_article_create_rejects_a_title_without_slug_characters(user):
    with pytest.raises(InvalidInputError) as excinfo:
        article_create(author=user, title="!!!", body="x")
    assert "slug" in excinfo.value.message_dict


def test_article_update_changes_fields_and_replaces_tags(user):
    article = ArticleFactory.create(author=user, tags=2)
    before = article.updated
    with time_machine.travel(before + timedelta(minutes=1)):
        article_update(article=article, data={"title": "New", "tags": ["one"]})
    article.refresh_from_db()
    assert article.title == "New"
    assert list(article.tags.values_list("name", flat=True)) == ["one"]
    assert article.updated > before


def test_article_update_of_tags_alone_touches_updated(user):
    article = ArticleFactory.create(author=user)
    before = article.updated
    with time_machine.travel(before + timedelta(minutes=1)):
        article_update(article=article, data={"tags": ["fresh"]})
    article.refresh_from_db()
    assert article.updated > before


def test_article_update_refuses_fields_that_are_not_editable(user):
    article = ArticleFactory.create(author=user)
    with pytest.raises(ValueError, match="author"):
        article_update(article=article, data={"author": UserFactory.create()})


def test_article_delete_removes_its_comments():
    article = ArticleFactory.create()
    comment_create(article=article, author=UserFactory.create(), body="Nice")
    article_delete(article=article)
    assert not Article.objects.exists()
    assert not Comment.objects.exists()


def test_tags_get_or_create_keeps_the_order_and_reuses_existing_tags():
    existing = TagFactory.create(name="b")
    tags = tags_get_or_create(names=["c", "B", "a"])
    assert [tag.name for tag in tags] == ["c", "b", "a"]
    assert tags[1] == existing


def test_comment_create_rejects_an_empty_body(user):
    with pytest.raises(InvalidInputError):
        comment_create(article=ArticleFactory.create(), author=user, body="")


def test_comment_create_notifies_the_author_after_commit(user, django_capture_on_commit_callbacks):
    article = ArticleFactory.create(author__email="writer@example.com")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment_create(article=article, author=user, body="Great read")
    assert not mail.outbox  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["writer@example.com"]
    assert "Great read" in mail.outbox[0].body
