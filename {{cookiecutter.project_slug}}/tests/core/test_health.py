{% if cookiecutter.use_celery == "y" -%}
import socket

{% endif -%}
import pytest
from django.urls import reverse
{%- if cookiecutter.use_celery == "y" %}
from kombu.exceptions import OperationalError
{%- endif %}

from {{ cookiecutter.project_slug }}.core import health
{%- if cookiecutter.use_celery == "y" %}

from config.celery import app as celery_app
{%- endif %}


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
    assert set(body["checks"]) == {check.name for check in health.CHECKS}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_ready_names_the_failing_check_with_503(api_client, monkeypatch):
    def broken() -> None:
        raise ConnectionError("connection refused")

    checks = [health.ReadinessCheck("database", health.database_probe)]
    checks.append(health.ReadinessCheck("fake", broken))
    monkeypatch.setattr(health, "CHECKS", checks)

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
        with pytest.raises(OperationalError):
            health.broker_probe()
{%- endif %}
