"""Telling an article's author about a new comment, by email, at most once."""

import structlog
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from {{ cookiecutter.project_slug }}.articles.models import Comment

logger = structlog.get_logger(__name__)


def comment_notify_article_author(*, comment_id: int) -> bool:
    """Email the article's author about the comment; True if this call sent the mail.

    Idempotent: the comment is claimed (`author_notified_at` set) in the same transaction
    that sends the mail. If sending fails, the claim rolls back and a retry sends it; if
    the comment was claimed already, nothing is sent again.
    """
    comment = (
        Comment.objects.select_related("article__author", "author").filter(pk=comment_id).first()
    )
    if comment is None:
        return False  # deleted in the meantime: nobody to tell
    recipient = comment.article.author
    if recipient.pk == comment.author_id or not recipient.email:
        return False
    with transaction.atomic():
        claimed = Comment.objects.filter(pk=comment_id, author_notified_at__isnull=True).update(
            author_notified_at=timezone.now()
        )
        if not claimed:
            return False
        send_mail(
            subject=f"New comment on “{comment.article.title}”",
            message=f"{comment.author.username} wrote:\n\n{comment.body}",
            from_email=None,
            recipient_list=[recipient.email],
        )
    logger.info("article_author_notified", comment_id=comment_id, article_id=comment.article_id)
    return True
