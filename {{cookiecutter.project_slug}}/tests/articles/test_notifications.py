import pytest
from django.core import mail

from {{ cookiecutter.project_slug }}.articles.models import Comment
from {{ cookiecutter.project_slug }}.articles.notifications import comment_notify_article_author

from tests.articles.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment() -> Comment:
    return CommentFactory.create(article=ArticleFactory.create(author__email="writer@example.com"))


def test_the_author_is_emailed_once_however_often_it_runs(comment):
    assert comment_notify_article_author(comment_id=comment.pk) is True
    assert comment_notify_article_author(comment_id=comment.pk) is False
    assert len(mail.outbox) == 1
    assert comment.article.title in mail.outbox[0].subject
    comment.refresh_from_db()
    assert comment.author_notified_at is not None


def test_a_failed_send_leaves_the_comment_unclaimed_for_a_retry(comment, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("{{ cookiecutter.project_slug }}.articles.notifications.send_mail", refuse)
    with pytest.raises(ConnectionRefusedError):
        comment_notify_article_author(comment_id=comment.pk)
    comment.refresh_from_db()
    assert comment.author_notified_at is None
    monkeypatch.undo()
    assert comment_notify_article_author(comment_id=comment.pk) is True


def test_nobody_is_emailed_about_their_own_comment():
    article = ArticleFactory.create(author__email="writer@example.com")
    comment = CommentFactory.create(article=article, author=article.author)
    assert comment_notify_article_author(comment_id=comment.pk) is False
    assert not mail.outbox


def test_a_deleted_comment_is_skipped():
    assert comment_notify_article_author(comment_id=123456) is False
