from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from {{ cookiecutter.project_slug }}.users.tasks import purge_expired_tokens
from {{ cookiecutter.project_slug }}.users.tokens import token_pair_issue

pytestmark = pytest.mark.django_db


def test_purge_task_deletes_expired_tokens(user):
    token_pair_issue(user=user)
    with time_machine.travel(timezone.now() + api_settings.REFRESH_TOKEN_LIFETIME * 2, tick=False):
        assert purge_expired_tokens.delay().get() == 1
    assert not OutstandingToken.objects.exists()


def test_beat_schedules_the_purge_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["purge-expired-tokens"]
    assert entry["task"] == purge_expired_tokens.name
    assert entry["schedule"] == timedelta(days=1)
