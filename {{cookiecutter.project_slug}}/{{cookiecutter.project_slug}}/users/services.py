"""Writes of users: keyword-only, typed, atomic."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from {{ cookiecutter.project_slug }}.core.exceptions import InvalidInputError
from {{ cookiecutter.project_slug }}.core.services import model_full_clean, model_update
from {{ cookiecutter.project_slug }}.users.models import User

PROFILE_FIELDS = ("email", "first_name", "last_name")


@transaction.atomic
def user_create(*, username: str, password: str, email: str = "", **extra: Any) -> User:
    user = User(username=username, email=email.lower(), **extra)
    user.set_password(password)
    model_full_clean(user)
    user.save()
    return user


@transaction.atomic
def user_update(*, user: User, data: dict[str, Any]) -> User:
    """Update the profile fields in `data`; unknown keys are a programming error."""
    if "email" in data:
        data = {**data, "email": data["email"].lower()}
    return model_update(instance=user, fields=PROFILE_FIELDS, data=data)


@transaction.atomic
def user_password_change(*, user: User, current_password: str, new_password: str) -> User:
    """Set a new password after checking the current one and the password validators."""
    if not user.check_password(current_password):
        msg = "The current password is not correct."
        raise InvalidInputError.for_field("current_password", msg)
    try:
        validate_password(new_password, user)
    except DjangoValidationError as error:
        raise InvalidInputError.from_django(
            DjangoValidationError({"new_password": error.error_list})
        ) from error
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user
