"""The signed-in user's own profile: the same fields as GET /api/v1/users/me/."""

from datetime import datetime
from typing import Any, cast

import strawberry
import strawberry_django
from strawberry import Info

from {{ cookiecutter.project_slug }}.graphql.permissions import login_required
from {{ cookiecutter.project_slug }}.users.current import current_user
from {{ cookiecutter.project_slug }}.users.models import User


@strawberry_django.type(User, name="User")
class UserType:
    id: strawberry.ID
    username: str
    email: str
    first_name: str
    last_name: str
    date_joined: datetime


def resolve_me(info: Info[Any, Any]) -> UserType:
    # A strawberry_django type reads its fields off the model instance.
    return cast("UserType", current_user(info.context.request))


@strawberry.type
class UserQuery:
    me: UserType = strawberry.field(
        resolver=resolve_me,
        description="The signed-in user; anonymous requests get an error.",
        extensions=[login_required()],
    )
