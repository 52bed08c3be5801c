"""A generated service keeps up with the template through cruft: it is created with
`cruft create`, edited by its owner, and takes a later template change with `cruft
update`, without a conflict in any file its owner did not touch."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.baking import GIT_ENV, TOOL_ENV, isolated_config, succeeds
from tests.options import TEMPLATE_DIR

COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", ".ruff_cache", ".pytest_cache", "*.pyc"
)


def git(*arguments: str, cwd: Path, env: dict[str, str]) -> str:
    return succeeds("git", *arguments, cwd=cwd, env=env)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    config = isolated_config(tmp_path / "cookiecutter")
    return {**os.environ, **TOOL_ENV, **GIT_ENV, "COOKIECUTTER_CONFIG": str(config)}


@pytest.fixture
def template(tmp_path: Path, env: dict[str, str]) -> Path:
    """The template as it is now, committed to a repository of its own (cruft clones it)."""
    repository = shutil.copytree(TEMPLATE_DIR, tmp_path / "template", ignore=COPY_IGNORE)
    git("init", "--quiet", "--initial-branch=main", cwd=repository, env=env)
    git("add", "--all", cwd=repository, env=env)
    git("commit", "--quiet", "--message", "v1", cwd=repository, env=env)
    return repository


def cruft(*arguments: str | Path, cwd: Path, env: dict[str, str]) -> str:
    return succeeds(sys.executable, "-m", "cruft", *arguments, cwd=cwd, env=env)


def test_cruft_update_merges_a_template_change_without_conflicts(
    template: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    services = tmp_path / "services"
    services.mkdir()
    cruft("create", template, "--no-input", "--output-dir", services, cwd=tmp_path, env=env)
    project = services / "my_service"
    secrets_before = (project / ".env").read_text()
    assert json.loads((project / ".cruft.json").read_text())["template"] == str(template)

    # The owner commits the service and edits it: their own section in the README.
    git("init", "--quiet", "--initial-branch=main", cwd=project, env=env)
    git("add", "--all", cwd=project, env=env)
    git("commit", "--quiet", "--message", "Generated", cwd=project, env=env)
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\n## Our notes\n\nOnly in this service.\n")
    git("commit", "--quiet", "--all", "--message", "Our notes", cwd=project, env=env)

    # Later the template changes a file the owner never touched, and one they did.
    makefile = template / "{{cookiecutter.project_slug}}" / "Makefile"
    makefile.write_text(makefile.read_text() + "\n# A later template release.\n")
    template_readme = template / "{{cookiecutter.project_slug}}" / "README.md"
    first, rest = template_readme.read_text().split("\n", 1)
    template_readme.write_text(f"{first}\n\n<!-- A later template release. -->\n{rest}")
    git("commit", "--quiet", "--all", "--message", "v2", cwd=template, env=env)

    cruft("update", "--skip-apply-ask", cwd=project, env=env)

    rejected = sorted(str(path.relative_to(project)) for path in project.rglob("*.rej"))
    assert not rejected, f"conflicts: {rejected}"
    changed = git("status", "--porcelain", cwd=project, env=env).splitlines()
    assert sorted(line[3:] for line in changed) == [".cruft.json", "Makefile", "README.md"]
    assert (project / "Makefile").read_text().endswith("# A later template release.\n")
    merged = readme.read_text()
    assert "<!-- A later template release. -->" in merged
    assert merged.endswith("Only in this service.\n")
    # .env is the service's own (pyproject.toml's [tool.cruft] skip): untouched.
    assert (project / ".env").read_text() == secrets_before
    assert cruft("check", cwd=project, env=env)
