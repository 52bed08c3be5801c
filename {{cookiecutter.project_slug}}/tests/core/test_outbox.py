"""The transactional outbox: tasks committed with the data, published after, relayed when
the broker was down, and run once however often they are delivered.

The integration tests do the same with a real worker and a broker that stops.
"""

import logging
from datetime import timedelta

import pytest
from celery import shared_task
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from {{ cookiecutter.project_slug }}.core.models import OutboxMessage
from {{ cookiecutter.project_slug }}.core.outbox import (
    broker_breaker,
    outbox_enqueue,
    outbox_purge,
    outbox_relay,
    outbox_task_id,
)
from {{ cookiecutter.project_slug }}.core.tasks import BaseTask

from config.celery import app as celery_app

pytestmark = pytest.mark.django_db


@shared_task(base=BaseTask)
def add_group(name: str) -> None:
    """Not idempotent on its own: every run adds a row (and fails while `fail` exists)."""
    if Group.objects.filter(name="fail").exists():
        raise ValueError("failing on purpose")
    Group.objects.create(name=f"{name}-{Group.objects.count()}")


@pytest.fixture(autouse=True)
def _breaker_closed():
    broker_breaker.reset()
    yield
    broker_breaker.reset()


@pytest.fixture
def broker(monkeypatch):
    """A broker this test controls: `sent` records publishes; `down` makes them fail."""

    class Broker:
        def __init__(self) -> None:
            self.sent: list[tuple[str, list[object], str]] = []
            self.attempts = 0
            self.down = False

        def send_task(self, name, args, kwargs, *, task_id, **options):
            self.attempts += 1
            if self.down:
                raise OperationalError("Error 111 connecting to redis. Connection refused.")
            self.sent.append((name, args, task_id))

    fake = Broker()
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(celery_app, "send_task", fake.send_task)
    return fake


def due_now() -> None:
    OutboxMessage.objects.update(available_at=timezone.now() - timedelta(seconds=1))


def test_a_rolled_back_transaction_leaves_no_task(broker, django_capture_on_commit_callbacks):
    @transaction.atomic
    def refused() -> None:
        outbox_enqueue(add_group, "x")
        raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        refused()
    assert not OutboxMessage.objects.exists()
    assert not broker.sent


def test_a_committed_task_is_published_after_the_commit_with_its_id(
    broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = outbox_enqueue(add_group, "x")
    assert not broker.sent
    callbacks[0]()
    assert broker.sent == [(add_group.name, ["x"], outbox_task_id(message))]
    message.refresh_from_db()
    assert message.published_at is not None
    assert message.attempts == 1


def test_without_a_broker_the_task_runs_in_process_and_is_completed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue(add_group, "eager")
    message.refresh_from_db()
    assert message.completed_at is not None
    assert Group.objects.filter(name__startswith="eager").count() == 1


def test_while_the_broker_is_down_tasks_stay_in_the_outbox_and_it_is_asked_once(
    broker, django_capture_on_commit_callbacks, caplog
):
    broker.down = True
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        for name in ("a", "b", "c"):
            outbox_enqueue(add_group, name)
    assert OutboxMessage.objects.filter(published_at__isnull=True).count() == 3
    assert broker.attempts == 1  # the breaker skipped the broker for the other two
    outages = [r for r in caplog.records if "outage_started" in str(r.msg)]
    assert len(outages) == 1
    assert outages[0].levelno == logging.WARNING


def test_the_relay_publishes_what_is_due_and_backs_off_when_the_broker_fails(broker):
    with transaction.atomic():
        first = outbox_enqueue(add_group, "first")
        outbox_enqueue(add_group, "second")
    OutboxMessage.objects.update(published_at=None, attempts=0)  # as if the publish failed
    broker.sent.clear()
    assert outbox_relay() == 0  # not due yet: the publish after commit has its moment

    due_now()
    broker.down = True
    assert outbox_relay() == 0
    failed = OutboxMessage.objects.get(pk=first.pk)
    assert failed.attempts == 1
    assert failed.available_at > timezone.now()

    broker.down = False
    broker_breaker.reset()
    due_now()
    assert outbox_relay() == 2
    assert sorted(sent[1] for sent in broker.sent) == [["first"], ["second"]]
    assert not OutboxMessage.objects.filter(published_at__isnull=True).exists()


def test_a_task_delivered_twice_has_its_effect_once():
    message = OutboxMessage.objects.create(task_name=add_group.name, args=["dup"])
    for _ in range(2):
        add_group.apply(args=("dup",), task_id=outbox_task_id(message))
    assert Group.objects.filter(name__startswith="dup").count() == 1
    message.refresh_from_db()
    assert message.completed_at is not None


def test_a_task_that_failed_is_not_completed_so_a_redelivery_runs_it():
    message = OutboxMessage.objects.create(task_name=add_group.name, args=["again"])
    failing = Group.objects.create(name="fail")
    add_group.apply(args=("again",), task_id=outbox_task_id(message), throw=False)
    assert OutboxMessage.objects.get(pk=message.pk).completed_at is None
    failing.delete()
    add_group.apply(args=("again",), task_id=outbox_task_id(message))
    assert OutboxMessage.objects.get(pk=message.pk).completed_at is not None
    assert Group.objects.filter(name__startswith="again").count() == 1


def test_tasks_outside_the_outbox_run_as_before():
    add_group.apply(args=("plain",))
    add_group.apply(args=("plain",))
    assert Group.objects.filter(name__startswith="plain").count() == 2


def test_published_messages_are_purged_after_the_retention():
    old = timezone.now() - timedelta(days=8)
    OutboxMessage.objects.create(task_name="t", created_at=old, published_at=old)
    pending = OutboxMessage.objects.create(task_name="t", created_at=old)
    fresh = OutboxMessage.objects.create(task_name="t", published_at=timezone.now())
    assert outbox_purge() == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {pending.pk, fresh.pk}


def test_the_relay_command_runs_one_pass(broker, capsys):
    OutboxMessage.objects.create(task_name=add_group.name, args=["cmd"])
    call_command("outbox_relay", "--once")
    assert "Published 1 task(s)" in capsys.readouterr().out
    assert broker.sent[0][1] == ["cmd"]
