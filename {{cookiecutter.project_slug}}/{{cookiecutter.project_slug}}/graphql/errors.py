"""What a GraphQL client sees when something fails: a clear message, never a stack trace.

The domain's errors (core/exceptions.py) and Django's keep their message and get a
machine-readable `extensions.code`; invalid input also lists each problem in
`extensions.errors`, in the same `{field, message, code}` shape as the REST API's problem
details. Anything else is a bug: it is logged with its traceback and the client reads
only "An unexpected error occurred."
"""

import re
from dataclasses import asdict
from typing import Any

import structlog
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from {{ cookiecutter.project_slug }}.core.exceptions import (
    NON_FIELD,
    ApplicationError,
    FieldError,
    InvalidInputError,
)

UNEXPECTED_ERROR = "An unexpected error occurred."

logger = structlog.get_logger(__name__)


def describe(exc: Exception) -> tuple[str, dict[str, Any]] | None:
    """(message, extensions) of an error the client caused, or None for a bug."""
    if isinstance(exc, DjangoValidationError):
        exc = InvalidInputError.from_django(exc)
    if isinstance(exc, InvalidInputError):
        errors = [asdict(error) for error in exc.errors]
        return invalid_input_message(exc.errors), {"code": exc.code, "errors": errors}
    if isinstance(exc, ApplicationError):
        return exc.message, {"code": exc.code}
    if isinstance(exc, PermissionDenied):
        message = str(exc) or "You do not have permission to do this."
        return message, {"code": "permission_denied"}
    if isinstance(exc, ObjectDoesNotExist | Http404):
        return "Not found.", {"code": "not_found"}
    return None


def invalid_input_message(errors: list[FieldError]) -> str:
    """One line a person can act on, e.g. "title: This field may not be blank."."""
    return " ".join(
        error.message if error.field == NON_FIELD else f"{error.field}: {error.message}"
        for error in errors
    )


def is_unexpected(error: GraphQLError) -> bool:
    """True for a bug: an exception no client input explains."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False  # GraphQL's own: syntax, validation, limits, wrong variables
    if error.path is None and error.nodes:
        return False  # a variable's value could not be coerced; the message says why
    return describe(original) is None


def client_error(error: GraphQLError) -> GraphQLError:
    """The error as the client sees it: described if the client caused it, else masked."""
    original = error.original_error
    if is_unexpected(error):
        message, extensions = UNEXPECTED_ERROR, {"code": "internal_error"}
    else:
        described = describe(original) if isinstance(original, Exception) else None
        if described is None:
            return error
        message, extensions = described
    return reworded(error, message, extensions)


def reworded(error: GraphQLError, message: str, extensions: Any) -> GraphQLError:
    """The same error, where it was, with another message and extensions."""
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


# GraphQL's validation hints ("Cannot query field 'x'. Did you mean 'y'?") name fields
# and types: a map of the schema while introspection is off.
SUGGESTION = re.compile(r"\s*Did you mean .*\?\s*$", re.DOTALL)


def without_suggestion(error: GraphQLError) -> GraphQLError:
    message = SUGGESTION.sub("", error.message)
    if message == error.message:
        return error
    return reworded(error, message, error.extensions)


class ClientErrors(MaskErrors):
    """MaskErrors that rewrites each error for the client instead of hiding them all.

    Runs after Schema.process_errors has logged the originals (see schema.py).
    """

    def __init__(self) -> None:
        super().__init__(error_message=UNEXPECTED_ERROR)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        error = client_error(error)
        # Suggestions only where introspection is on anyway (DEBUG; see limits.py).
        return error if settings.DEBUG else without_suggestion(error)


def log_unexpected(errors: list[GraphQLError]) -> None:
    for error in errors:
        if is_unexpected(error):
            logger.error(
                "graphql_unexpected_error",
                path=error.path,
                exc_info=error.original_error,
            )
