"""Celery in-process (eager): settings, retries, on-commit enqueueing, request id, logs.

tests/integration/ runs the same machinery on a real worker.
"""

import logging
from collections.abc import Iterator

import pytest
import structlog
from celery import shared_task
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, transaction
from django.urls import reverse

from {{ cookiecutter.project_slug }}.core.observability import task_logging
from {{ cookiecutter.project_slug }}.core.tasks import TRANSIENT_ERRORS, BaseTask

from config.celery import app as celery_app
from config.celery import require_broker

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"
calls: list[dict[str, object]] = []


@shared_task(bind=True, base=BaseTask)
def record_call(self: BaseTask, value: str, fail_times: int = 0) -> str:
    calls.append({"value": value, "retries": self.request.retries})
    if len(calls) <= fail_times:
        raise OperationalError("database went away")
    return value


@shared_task(base=BaseTask)
def broken() -> None:
    raise ValueError("a bug, not a hiccup")


@pytest.fixture(autouse=True)
def _clean_state() -> None:
    calls.clear()
    structlog.contextvars.clear_contextvars()


@pytest.fixture
def task_events(caplog: pytest.LogCaptureFixture) -> Iterator[list[dict[str, object]]]:
    """The structured events logged by tasks, in order (filled as the test runs)."""
    caplog.set_level(logging.INFO, logger="{{ cookiecutter.project_slug }}.tasks")
    events: list[dict[str, object]] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.name == "{{ cookiecutter.project_slug }}.tasks" and isinstance(record.msg, dict):
                events.append(record.msg)

    handler = Collect()
    logging.getLogger("{{ cookiecutter.project_slug }}.tasks").addHandler(handler)
    yield events
    logging.getLogger("{{ cookiecutter.project_slug }}.tasks").removeHandler(handler)


@pytest.fixture
def eager_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    # Celery retries an eager task only when errors do not propagate (as in `make run`).
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)


def test_messages_are_json_only():
    assert celery_app.conf.task_serializer == "json"
    assert celery_app.conf.result_serializer == "json"
    assert celery_app.conf.accept_content == ["json"]


def test_a_task_is_acknowledged_only_after_it_ran():
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
    assert celery_app.conf.worker_prefetch_multiplier == 1


def test_the_visibility_timeout_outlasts_the_longest_task_and_retry_wait():
    visibility_timeout = celery_app.conf.broker_transport_options["visibility_timeout"]
    assert celery_app.conf.task_soft_time_limit < celery_app.conf.task_time_limit
    assert celery_app.conf.task_time_limit < visibility_timeout
    assert BaseTask.retry_backoff_max < visibility_timeout


def test_results_expire_and_started_tasks_are_tracked():
    assert 0 < celery_app.conf.result_expires <= 60 * 60 * 24 * 7
    assert celery_app.conf.task_track_started is True


def test_every_task_retries_transient_errors_with_jittered_backoff():
    @shared_task
    def plain() -> None:  # no base= given: the app's task class still applies
        pass

    assert isinstance(plain, BaseTask)
    assert record_call.autoretry_for == TRANSIENT_ERRORS
    assert record_call.retry_backoff
    assert record_call.retry_jitter is True
    assert record_call.max_retries == 5


@pytest.mark.usefixtures("eager_retries")
def test_a_transient_error_is_retried_until_the_task_succeeds():
    result = record_call.delay("hello", fail_times=2)
    assert result.get() == "hello"
    assert [call["retries"] for call in calls] == [0, 1, 2]


@pytest.mark.usefixtures("eager_retries")
def test_a_transient_error_fails_the_task_after_the_last_retry():
    result = record_call.delay("hello", fail_times=99)
    assert result.failed()
    assert len(calls) == 1 + BaseTask.max_retries


@pytest.mark.usefixtures("eager_retries")
def test_other_errors_fail_the_task_at_once(task_events):
    result = broken.delay()
    assert result.failed()
    assert [event["event"] for event in task_events] == ["task_started", "task_failed"]
    assert task_events[-1]["error"] == "ValueError('a bug, not a hiccup')"


@pytest.mark.django_db
def test_delay_on_commit_enqueues_once_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        record_call.delay_on_commit("after-commit")
        assert calls == []  # not while the transaction is open
    assert len(callbacks) == 1
    assert calls == [{"value": "after-commit", "retries": 0}]


