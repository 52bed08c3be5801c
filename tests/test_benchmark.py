"""The benchmark (benchmarks/run.py) is not part of the suite's pass/fail; it must still run."""

import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


def test_benchmark_help_names_its_options():
    result = subprocess.run(
        [sys.executable, str(RUN), "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    for option in ("--duration", "--rounds", "--asgi", "--no-peer", "--peer-mirror"):
        assert option in result.stdout


def test_benchmark_refuses_a_missing_peer_mirror_in_one_line(tmp_path):
    sys.path.insert(0, str(RUN.parent))
    try:
        import run
    finally:
        sys.path.remove(str(RUN.parent))
    with pytest.raises(SystemExit) as stop:
        run.build_peer(tmp_path / "absent", tmp_path)
    message = str(stop.value)
    assert "No cookiecutter-django mirror" in message
    assert "--no-peer" in message
