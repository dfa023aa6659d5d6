"""hsdata export under faults: killed while it writes, a full disk, a read-only folder, links.

The promise (issue 13): ``hsdata export`` over an older export leaves OUT holding the old export
or the new one, byte for byte and mode for mode, whatever happens; at most a hidden staging folder
or temporary file is left beside it. A failed write is exit 2 with one line naming the file, and
nothing is ever written through a symbolic link.

Kills come in two kinds, both SIGKILL, so nothing in hsdata can clean up after them:

* at a chosen point: the test runs hsdata under an audit hook of its own (nothing in hsdata
  changes for the test) that counts the file-system operations touching the output's folder and
  kills the process just before the N-th (the swap of the staged folder included);
* at a random moment: from outside, after a random delay counted from the first such operation,
  no longer than an uninterrupted run takes to write.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import hsdata
from hsdata._files import staged_folder

from .faults import ROOT, full_disk, one_line_error, read_only_prefix, run_hsdata, snapshot

#: The formats writing one file, and the suffix the test gives that file.
SINGLE_FILES = {"jsonld": ".jsonld", "turtle": ".ttl", "ntriples": ".nt"}
FORMATS = ["csv", *SINGLE_FILES]

#: Run ``hsdata ARGS`` under a hook killing it before its N-th operation on the watched folder.
#: argv: WATCHED KILL_AT ARGS...; KILL_AT 0 kills nowhere and, at the end, writes the seconds
#: from the first operation to the last and then every operation. The first operation writes
#: "writing" on stdout (os.write: unbuffered, and no audit event).
KILLED_AT = r"""
import atexit, os, signal, sys, time
watched, kill_at = sys.argv[1], int(sys.argv[2])
operations, times = [], []

def touches(event, args):
    if event == "ctypes.dlsym":  # the folders are swapped next (renameat2)
        return args[-1] == "renameat2"
    return any(
        isinstance(arg, (str, bytes, os.PathLike)) and os.fsdecode(arg).startswith(watched)
        for arg in args
    )

def on_event(event, args):
    if not touches(event, args):
        return
    operations.append(event)
    times.append(time.monotonic())
    if len(operations) == 1:
        os.write(1, b"writing\n")
    if len(operations) == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

sys.addaudithook(on_event)
if kill_at == 0:
    atexit.register(
        lambda: os.write(1, "\n".join([str(times[-1] - times[0]), *operations, ""]).encode())
    )
from hsdata.cli import main
main(sys.argv[3:])
"""

State = dict[str, tuple[bytes, int]]


def state(out: Path) -> State:
    """What OUT holds: each file's bytes and mode (OUT itself when it is one file)."""
    if out.is_file():
        return {"": (out.read_bytes(), stat.S_IMODE(out.stat().st_mode))}
    return {
        name: (content, stat.S_IMODE((out / name).stat().st_mode))
        for name, content in snapshot(out).items()
    }


@dataclass(frozen=True)
class Baseline:
    """One format's old export, where to copy it from, and what an uninterrupted run leaves."""

    format: str
    package: Path  # the package exported now
    old_export: Path  # an export of an older version of it
    old: State
    new: State
    operations: list[str]  # the file-system operations of an uninterrupted run, in order
    writing_seconds: float  # from the first of them to the last

    def out_in(self, work: Path) -> Path:
        """A fresh folder ``work`` holding OUT, a copy of the old export; OUT's path."""
        work.mkdir()
        out = work / ("out" if self.format == "csv" else f"out{SINGLE_FILES[self.format]}")
        if self.old_export.is_dir():
            shutil.copytree(self.old_export, out)
        else:
            shutil.copy2(self.old_export, out)
        return out

    def command(self, out: Path) -> list[str]:
        force = ["--force"] if self.format == "csv" else []
        return ["export", "--format", self.format, str(self.package), *force, str(out)]


