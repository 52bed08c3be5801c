"""What the Docker, compose, GitHub Actions and pre-commit checks share.

No Docker engine and no GitHub runner here, so each file is checked statically by the
tool its ecosystem trusts, from the template's dev group. The combinations below cover
every mix of the options these files depend on.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.options import Combo

# Every combination of the options these files depend on. Celery needs Redis, so it is
# switched off with Redis; the rest keep their defaults.
FILE_COMBOS = tuple(
    Combo(
        f"docker_{docker}-ci_{ci}-{database}-celery_{celery}",
        {
            "use_docker": docker,
            "ci": ci,
            "database": database,
            "use_celery": celery,
            "use_redis": "y" if celery == "y" else "n",
        },
    )
    for docker, ci, database, celery in itertools.product(
        ("y", "n"), ("github", "none"), ("postgresql", "sqlite"), ("y", "n")
    )
)
# Flower adds a service of its own; check it too.
FLOWER = Combo("docker_y-ci_github-flower", {"use_flower": "y"})
DOCKER_COMBOS = [c for c in (*FILE_COMBOS, FLOWER) if c.context["use_docker"] == "y"]
CI_COMBOS = [c for c in (*FILE_COMBOS, FLOWER) if c.context["ci"] == "github"]
COMPOSE_FILES = ("compose.yaml", "compose.override.yaml")

docker_combos = pytest.mark.parametrize("combo", DOCKER_COMBOS, ids=str)
ci_combos = pytest.mark.parametrize("combo", CI_COMBOS, ids=str)
all_combos = pytest.mark.parametrize("combo", FILE_COMBOS, ids=str)


def tool(name: str) -> str:
    """A checker installed in the template's venv (the dev group), found beside Python."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is not installed: run `uv sync` (it is in the dev group)"
    return found


def run_tool(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool(command[0]), *command[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def load_yaml(path: Path) -> dict:
    loaded = yaml.safe_load(path.read_text())
    assert isinstance(loaded, dict), f"{path.name} is not a YAML mapping"
    return loaded


def makefile_targets(project: Path) -> set[str]:
    return set(re.findall(r"^([a-z][\w-]*):", (project / "Makefile").read_text(), re.M))
