import re
from typing import Any

import pytest
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator


@pytest.mark.django_db
def test_schema_is_openapi_3_and_lists_the_endpoints(api_client):
    response = api_client.get(reverse("schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/health/ready/" in schema["paths"]
    assert "/api/v1/users/me/" in schema["paths"]


def test_schema_generation_raises_no_warnings():
    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache, GENERATOR_STATS._warn_cache
    assert not GENERATOR_STATS._error_cache, GENERATOR_STATS._error_cache


@pytest.mark.django_db
def test_swagger_ui_serves_its_assets_locally(api_client):
    response = api_client.get(reverse("docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    # Every script, stylesheet and icon comes from this service: none names a host.
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    assert all(asset.startswith("/static/") for asset in assets), assets
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def declares_problem(operation: dict[str, Any], code: str) -> bool:
    content = operation["responses"].get(code, {}).get("content", {})
    schema = content.get("application/problem+json", {}).get("schema")
    return bool(schema == {"$ref": "#/components/schemas/ProblemDetails"})


def test_the_problem_details_component_is_in_the_document():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    component = schema["components"]["schemas"]["ProblemDetails"]
    assert {"type", "title", "status", "detail", "instance"} <= set(component["required"])


def test_every_operation_touching_the_database_declares_503():
    for path, method, operation in operations():
        if path == "/health/live/":
            assert "503" not in operation["responses"], method
        elif path == "/health/ready/":
            assert "503" in operation["responses"]  # its own report, not problem details
        else:
            assert declares_problem(operation, "503"), (path, method)


def test_bodies_declare_400_413_415_and_queries_400():
    for path, method, operation in operations():
        has_query = any(p["in"] == "query" for p in operation.get("parameters", []))
        if "requestBody" in operation:
            for code in ("400", "413", "415"):
                assert declares_problem(operation, code), (path, method, code)
        elif has_query:
            assert declares_problem(operation, "400"), (path, method)
            assert "413" not in operation["responses"], (path, method)
        else:
            assert "400" not in operation["responses"], (path, method)


def test_404_only_on_lookups_and_paginated_lists():
    for path, method, operation in operations():
        paginated = any(p["name"] == "page" for p in operation.get("parameters", []))
        if "{" in path or paginated:
            assert declares_problem(operation, "404"), (path, method)
        else:
            assert "404" not in operation["responses"], (path, method)


def test_401_only_where_authentication_is_required():
    by_route = {(path, method): operation for path, method, operation in operations()}
    assert declares_problem(by_route["/api/v1/users/me/", "get"], "401")
    assert "401" not in by_route["/health/live/", "get"]["responses"]
    assert "401" not in by_route["/health/ready/", "get"]["responses"]
    assert "429" not in by_route["/health/live/", "get"]["responses"]
    assert declares_problem(by_route["/api/v1/users/me/", "get"], "429")
{%- if cookiecutter.example_app == "y" %}
    # Anybody may read the articles; writing one needs an account.
    assert "401" not in by_route["/api/v1/articles/", "get"]["responses"]
    assert declares_problem(by_route["/api/v1/articles/", "post"], "401")
{%- endif %}
