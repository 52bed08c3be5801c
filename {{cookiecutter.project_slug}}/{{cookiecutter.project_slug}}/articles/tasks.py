"""Background jobs of the articles app, run by the Celery worker."""

from smtplib import SMTPException

import structlog
from celery import Task, shared_task

from {{ cookiecutter.project_slug }}.articles.notifications import comment_notify_article_author
from {{ cookiecutter.project_slug }}.core.tasks import TRANSIENT_ERRORS, BaseTask

logger = structlog.get_logger(__name__)


@shared_task(
    base=BaseTask,
    bind=True,
    # BaseTask's transient errors, and a mail server that hung up or refused for now;
    # retried with BaseTask's exponential backoff and jitter. The claim in
    # comment_notify_article_author makes a retry of a task that did send harmless.
    autoretry_for=(*TRANSIENT_ERRORS, SMTPException),
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
