"""gunicorn.conf.py: worker count from WEB_CONCURRENCY, else from the cores with a cap."""

import multiprocessing
import runpy
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def workers() -> int:
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
