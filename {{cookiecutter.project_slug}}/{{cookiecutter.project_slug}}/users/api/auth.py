"""The JWT API: log in for a token pair, refresh it, verify a token, log out.

These views take no authentication (a client refreshing because its access token
expired may still send that token) and answer every bad credential or token with a 401
in the problem-details format: the services raise TokenRejectedError, which the
exception handler maps like every other domain error.
"""

import hashlib
from typing import Any

import structlog
from django.contrib.auth import authenticate
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle
from rest_framework.views import APIView

{% if cookiecutter.use_redis == "y" -%}
from {{ cookiecutter.project_slug }}.core.redis_cache import CacheWithLocalFallback
{% endif -%}
from {{ cookiecutter.project_slug }}.users.models import User
from {{ cookiecutter.project_slug }}.users.tokens import (
    TokenPair,
    refresh_token_revoke,
    refresh_token_rotate,
    token_verify,
    user_log_in,
)

logger = structlog.get_logger(__name__)

UNAUTHORIZED = OpenApiResponse(description="Bad credentials or token (problem details).")
THROTTLED = OpenApiResponse(description="Too many attempts; retry after `Retry-After` seconds.")


class LoginInputSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class RefreshInputSerializer(serializers.Serializer[Any]):
    refresh = serializers.CharField()


class VerifyInputSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()


class TokenPairOutputSerializer(serializers.Serializer[TokenPair]):
    access = serializers.CharField(help_text="Send as `Authorization: Bearer <access>`.")
    refresh = serializers.CharField(help_text="Trade for a new pair at /token/refresh/.")


{%- if cookiecutter.use_redis == "y" %}


# The login counts live in the cache (Redis). While it does not answer, each process
# counts on its own, at the same rates: the limits hold per process through an outage
# instead of switching off.
LOGIN_COUNTS = CacheWithLocalFallback()
{%- endif %}


class LoginClientThrottle(ScopedRateThrottle):
    """Logins per client address (API_THROTTLE_AUTH)."""
{%- if cookiecutter.use_redis == "y" %}

    cache = LOGIN_COUNTS
{%- endif %}


class LoginAccountThrottle(SimpleRateThrottle):
    """Logins per username, from any address: one account cannot be tried from many.

    Beside the per-client throttle; the price is that anyone can keep an account from
    logging in for the rest of the window (API_THROTTLE_AUTH_ACCOUNT).
    """

    scope = "auth_account"
{%- if cookiecutter.use_redis == "y" %}
    cache = LOGIN_COUNTS
{%- endif %}

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        username = request.data.get("username") if isinstance(request.data, dict) else None
        if not isinstance(username, str) or not username:
            return None  # the serializer refuses it
        ident = hashlib.sha256(username.casefold().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TokenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request: Request) -> str:
        # Makes DRF answer a failed login or a bad token with 401, not 403.
        return 'Bearer realm="api"'


class TokenObtainView(TokenView):
    """Log in with username and password; get an access and a refresh token."""

    # Brute-force protection: low rates per client address (API_THROTTLE_AUTH) and per
    # account (API_THROTTLE_AUTH_ACCOUNT).
    throttle_classes = [LoginClientThrottle, LoginAccountThrottle]
    throttle_scope = "auth"

    @extend_schema(
        tags=["auth"],
        request=LoginInputSerializer,
        responses={200: TokenPairOutputSerializer, 401: UNAUTHORIZED, 429: THROTTLED},
    )
    def post(self, request: Request) -> Response:
        serializer = LoginInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["username"]
        user = authenticate(
            request._request, username=username, password=serializer.validated_data["password"]
        )
        if not isinstance(user, User) or not user.is_active:
            # Never the password; the username helps to spot an attack on one account.
            logger.warning(
                "login_failed", username=username[:150], ip=request.META.get("REMOTE_ADDR")
            )
            msg = "No active account found with the given credentials."
            raise exceptions.AuthenticationFailed(msg, code="no_active_account")
        logger.info("login_succeeded", user_id=user.pk)
        return Response(TokenPairOutputSerializer(user_log_in(user=user)).data)


class TokenRefreshView(TokenView):
    """Trade a refresh token for a new access and refresh token; the old one is revoked."""

    @extend_schema(
        tags=["auth"],
        request=RefreshInputSerializer,
        responses={200: TokenPairOutputSerializer, 401: UNAUTHORIZED},
    )
    def post(self, request: Request) -> Response:
        serializer = RefreshInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pair = refresh_token_rotate(refresh=serializer.validated_data["refresh"])
        return Response(TokenPairOutputSerializer(pair).data)


class TokenVerifyView(TokenView):
    """Check that a token (access or refresh) is valid: signature, expiry, not revoked."""

    @extend_schema(
        tags=["auth"],
        request=VerifyInputSerializer,
        responses={200: OpenApiResponse(description="The token is valid."), 401: UNAUTHORIZED},
    )
    def post(self, request: Request) -> Response:
        serializer = VerifyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token_verify(token=serializer.validated_data["token"])
        return Response({})


class LogoutView(TokenView):
    """Log out: revoke the given refresh token. Access tokens lapse on their own."""

    @extend_schema(
        tags=["auth"],
        request=RefreshInputSerializer,
        responses={204: OpenApiResponse(description="Logged out."), 401: UNAUTHORIZED},
    )
    def post(self, request: Request) -> Response:
        serializer = RefreshInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        refresh_token_revoke(refresh=serializer.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


app_name = "auth"

urlpatterns = [
    path("token/", TokenObtainView.as_view(), name="token"),
    path("token/refresh/", TokenRefreshView.as_view(), name="token-refresh"),
    path("token/verify/", TokenVerifyView.as_view(), name="token-verify"),
    path("logout/", LogoutView.as_view(), name="logout"),
]
