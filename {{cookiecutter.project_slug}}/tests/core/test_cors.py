"""CORS: no origin is allowed unless configured; the API answers allowed origins only."""

import pytest
from django.test import Client

APP = "https://app.example.com"


@pytest.fixture
def allowed(settings) -> None:
    settings.CORS_ALLOWED_ORIGINS = [APP]


def preflight(client: Client, path: str, origin: str = APP):
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def test_by_default_no_origin_is_allowed(client, settings):
    assert settings.CORS_ALLOWED_ORIGINS == []
    response = client.get("/api/v1/users/me/", headers={"Origin": APP})
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Origin" not in preflight(client, "/api/v1/users/me/")


@pytest.mark.usefixtures("allowed")
def test_an_allowed_origin_gets_a_cached_preflight_without_credentials(client, settings):
    response = preflight(client, "/api/v1/users/me/")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == APP
    assert response["Access-Control-Max-Age"] == str(settings.CORS_PREFLIGHT_MAX_AGE)
    assert "authorization" in response["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.usefixtures("allowed")
def test_a_cross_origin_api_call_may_read_the_request_id(client):
    response = client.get("/api/v1/users/me/", headers={"Origin": APP})
    assert response["Access-Control-Allow-Origin"] == APP
    assert "X-Request-ID" in response["Access-Control-Expose-Headers"]


@pytest.mark.usefixtures("allowed")
def test_other_origins_and_the_admin_stay_same_origin(client, settings):
    assert "Access-Control-Allow-Origin" not in preflight(
        client, "/api/v1/users/me/", origin="https://evil.example.net"
    )
    admin = client.get(f"/{settings.ADMIN_URL}", headers={"Origin": APP})
    assert "Access-Control-Allow-Origin" not in admin


@pytest.mark.usefixtures("allowed")
def test_credentials_are_allowed_only_when_configured(client, settings):
    settings.CORS_ALLOW_CREDENTIALS = True
    response = preflight(client, "/api/v1/users/me/")
    assert response["Access-Control-Allow-Credentials"] == "true"
{%- if cookiecutter.use_graphql == "y" %}


@pytest.mark.usefixtures("allowed")
def test_the_graphql_endpoint_answers_allowed_origins_too(client):
    assert preflight(client, "/graphql/")["Access-Control-Allow-Origin"] == APP
{%- endif %}