def killed_at(point: int, watched: Path, arguments: list[str]) -> list[str]:
    """The command running hsdata ARGUMENTS, killed before operation ``point`` (0: never)."""
    return [sys.executable, "-c", KILLED_AT, str(watched), str(point), *arguments]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The canonical package (new) and a copy with one actor renamed (old)."""
    folder = tmp_path_factory.mktemp("packages")
    new = folder / "new"
    old = folder / "old"
    for package in (new, old):
        shutil.copytree(ROOT / "data", package, ignore=shutil.ignore_patterns("csv"))
    actors = json.loads((old / "actors.json").read_text(encoding="utf-8"))
    actors[0]["name"]["en"] = "An older name"
    (old / "actors.json").write_text(json.dumps(actors, ensure_ascii=False), encoding="utf-8")
    return old, new


@pytest.fixture(scope="module", params=FORMATS)
def baseline(
    request: pytest.FixtureRequest,
    packages: tuple[Path, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Baseline:
    """Per format: the old export (its files made private, 0600) and one uninterrupted run."""
    export_format: str = request.param
    if export_format in ("turtle", "ntriples"):
        pytest.importorskip("rdflib")
    old_package, new_package = packages
    folder = tmp_path_factory.mktemp(f"baseline-{export_format}")
    old_export = folder / "old-export"
    if export_format != "csv":
        old_export = old_export.with_suffix(SINGLE_FILES[export_format])
    written = hsdata.load(old_package).export(export_format, old_export)
    for path in [written, *old_export.glob("*")]:
        path.chmod(0o600)  # the mode of a file replaced is kept: old and new modes differ
    partial = Baseline(export_format, new_package, old_export, {}, {}, [], 0.0)
    out = partial.out_in(folder / "clean")
    old = state(out)
    done = subprocess.run(
        killed_at(0, out.parent, partial.command(out)),
        capture_output=True,
        env=environment(),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    writing, seconds, *operations = done.stdout.decode().split()
    assert writing == "writing"
    new = state(out)
    assert set(new) == set(old) and new != old
    # the new export is the one the library writes (the swap kept the old files' modes)
    fresh = hsdata.load(new_package).export(export_format, folder / out.name)
    expected = {"": fresh.read_bytes()} if export_format != "csv" else snapshot(fresh.parent)
    assert {name: content for name, (content, _) in new.items()} == expected
    assert {mode for _, mode in new.values()} == {0o600}
    return Baseline(export_format, new_package, old_export, old, new, operations, float(seconds))


def check_after_a_kill(baseline: Baseline, out: Path, returncode: int) -> str:
    """OUT holds the old export or the new one, and beside it at most hidden leftovers."""
    now = state(out)
    assert now in (baseline.old, baseline.new), sorted(
        name for name in set(now) | set(baseline.old) if now.get(name) != baseline.old.get(name)
    )
    outcome = "new" if now == baseline.new else "old"
    if returncode == 0:
        assert outcome == "new"
    else:
        assert returncode == -signal.SIGKILL
    leftovers = [p.name for p in out.parent.iterdir() if p != out]
    assert all(name.startswith(f".{out.name}.") for name in leftovers), leftovers
    return outcome


@pytest.mark.slow
def test_killed_at_chosen_points_leaves_the_old_export_or_the_new(
    baseline: Baseline, tmp_path: Path
) -> None:
    operations = baseline.operations
    count = len(operations)
    assert count >= 4, operations  # a temporary file, a rename at the least
    if count <= 12:
        points = set(range(1, count + 1))
    else:  # a CSV export: some points at random, and each side of the swap
        points = set(random.Random(13).sample(range(1, count + 1), 4))
        swap = operations.index("ctypes.dlsym") + 1
        points |= {1, swap - 1, swap, swap + 1, count}
    # the operation after which OUT is the new export: the swap of the folders, or the rename of
    # the file (before renameat2 is looked up the folders are not swapped yet)
    if "ctypes.dlsym" in operations:
        commit = operations.index("ctypes.dlsym") + 1
    else:
        commit = count - operations[::-1].index("os.rename")
    for point in sorted(points):
        out = baseline.out_in(tmp_path / f"killed-{point}")
        done = subprocess.run(
            killed_at(point, out.parent, baseline.command(out)),
            capture_output=True,
            env=environment(),
            timeout=120,
            check=False,
        )
        assert done.returncode == -signal.SIGKILL, (point, done.stderr)
        outcome = check_after_a_kill(baseline, out, done.returncode)
        assert outcome == ("old" if point <= commit else "new"), (point, commit, operations)


@pytest.mark.slow
def test_killed_at_random_moments_while_writing_leaves_the_old_export_or_the_new(
    baseline: Baseline, tmp_path: Path
) -> None:
    chances = random.Random(f"export-{baseline.format}")
    for run in range(3):
        out = baseline.out_in(tmp_path / f"run-{run}")
        process = subprocess.Popen(
            killed_at(0, out.parent, baseline.command(out)),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=environment(),
        )
        assert process.stdout is not None
        assert process.stdout.readline() == b"writing\n"
        time.sleep(chances.uniform(0, baseline.writing_seconds))
        process.kill()
        process.communicate(timeout=60)
        check_after_a_kill(baseline, out, process.returncode)


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="POSIX file size limits")
def test_a_full_disk_leaves_the_old_export_and_names_the_file(
    baseline: Baseline, tmp_path: Path
) -> None:
    out = baseline.out_in(tmp_path / "work")
    run = run_hsdata(*baseline.command(out), preexec_fn=full_disk)
    one_line_error(run, "larger than this system allows")
    # the file named is one the export writes past the 4 KiB limit
    too_large = [
        out / name if name else out
        for name, (content, _mode) in baseline.new.items()
        if len(content) > 4096
    ]
    assert too_large, "the test needs an export larger than the limit"
    assert any(f"{path}:" in run.stderr for path in too_large), (run.stderr, too_large)
    assert state(out) == baseline.old
    assert [p.name for p in out.parent.iterdir()] == [out.name]


def test_a_read_only_folder_leaves_the_old_export(baseline: Baseline, tmp_path: Path) -> None:
    out = baseline.out_in(tmp_path / "work")
    prefix = read_only_prefix(out.parent)
    if prefix:
        run = run_hsdata(*baseline.command(out), prefix=prefix)
        reason = "read-only"
    elif os.geteuid() != 0:
        out.parent.chmod(0o555)
        try:
            run = run_hsdata(*baseline.command(out))
        finally:
            out.parent.chmod(0o755)
        reason = "permission"
    else:
        pytest.skip("no way to make a folder read-only for root here")
    one_line_error(run, str(out), reason)
    assert state(out) == baseline.old
    assert [p.name for p in out.parent.iterdir()] == [out.name]


@pytest.fixture
def outside(tmp_path: Path) -> Iterator[Path]:
    """A file outside OUT that no export may change."""
    path = tmp_path / "outside.txt"
    path.write_text("precious", encoding="utf-8")
    yield path
    assert path.read_text(encoding="utf-8") == "precious"


@pytest.mark.parametrize("baseline", ["csv"], indirect=True)
def test_a_link_in_the_csv_folder_is_replaced_not_written_through(
    baseline: Baseline, tmp_path: Path, outside: Path
) -> None:
    out = baseline.out_in(tmp_path / "work")
    (out / "actors.csv").unlink()
    (out / "actors.csv").symlink_to(outside)
    (out / "notes.txt").symlink_to(outside)  # not the export's: kept as it is
    run = run_hsdata(*baseline.command(out))
    assert run.returncode == 0, run.stderr
    assert not (out / "actors.csv").is_symlink()
    assert (out / "actors.csv").read_bytes() == baseline.new["actors.csv"][0]
    assert os.readlink(out / "notes.txt") == str(outside)
    now, new = state(out), dict(baseline.new)
    assert now.pop("notes.txt")[0] == b"precious"
    # a new file where the link was: the link had no mode of its own to keep
    assert now.pop("actors.csv")[0] == new.pop("actors.csv")[0]
    assert now == new


def test_out_as_a_link_is_refused_and_what_it_points_to_is_left_alone(
    baseline: Baseline, tmp_path: Path, outside: Path
) -> None:
    work = tmp_path / "work"
    out = baseline.out_in(work)
    target = outside if baseline.format != "csv" else tmp_path / "elsewhere"
    if baseline.format == "csv":
        out.rename(target)
    else:
        out.unlink()
    out.symlink_to(target)
    before = state(target)
    run = run_hsdata(*baseline.command(out))
    one_line_error(run, str(out), "symbolic link")
    assert out.is_symlink() and state(target) == before
    assert [p.name for p in work.iterdir()] == [out.name]


def test_a_new_file_in_a_missing_folder_on_a_read_only_disk_is_one_plain_line(
    baseline: Baseline, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    prefix = read_only_prefix(work)
    if not prefix:
        pytest.skip("no read-only mount here")
    out = work / "missing" / f"out{SINGLE_FILES.get(baseline.format, '')}"
    run = run_hsdata(*baseline.command(out), prefix=prefix)
    one_line_error(run, str(out), "read-only disk")
    assert list(work.iterdir()) == []


def test_a_forced_swap_keeps_the_mode_of_each_file_it_replaces(tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text("precious", encoding="utf-8")
    outside.chmod(0o644)
    target = tmp_path / "out"
    (target / "sub").mkdir(parents=True)
    for path, mode in [(target / "a.csv", 0o600), (target / "sub" / "b.csv", 0o640)]:
        path.write_text("old", encoding="utf-8")
        path.chmod(mode)
    (target / "linked.csv").symlink_to(outside)
    with staged_folder(target, force=True) as staging:
        (staging / "sub").mkdir()
        for name in ("a.csv", "sub/b.csv", "linked.csv", "fresh.csv"):
            (staging / name).write_text("new", encoding="utf-8")
            (staging / name).chmod(0o666)
    modes = {name: stat.S_IMODE((target / name).stat().st_mode) for name in snapshot(target)}
    # a file that replaced a link, or none, keeps the mode it was written with
    assert modes == {"a.csv": 0o600, "sub/b.csv": 0o640, "linked.csv": 0o666, "fresh.csv": 0o666}
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644
