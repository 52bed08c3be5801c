"""The generated .pre-commit-config.yaml has the hooks the project promises, in every combination."""

from __future__ import annotations

from tests.conftest import Baker
from tests.files import all_combos, load_yaml
from tests.options import Combo


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
        "migrations-are-current",
    }
    assert promised <= hooks, f"missing hooks: {promised - hooks}"
