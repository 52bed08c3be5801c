import pytest
from django.urls import reverse

from {{ cookiecutter.project_slug }}.core import health


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
