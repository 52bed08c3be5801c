from django.contrib.auth import update_session_auth_hash
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
{%- if cookiecutter.use_async == "y" %}
from rest_framework.permissions import IsAdminUser, IsAuthenticated
{%- else %}
from rest_framework.permissions import IsAuthenticated
{%- endif %}
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
{%- if cookiecutter.use_async == "y" %}

from {{ cookiecutter.project_slug }}.core.api.async_views import AsyncAPIView
from {{ cookiecutter.project_slug }}.users.api.serializers import (
    UserOutputSerializer,
    UserPasswordChangeInputSerializer,
    UserStatsOutputSerializer,
    UserUpdateInputSerializer,
)
from {{ cookiecutter.project_slug }}.users.current import current_user
from {{ cookiecutter.project_slug }}.users.selectors import user_stats
{%- else %}

from {{ cookiecutter.project_slug }}.users.api.serializers import (
    UserOutputSerializer,
    UserPasswordChangeInputSerializer,
    UserUpdateInputSerializer,
)
from {{ cookiecutter.project_slug }}.users.current import current_user
{%- endif %}
from {{ cookiecutter.project_slug }}.users.services import user_password_change, user_update


class UserMeView(APIView):
    """The authenticated user's own profile."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["users"], responses=UserOutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(UserOutputSerializer(current_user(request)).data)

    @extend_schema(
        tags=["users"], request=UserUpdateInputSerializer, responses=UserOutputSerializer
    )
    def patch(self, request: Request) -> Response:
        serializer = UserUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = user_update(user=current_user(request), data=serializer.validated_data)
        return Response(UserOutputSerializer(user).data)


class UserPasswordChangeView(APIView):
    """Change the authenticated user's password; the current one must be given."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["users"],
        request=UserPasswordChangeInputSerializer,
        responses={
            204: OpenApiResponse(description="Password changed."),
            400: OpenApiResponse(description="Current password wrong or new one too weak."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = UserPasswordChangeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_password_change(user=current_user(request), **serializer.validated_data)
        if isinstance(request.successful_authenticator, SessionAuthentication):
            # Other sessions end with the old password; this one stays logged in.
            update_session_auth_hash(request._request, user)
        return Response(status=status.HTTP_204_NO_CONTENT)
{%- if cookiecutter.use_async == "y" %}


class UserStatsView(AsyncAPIView):
    """How many users there are: for admin dashboards. Async end to end."""

    permission_classes = [IsAdminUser]

    @extend_schema(
        tags=["users"],
        summary="User counts (staff only; cached for a minute)",
        responses=UserStatsOutputSerializer,
    )
    async def get(self, request: Request) -> Response:
        return Response(UserStatsOutputSerializer(await user_stats()).data)
{%- endif %}
