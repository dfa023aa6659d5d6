"""hsdata upgrade --in-place under faults: killed, disk full, write refused, journal forged.

The promise: afterwards the package is the old one or the new one, byte for
byte; after a kill, running the upgrade again completes it and it then equals
the new one byte for byte. A failed write is exit 2 with one line naming the
file, never a traceback.

Kills use the upgrade's private test hook: the environment variable
``HSDATA_TEST_UPGRADE_KILL_AT=N`` makes the process SIGKILL itself at the N-th
point of its work (each journal write, each new file half and wholly written,
each rename, the journal's removal); every point is tried in turn.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import hsdata
from hsdata import ExitCode
from hsdata._upgrade import JOURNAL_NAME

SCHEMA = "https://w3id.org/hsdata/schema/1.0/{}.json"


def _actor(number: int) -> dict[str, Any]:
    return {
        "id": f"person-{number}",
        "type": "person",
        "name": {"en": f"Person {number}"},
        "posts": [{"organization": "un", "role": {"en": "envoy"}, "heldOn": f"19{number:02d}"}],
        "note": "1e400 stays text; numbers below stay as written",
        "numbers": [1.0, -0, 1e2],
    }


def make_package(folder: Path) -> Path:
    """A 1.0 package with a JSON file and a JSON Lines file to migrate and one to leave alone."""
    folder.mkdir()
    resources = [
        {"name": "actors", "path": "actors.json", "jsonSchema": SCHEMA.format("actor")},
        {"name": "more-actors", "path": "more/actors.jsonl", "jsonSchema": SCHEMA.format("actor")},
        {"name": "events", "path": "events.json", "jsonSchema": SCHEMA.format("event")},
    ]
    descriptor = {"name": "faults", "hsdata:version": "1.0", "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n")
    records = [_actor(n) for n in range(40)]
    (folder / "actors.json").write_text(json.dumps(records, indent=2) + "\n")
    (folder / "more").mkdir()
    lines = "".join(json.dumps(_actor(n)) + "\n" for n in range(40, 60))
    (folder / "more" / "actors.jsonl").write_text(lines)
    (folder / "events.json").write_text("[]\n")
    for path in folder.rglob("*"):
        if path.is_file():
            path.chmod(0o644)
    return folder


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below ``folder`` (hidden ones included): its bytes and mode."""
    return {
        path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mode)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def versions(tmp_path: Path) -> tuple[dict[str, tuple[bytes, int]], dict[str, tuple[bytes, int]]]:
    """The package before and after an upgrade that nothing interrupted."""
    old = snapshot(make_package(tmp_path / "old"))
    new_package = make_package(tmp_path / "new")
    report = hsdata.upgrade(new_package, "1.1", in_place=True, validate_result=False)
    assert report.written and len(report.files) == 3, report.issues
    new = snapshot(new_package)
    assert set(new) == set(old) and new != old
    return old, new


