"""Beat purges expired refresh tokens daily (use_jwt with use_celery).

Included after celery.py (option modules come in name order), whose schedule it extends.
"""

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.settings.options.celery import CELERY_BEAT_SCHEDULE

# Expired refresh tokens are refused anyway; their records only fill the tables.
CELERY_BEAT_SCHEDULE["purge-expired-tokens"] = {
    "task": "{{ cookiecutter.project_slug }}.users.tasks.purge_expired_tokens",
    "schedule": timedelta(days=1),
}
