"""Through the real API: a new comment's notification runs on the worker, with the request id."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from {{ cookiecutter.project_slug }}.articles.models import Comment

from tests.articles.factories import ArticleFactory
from tests.factories import UserFactory
from tests.integration.conftest import Worker, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("transactional_db", "live_tasks")]


def test_a_new_comment_notifies_the_article_author_on_the_worker(worker: Worker):
    article = ArticleFactory.create()
    client = APIClient()
    client.force_authenticate(UserFactory.create())

    response = client.post(
        reverse("v1:articles:comments", args=[article.pk]),
        {"body": "Nice read."},
        format="json",
        headers={"X-Request-ID": "req-comment-1"},
    )

    assert response.status_code == 201
    wait_until(
        lambda: Comment.objects.filter(article=article, author_notified_at__isnull=False).exists(),
        what="the worker to notify the article's author",
        worker=worker,
    )
    wait_until(
        lambda: "req-comment-1" in worker.log.read_text(),
        what="the task's log lines to carry the request id",
        worker=worker,
    )
