import dataclasses
{%- if cookiecutter.use_celery == "y" %}
import socket
{%- endif %}
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string
from health_check.base import HealthCheck
{%- if cookiecutter.use_celery == "y" %}
from health_check.exceptions import ServiceUnavailable
{%- endif %}

from {{ cookiecutter.project_slug }}.health import checks
{%- if cookiecutter.use_celery == "y" %}
from {{ cookiecutter.project_slug }}.health.broker import Broker
{%- endif %}
from {{ cookiecutter.project_slug }}.health.checks import REUSE_SECONDS, readiness_probe
{%- if cookiecutter.use_celery == "y" %}

from config.celery import app as celery_app
{%- endif %}

READY_URL = reverse("health:ready")
# Generous: the tests never wait it out unless what they guard against is broken.
DEADLINE_SECONDS = 10
PROBES = 20


@dataclasses.dataclass
class Broken(HealthCheck):
    def run(self) -> None:
        raise ConnectionError("connection refused")


class Dependency:
    """A dependency the tests count the checks of, and can break or hold up."""

    def __init__(self) -> None:
        self.checks = 0
        self.broken = False
        self.checking = threading.Event()
        self.release = threading.Event()
        self.release.set()

    def check_class(self) -> type[HealthCheck]:
        dependency = self

        @dataclasses.dataclass
        class Counted(HealthCheck):
            def run(self) -> None:
                dependency.checks += 1
                dependency.checking.set()
                dependency.release.wait(DEADLINE_SECONDS)
                if dependency.broken:
                    raise ConnectionError("connection refused")

        return Counted


@pytest.fixture
def dependency(settings):
    dependency = Dependency()
    settings.READINESS_CHECKS = {"dependency": dependency.check_class()}
    return dependency


def later(seconds: float, monkeypatch) -> None:
    """Move the probe's clock on, instead of sleeping through its reuse window."""
    monkeypatch.setattr(readiness_probe, "_clock", lambda: time.monotonic() + seconds)


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


def test_probes_within_a_second_run_the_checks_once(api_client, dependency):
    statuses = [api_client.get(READY_URL).status_code for _ in range(PROBES)]
    assert statuses == [200] * PROBES
    assert dependency.checks == 1


@pytest.mark.django_db
def test_the_database_is_queried_once_for_many_probes(api_client, settings, monkeypatch):
    # The database check (django-health-check's) runs in a thread of its own, where the
    # test's query capture does not look: count its runs, each one query.
    check_class = import_string(settings.READINESS_CHECKS["database"])
    original = check_class.run
    runs = []

    def counted_run(check: HealthCheck) -> None:
        runs.append(check)
        original(check)

    monkeypatch.setattr(check_class, "run", counted_run)
    for _ in range(PROBES):
        assert api_client.get(READY_URL).status_code == 200
    assert len(runs) == 1


def test_a_failure_shows_once_the_reused_result_is_a_second_old(
    api_client, dependency, monkeypatch
):
    assert api_client.get(READY_URL).status_code == 200
    dependency.broken = True
    assert api_client.get(READY_URL).status_code == 200  # the result of a moment ago
    later(REUSE_SECONDS, monkeypatch)
    response = api_client.get(READY_URL)
    assert response.status_code == 503
    assert response.json()["failing"] == ["dependency"]
    assert dependency.checks == 2


def test_probes_while_the_checks_run_pile_up_no_work(api_client, dependency, monkeypatch):
    # The held-up check must not time out on a loaded machine before the test lets it go.
    monkeypatch.setattr(checks, "CHECK_TIMEOUT", timedelta(seconds=DEADLINE_SECONDS))

    def probe_in_a_thread() -> tuple[threading.Thread, list[int]]:
        dependency.checking.clear()
        dependency.release.clear()
        statuses: list[int] = []
        thread = threading.Thread(
            target=lambda: statuses.append(api_client.get(READY_URL).status_code)
        )
        thread.start()
        assert dependency.checking.wait(DEADLINE_SECONDS)
        return thread, statuses

    # No result yet: the probes that arrive while the first one checks get a 503 to retry.
    thread, first = probe_in_a_thread()
    busy = [api_client.get(READY_URL) for _ in range(PROBES)]
    dependency.release.set()
    thread.join(DEADLINE_SECONDS)
    assert first == [200]
    assert {response.status_code for response in busy} == {503}
    assert busy[0]["Content-Type"] == "application/problem+json"
    assert busy[0]["Retry-After"] == "1"
    assert dependency.checks == 1

    # Later, while the checks run again, the probes meanwhile get the last result.
    later(REUSE_SECONDS, monkeypatch)
    thread, second = probe_in_a_thread()
    meanwhile = [api_client.get(READY_URL).status_code for _ in range(PROBES)]
    dependency.release.set()
    thread.join(DEADLINE_SECONDS)
    assert (second, meanwhile) == ([200], [200] * PROBES)
    assert dependency.checks == 2
{%- if cookiecutter.use_celery == "y" %}


def test_a_broker_that_never_answers_fails_the_probe_instead_of_hanging(monkeypatch):
    # The kernel accepts connections into the backlog; nothing ever reads or replies.
    with socket.create_server(("127.0.0.1", 0), backlog=8) as silent:
        port = silent.getsockname()[1]
        monkeypatch.setattr(celery_app.conf, "broker_url", f"redis://127.0.0.1:{port}/0")
        with pytest.raises(ServiceUnavailable):
            Broker().run()
{%- endif %}
