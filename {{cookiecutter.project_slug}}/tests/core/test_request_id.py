import json
import logging

import pytest
from django.urls import reverse

from {{ cookiecutter.project_slug }}.core.observability.logging import build_logging_config

# Any request but a liveness probe (answered before this middleware, see health/middleware.py);
# signed out, /users/me/ answers without touching the database.
URL = reverse("v1:users:me")


def test_request_id_sent_by_the_client_is_returned(client):
    response = client.get(URL, headers={"X-Request-ID": "abc-123"})
    assert response["X-Request-ID"] == "abc-123"


def test_request_id_is_generated_when_missing(client):
    first = client.get(URL)["X-Request-ID"]
    second = client.get(URL)["X-Request-ID"]
    assert len(first) == 32
    assert first != second


@pytest.mark.parametrize("unsafe", ["a" * 200, "evil\nid", "spaces are bad", "<script>"])
def test_unsafe_request_id_is_replaced(client, unsafe):
    response = client.get(URL, headers={"X-Request-ID": unsafe})
    assert response["X-Request-ID"] != unsafe
    assert len(response["X-Request-ID"]) == 32


def test_each_request_is_logged_once_with_its_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="{{ cookiecutter.project_slug }}.request"):
        response = client.get(URL, headers={"X-Request-ID": "log-me"})
    records = [r for r in caplog.records if r.name == "{{ cookiecutter.project_slug }}.request"]
    assert len(records) == 1
    event = records[0].msg
    assert isinstance(event, dict)
    assert event["event"] == "request"
    assert event["request_id"] == "log-me"
    assert event["method"] == "GET"
    assert event["path"] == URL
    assert event["status"] == response.status_code
    assert event["duration_ms"] >= 0


def test_json_log_format_writes_one_json_object_per_line():
    config = build_logging_config(level="INFO", log_format="json")
    formatter = config["formatters"]["structured"]["()"](
        **{k: v for k, v in config["formatters"]["structured"].items() if k != "()"}
    )
    record = logging.LogRecord("django", logging.WARNING, __file__, 1, "disk %s", ("full",), None)
    line = formatter.format(record)
    parsed = json.loads(line)
    assert parsed["event"] == "disk full"
    assert parsed["level"] == "warning"
    assert parsed["logger"] == "django"
    assert "timestamp" in parsed
