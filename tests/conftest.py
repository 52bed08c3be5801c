"""Fixtures shared by the fast and the integration tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_cookies.plugin import Cookies

from tests.baking import bake_with
from tests.options import Combo

type Baker = Callable[[Combo], Path]


@pytest.fixture(scope="session")
def baked(cookies_session: Cookies) -> Baker:
    """Bake each combination once per test process (pytest-cookies' session baker) and
    hand out its project directory.

    Tests must treat the directory as read-only; one that changes files bakes its own.
    """
    projects: dict[str, Path] = {}

    def get(combo: Combo) -> Path:
        if combo.name not in projects:
            projects[combo.name] = bake_with(cookies_session, combo)
        return projects[combo.name]

    return get
