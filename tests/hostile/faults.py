"""Fault injection for the commands that write: a full disk, a read-only folder, snapshots.

Shared by the tests of ``import``/``template`` (test_safe_writes.py) and ``export``
(test_export_faults.py). Every command runs in a subprocess, so a fault (a file size limit, a
read-only mount, a kill) reaches only the command, never pytest.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden staging folders beside it are not inside it)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def run_hsdata(*args: str | os.PathLike[str], prefix: Sequence[str] = (), **kwargs: Any) -> Any:
    """``hsdata ARGS`` in a subprocess (after ``prefix``, such as a read-only mount), text out."""
    command = [*prefix, sys.executable, "-m", "hsdata", *map(os.fspath, args)]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, **kwargs
    )


def one_line_error(run: Any, *words: str) -> None:
    """The run ended in exit 2 with one line ``error: cannot write ...`` holding every word."""
    assert run.returncode == 2, (run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot write "), run.stderr
    assert "Traceback" not in run.stderr
    for word in words:
        assert word in lines[0], lines[0]


def full_disk() -> None:
    """For ``preexec_fn``: no file may grow past 4 KiB, as on a disk that is (almost) full."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of a kill
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def read_only_prefix(folder: Path) -> list[str]:
    """A prefix running a command with ``folder`` mounted read-only (or [] if that cannot be).

    Root writes into folders whatever their mode, so the folder is bind-mounted read-only in a
    mount namespace of the command's own (``unshare -m``): the file system itself says no.
    """
    if shutil.which("unshare") is None:
        return []
    script = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" && exec "$@"'
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, str(folder), "true"], capture_output=True, check=False
    )
    return ["unshare", "-m", "sh", "-c", script, str(folder)] if probe.returncode == 0 else []
