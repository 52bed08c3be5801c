"""GET /metrics: bearer-token only, and the counters move with requests{% if cookiecutter.use_celery == "y" %}, tasks{% endif %} and checks.

{% if cookiecutter.use_celery == "y" %}tests/integration/ scrapes a real worker's own metrics; {% endif %}the template's tests scrape
`make serve` with two gunicorn workers.
"""

from collections.abc import Callable

import pytest
{%- if cookiecutter.use_celery == "y" %}
from celery import shared_task
{%- endif %}
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families
{%- if cookiecutter.use_celery == "y" %}

from {{ cookiecutter.project_slug }}.core.tasks import BaseTask
{%- endif %}
{%- if cookiecutter.example_app == "y" %}

from tests.articles.factories import ArticleFactory
{%- endif %}

TOKEN = "test-metrics-token"
type Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
{%- if cookiecutter.use_celery == "y" %}


@shared_task(base=BaseTask)
def add(left: int, right: int) -> int:
    return left + right


@shared_task(base=BaseTask, autoretry_for=())
def explode() -> None:
    raise ValueError("a bug")
{%- endif %}


@pytest.fixture(autouse=True)
def _token(settings) -> None:
    settings.METRICS_TOKEN = TOKEN


@pytest.fixture
def scrape(client: Client) -> Callable[[], Samples]:
    def get() -> Samples:
        response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain; version=")
        return {
            (sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(response.content.decode())
            for sample in family.samples
        }

    return get


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def test_metrics_answer_only_the_bearer_token(client):
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"] == "Bearer"
    right = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert right.status_code == 200
    assert b"http_requests_total" in right.content


def test_without_a_token_configured_there_is_no_metrics_endpoint(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


def test_requests_are_counted_and_timed_by_route_template_and_status(client, scrape, db):
    before = scrape()
    for _ in range(3):
        assert client.get("/health/ready/").status_code == 200
    assert client.get("/no/such/page/").status_code == 404
    assert client.generic("BREW", "/health/ready/").status_code == 405
    after = scrape()

    ready = {"method": "GET", "route": "/health/ready/", "status": "200"}
    assert moved(before, after, "http_requests_total", **ready) == 3
    assert moved(before, after, "http_request_duration_seconds_count", **ready) == 3
    unmatched = {"method": "GET", "route": "<unmatched>", "status": "404"}
    assert moved(before, after, "http_requests_total", **unmatched) == 1
    # A made-up method is one series, whatever its name.
    other = {"method": "other", "route": "/health/ready/", "status": "405"}
    assert moved(before, after, "http_requests_total", **other) == 1
    assert not any("/no/such/page/" in str(labels) for _, labels in after)
    # The scrapes themselves are not requests the service served, nor liveness probes
    # (answered before this middleware, see health/middleware.py).
    assert client.get("/health/live/").status_code == 200
    assert not any(
        dict(labels).get("route") in ("/metrics", "/health/live/") for _, labels in scrape()
    )


def test_the_database_queries_of_each_request_are_counted(client, scrape, django_user_model):
    django_user_model.objects.create_user(username="ada", password="x")
    client.force_login(django_user_model.objects.get(username="ada"))
    before = scrape()
    assert client.get("/api/v1/users/me/").status_code == 200
    after = scrape()
    route = {"route": "/api/v1/users/me/"}
    assert moved(before, after, "http_request_db_queries_count", **route) == 1
    # At least the session and the user are read.
    assert moved(before, after, "http_request_db_queries_sum", **route) >= 2
    assert value(after, "http_request_db_duration_seconds_sum", **route) > value(
        before, "http_request_db_duration_seconds_sum", **route
    )


def test_readiness_check_results_are_exported(client, scrape, transactional_db):
    # The checks run in threads of their own, which need a committed test database.
    before = scrape()
    assert client.get("/health/ready/").status_code == 200
    after = scrape()
    assert value(after, "readiness_check_up", check="database") == 1
    assert moved(before, after, "readiness_check_duration_seconds_count", check="cache") == 1
    assert moved(before, after, "readiness_check_failures_total", check="database") == 0
{%- if cookiecutter.example_app == "y" %}


def test_response_cache_hits_and_misses_are_counted(client, scrape, db):
    article = ArticleFactory.create(status="published")
    path = f"/api/v1/articles/{article.pk}/"
    before = scrape()
    assert client.get(path)["X-Cache"] == "MISS"
    assert client.get(path)["X-Cache"] == "HIT"
    assert client.get(path)["X-Cache"] == "HIT"
    after = scrape()
    route = "/api/v1/articles/<int:pk>/"
    for result, count in (("miss", 1), ("hit", 2)):
        counted = moved(before, after, "http_cache_responses_total", route=route, result=result)
        assert counted == count, result
{%- endif %}
{%- if cookiecutter.use_celery == "y" %}


def test_tasks_are_counted_by_name_and_state(scrape):
    before = scrape()
    assert add.delay(2, 3).get() == 5
    assert add.delay(4, 5).get() == 9
    assert explode.apply(throw=False).failed()
    after = scrape()
    assert moved(before, after, "celery_tasks_total", task=add.name, state="success") == 2
    assert moved(before, after, "celery_tasks_total", task=explode.name, state="failure") == 1
    assert moved(before, after, "celery_task_duration_seconds_count", task=add.name) == 2
{%- endif %}
