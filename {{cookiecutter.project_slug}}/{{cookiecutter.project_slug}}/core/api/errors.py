"""One error format for every endpoint: RFC 9457 problem details.

    {"type": "about:blank", "title": "Not Found", "status": 404,
     "detail": "Not found.", "instance": "/api/v1/users/me/",
     "request_id": "…", "errors": [{"field": "title", "message": "…", "code": "…"}]}

DRF exceptions and the domain's errors (core/exceptions.py) go through
`problem_details_handler`; Django's own 400/403/404/500 responses (outside DRF views)
through the `handler*` views wired in config/urls.py.
"""

import sys
from dataclasses import asdict
from http import HTTPStatus
from typing import Any

import structlog
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from {{ cookiecutter.project_slug }}.core.exceptions import (
    ApplicationError,
    AuthenticationError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from {{ cookiecutter.project_slug }}.core.validation import field_errors

PROBLEM_CONTENT_TYPE = "application/problem+json"
# The database lost or refused the connection (a restart, a failover) or asked to retry
# (deadlock, serialization failure): the request can succeed again in a moment.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
INVALID_REQUEST = "The request is invalid."

# The HTTP status of each domain error (the nearest class in its MRO decides).
DOMAIN_ERROR_STATUS: dict[type[ApplicationError], int] = {
    InvalidInputError: status.HTTP_400_BAD_REQUEST,
    AuthenticationError: status.HTTP_401_UNAUTHORIZED,
    PermissionDeniedError: status.HTTP_403_FORBIDDEN,
    NotFoundError: status.HTTP_404_NOT_FOUND,
    ConflictError: status.HTTP_409_CONFLICT,
    ApplicationError: status.HTTP_400_BAD_REQUEST,
}


def problem(
    *, status_code: int, detail: str, instance: str, errors: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
        "instance": instance,
    }
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    if request_id:
        body["request_id"] = request_id
    if errors:
        body["errors"] = errors
    return body


def problem_details_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = api_exception(exc, context)
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's handler500 answers and it is logged

    assert isinstance(exc, exceptions.APIException)  # noqa: S101 - DRF handled only these
    request = context["request"]
    if isinstance(exc, exceptions.ValidationError):
        errors = [asdict(error) for error in field_errors(exc.detail)]
        return _as_problem(response, request, INVALID_REQUEST, errors)
    if isinstance(exc.detail, dict | list):
        return _as_problem(response, request, str(exc.default_detail))
    return _as_problem(response, request, str(exc.detail))


def api_exception(exc: Exception, context: dict[str, Any]) -> Exception:
    """The DRF exception that answers a domain or Django error; others stay as they are."""
    if isinstance(exc, ApplicationError):
        view, request = context["view"], context["request"]
        return domain_api_exception(exc, view.get_authenticate_header(request))
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied()
    return exc


def domain_api_exception(
    exc: ApplicationError, authenticate_header: str | None
) -> exceptions.APIException:
    if isinstance(exc, InvalidInputError):
        detail: dict[str, list[ErrorDetail]] = {}
        for each in exc.errors:
            detail.setdefault(each.field, []).append(ErrorDetail(each.message, each.code))
        return exceptions.ValidationError(detail)
    error = exceptions.APIException(exc.message, exc.code)
    error.status_code = next(
        DOMAIN_ERROR_STATUS[cls] for cls in type(exc).__mro__ if cls in DOMAIN_ERROR_STATUS
    )
    if isinstance(exc, AuthenticationError):
        # As DRF does for its own authentication errors: a 401 names the scheme to use
        # (WWW-Authenticate); a view that has none answers 403.
        if authenticate_header:
            error.auth_header = authenticate_header  # type: ignore[attr-defined]
        else:
            error.status_code = status.HTTP_403_FORBIDDEN
    return error


def _as_problem(
    response: Response,
    request: HttpRequest,
    detail: str,
    errors: list[dict[str, str]] | None = None,
) -> Response:
    response.data = problem(
        status_code=response.status_code, detail=detail, instance=request.path, errors=errors
    )
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def problem_response(request: HttpRequest, status_code: int, detail: str) -> JsonResponse:
    return JsonResponse(
        problem(status_code=status_code, detail=detail, instance=request.path),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return problem_response(request, status.HTTP_400_BAD_REQUEST, "The request is malformed.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return problem_response(
        request, status.HTTP_403_FORBIDDEN, "You do not have permission to do this."
    )


@csrf_exempt  # a POST to an unknown URL is a 404, not the CSRF failure's HTML 403
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    # The same body as a DRF view's 404: one shape whichever layer finds nothing.
    detail = str(exceptions.NotFound.default_detail)
    return problem_response(request, status.HTTP_404_NOT_FOUND, detail)


def server_error(request: HttpRequest) -> JsonResponse:
    # Django calls this inside its `except`: a database gone outside any view (in a
    # middleware, e.g. saving the session) is a 503 too.
    if isinstance(sys.exception(), DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    return problem_response(
        request, status.HTTP_500_INTERNAL_SERVER_ERROR, "An unexpected error occurred."
    )


def database_unavailable(request: HttpRequest) -> JsonResponse:
    """503 with Retry-After: the database did not answer, and the request can be retried.

    Its transaction rolled back, so nothing the request did was acknowledged.
    """
    response = problem_response(
        request,
        status.HTTP_503_SERVICE_UNAVAILABLE,
        "The service is briefly unavailable; try again shortly.",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
