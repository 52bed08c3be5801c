"""Fixtures shared by the fast and the integration tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.baking import bake
from tests.options import Combo

type Baker = Callable[[Combo], Path]


@pytest.fixture(scope="session")
def baked(tmp_path_factory: pytest.TempPathFactory) -> Baker:
    """Bake each combination once per test process and hand out its project directory.

    Tests must treat the directory as read-only; one that changes files bakes its own.
    """
    projects: dict[str, Path] = {}

    def get(combo: Combo) -> Path:
        if combo.name not in projects:
            projects[combo.name] = bake(combo, tmp_path_factory.mktemp(f"bake-{combo.name}"))
        return projects[combo.name]

    return get
