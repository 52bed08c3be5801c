"""POST /graphql/: the HTTP side of the GraphQL endpoint.

A DRF view in front of Strawberry's, so the request goes through the REST API's own
machinery before any GraphQL runs: the same authentication classes (a session, or a
bearer token where the API takes one), the same throttles, and DRF's CSRF rule (a request
that a session cookie authenticates must carry the CSRF token; a bearer-token or anonymous
request carries no ambient credential a hostile page could ride on). A refused request
(bad credentials, CSRF, throttled, not JSON) gets the service's problem-details error like
any REST call; errors of the GraphQL operation itself come back in its `errors` list.
"""

from typing import Any

from cross_web import HTTPException
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView
from strawberry.django.views import GraphQLView as StrawberryGraphQLView
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from {{ cookiecutter.project_slug }}.graphql.errors import client_error
from {{ cookiecutter.project_slug }}.graphql.schema import schema


class RequestRefused(exceptions.APIException):
    """Strawberry refused the HTTP request (e.g. its body is not JSON): a client error."""

    def __init__(self, refusal: HTTPException) -> None:
        super().__init__(detail=refusal.reason, code="bad_request")
        self.status_code = refusal.status_code


class OperationView(StrawberryGraphQLView[Any, None]):
    """Runs one GraphQL operation for a request GraphQLView has let through."""

    # GraphiQL loads its JavaScript from a CDN; no page of this service does. In DEBUG,
    # introspection lets any GraphQL client (Altair, Insomnia, Postman) explore instead.
    graphql_ide = None
    allow_queries_via_get = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return self.run(request=request)
        except HTTPException as refusal:
            raise RequestRefused(refusal) from refusal

    def process_result(self, request: HttpRequest, result: ExecutionResult) -> GraphQLHTTPResponse:
        # The schema's ClientErrors extension has rewritten the operation's errors; this
        # catches those raised where no extension runs (a crash while validating), so no
        # internal message ever reaches the client.
        if result.errors:
            result.errors = [client_error(error) for error in result.errors]
        return super().process_result(request, result)


run_operation = OperationView.as_view(schema=schema)


@extend_schema(exclude=True)  # GraphQL documents itself: schema.graphql
class GraphQLView(APIView):
    # Each field checks its own permissions (see permissions.py), as each REST view does.
    permission_classes = [AllowAny]

    def post(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # DRF has set the authenticated user on the underlying Django request, where
        # Strawberry's resolvers find it; the body is still unread.
        return run_operation(request._request)