def run(package: Path, code: str, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **environment}
    return subprocess.run(
        [sys.executable, "-c", code, str(package)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


UPGRADE = (
    "import sys, hsdata\n"
    "report = hsdata.upgrade(sys.argv[1], '1.1', in_place=True, validate_result=False)\n"
    "sys.exit(int(report.exit_code))\n"
)


def test_killed_at_any_point_the_package_is_never_mixed_and_a_rerun_completes_it(
    tmp_path: Path, versions: tuple[dict[str, tuple[bytes, int]], dict[str, tuple[bytes, int]]]
) -> None:
    old, new = versions
    recoveries: set[str] = set()
    for point in range(1, 40):
        package = make_package(tmp_path / f"killed-{point}")
        result = run(package, UPGRADE, HSDATA_TEST_UPGRADE_KILL_AT=str(point))
        if result.returncode == 0:
            assert snapshot(package) == new  # the hook counted past the last point
            break
        assert result.returncode == -signal.SIGKILL, result.stderr
        left = {k: v for k, v in snapshot(package).items() if not k.split("/")[-1].startswith(".")}
        assert set(left) == set(old)
        for name, content in left.items():
            assert content in (old[name], new[name]), (point, name)
        if left["datapackage.json"] == new["datapackage.json"]:
            assert left == new, point  # the new version is claimed only with every record new
        rerun = hsdata.upgrade(package, "1.1", in_place=True, validate_result=False)
        assert rerun.exit_code is ExitCode.VALID, (point, rerun.issues)
        assert snapshot(package) == new, point
        recoveries.update(c.kind for c in rerun.changes if c.kind.startswith("interrupted"))
    else:
        pytest.fail("the upgrade never ran to its end")
    assert point > 10  # the points of three files were all tried
    assert recoveries == {"interrupted-upgrade-undone", "interrupted-upgrade-finished"}


FULL_DISK = (
    "import resource, signal, sys\n"
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
    "from hsdata.cli import main\n"
    "main(['upgrade', sys.argv[1], '--to', '1.1', '--in-place'])\n"
)


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="POSIX file size limits")
@pytest.mark.parametrize(("limit", "named"), [(200, JOURNAL_NAME), (4096, "actors.json")])
def test_a_full_disk_leaves_the_old_package_and_says_which_file(
    tmp_path: Path,
    versions: tuple[dict[str, tuple[bytes, int]], dict[str, tuple[bytes, int]]],
    limit: int,
    named: str,
) -> None:
    old, _ = versions
    package = make_package(tmp_path / "full")
    assert (package / "actors.json").stat().st_size > limit
    result = run(package, FULL_DISK.format(limit=limit))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    failed = [line for line in result.stdout.splitlines() if "upgrade-write" in line]
    assert len(failed) == 1 and named in failed[0], result.stdout
    assert "larger than this system allows" in failed[0]
    assert "Upgraded from" not in result.stdout
    assert snapshot(package) == old


def test_a_read_only_folder_leaves_the_old_package(
    tmp_path: Path,
    versions: tuple[dict[str, tuple[bytes, int]], dict[str, tuple[bytes, int]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old, _ = versions
    package = make_package(tmp_path / "read-only")
    if os.geteuid() != 0:
        package.chmod(0o555)
        (package / "more").chmod(0o555)
    else:  # root writes anywhere: the file system says no instead
        real_open = os.open

        def read_only(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and str(path).startswith(
                str(package)
            ):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", read_only)
    try:
        report = hsdata.upgrade(package, "1.1", in_place=True)
    finally:
        package.chmod(0o755)
        (package / "more").chmod(0o755)
    assert report.exit_code is ExitCode.UNREADABLE and not report.written
    [issue] = report.issues
    assert issue.rule == "upgrade-write" and "\n" not in issue.message
    assert "left as it was" in issue.message and str(package) in issue.message
    monkeypatch.undo()
    assert snapshot(package) == old


def test_a_rename_failing_midway_puts_back_the_files_already_replaced(
    tmp_path: Path,
    versions: tuple[dict[str, tuple[bytes, int]], dict[str, tuple[bytes, int]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old, _ = versions
    package = make_package(tmp_path / "midway")
    real_replace = os.replace
    renames: list[str] = []

    def second_fails(source: Any, target: Any) -> None:
        if str(source).endswith(".hsdata-upgrade-new"):
            renames.append(str(target))
            if len(renames) == 2:
                raise OSError(errno.EIO, os.strerror(errno.EIO), str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", second_fails)
    report = hsdata.upgrade(package, "1.1", in_place=True)
    monkeypatch.undo()
    assert report.exit_code is ExitCode.UNREADABLE and not report.written
    [issue] = report.issues
    assert issue.rule == "upgrade-write" and "actors.jsonl" in (issue.file or "")
    assert "left as it was" in issue.message
    assert snapshot(package) == old


def test_output_to_a_full_disk_leaves_no_folder(tmp_path: Path) -> None:
    package = make_package(tmp_path / "source")
    out = tmp_path / "out"
    code = FULL_DISK.format(limit=4096).replace("'--in-place'", f"'--output', {str(out)!r}")
    result = run(package, code)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "upgrade-write" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["source"]


# -- forged or damaged journals --------------------------------------------------------------------


def write_journal(package: Path, state: str, files: list[dict[str, str]]) -> None:
    journal = {
        "format": "hsdata-upgrade-journal/1",
        "state": state,
        "from": "1.0",
        "to": "1.1",
        "files": files,
    }
    (package / JOURNAL_NAME).write_text(json.dumps(journal))


@pytest.mark.parametrize(
    "entry",
    [
        {"file": "../victim.json", "new": "../.victim.json.hsdata-upgrade-new"},
        {"file": "/etc/hostname", "new": "/etc/.hostname.hsdata-upgrade-new"},
        {"file": "actors.json", "new": "elsewhere.json"},
        {"file": "link/actors.json", "new": "link/.actors.json.hsdata-upgrade-new"},
    ],
)
def test_a_journal_never_moves_a_file_outside_the_package(
    tmp_path: Path, entry: dict[str, str]
) -> None:
    package = make_package(tmp_path / "package")
    outside = tmp_path / "outside"
    outside.mkdir()
    (package / "link").symlink_to(outside)
    victim = tmp_path / "victim.json"
    victim.write_text("mine")
    (tmp_path / ".victim.json.hsdata-upgrade-new").write_text("theirs")
    (package / "elsewhere.json").write_text("theirs")
    digest = hashlib.sha256(b"theirs").hexdigest()
    write_journal(package, "committing", [{**entry, "sha256": digest}])
    before = snapshot(tmp_path)
    report = hsdata.upgrade(package, "1.1", in_place=True)
    assert report.exit_code is ExitCode.UNREADABLE and not report.written
    assert [i.rule for i in report.issues] == ["upgrade-interrupted"]
    assert snapshot(tmp_path) == before


def test_a_new_file_changed_since_the_journal_stops_the_rerun(tmp_path: Path) -> None:
    package = make_package(tmp_path / "package")
    (package / ".actors.json.hsdata-upgrade-new").write_text("[]")
    entry = {
        "file": "actors.json",
        "new": ".actors.json.hsdata-upgrade-new",
        "sha256": hashlib.sha256(b"something else").hexdigest(),
    }
    write_journal(package, "committing", [entry])
    before = snapshot(package)
    report = hsdata.upgrade(package, "1.1", in_place=True)
    assert [i.rule for i in report.issues] == ["upgrade-interrupted"]
    assert "not the one it wrote" in report.issues[0].message
    assert snapshot(package) == before
    out = hsdata.upgrade(package, "1.1", output=tmp_path / "out")  # nor is it copied half-upgraded
    assert [i.rule for i in out.issues] == ["upgrade-interrupted"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("journal", ["{", "[]", '{"format": "other"}', None])
def test_an_unreadable_journal_is_refused_not_followed(tmp_path: Path, journal: str | None) -> None:
    package = make_package(tmp_path / "package")
    if journal is None:
        (package / JOURNAL_NAME).mkdir()
    else:
        (package / JOURNAL_NAME).write_text(journal)
    before = snapshot(package)
    report = hsdata.upgrade(package, "1.1", in_place=True)
    assert report.exit_code is ExitCode.UNREADABLE
    assert [i.rule for i in report.issues] == ["upgrade-interrupted"]
    assert snapshot(package) == before
    shutil.rmtree(package / JOURNAL_NAME) if journal is None else (package / JOURNAL_NAME).unlink()
    assert hsdata.upgrade(package, "1.1", in_place=True).written


def test_a_journal_left_half_written_is_cleared_by_the_next_run(tmp_path: Path) -> None:
    package = make_package(tmp_path / "package")
    stray = package / f".{JOURNAL_NAME}.k2j4.tmp"  # as hsdata._files.write_bytes names it
    stray.write_text('{"format": "hsdata-upgr')
    report = hsdata.upgrade(package, "1.1", in_place=True, validate_result=False)
    assert report.written and not stray.exists()
    assert not [p.name for p in package.iterdir() if p.name.startswith(".")]


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
@pytest.mark.parametrize("link", ["file", "folder"])
def test_in_place_never_writes_through_a_link_inside_the_package(tmp_path: Path, link: str) -> None:
    package = make_package(tmp_path / "package")
    if link == "file":
        (package / "real.json").write_bytes((package / "actors.json").read_bytes())
        (package / "actors.json").unlink()
        (package / "actors.json").symlink_to("real.json")
    else:
        (package / "more").rename(package / "real")
        (package / "more").symlink_to("real")
    before = snapshot(package)
    report = hsdata.upgrade(package, "1.1", in_place=True)
    assert report.exit_code is ExitCode.UNREADABLE and not report.written
    assert [i.rule for i in report.issues] == ["upgrade-unsafe-path"]
    assert "symbolic link" in report.issues[0].message
    assert snapshot(package) == before
    assert hsdata.upgrade(package, "1.1", output=tmp_path / "out").written  # a copy is fine
