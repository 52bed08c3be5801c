import json

import pytest
import structlog
from django.http import Http404
from django.test import Client
from django.urls import reverse
from rest_framework.decorators import api_view, permission_classes
from rest_framework.test import APIRequestFactory

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def test_unknown_url_is_a_problem_details_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert PROBLEM_KEYS <= set(body)
    assert body["status"] == 404
    assert body["instance"] == "/no/such/page/"


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/v1/no-such-thing", "/api/v2/"])
def test_unknown_api_url_is_problem_details_under_debug_too(client, settings, path):
    # `make run` has DEBUG on, where Django would answer its HTML debug page instead.
    settings.DEBUG = True
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["instance"] == path


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_to_an_unknown_api_url_is_a_404_not_a_csrf_failure(method):
    # Found by the fuzzer: Django's CSRF check answered these with a 403 HTML page.
    response = getattr(Client(enforce_csrf_checks=True), method)("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_unauthenticated_api_call_is_a_problem_details_403(api_client):
    response = api_client.get(reverse("v1:users:me"))
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == response.status_code
    assert body["detail"] == "Authentication credentials were not provided."


@pytest.mark.django_db
def test_validation_errors_list_each_field(auth_client):
    response = auth_client.patch(reverse("v1:users:me"), {"email": "not-an-email"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["title"] == "Bad Request"
    assert body["errors"] == [
        {"field": "email", "message": "Enter a valid email address.", "code": "invalid"}
    ]


@pytest.mark.django_db
def test_malformed_json_is_a_400_not_a_500(auth_client):
    response = auth_client.generic(
        "PATCH", reverse("v1:users:me"), "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


@pytest.mark.django_db
def test_wrong_method_is_a_405_problem(auth_client):
    response = auth_client.delete(reverse("v1:users:me"))
    assert response.status_code == 405
    assert response.json()["status"] == 405


def test_error_body_carries_the_request_id(client):
    response = client.get("/no/such/page/", headers={"X-Request-ID": "trace-42"})
    assert response.json()["request_id"] == "trace-42"


@api_view(["GET"])
@permission_classes([])
def missing(request):
    raise Http404


def test_the_resolver_404_and_a_view_404_have_one_shape(client):
    resolver = client.get("/api/v1/missing/", headers={"X-Request-ID": "same"})
    request = APIRequestFactory().get("/api/v1/missing/", headers={"X-Request-ID": "same"})
    structlog.contextvars.bind_contextvars(request_id="same")
    try:
        view = missing(request)
        view.render()
    finally:
        structlog.contextvars.clear_contextvars()
    assert view.status_code == resolver.status_code == 404
    assert view["Content-Type"] == resolver["Content-Type"] == "application/problem+json"
    assert json.loads(view.content) == resolver.json()
