from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.urls import reverse

from {{ cookiecutter.project_slug }}.articles.tasks import notify_article_author

from tests.articles.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment():
    return CommentFactory.create(article=ArticleFactory.create(author__email="w@example.com"))


def test_a_new_comment_enqueues_the_notification_after_commit(
    auth_client, monkeypatch, django_capture_on_commit_callbacks
):
    enqueued: list[int] = []
    monkeypatch.setattr(notify_article_author, "delay", enqueued.append)
    url = reverse("v1:articles:comments", args=[ArticleFactory.create().pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = auth_client.post(url, {"body": "Hi"}, format="json")
    assert not enqueued  # nothing before the commit
    for callback in callbacks:
        callback()
    assert enqueued == [response.json()["id"]]


def test_the_task_is_idempotent(comment):
    assert notify_article_author.delay(comment.pk).get() is True
    assert notify_article_author.delay(comment.pk).get() is False
    assert len(mail.outbox) == 1


def test_the_task_retries_a_transient_failure(comment, monkeypatch):
    attempts: list[int] = []

    def flaky_send_mail(**kwargs: object) -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise SMTPServerDisconnected
        return 1

    monkeypatch.setattr("{{ cookiecutter.project_slug }}.articles.notifications.send_mail", flaky_send_mail)
    # Eagerly, a retry runs at once (a worker would wait with backoff and jitter).
    assert notify_article_author.apply(args=(comment.pk,), throw=False).get() is True
    assert len(attempts) == 2


def test_an_enqueue_failure_never_fails_the_request(
    auth_client, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args: object) -> None:
        raise ConnectionRefusedError

    monkeypatch.setattr(notify_article_author, "delay", broker_down)
    url = reverse("v1:articles:comments", args=[ArticleFactory.create().pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(url, {"body": "Hi"}, format="json")
    assert response.status_code == 201
