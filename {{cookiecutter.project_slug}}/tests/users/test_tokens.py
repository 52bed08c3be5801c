import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from {{ cookiecutter.project_slug }}.users.tokens import (
    expired_tokens_purge,
    refresh_token_revoke,
    token_pair_issue,
    user_refresh_tokens_revoke,
)

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_issuing_a_pair_records_the_refresh_token_as_outstanding(user):
    token_pair_issue(user=user)
    assert OutstandingToken.objects.filter(user=user).count() == 1


def test_revoking_a_users_tokens_leaves_other_users_alone(user):
    token_pair_issue(user=user)
    token_pair_issue(user=user)
    other = UserFactory.create()
    token_pair_issue(user=other)

    assert user_refresh_tokens_revoke(user=user) == 2
    assert BlacklistedToken.objects.filter(token__user=user).count() == 2
    assert not BlacklistedToken.objects.filter(token__user=other).exists()
    # Already revoked tokens are not counted twice.
    assert user_refresh_tokens_revoke(user=user) == 0


def test_purge_deletes_only_expired_tokens_and_their_blacklist_entries(user):
    old = token_pair_issue(user=user)
    refresh_token_revoke(refresh=old.refresh)
    later = timezone.now() + api_settings.REFRESH_TOKEN_LIFETIME / 2
    with time_machine.travel(later, tick=False):
        token_pair_issue(user=user)

    after_the_first_expired = timezone.now() + api_settings.REFRESH_TOKEN_LIFETIME * 1.1
    with time_machine.travel(after_the_first_expired, tick=False):
        assert expired_tokens_purge() == 1
    assert OutstandingToken.objects.count() == 1
    assert not BlacklistedToken.objects.exists()


def test_purge_command_reports_what_it_deleted(user, capsys):
    token_pair_issue(user=user)
    with time_machine.travel(timezone.now() + api_settings.REFRESH_TOKEN_LIFETIME * 2, tick=False):
        call_command("purge_expired_tokens")
    assert "Purged 1 expired refresh token(s)." in capsys.readouterr().out
    assert not OutstandingToken.objects.exists()
