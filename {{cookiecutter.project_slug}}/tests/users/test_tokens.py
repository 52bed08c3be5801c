from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from {{ cookiecutter.project_slug }}.users.tokens import (
    AUTH_TIME_CLAIM,
    TokenRejectedError,
    expired_tokens_purge,
    refresh_token_revoke,
    refresh_token_rotate,
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


def _claims(token: str) -> dict[str, int]:
    """The refresh token's time claims, read at any time (its signature is ours)."""
    payload = RefreshToken(token, verify=False).payload  # type: ignore[arg-type]
    return {name: int(payload[name]) for name in ("exp", "iat", AUTH_TIME_CLAIM)}


def test_rotation_keeps_the_time_of_the_login(user):
    login = token_pair_issue(user=user)
    began = _claims(login.refresh)[AUTH_TIME_CLAIM]
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
        rotated = refresh_token_rotate(refresh=login.refresh)
    assert _claims(rotated.refresh)[AUTH_TIME_CLAIM] == began
    access = AccessToken(rotated.access, verify=False)  # type: ignore[arg-type]
    assert access[AUTH_TIME_CLAIM] == began


def test_rotation_cannot_extend_a_session_past_its_maximum_lifetime(user, settings):
    settings.JWT_REFRESH_MAX_LIFETIME = timedelta(days=10)
    pair = token_pair_issue(user=user)
    start = timezone.now()
    # Rotating every 6 days (within REFRESH_TOKEN_LIFETIME, 7) works until day 10 ...
    with time_machine.travel(start + timedelta(days=6), tick=False):
        pair = refresh_token_rotate(refresh=pair.refresh)
    # ... and the refresh token handed out then already expires with the session.
    assert _claims(pair.refresh)["exp"] == _claims(pair.refresh)[AUTH_TIME_CLAIM] + 10 * 86400
    with (
        time_machine.travel(start + timedelta(days=10, seconds=1), tick=False),
        pytest.raises(TokenRejectedError),
    ):
        refresh_token_rotate(refresh=pair.refresh)


def test_a_session_at_its_maximum_lifetime_must_log_in_again(user, settings):
    # A refresh token whose expiry would outlast the cap (issued before it was lowered).
    pair = token_pair_issue(user=user)
    settings.JWT_REFRESH_MAX_LIFETIME = timedelta(days=2)
    with (
        time_machine.travel(timezone.now() + timedelta(days=3), tick=False),
        pytest.raises(TokenRejectedError, match="maximum lifetime"),
    ):
        refresh_token_rotate(refresh=pair.refresh)
