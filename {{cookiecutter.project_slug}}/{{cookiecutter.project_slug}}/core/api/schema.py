"""The OpenAPI document declares the errors each operation can answer with.

Every error is RFC 9457 problem details (core/api/errors.py) served as
`application/problem+json`; `ProblemDetailsAutoSchema` (DEFAULT_SCHEMA_CLASS) adds to each
operation the statuses that apply to it:

- 400 where a body or a query parameter is validated;
- 401 where an anonymous client is refused (authentication is required);
- 403 where an authenticated client can still be refused (a permission, or CSRF);
- 404 on routes with a path parameter (a lookup) and on paginated lists (a page past the end);
- 413 and 415 where the operation takes a body;
- 429 where a throttle applies;
- 503 wherever the database is touched: all but views marked `touches_no_dependency`.
"""

from http import HTTPStatus
from types import SimpleNamespace
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from {{ cookiecutter.project_slug }}.core.api.errors import PROBLEM_CONTENT_TYPE


class ProblemFieldErrorSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    message = serializers.CharField()
    code = serializers.CharField()


class ProblemDetailsSerializer(serializers.Serializer[Any]):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    request_id = serializers.CharField(required=False)
    # A declared field: DRF's metaclass takes it out of the class, so Serializer.errors
    # stays what it is.
    errors = ProblemFieldErrorSerializer(many=True, required=False)  # type: ignore[assignment]


class ProblemDetailsAutoSchema(AutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses: dict[str, Any] = operation.setdefault("responses", {})
        problem = self.resolve_serializer(ProblemDetailsSerializer, "response").ref
        for code in self.error_statuses(operation):
            existing = responses.get(str(code), {})
            if existing.get("content"):
                continue  # an operation's own error body (the readiness report) stands
            responses[str(code)] = {
                "description": existing.get("description") or HTTPStatus(code).phrase,
                "content": {PROBLEM_CONTENT_TYPE: {"schema": problem}},
            }
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def error_statuses(self, operation: dict[str, Any]) -> list[int]:
        has_body = "requestBody" in operation
        has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
        codes: list[int] = []
        if has_body or has_query:
            codes.append(400)
        if self.authentication_required():
            codes.append(401)
        if self.can_be_forbidden():
            codes.append(403)
        if "{" in self.path or self.is_paginated_list():
            codes.append(404)
        if has_body:
            codes += [413, 415]
        if self.view.get_throttles():
            codes.append(429)
        if not getattr(self.view, "touches_no_dependency", False):
            codes.append(503)
        return codes

    def anonymous_refused(self) -> bool:
        anonymous = SimpleNamespace(method=self.method, user=AnonymousUser(), auth=None)
        for permission in self.view.get_permissions():
            try:
                if not permission.has_permission(cast("Request", anonymous), self.view):
                    return True
            except AttributeError:
                return True  # it needs more of the request than we fake: assume it refuses
        return False

    def authentication_required(self) -> bool:
        return bool(self.view.get_authenticators()) and self.anonymous_refused()

    def can_be_forbidden(self) -> bool:
        if not self.view.get_authenticators():
            return False
        if self.method not in SAFE_METHODS:
            return True  # object permissions, and CSRF for session clients
        return self.anonymous_refused()

    def is_paginated_list(self) -> bool:
        return bool(self._is_list_view() and self._get_paginator())  # type: ignore[no-untyped-call]
