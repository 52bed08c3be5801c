"""Input validation every interface shares: DRF serializers as input schemas.

REST views validate with `serializer.is_valid(raise_exception=True)` as DRF does; other
interfaces call `validated_input()` and get the domain's InvalidInputError.
Either way a client reads the same `{field, message, code}` for the same mistake.
"""

from typing import Any

from rest_framework import serializers

from {{ cookiecutter.project_slug }}.core.exceptions import NON_FIELD, FieldError, InvalidInputError


def validated_input(serializer: serializers.Serializer[Any]) -> dict[str, Any]:
    """The serializer's validated data; InvalidInputError if the input breaks a rule."""
    if not serializer.is_valid():
        raise InvalidInputError(field_errors(serializer.errors))
    return dict(serializer.validated_data)


def field_errors(detail: Any, field: str = "") -> list[FieldError]:
    """DRF's nested error detail as a flat list, e.g. `tags.0` for the first tag."""
    if isinstance(detail, dict):
        return [
            error
            for key, value in detail.items()
            for error in field_errors(value, f"{field}.{key}" if field else str(key))
        ]
    if isinstance(detail, list):
        return [
            error
            for index, value in enumerate(detail)
            for error in field_errors(
                value, f"{field}.{index}" if isinstance(value, dict | list) and field else field
            )
        ]
    return [FieldError(field or NON_FIELD, str(detail), str(getattr(detail, "code", "invalid")))]
