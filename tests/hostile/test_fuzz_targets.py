"""The fuzz targets in fuzz/, run briefly: atheris when it is installed, hypothesis always.

A longer run, on demand (see fuzz/README.md)::

    python fuzz/fuzz_json_input.py -atheris_runs=1000000
    python fuzz/fuzz_package_loader.py -max_total_time=3600
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
sys.path.insert(0, str(FUZZ))
import targets  # noqa: E402 - from fuzz/, put on the path just above

HAS_ATHERIS = importlib.util.find_spec("atheris") is not None

#: target script -> libFuzzer runs for the brief CI run (each takes a few seconds)
BRIEF_RUNS = {"fuzz_json_input.py": 5000, "fuzz_package_loader.py": 300}


@pytest.mark.skipif(not HAS_ATHERIS, reason="atheris has no wheel for this platform")
@pytest.mark.parametrize("script", sorted(BRIEF_RUNS))
def test_the_atheris_target_runs_briefly_without_a_crash(script: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(FUZZ / script),
            f"-atheris_runs={BRIEF_RUNS[script]}",
            "-max_total_time=30",
            "-seed=1",
        ],
        cwd=tmp_path,  # crash files, if any, land here
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert "Done" in done.stderr
    assert not list(tmp_path.glob("crash-*"))


SEEDS = [
    b"",
    b"[]",
    b'[{"id": "a", "id": "b"}]',
    b"[" * 2000,
    b'{"resources": [{"path": "../x.json"}]}',
    b'{"resources": [{"path": "/etc/passwd", "jsonSchema": 1}]}',
    b"PK\x03\x04",
    b"\xef\xbb\xbf[NaN]",
    "[\u2028]".encode(),
]


@pytest.mark.parametrize(
    "target", [targets.json_input, targets.package_loader], ids=["json_input", "package_loader"]
)
def test_the_targets_accept_the_seeds(target: Callable[[bytes], None]) -> None:
    for seed in SEEDS:
        target(seed)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.binary(max_size=2000))
def test_the_json_target_never_raises(data: bytes) -> None:
    targets.json_input(data)


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.binary(max_size=500) | st.sampled_from(SEEDS))
def test_the_package_target_never_raises(data: bytes) -> None:
    targets.package_loader(data)
