"""The template repository keeps its promises about itself: README, CI and tooling agree."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.options import DEFAULTS, TEMPLATE_DIR

README = (TEMPLATE_DIR / "README.md").read_text()


def _readme_test_command() -> str:
    section = README.split("## Testing the template", 1)[1]
    block = re.search(r"```sh\n(.+?)\n```", section, re.S)
    assert block, "README's 'Testing the template' section has no command block"
    return block[1].strip()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = _readme_test_command()
    ci_lines = [line.strip() for line in (TEMPLATE_DIR / ".ci/run").read_text().splitlines()]
    assert any(line == command or line.startswith(f"{command} ||") for line in ci_lines), (
        f".ci/run does not run the README's test command {command!r}"
    )


def test_readme_documents_every_option_with_its_default() -> None:
    for key, value in DEFAULTS.items():
        if key.startswith("_") or key == "project_slug":
            continue
        default = value[0] if isinstance(value, list) else value
        row = re.search(rf"^\| `{key}` \| `?([^|`]+)`? \|", README, re.M)
        assert row, f"README's options table has no row for {key}"
        assert row[1].strip() == default, f"README gives {key} the default {row[1]!r}"


def test_pre_commit_runs_the_pinned_ruff() -> None:
    config = yaml.safe_load((TEMPLATE_DIR / ".pre-commit-config.yaml").read_text())
    revs = {repo["repo"].rsplit("/", 1)[-1]: repo["rev"] for repo in config["repos"]}
    pyproject = tomllib.loads((TEMPLATE_DIR / "pyproject.toml").read_text())
    pinned = next(d for d in pyproject["dependency-groups"]["dev"] if d.startswith("ruff=="))
    assert revs["ruff-pre-commit"] == "v" + pinned.removeprefix("ruff==")
