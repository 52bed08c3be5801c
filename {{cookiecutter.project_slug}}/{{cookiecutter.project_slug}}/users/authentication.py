"""Bearer-token authentication for the API: simplejwt's, with errors that say what is wrong.

simplejwt reports every bad access token as "Given token not valid for any token type";
a client deserves to know whether its token expired (refresh it) or is invalid (log in
again). Every failure is a 401 in the service's problem-details format.

A safe request (GET, HEAD, OPTIONS) takes its user's row from the shared cache
(users/row_cache.py) when settings.USER_ROW_CACHE_SECONDS is above 0.
"""

from typing import Any

from django.conf import settings
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken, Token

from {{ cookiecutter.project_slug }}.users.row_cache import user_row_cached


class AccessTokenAuthentication(JWTAuthentication):
    """Authenticates `Authorization: Bearer <access token>`; leaves other schemes alone."""

    # Set per request (DRF makes the authenticators for each): may the row come from the cache.
    reads_cached_row = False

    def authenticate(self, request: Request) -> tuple[Any, Token] | None:
        self.reads_cached_row = (
            request.method in SAFE_METHODS and settings.USER_ROW_CACHE_SECONDS > 0
        )
        try:
            return super().authenticate(request)
        except AuthenticationFailed as error:
            # simplejwt nests its message in a dict; ours is the plain string DRF expects.
            detail = error.detail.get("detail") if isinstance(error.detail, dict) else error.detail
            raise exceptions.AuthenticationFailed(str(detail), code="token_not_valid") from error

    def get_header(self, request: Request) -> bytes:
        try:
            return super().get_header(request)
        except UnicodeEncodeError as error:
            # Only test clients can send characters HTTP headers cannot carry; still a 401.
            msg = "The Authorization header is not valid."
            raise exceptions.AuthenticationFailed(msg, code="bad_authorization_header") from error

    def get_user(self, validated_token: Token) -> Any:
        user_id = validated_token.get(api_settings.USER_ID_CLAIM)
        if self.reads_cached_row and user_id is not None:
            user = user_row_cached(user_id=user_id)
            if user is not None:
                return user
        # A write, or a user missing or inactive: simplejwt's lookup and its 401s.
        return super().get_user(validated_token)

    def get_validated_token(self, raw_token: bytes) -> Token:
        try:
            return AccessToken(raw_token)  # type: ignore[arg-type]
        except TokenError as error:
            raise exceptions.AuthenticationFailed(str(error), code="token_not_valid") from error


class AccessTokenScheme(SimpleJWTScheme):  # type: ignore[no-untyped-call]
    """Documents AccessTokenAuthentication as the bearer scheme (Swagger UI's Authorize)."""

    target_class = "{{ cookiecutter.project_slug }}.users.authentication.AccessTokenAuthentication"
