"""Who may do what, as on the REST API: anonymous reads, signed-in writes, authors edit."""

from typing import Any

from strawberry import Info
from strawberry_django.permissions import IsAuthenticated

from {{ cookiecutter.project_slug }}.users.models import User

# REST's words for the same refusal, so a client sees one message for one problem.
NOT_AUTHENTICATED = "Authentication credentials were not provided."


def login_required() -> IsAuthenticated:
    """Field extension: refuse the field to anonymous users."""
    return IsAuthenticated(message=NOT_AUTHENTICATED, fail_silently=False, use_directives=False)


def signed_in_user(info: Info[Any, Any]) -> User:
    """The request's user, in a field guarded by `login_required()`."""
    user = info.context.request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by login_required()
    return user
