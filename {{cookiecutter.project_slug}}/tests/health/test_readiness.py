import dataclasses
{%- if cookiecutter.use_celery == "y" %}
import socket
{%- endif %}

import pytest
from django.conf import settings
from django.urls import reverse
from health_check.base import HealthCheck
{%- if cookiecutter.use_celery == "y" %}
from health_check.exceptions import ServiceUnavailable

from {{ cookiecutter.project_slug }}.health.broker import Broker

from config.celery import app as celery_app
{%- endif %}


@dataclasses.dataclass
class Broken(HealthCheck):
    def run(self) -> None:
        raise ConnectionError("connection refused")


def test_live_answers_without_touching_the_database(api_client):
    # No django_db mark: pytest-django makes any database access here an error.
    response = api_client.get(reverse("health:live"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_ready_reports_every_check_ok(api_client):
    response = api_client.get(reverse("health:ready"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == set(settings.READINESS_CHECKS)
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_ready_names_the_failing_check_with_503(api_client, settings):
    settings.READINESS_CHECKS = {
        "database": settings.READINESS_CHECKS["database"],
        "fake": Broken,
    }

    response = api_client.get(reverse("health:ready"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["fake"]
    assert body["checks"]["database"]["ok"] is True
    assert "connection refused" not in response.content.decode()  # details go to the log
{%- if cookiecutter.use_celery == "y" %}


def test_a_broker_that_never_answers_fails_the_probe_instead_of_hanging(monkeypatch):
    # The kernel accepts connections into the backlog; nothing ever reads or replies.
    with socket.create_server(("127.0.0.1", 0), backlog=8) as silent:
        port = silent.getsockname()[1]
        monkeypatch.setattr(celery_app.conf, "broker_url", f"redis://127.0.0.1:{port}/0")
        with pytest.raises(ServiceUnavailable):
            Broker().run()
{%- endif %}
