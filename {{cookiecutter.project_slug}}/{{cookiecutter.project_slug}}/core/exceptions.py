"""The errors a service (or selector) raises when it refuses a request.

One hierarchy for the whole domain, free of any interface: the REST API maps it to
problem details once (core/api/errors.py), and any other interface maps it once in its
own package. No view translates a domain error by hand.

    raise NotFoundError("There is no article with this id.")
    raise InvalidInputError.for_field("slug", "An article with this slug already exists.")
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Self

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError


class ApplicationError(Exception):
    """A request the domain refuses; `message` is for the client, `code` for programs."""

    code = "error"
    default_message = "The request cannot be carried out."

    def __init__(self, message: str = "", *, code: str = "") -> None:
        self.message = message or self.default_message
        if code:
            self.code = code
        super().__init__(self.message)


class NotFoundError(ApplicationError):
    code = "not_found"
    default_message = "Not found."


class PermissionDeniedError(ApplicationError):
    code = "permission_denied"
    default_message = "You do not have permission to do this."


class AuthenticationError(ApplicationError):
    """Credentials or a token that do not prove who the caller is."""

    code = "authentication_failed"
    default_message = "Incorrect authentication credentials."


class ConflictError(ApplicationError):
    """The request contradicts the current state (e.g. it was changed meanwhile)."""

    code = "conflict"
    default_message = "The request conflicts with the current state."


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    code: str = "invalid"


class InvalidInputError(ApplicationError):
    """Input that breaks a rule; `errors` says which field broke which rule."""

    code = "invalid"
    default_message = "The request is invalid."

    def __init__(self, errors: list[FieldError], message: str = "") -> None:
        super().__init__(message)
        self.errors = errors

    @classmethod
    def for_field(cls, field: str, message: str, code: str = "invalid") -> Self:
        return cls([FieldError(field, message, code)])

    @classmethod
    def from_django(cls, error: DjangoValidationError) -> Self:
        """Django's model and form validation error, field by field, codes kept."""
        return cls(list(_field_errors(error)))

    @property
    def message_dict(self) -> dict[str, list[str]]:
        """{field: [messages]}, as Django's ValidationError has it."""
        messages: dict[str, list[str]] = {}
        for error in self.errors:
            messages.setdefault(error.field, []).append(error.message)
        return messages


# Errors of no one field, under the name DRF gives them.
NON_FIELD = "non_field_errors"


def _field_errors(error: DjangoValidationError) -> Iterator[FieldError]:
    by_field = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: [error]}
    for field, errors in by_field.items():
        name = NON_FIELD if field == NON_FIELD_ERRORS else field
        for each in errors:
            for single in each.error_list:
                message = single.message % single.params if single.params else single.message
                yield FieldError(name, str(message), single.code or "invalid")
