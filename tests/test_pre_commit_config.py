"""The generated .pre-commit-config.yaml has the hooks the project promises, in every
combination, and every one of them runs offline (tests/integration/ runs them)."""

from __future__ import annotations

from tests.conftest import Baker
from tests.files import all_combos, load_yaml
from tests.options import TEMPLATE_DIR, Combo


@all_combos
def test_pre_commit_config_has_the_promised_hooks(baked: Baker, combo: Combo) -> None:
    config = load_yaml(baked(combo) / ".pre-commit-config.yaml")
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    promised = {
        "ruff-check",
        "ruff-format",
        "django-upgrade",
        "trailing-whitespace",
        "end-of-file-fixer",
        "check-yaml",
        "lint-imports",
        "migrations-are-current",
    }
    assert promised <= hooks, f"missing hooks: {promised - hooks}"


@all_combos
def test_pre_commit_hooks_clone_nothing(baked: Baker, combo: Combo) -> None:
    # A hook repository on GitHub is cloned at first run: offline, pre-commit fails.
    config = load_yaml(baked(combo) / ".pre-commit-config.yaml")
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    for hook in config["repos"][0]["hooks"]:
        assert hook["language"] == "system", hook["id"]
        assert hook["entry"].startswith("uv run "), hook["id"]


def test_pre_commit_configs_hold_no_jinja() -> None:
    # So `pre-commit` reads the template's file as it is, and a service's stays editable.
    for path in (
        TEMPLATE_DIR / ".pre-commit-config.yaml",
        TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / ".pre-commit-config.yaml",
    ):
        assert "{{" not in path.read_text().replace("{{cookiecutter", ""), path
        assert "{%" not in path.read_text(), path
