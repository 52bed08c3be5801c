"""Background jobs of the users app, run by the Celery worker."""

from celery import shared_task

from {{ cookiecutter.project_slug }}.core.tasks import BaseTask
from {{ cookiecutter.project_slug }}.users.tokens import expired_tokens_purge


@shared_task(base=BaseTask)
def purge_expired_tokens() -> int:
    """Scheduled daily by beat (CELERY_BEAT_SCHEDULE); same as the management command."""
    return expired_tokens_purge()
