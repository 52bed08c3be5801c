"""The tables that state what each option does agree with each other and with README.

cookiecutter.json lists the options; the pre-generation hook validates them and states
which needs which (REQUIRES); the post-generation hook removes what each owns
(OWNED_PATHS); tests/options.py states what each leaves behind when off (PARTS); README
documents them. A row missing from one of them is an option that is half checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cookiecutter.exceptions import FailedHookException

from tests.baking import bake
from tests.options import TOGGLES, Combo


@pytest.mark.parametrize("toggle", TOGGLES)
def test_every_toggle_of_cookiecutter_json_is_refused_by_the_hook_unless_y_or_n(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], toggle: str
) -> None:
    with pytest.raises(FailedHookException):
        bake(Combo(f"{toggle}_maybe", {toggle: "maybe"}), tmp_path)
    assert f"{toggle} must be 'y' or 'n', got 'maybe'" in capfd.readouterr().err
