"""The outbox through a broker outage, with a real worker: nothing acknowledged is lost.

The broker is a redis-server of this test's own, so it can be stopped. While it is
down, comments are still created (201, quickly); once it is back, the relay
(`manage.py outbox_relay`) publishes their notifications, and the worker runs each once,
even when the relay publishes them all a second time.
"""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from {{ cookiecutter.project_slug }}.articles.models import Comment
from {{ cookiecutter.project_slug }}.core.models import OutboxMessage
from {{ cookiecutter.project_slug }}.core.outbox import broker_breaker

from config.celery import app as celery_app
from tests.articles.factories import ArticleFactory
from tests.factories import UserFactory
from tests.integration.conftest import QUEUE, ROOT, WorkerFactory, wait_until
from tests.redis_server import RedisServer, free_port

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("transactional_db", "live_tasks")]
COMMENTS = 3


@pytest.fixture
def broker(tmp_path, monkeypatch, broker_url):
    server = RedisServer(tmp_path, free_port())
    server.start()
    monkeypatch.setitem(celery_app.conf, "broker_url", server.url)
    # Connections to the session's broker are pooled: this test's calls get new ones.
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    broker_breaker.reset()
    yield server
    server.stop()
    broker_breaker.reset()


@pytest.fixture
def relay(broker, tmp_path):
    """`manage.py outbox_relay`, as a deployment would run it, on the test database."""
    log = (tmp_path / "relay.log").open("wb")
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
        "INTEGRATION_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        "INTEGRATION_QUEUE": QUEUE,
        "CELERY_BROKER_URL": broker.url,
    }

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "manage.py", "outbox_relay", "--interval", "0.5"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    processes: list[subprocess.Popen[bytes]] = []
    yield lambda: processes.append(start())
    for process in processes:
        process.terminate()
        process.wait(timeout=30)
    log.close()


def test_comments_made_while_the_broker_is_down_are_each_notified_once(
    broker, relay, worker_factory: WorkerFactory
):
    worker = worker_factory(env={"CELERY_BROKER_URL": broker.url})
    article = ArticleFactory.create(author__email="writer@example.com")
    client = APIClient()
    client.force_authenticate(UserFactory.create())
    url = reverse("v1:articles:comments", args=[article.pk])
    assert client.post(url, {"body": "Before the outage."}, format="json").status_code == 201
    comments = Comment.objects.filter(article=article)

    def all_notified() -> bool:
        return not comments.filter(author_notified_at__isnull=True).exists()

    # Published and run before the broker goes (this Redis keeps nothing when killed).
    wait_until(all_notified, what="the first comment's notification", worker=worker)

    broker.stop()
    for number in range(COMMENTS):
        started = time.perf_counter()
        response = client.post(url, {"body": f"During the outage, {number}."}, format="json")
        assert response.status_code == 201
        assert time.perf_counter() - started < 1.0, "a request waited on the dead broker"
    assert OutboxMessage.objects.filter(published_at__isnull=True).count() == COMMENTS

    broker.start()
    relay()
    wait_until(all_notified, what="every comment's notification", worker=worker)
    wait_until(
        lambda: not OutboxMessage.objects.filter(completed_at__isnull=True).exists(),
        what="every outbox message to be completed",
        worker=worker,
    )

    # Every message published again (as after a relay crash): the worker skips them all.
    OutboxMessage.objects.update(
        published_at=None, available_at=timezone.now() - timedelta(seconds=1)
    )
    total = COMMENTS + 1
    wait_until(
        lambda: worker.log.read_text().count("task_duplicate_skipped") == total,
        what="the worker to skip every duplicate",
        worker=worker,
    )
    assert worker.log.read_text().count("article_author_notified") == total
