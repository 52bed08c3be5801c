"""The signed-in user of a request, typed as the project's User."""

from django.http import HttpRequest
from rest_framework.request import Request

from {{ cookiecutter.project_slug }}.users.models import User


def current_user(request: HttpRequest | Request) -> User:
    """The request's user, where authentication or a permission guarantees there is one.

    For an anonymous request this is a bug in the caller: the assertion says so.
    """
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by the caller's permission
    return user
