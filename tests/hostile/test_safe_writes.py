"""Every write whole or not at all: atomic files, staged folders, faults injected.

The promise (issue 13): each file hsdata writes appears whole or not at all, keeps the mode of the
file it replaces, is never written through a symbolic link; an output folder is replaced only when
asked (``--force``) and only at the end, so an interrupted run, a full disk or a read-only folder
leaves the old files as they were, byte for byte, and ends in exit 2 with one line naming the file.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hsdata._files import OutputError, staged_folder, write_bytes, write_text

from .faults import ROOT
from .faults import full_disk as _full_disk
from .faults import one_line_error as _one_line_error
from .faults import read_only_prefix as _read_only
from .faults import run_hsdata as _hsdata
from .faults import snapshot as _snapshot

# -- write_bytes / write_text --------------------------------------------------------------------


def test_a_write_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    write_text(target, "first\n")
    write_text(target, "second\n")
    assert target.read_text(encoding="utf-8") == "second\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]  # no temporary file left


def test_a_write_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_bytes(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_new_file_gets_the_umask_mode_not_0600(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_bytes(tmp_path / "new.json", b"{}")
        os.umask(0o027)
        write_bytes(tmp_path / "other.json", b"{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "other.json").stat().st_mode) == 0o640


def test_a_write_refuses_a_symbolic_link_and_leaves_its_target_alone(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious", encoding="utf-8")
    link = tmp_path / "out" / "a.json"
    link.parent.mkdir()
    link.symlink_to(outside)
    with pytest.raises(OutputError, match="symbolic link") as caught:
        write_text(link, "overwritten")
    assert str(link) in str(caught.value)
    assert outside.read_text(encoding="utf-8") == "precious"
    assert link.is_symlink()


def test_a_write_refuses_a_linked_folder_below_the_output_root(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = tmp_path / "out"
    root.mkdir()
    (root / "sub").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputError, match="symbolic link"):
        write_text(root / "sub" / "a.json", "x", root=root)
    assert list(elsewhere.iterdir()) == []


def test_a_write_into_a_read_only_folder_says_so_and_leaves_the_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    target = tmp_path / "a.json"
    target.write_text("old", encoding="utf-8")
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="permission") as caught:
            write_text(target, "new")
    finally:
        tmp_path.chmod(0o755)
    assert str(target) in str(caught.value)
    assert target.read_text(encoding="utf-8") == "old"


def test_a_write_over_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.json").mkdir()
    with pytest.raises(OutputError, match="folder is already there"):
        write_text(tmp_path / "a.json", "x")


# -- staged_folder -------------------------------------------------------------------------------


def _fill(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def _contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_a_staged_folder_appears_only_at_the_end(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with staged_folder(target, force=False) as staging:
        assert staging.parent == tmp_path and staging != target
        (staging / "a.json").write_text("new", encoding="utf-8")
        assert not target.exists()
    assert _contents(target) == {"a.json": "new"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_staged_folder_refuses_a_folder_with_files_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "out"
    _fill(target, {"old.json": "old"})
    refused = pytest.raises(OutputError, match="replacing them was not asked for")
    with refused as caught, staged_folder(target, force=False):
        raise AssertionError("the block must not run")
    assert caught.value.occupied
    assert _contents(target) == {"old.json": "old"}
    target.chmod(0o750)
    with staged_folder(target, force=True) as staging:
        (staging / "new.json").write_text("new", encoding="utf-8")
        (staging / "old.json").write_text("replaced", encoding="utf-8")
    assert _contents(target) == {"new.json": "new", "old.json": "replaced"}
    assert stat.S_IMODE(target.stat().st_mode) == 0o750


def test_a_forced_swap_keeps_what_it_does_not_write(tmp_path: Path) -> None:
    target = tmp_path / "out"
    _fill(target, {"actors.json": "old", "notes.txt": "mine"})
    _fill(target / "my-extension", {"extension.json": "{}"})
    (target / "my-extension" / "deeper").mkdir()
    (target / "my-extension" / "deeper" / "codes.csv").write_text("a", encoding="utf-8")
    (target / "link").symlink_to("notes.txt")
    with staged_folder(target, force=True) as staging:
        (staging / "actors.json").write_text("new", encoding="utf-8")
    assert (target / "actors.json").read_text(encoding="utf-8") == "new"
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (target / "my-extension" / "deeper" / "codes.csv").read_text(encoding="utf-8") == "a"
    assert os.readlink(target / "link") == "notes.txt"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_staged_folder_leaves_the_old_folder_when_the_block_fails(tmp_path: Path) -> None:
    target = tmp_path / "out"
    _fill(target, {"old.json": "old"})

    def interrupted() -> None:
        with staged_folder(target, force=True) as staging:
            (staging / "half.json").write_text("half", encoding="utf-8")
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        interrupted()
    assert _contents(target) == {"old.json": "old"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_staged_folder_refuses_a_symbolic_link_or_a_file(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    _fill(elsewhere, {"precious.json": "x"})
    link = tmp_path / "link"
    link.symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputError, match="symbolic link"), staged_folder(link, force=True):
        pass
    assert _contents(elsewhere) == {"precious.json": "x"}
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="not a folder"):
        staged_folder(tmp_path / "file", force=True).__enter__()


def test_a_forced_swap_removes_links_of_the_old_folder_without_following_them(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious", encoding="utf-8")
    target = tmp_path / "out"
    target.mkdir()
    (target / "actors.json").symlink_to(outside)
    with staged_folder(target, force=True) as staging:
        write_text(staging / "actors.json", "new", root=staging)
    assert outside.read_text(encoding="utf-8") == "precious"
    assert not (target / "actors.json").is_symlink()
    assert (target / "actors.json").read_text(encoding="utf-8") == "new"


# -- the commands, with faults injected ----------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook filled with the canonical data, with one name changed (a 'new' package)."""
    pytest.importorskip("openpyxl")
    from hsdata import write_template

    folder = tmp_path_factory.mktemp("book")
    package = folder / "package"
    shutil.copytree(ROOT / "data", package, ignore=shutil.ignore_patterns("csv"))
    actors = json.loads((package / "actors.json").read_text(encoding="utf-8"))
    actors[0]["name"]["en"] = "A new name"
    (package / "actors.json").write_text(json.dumps(actors, ensure_ascii=False), encoding="utf-8")
    write_template(folder / "filled.xlsx", package=package)
    return folder / "filled.xlsx"


