from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from {{ cookiecutter.project_slug }}.users.models import User
{%- if cookiecutter.use_async == "y" %}
from {{ cookiecutter.project_slug }}.users.selectors import UserStats
{%- endif %}


@extend_schema_field(
    {"anyOf": [{"type": "string", "format": "email"}, {"type": "string", "maxLength": 0}]}
)
class OptionalEmailField(serializers.EmailField):
    """An email address, or "" for a user without one (the model allows a blank one)."""


class UserOutputSerializer(serializers.Serializer[User]):
    # Declared, not a ModelSerializer: that one rebuilds its fields from the model for
    # every instance, which cost /users/me/ more than its database query did.
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    email = OptionalEmailField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    date_joined = serializers.DateTimeField(read_only=True)


class UserUpdateInputSerializer(serializers.Serializer[User]):
    email = serializers.EmailField(required=False, allow_blank=True)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)


class UserPasswordChangeInputSerializer(serializers.Serializer[User]):
    current_password = serializers.CharField(write_only=True, style={"input_type": "password"})
    new_password = serializers.CharField(write_only=True, style={"input_type": "password"})
{%- if cookiecutter.use_async == "y" %}


class UserStatsOutputSerializer(serializers.Serializer[UserStats]):
    total = serializers.IntegerField(help_text="All accounts.")
    active = serializers.IntegerField(help_text="Accounts that can log in.")
    staff = serializers.IntegerField(help_text="Accounts with admin access.")
    joined_recently = serializers.IntegerField(
        help_text="Accounts created in the last `recent_days` days."
    )
    recent_days = serializers.IntegerField()
    counted_at = serializers.DateTimeField(
        help_text="When the counts were taken; they are cached for a minute."
    )
{%- endif %}
