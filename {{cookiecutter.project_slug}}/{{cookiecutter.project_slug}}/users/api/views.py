from drf_spectacular.utils import extend_schema
{%- if cookiecutter.use_async == "y" %}
from rest_framework.permissions import IsAdminUser, IsAuthenticated
{%- else %}
from rest_framework.permissions import IsAuthenticated
{%- endif %}
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
{%- if cookiecutter.use_async == "y" %}

from {{ cookiecutter.project_slug }}.core.async_views import AsyncAPIView
from {{ cookiecutter.project_slug }}.users.api.serializers import (
    UserOutputSerializer,
    UserStatsOutputSerializer,
    UserUpdateInputSerializer,
)
from {{ cookiecutter.project_slug }}.users.models import User
from {{ cookiecutter.project_slug }}.users.selectors import user_stats
{%- else %}

from {{ cookiecutter.project_slug }}.users.api.serializers import UserOutputSerializer, UserUpdateInputSerializer
from {{ cookiecutter.project_slug }}.users.models import User
{%- endif %}
from {{ cookiecutter.project_slug }}.users.services import user_update


class UserMeView(APIView):
    """The authenticated user's own profile."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["users"], responses=UserOutputSerializer)
    def get(self, request: Request) -> Response:
        assert isinstance(request.user, User)  # noqa: S101 - guaranteed by IsAuthenticated
        return Response(UserOutputSerializer(request.user).data)

    @extend_schema(
        tags=["users"], request=UserUpdateInputSerializer, responses=UserOutputSerializer
    )
    def patch(self, request: Request) -> Response:
        serializer = UserUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        assert isinstance(request.user, User)  # noqa: S101 - guaranteed by IsAuthenticated
        user = user_update(user=request.user, data=serializer.validated_data)
        return Response(UserOutputSerializer(user).data)
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
