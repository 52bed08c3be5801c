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
        run.build_peer(tmp_path / "absent", tmp_path, asgi=False)
    message = str(stop.value)
    assert "No cookiecutter-django mirror" in message
    assert "--no-peer" in message


WRK_OUTPUT = """\
Running 3s test @ http://127.0.0.1:8000/health/live/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.02ms    1.91ms  30.11ms   87.50%
    Req/Sec     1.34k   101.12     1.52k    75.00%
  Latency Distribution
     50%    5.70ms
     75%  812.00us
     90%    1.01s
     99%    1.00m
  8000 requests in 3.00s, 1.60MB read
Requests/sec:   2664.43
"""


def test_latency_is_read_from_the_distribution_not_the_thread_statistics():
    # "+/- Stdev 87.50%" ends in "50%": an unanchored search read "Req/Sec" as p50.
    sys.path.insert(0, str(RUN.parent))
    try:
        import run
    finally:
        sys.path.remove(str(RUN.parent))
    assert run.to_ms(run.latency_percentile(WRK_OUTPUT, 50)) == 5.7
    assert run.to_ms(run.latency_percentile(WRK_OUTPUT, 75)) == 0.812
    assert run.to_ms(run.latency_percentile(WRK_OUTPUT, 90)) == 1010.0
    assert run.to_ms(run.latency_percentile(WRK_OUTPUT, 99)) == 60000.0
