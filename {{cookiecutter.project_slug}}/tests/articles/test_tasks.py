from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.urls import reverse

from {{ cookiecutter.project_slug }}.articles.tasks import notify_article_author
from {{ cookiecutter.project_slug }}.core.models import OutboxMessage
from {{ cookiecutter.project_slug }}.core.outbox import broker_breaker

from config.celery import app as celery_app
from tests.articles.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _broker_breaker_closed():
    broker_breaker.reset()
    yield
    broker_breaker.reset()


@pytest.fixture
def comment():
    return CommentFactory.create(article=ArticleFactory.create(author__email="w@example.com"))


def test_a_new_comment_writes_its_notification_to_the_outbox_and_publishes_it_after_commit(
    auth_client, monkeypatch, django_capture_on_commit_callbacks
):
    published: list[object] = []
    monkeypatch.setattr(notify_article_author, "apply_async", lambda *a, **kw: published.append(a))
    url = reverse("v1:articles:comments", args=[ArticleFactory.create().pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = auth_client.post(url, {"body": "Hi"}, format="json")
    [message] = OutboxMessage.objects.all()
    assert message.task_name == notify_article_author.name
    assert message.args == [response.json()["id"]]
    assert not published  # nothing before the commit
    for callback in callbacks:
        callback()
    assert published == [([response.json()["id"]], {})]
    message.refresh_from_db()
    assert message.published_at is not None


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


def test_a_publish_failure_never_fails_the_request_and_leaves_the_task_in_the_outbox(
    auth_client, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError

    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(celery_app, "send_task", broker_down)
    url = reverse("v1:articles:comments", args=[ArticleFactory.create().pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(url, {"body": "Hi"}, format="json")
    assert response.status_code == 201
    [message] = OutboxMessage.objects.all()
    assert message.published_at is None  # the relay publishes it once the broker is back
