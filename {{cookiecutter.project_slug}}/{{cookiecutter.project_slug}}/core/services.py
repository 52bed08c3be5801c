"""What the services of every app share: validating and updating a model instance."""

from collections.abc import Collection, Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model

from {{ cookiecutter.project_slug }}.core.exceptions import InvalidInputError


def model_full_clean(instance: Model, *, validate_unique: bool = True) -> None:
    """Run the model's validation; a broken rule is an InvalidInputError, field by field."""
    try:
        instance.full_clean(validate_unique=validate_unique)
    except DjangoValidationError as error:
        raise InvalidInputError.from_django(error) from error


def model_update[M: Model](*, instance: M, fields: Collection[str], data: Mapping[str, Any]) -> M:
    """Set `data` on `instance`, validate it and save just those columns (and auto_now ones).

    Only `fields` may be changed: any other key is a programming error (ValueError), since
    the caller's input validation should have let nothing else through.
    """
    unknown = set(data) - set(fields)
    if unknown:
        msg = f"Not editable: {', '.join(sorted(unknown))}"
        raise ValueError(msg)
    for field, value in data.items():
        setattr(instance, field, value)
    model_full_clean(instance)
    auto_now = [
        field.name
        for field in instance._meta.concrete_fields
        if getattr(field, "auto_now", False) and field.name not in data
    ]
    instance.save(update_fields=[*data, *auto_now])
    return instance
