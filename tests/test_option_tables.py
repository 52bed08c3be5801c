"""The tables that say what each option does agree with each other and with README.

cookiecutter.json lists the options; the pre-generation hook validates them and says which
needs which (REQUIRES); the post-generation hook removes what each owns (OWNED_PATHS);
tests/options.py says what each must leave no trace of when off (PARTS); README documents
them. An option missing from one of them is an option half checked.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from cookiecutter.exceptions import FailedHookException

from tests.baking import bake
from tests.options import PARTS, TEMPLATE_DIR, TOGGLES, Combo

PRE_GEN_HOOK = TEMPLATE_DIR / "hooks/pre_gen_project.py"
POST_GEN_HOOK = TEMPLATE_DIR / "hooks/post_gen_project.py"
README = (TEMPLATE_DIR / "README.md").read_text()


def hook_table(hook: Path, name: str) -> dict:
    """The literal dict a hook assigns to ``name``, read without rendering or running it.

    The hooks hold Jinja only inside a string literal (the ANSWERS line), so the file
    parses as Python as it stands.
    """
    for node in ast.parse(hook.read_text()).body:
        match node:
            case (
                ast.Assign(targets=[ast.Name(id=target)], value=value)
                | ast.AnnAssign(target=ast.Name(id=target), value=ast.expr() as value)
            ) if target == name:
                table = ast.literal_eval(value)
                assert isinstance(table, dict), f"{hook.name}'s {name} is not a dict"
                assert table, f"{hook.name}'s {name} is empty"
                return table
    pytest.fail(f"{hook.name} assigns no {name}")


def readme_option_rows() -> dict[str, list[str]]:
    """README's options table: option -> its cells after the key (default, choices, what)."""
    section = README.split("\n## Options\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        key = re.fullmatch(r"`(\w+)`", cells[0])
        if key:
            rows[key[1]] = cells[1:]
    assert rows, "README's Options section has no table"
    return rows


def test_every_option_that_owns_paths_has_a_part_the_no_trace_tests_check() -> None:
    owned = hook_table(POST_GEN_HOOK, "OWNED_PATHS")
    parts = {(part.option, part.off_when) for part in PARTS}
    unchecked = [f"{option}={value}" for option, value in owned if (option, value) not in parts]
    assert not unchecked, (
        f"post_gen_project.py removes paths for {unchecked}, but tests/options.py's PARTS has "
        "no Part with that option and off value, so no test checks it leaves no trace"
    )


@pytest.mark.parametrize("toggle", TOGGLES)
def test_every_toggle_of_cookiecutter_json_is_refused_by_the_hook_unless_y_or_n(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], toggle: str
) -> None:
    with pytest.raises(FailedHookException):
        bake(Combo(f"{toggle}_maybe", {toggle: "maybe"}), tmp_path)
    assert f"{toggle} must be 'y' or 'n', got 'maybe'" in capfd.readouterr().err


def test_every_toggle_is_offered_as_y_or_n_in_the_readme_options_table() -> None:
    # That each option has a row with its default is test_repository's; this is the choices.
    rows = readme_option_rows()
    wrong = {toggle: rows[toggle][1] for toggle in TOGGLES if rows[toggle][1] != "`y`, `n`"}
    assert not wrong, f"README's choices for these toggles are not `y`, `n`: {wrong}"


def test_readme_states_exactly_the_dependencies_the_hook_enforces() -> None:
    enforced = {
        (option, needed, needed_value)
        for (option, _, needed), (needed_value, _) in hook_table(PRE_GEN_HOOK, "REQUIRES").items()
    }
    stated = {
        (option, needed, needed_value)
        for option, cells in readme_option_rows().items()
        for needed, needed_value in re.findall(r"needs `(\w+)=(\w+)`", cells[-1])
    }
    assert stated == enforced, (
        f"the hook enforces but README's option rows do not say: {sorted(enforced - stated)}; "
        f"README says but the hook does not enforce: {sorted(stated - enforced)}"
    )
