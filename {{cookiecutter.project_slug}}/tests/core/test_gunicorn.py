"""gunicorn.conf.py: worker count from WEB_CONCURRENCY, else from the cores with a cap."""

import multiprocessing
import os
import runpy
from pathlib import Path
from unittest import mock

import pytest

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def workers() -> int:
    # The file may set environment variables up for gunicorn's workers; reading it here
    # must not leave them behind for the tests that follow.
    with mock.patch.dict(os.environ):
        return int(runpy.run_path(str(CONFIG))["workers"])


def test_workers_follow_the_cores_up_to_a_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: 1)
    assert workers() == 3
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: 16)
    assert workers() == 8


def test_web_concurrency_sets_the_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", "12")
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: 2)
    assert workers() == 12
