"""Fixtures for the hostile-input tests: packages to break, the CLI, no network, opened files.

Every test here feeds the validator or the loader something a stranger could
send, and checks the promise of issue 7: a clear error naming the file and
place, exit code 1 (invalid data) or 2 (unreadable input), no traceback, and
nothing read or written outside the package.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from hsdata._paths import canonical_data_dir
from hsdata.cli import main

# -- opened files, seen through an audit hook ----------------------------------------------------

_OPENED: list[str] = []
_WATCHING = [False]


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _WATCHING[0]:
        return
    if event in ("open", "os.listdir", "os.scandir") and args:
        target = args[0]
        if isinstance(target, (str, bytes, os.PathLike)):
            _OPENED.append(os.path.abspath(os.fsdecode(target)))


sys.addaudithook(_audit)  # audit hooks cannot be removed; this one records only when asked


@pytest.fixture
def opened_files() -> Iterator[list[str]]:
    """The absolute paths of every file opened (or folder listed) while the test runs."""
    _OPENED.clear()
    _WATCHING[0] = True
    yield _OPENED
    _WATCHING[0] = False


def stop_watching() -> None:
    """Stop recording opened files (before the test itself reads anything)."""
    _WATCHING[0] = False


def outside(opened: Sequence[str], *allowed: Path) -> list[str]:
    """The opened paths under none of ``allowed`` (the package, hsdata's own files, Python)."""
    roots = [str(Path(a).resolve()) for a in allowed]
    roots += [sys.prefix, sys.base_prefix, str(Path(__file__).resolve().parents[2])]
    roots += ["/dev/", "/proc/", "/sys/", "/etc/localtime", "/usr/share/zoneinfo"]
    # hsdata's own cache (compiled schemas, descriptor answers), which the suite points at tmp
    cache = os.environ.get("HSDATA_CACHE_DIR")
    if cache:
        roots.append(str(Path(cache).resolve()))
    return [p for p in opened if not any(p.startswith(r) for r in roots)]


# -- the network, refused -------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make every attempt to reach the network fail the test; returns the attempts seen."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError(f"hsdata tried to use the network: {args[1:]!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket.socket, "sendto", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


# -- packages -----------------------------------------------------------------------------------


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A fresh copy of the canonical package (JSON files only), in its own folder."""
    target = tmp_path / "package"
    shutil.copytree(canonical_data_dir(), target, ignore=shutil.ignore_patterns("csv"))
    return target


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# -- the command line --------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """What one command-line run gave: exit code and output (stdout and stderr)."""

    exit_code: int
    output: str
    stdout: str


def run_cli(*args: str | os.PathLike[str]) -> Run:
    """Run ``hsdata ARGS`` in-process; fail if it raised anything but a normal exit."""
    runner = CliRunner()
    result = runner.invoke(main, [os.fspath(a) for a in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"hsdata {args} raised {result.exception!r}") from result.exception
    assert "Traceback" not in result.output, result.output
    return Run(result.exit_code, result.output, result.stdout)


def validate_json(*args: str | os.PathLike[str]) -> tuple[int, dict[str, Any]]:
    """``hsdata validate --format json ARGS``: the exit code and the parsed report."""
    run = run_cli("validate", "--format", "json", *args)
    return run.exit_code, json.loads(run.stdout)


def check_all_formats(
    args: Sequence[str | os.PathLike[str]], exit_code: int, rule: str, file_part: str
) -> None:
    """In every output format: the exit code, the rule, the file named, no traceback."""
    code, report = validate_json(*args)
    assert code == exit_code, report
    assert any(i["rule"] == rule and file_part in (i["file"] or "") for i in report["issues"]), (
        report["issues"]
    )
    for fmt in ("text", "github"):
        run = run_cli("validate", "--format", fmt, *args)
        assert run.exit_code == exit_code, run.output
        assert rule in run.stdout and file_part in run.stdout, run.stdout
