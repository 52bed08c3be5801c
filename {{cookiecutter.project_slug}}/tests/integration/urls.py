"""A test-only endpoint that enqueues a task as a service does: when its transaction commits."""

from django.db import transaction
from django.urls import path
from rest_framework import status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.request import Request
from rest_framework.response import Response

from tests.integration.tasks import record_visit


@transaction.atomic
def visit_record(*, name: str) -> None:
    record_visit.delay_on_commit(name)


@api_view(["POST"])
@authentication_classes([])
@permission_classes([])
def visit_create(request: Request) -> Response:
    assert isinstance(request.data, dict)
    visit_record(name=str(request.data["name"]))
    return Response(status=status.HTTP_202_ACCEPTED)


urlpatterns = [path("visits/", visit_create)]
