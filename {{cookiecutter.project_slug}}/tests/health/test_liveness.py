"""The liveness probe is answered first in the middleware chain (health/middleware.py)."""

import logging
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from {{ cookiecutter.project_slug }}.health.middleware import LIVENESS_BODY, LIVENESS_PATH, answer_liveness

from config.asgi import application as asgi_application
from tests.asgi_client import asgi_call, http_scope


def test_the_probe_path_is_the_live_endpoint():
    assert reverse("health:live") == LIVENESS_PATH


def test_the_liveness_middleware_is_the_first():
    assert settings.MIDDLEWARE[0].endswith(".health.middleware.LivenessMiddleware")


def test_a_probe_runs_no_other_middleware_and_logs_nothing(client, caplog):
    # No django_db mark: any database access would be an error.
    with caplog.at_level(logging.DEBUG):
        response = client.get(LIVENESS_PATH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    # No session, user, CSRF token or request id: the chain never ran.
    assert not hasattr(response.wsgi_request, "session")
    assert not hasattr(response.wsgi_request, "user")
    assert "X-Request-ID" not in response
    assert "Set-Cookie" not in str(response.headers)
    assert [r for r in caplog.records if r.name.startswith("{{ cookiecutter.project_slug }}")] == []


def test_a_probe_by_the_pods_address_is_answered(client):
    # Orchestrators reach a pod by its IP; the probe tells nobody anything.
    assert client.get(LIVENESS_PATH, HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get(reverse("v1:users:me"), HTTP_HOST="10.1.2.3:8000").status_code == 400


def test_head_answers_the_headers_only(client):
    response = client.head(LIVENESS_PATH)
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Length"] == str(len(b'{"status":"ok"}'))


def test_other_methods_reach_the_view_and_get_problem_details(client):
    response = client.post(LIVENESS_PATH)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert "X-Request-ID" in response


def test_the_endpoint_stays_in_the_openapi_document(api_client):
    schema = api_client.get(reverse("schema"), {"format": "json"}).json()
    assert "get" in schema["paths"][LIVENESS_PATH]


# --- Over ASGI: answered before Django ----------------------------------------------


async def django_must_not_run(scope: Any, receive: Any, send: Any) -> None:
    raise AssertionError("the probe reached Django")


def asgi_get(app: Any, path: str, method: str = "GET", root_path: str = "") -> list[dict[str, Any]]:
    return asgi_call(app, http_scope(path, method=method, root_path=root_path))


@pytest.mark.parametrize(("method", "body"), [("GET", LIVENESS_BODY), ("HEAD", b"")])
def test_over_asgi_a_probe_never_reaches_django(method, body):
    start, answer = asgi_get(answer_liveness(django_must_not_run), LIVENESS_PATH, method)
    assert start["status"] == 200
    assert dict(start["headers"]) == {
        b"content-type": b"application/json",
        b"content-length": str(len(LIVENESS_BODY)).encode(),
    }
    assert answer["body"] == body


def test_over_asgi_the_probe_path_counts_from_the_root_path():
    app = answer_liveness(django_must_not_run)
    start, _ = asgi_get(app, "/svc" + LIVENESS_PATH, root_path="/svc")
    assert start["status"] == 200


def test_the_served_asgi_application_answers_the_probe_first():
    # config/asgi.py wraps everything in it: the same answer as the middleware's.
    assert asgi_application.__qualname__ == "answer_liveness.<locals>.application"
    start, answer = asgi_get(asgi_application, LIVENESS_PATH)
    assert start["status"] == 200
    assert answer["body"] == LIVENESS_BODY
