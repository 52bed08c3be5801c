"""One error format for every endpoint: RFC 9457 problem details.

    {"type": "about:blank", "title": "Not Found", "status": 404,
     "detail": "Not found.", "instance": "/api/v1/users/me/",
     "request_id": "…", "errors": [{"field": "title", "message": "…", "code": "…"}]}

DRF exceptions go through `problem_details_handler`; Django's own 400/403/404/500
responses (outside DRF views) through the `handler*` views wired in config/urls.py.
"""

from http import HTTPStatus
from typing import Any

import structlog
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"

logger = structlog.get_logger(__name__)


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


def flatten_errors(detail: Any, field: str = "") -> list[dict[str, str]]:
    """Turn DRF's nested error detail into a flat list of {field, message, code}."""
    if isinstance(detail, dict):
        return [
            error
            for key, value in detail.items()
            for error in flatten_errors(value, f"{field}.{key}" if field else str(key))
        ]
    if isinstance(detail, list):
        return [
            error
            for index, value in enumerate(detail)
            for error in flatten_errors(
                value, f"{field}.{index}" if isinstance(value, dict | list) and field else field
            )
        ]
    code = getattr(detail, "code", "invalid")
    return [{"field": field or "non_field_errors", "message": str(detail), "code": str(code)}]


def problem_details_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's handler500 answers and it is logged

    assert isinstance(exc, exceptions.APIException)  # noqa: S101 - DRF handled only these
    request = context["request"]
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        detail = "The request is invalid."
        errors = flatten_errors(exc.detail)
    elif isinstance(exc.detail, dict | list):
        detail = str(exc.default_detail)
    else:
        detail = str(exc.detail)
    response.data = problem(
        status_code=response.status_code,
        detail=detail,
        instance=request.path,
        errors=errors,
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


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return problem_response(request, status.HTTP_404_NOT_FOUND, "The resource was not found.")


def server_error(request: HttpRequest) -> JsonResponse:
    return problem_response(
        request, status.HTTP_500_INTERNAL_SERVER_ERROR, "An unexpected error occurred."
    )
