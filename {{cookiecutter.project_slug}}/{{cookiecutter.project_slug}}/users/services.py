"""Writes of users: keyword-only, typed, atomic."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import User


@transaction.atomic
def user_create(*, username: str, password: str, email: str = "", **extra: Any) -> User:
    user = User(username=username, email=email.lower(), **extra)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_update(*, user: User, data: dict[str, Any]) -> User:
    """Update the profile fields in `data`; unknown keys are a programming error."""
    editable = {"email", "first_name", "last_name"}
    unknown = set(data) - editable
    if unknown:
        msg = f"Not editable: {', '.join(sorted(unknown))}"
        raise ValueError(msg)
    for field, value in data.items():
        setattr(user, field, value.lower() if field == "email" else value)
    user.full_clean()
    user.save(update_fields=list(data))
    return user


@transaction.atomic
def user_password_change(*, user: User, current_password: str, new_password: str) -> User:
    """Set a new password after checking the current one and the password validators."""
    if not user.check_password(current_password):
        raise ValidationError({"current_password": "The current password is not correct."})
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from error
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user
