"""JWT services: issue, rotate, revoke and purge refresh tokens (on simplejwt's tokens).

Every refresh token is recorded as outstanding when issued; rotating, logging out and
changing the password put it on the blacklist, so a used or stolen refresh token is
refused. Access tokens are short-lived and never stored: they expire on their own.

Rotation alone would let a session live forever (each refresh token buys the next), so
every token carries the time of the login it descends from (`auth_time`): no refresh
token outlives settings.JWT_REFRESH_MAX_LIFETIME after it, and then the user logs in again.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken, UntypedToken

from {{ cookiecutter.project_slug }}.core.exceptions import AuthenticationError
from {{ cookiecutter.project_slug }}.users.models import User


class TokenRejectedError(AuthenticationError):
    """A token, or the account behind it, may not be used; the message says why."""

    code = "token_not_valid"


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str


@transaction.atomic
def user_log_in(*, user: User) -> TokenPair:
    """A successful login: record it (last_login) and hand out a fresh token pair."""
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    return token_pair_issue(user=user)


# The claim naming when the session began: the login's time, in seconds since the epoch.
AUTH_TIME_CLAIM = "auth_time"


def token_pair_issue(*, user: User, auth_time: int | None = None) -> TokenPair:
    """A token pair for a user who has just proven who they are (a login: no
    `auth_time`) or who holds a valid refresh token of a session begun at `auth_time`."""
    refresh = RefreshToken.for_user(user)
    began = auth_time if auth_time is not None else int(timezone.now().timestamp())
    refresh[AUTH_TIME_CLAIM] = began
    # Never past the session's end, whatever REFRESH_TOKEN_LIFETIME would allow.
    session_end = began + int(settings.JWT_REFRESH_MAX_LIFETIME.total_seconds())
    refresh["exp"] = min(refresh["exp"], session_end)
    return TokenPair(access=str(refresh.access_token), refresh=str(refresh))


def _session_began(token: RefreshToken) -> int:
    """When the token's session began; a token issued before the claim existed counts
    from its own issue time."""
    began = token.get(AUTH_TIME_CLAIM, token.get("iat"))
    if not isinstance(began, int):
        msg = "Token has no valid session time."
        raise TokenRejectedError(msg)
    return began


@transaction.atomic
def refresh_token_rotate(*, refresh: str) -> TokenPair:
    """Trade a refresh token for a new pair; the old refresh token is blacklisted."""
    token = refresh_token_parse(refresh)
    # Lock the token's row so that two concurrent uses of one refresh token cannot both
    # rotate it: the second waits, then finds it blacklisted.
    OutstandingToken.objects.select_for_update().filter(jti=token[api_settings.JTI_CLAIM]).first()
    try:
        token.check_blacklist()
    except TokenError as error:
        raise TokenRejectedError(str(error)) from error
    user = User.objects.filter(pk=token.get(api_settings.USER_ID_CLAIM), is_active=True).first()
    if user is None:
        msg = "No active account found for the given token."
        raise TokenRejectedError(msg)
    began = _session_began(token)
    if datetime.fromtimestamp(began, tz=UTC) + settings.JWT_REFRESH_MAX_LIFETIME <= (
        timezone.now()
    ):
        msg = "The session has reached its maximum lifetime: log in again."
        raise TokenRejectedError(msg)
    token.blacklist()
    return token_pair_issue(user=user, auth_time=began)


@transaction.atomic
def refresh_token_revoke(*, refresh: str) -> None:
    """Log out: blacklist one refresh token, so it can no longer be used."""
    refresh_token_parse(refresh).blacklist()


@transaction.atomic
def user_refresh_tokens_revoke(*, user: User) -> int:
    """Blacklist every refresh token the user still holds (their password changed)."""
    outstanding = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    revoked = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )
    return len(revoked)


@transaction.atomic
def expired_tokens_purge() -> int:
    """Delete expired refresh-token records (and their blacklist entries, by cascade).

    An expired token is refused for its expiry alone, so its records only take space.
    """
    _, deleted = OutstandingToken.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted.get(OutstandingToken._meta.label, 0)


def token_verify(*, token: str) -> None:
    """Check a token's signature, expiry and blacklist; raise TokenRejectedError if bad."""
    try:
        untyped = UntypedToken(token)  # type: ignore[arg-type]
    except TokenError as error:
        raise TokenRejectedError(str(error)) from error
    if BlacklistedToken.objects.filter(token__jti=untyped.get(api_settings.JTI_CLAIM)).exists():
        msg = "Token is blacklisted"
        raise TokenRejectedError(msg)


def refresh_token_parse(refresh: str) -> RefreshToken:
    """Decode and validate a refresh token: signature, expiry, type and blacklist."""
    try:
        return RefreshToken(refresh)  # type: ignore[arg-type]
    except TokenError as error:
        raise TokenRejectedError(str(error)) from error
