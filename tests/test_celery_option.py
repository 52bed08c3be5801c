"""Celery and Flower: what a user runs is there exactly when its option is on."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Baker
from tests.options import COMBOS, Combo

CELERY_ON = [c for c in COMBOS if c.context["use_celery"] == "y"]
CELERY_OFF = [c for c in COMBOS if c.context["use_celery"] == "n"]
FLOWER_ON = [c for c in COMBOS if c.context["use_flower"] == "y"]
FLOWER_OFF = [c for c in COMBOS if c.context["use_flower"] == "n"]


def make_targets(makefile: str) -> set[str]:
    return set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))


@pytest.mark.parametrize("combo", CELERY_ON, ids=str)
def test_celery_on_brings_worker_beat_and_the_worker_health_check(
    baked: Baker, combo: Combo
) -> None:
    project = baked(combo)
    slug = combo.context["project_slug"]
    assert {"worker", "beat"} <= make_targets((project / "Makefile").read_text())
    for path in (
        "config/celery.py",
        f"{slug}/core/tasks.py",
        f"{slug}/core/observability/task_logging.py",
        f"{slug}/health/broker.py",
        f"{slug}/health/management/commands/celery_ping.py",
        "tests/integration/test_redelivery.py",
    ):
        assert (project / path).is_file(), path
    assert "## Background jobs" in (project / "README.md").read_text()


@pytest.mark.parametrize("combo", CELERY_OFF, ids=str)
def test_celery_off_leaves_no_worker_target_and_no_health_management_package(
    baked: Baker, combo: Combo
) -> None:
    project = baked(combo)
    slug = combo.context["project_slug"]
    assert not {"worker", "beat", "flower"} & make_targets((project / "Makefile").read_text())
    assert not (project / f"{slug}/health/management").exists()
    assert not (project / "tests/integration").exists()


@pytest.mark.parametrize("combo", FLOWER_ON, ids=str)
def test_flower_on_runs_through_the_launcher_that_requires_basic_auth(
    baked: Baker, combo: Combo
) -> None:
    project = baked(combo)
    makefile = (project / "Makefile").read_text()
    assert "flower" in make_targets(makefile)
    assert "python -m config.flower" in makefile
    assert (project / "config/flower.py").is_file()
    env = (project / ".env").read_text()
    assert re.search(r"^FLOWER_USER=\S+$", env, re.M)
    password = re.search(r"^FLOWER_PASSWORD=(\S+)$", env, re.M)
    assert password
    assert password[1] != "change-me"  # a fresh secret, never the placeholder


@pytest.mark.parametrize("combo", FLOWER_OFF, ids=str)
def test_flower_off_leaves_no_launcher(baked: Baker, combo: Combo) -> None:
    project = baked(combo)
    assert not (project / "config/flower.py").exists()
    assert not (project / "tests/test_flower.py").exists()
