"""Background jobs of the articles app."""

from smtplib import SMTPException

import structlog
from celery import Task, shared_task
from django.db import OperationalError

from {{ cookiecutter.project_slug }}.articles.notifications import comment_notify_article_author

logger = structlog.get_logger(__name__)


@shared_task(
    bind=True,
    # Transient failures (mail server, network, database) are retried with exponential
    # backoff and jitter; the claim in comment_notify_article_author makes a retry of
    # a task that did send its mail harmless.
    autoretry_for=(SMTPException, ConnectionError, TimeoutError, OperationalError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
)
def notify_article_author(self: Task[[int], bool], comment_id: int) -> bool:
    """Email the article's author about a new comment (at most once)."""
    sent = comment_notify_article_author(comment_id=comment_id)
    logger.info(
        "notify_article_author_done",
        comment_id=comment_id,
        sent=sent,
        attempt=self.request.retries + 1,
    )
    return sent