@transaction.atomic
def service_that_fails_after_enqueueing() -> None:
    record_call.delay_on_commit("never")
    raise RuntimeError("the write failed")


@pytest.mark.django_db
def test_a_rolled_back_transaction_enqueues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        service_that_fails_after_enqueueing()
    assert callbacks == []
    assert calls == []


def test_task_logs_carry_the_request_id_and_the_task(task_events):
    structlog.contextvars.bind_contextvars(request_id="req-42")  # as RequestIdMiddleware

    result = record_call.delay("logged")

    assert [event["event"] for event in task_events] == ["task_started", "task_succeeded"]
    for event in task_events:
        assert event["request_id"] == "req-42"
        assert event["task_id"] == result.id
        assert event["task_name"] == record_call.name
    assert task_events[-1]["duration_ms"] >= 0


@pytest.mark.usefixtures("eager_retries")
def test_retries_are_logged(task_events):
    record_call.delay("flaky", fail_times=1)
    assert [event["event"] for event in task_events] == [
        "task_started",
        "task_retrying",
        "task_started",
        "task_succeeded",
    ]
    assert "OperationalError" in str(task_events[1]["reason"])
    assert task_events[2]["attempt"] == 2


def test_the_caller_context_is_restored_after_an_in_process_task():
    structlog.contextvars.bind_contextvars(request_id="req-7")
    record_call.delay("x")
    assert structlog.contextvars.get_contextvars() == {"request_id": "req-7"}


def test_publishing_a_task_adds_the_request_id_header():
    structlog.contextvars.bind_contextvars(request_id="req-1")
    headers: dict[str, object] = {}
    task_logging.add_request_id_header(headers=headers)
    assert headers == {"request_id": "req-1"}


def test_publishing_outside_a_request_adds_no_header():
    headers: dict[str, object] = {}
    task_logging.add_request_id_header(headers=headers)
    assert headers == {}


def test_on_a_worker_the_request_id_comes_from_the_message_header():
    # What a worker sees: a request that was published, not run in-process.
    record_call.push_request(id="task-1", is_eager=False, request_id="req-from-header")
    try:
        task_logging.bind_task_context(task_id="task-1", task=record_call)
        assert structlog.contextvars.get_contextvars() == {
            "request_id": "req-from-header",
            "task_id": "task-1",
            "task_name": record_call.name,
        }
        task_logging.unbind_task_context(task_id="task-1")
    finally:
        record_call.pop_request()
    assert structlog.contextvars.get_contextvars() == {}


def test_a_worker_refuses_to_start_without_a_broker(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "broker_url", "")
    with pytest.raises(SystemExit, match="REDIS_URL"):
        require_broker()


def test_celery_ping_fails_clearly_without_a_broker(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "broker_url", "")
    with pytest.raises(CommandError, match="No broker configured"):
        call_command("celery_ping")


def test_celery_ping_fails_clearly_when_the_broker_is_unreachable(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "broker_url", UNREACHABLE_BROKER)
    with pytest.raises(CommandError, match="unreachable"):
        call_command("celery_ping", "--timeout=1")


def test_celery_ping_stops_listening_once_the_expected_workers_answered(monkeypatch, capsys):
    monkeypatch.setitem(celery_app.conf, "broker_url", "memory://")
    asked: dict[str, object] = {}

    def ping(**options: object) -> list[dict[str, object]]:
        asked.update(options)
        return [{"a@host": {"ok": "pong"}}, {"b@host": {"ok": "pong"}}]

    monkeypatch.setattr(celery_app.control, "ping", ping)
    call_command("celery_ping", "--destination", "a@host", "--destination", "b@host")
    # Celery's broadcast returns after `limit` replies instead of waiting out the timeout.
    assert asked["limit"] == 2
    assert "2 worker(s) answered: a@host, b@host" in capsys.readouterr().out


@pytest.mark.django_db
def test_readiness_reports_an_unreachable_broker(api_client, monkeypatch):
    monkeypatch.setitem(celery_app.conf, "broker_url", UNREACHABLE_BROKER)
    response = api_client.get(reverse("health:ready"))
    assert response.status_code == 503
    assert "broker" in response.json()["failing"]