@pytest.fixture(scope="module")
def new_package(workbook: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("new") / "out"
    run = _hsdata("import", workbook, out, "--no-validate")
    assert run.returncode == 0, run.stderr
    return _snapshot(out)


@pytest.fixture
def old_package(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(ROOT / "data", out, ignore=shutil.ignore_patterns("csv"))
    return out


def test_import_on_a_full_disk_leaves_the_old_package(workbook: Path, old_package: Path) -> None:
    before = _snapshot(old_package)
    run = _hsdata("import", workbook, old_package, "--force", preexec_fn=_full_disk)
    _one_line_error(run, str(old_package), "larger than this system allows")
    assert _snapshot(old_package) == before
    assert [p.name for p in old_package.parent.iterdir()] == ["out"]


def test_template_on_a_full_disk_leaves_the_old_workbook(tmp_path: Path) -> None:
    book = tmp_path / "t.xlsx"
    book.write_bytes(b"old workbook")
    run = _hsdata("template", book, preexec_fn=_full_disk)
    _one_line_error(run, str(book))
    assert book.read_bytes() == b"old workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]


def test_import_into_a_read_only_folder_leaves_the_old_package(
    workbook: Path, old_package: Path
) -> None:
    before = _snapshot(old_package)
    prefix = _read_only(old_package.parent)
    if prefix:
        run = _hsdata("import", workbook, old_package, "--force", prefix=prefix)
        reason = "read-only"
    elif os.geteuid() != 0:
        old_package.parent.chmod(0o555)
        try:
            run = _hsdata("import", workbook, old_package, "--force")
        finally:
            old_package.parent.chmod(0o755)
        reason = "permission"
    else:
        pytest.skip("no way to make a folder read-only for root here")
    _one_line_error(run, str(old_package), reason)
    assert _snapshot(old_package) == before


def test_import_killed_at_any_moment_leaves_the_old_or_the_new_package(
    workbook: Path, old_package: Path, new_package: dict[str, bytes]
) -> None:
    old = _snapshot(old_package)
    assert old != new_package
    started = time.monotonic()
    assert (
        _hsdata("import", workbook, old_package.parent / "timing", "--no-validate").returncode == 0
    )
    duration = time.monotonic() - started
    shutil.rmtree(old_package.parent / "timing")
    seen = set()
    chances = random.Random(13)
    for _ in range(6):
        command = [sys.executable, "-m", "hsdata", "import", workbook, old_package, "--force"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chances.uniform(0.3, 1.1) * duration)
        process.kill()
        process.wait(timeout=60)
        now = _snapshot(old_package)
        assert now in (old, new_package)
        seen.add("new" if now == new_package else "old")
        # what a killed run can leave is a hidden folder beside, never files in the package
        leftovers = [p.name for p in old_package.parent.iterdir() if p.name != "out"]
        assert all(name.startswith(".out.") for name in leftovers), leftovers
        if now == new_package:
            shutil.rmtree(old_package)
            shutil.copytree(ROOT / "data", old_package, ignore=shutil.ignore_patterns("csv"))
    assert seen  # at least one outcome was checked


def test_import_never_writes_through_a_link_in_the_output_folder(
    workbook: Path, old_package: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text("precious", encoding="utf-8")
    (old_package / "actors.json").unlink()
    (old_package / "actors.json").symlink_to(outside)
    run = _hsdata("import", workbook, old_package, "--force", "--no-validate")
    assert run.returncode == 0, run.stderr
    assert outside.read_text(encoding="utf-8") == "precious"
    assert not (old_package / "actors.json").is_symlink()


def test_import_and_template_refuse_a_folder_with_files_without_force(
    workbook: Path, old_package: Path, tmp_path: Path
) -> None:
    before = _snapshot(old_package)
    run = _hsdata("import", workbook, old_package)
    _one_line_error(run, str(old_package), "--force")
    run = _hsdata("template", "--format", "csv", old_package)
    _one_line_error(run, str(old_package), "--force")
    assert _snapshot(old_package) == before
    run = _hsdata("template", "--format", "csv", old_package, "--force")
    assert run.returncode == 0, run.stderr
    assert (old_package / "actor.csv").is_file() and (old_package / "actors.json").is_file()
