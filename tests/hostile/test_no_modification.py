"""Validating (or loading) never changes, adds or removes a file of the input.

Every file of the package is hashed and its modification time noted before
and after: for a valid package, an invalid one, a broken one, JSON Lines,
loose files, a zip, and through the command line in every format.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest

import hsdata
from hsdata import validate

from .conftest import read_json, run_cli, write_json

Snapshot = dict[str, tuple[str, int, int]]


def _snapshot(folder: Path) -> Snapshot:
    """Every file and folder below ``folder``: digest (files), mode, mtime in nanoseconds."""
    seen: Snapshot = {}
    for path in sorted([folder, *folder.rglob("*")]):
        info = path.lstat()
        digest = ""
        if path.is_file() and not path.is_symlink():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        seen[str(path.relative_to(folder))] = (digest, info.st_mode, info.st_mtime_ns)
    return seen


def _break(package: Path, how: str) -> None:
    if how == "invalid":
        events = read_json(package / "events.json")
        events[0]["status"] = "not-a-status"
        events[1]["id"] = events[2]["id"]
        write_json(package / "events.json", events)
    elif how == "unreadable":
        (package / "actors.json").write_bytes(b'[{"id": "a",')
        (package / "events.json").write_bytes("[]".encode("utf-16"))
    elif how == "bom-and-duplicates":
        path = package / "sources.json"
        text = path.read_text(encoding="utf-8").replace('"id":', '"id": "x", "id":', 1)
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    elif how == "json-lines":
        descriptor = read_json(package / "datapackage.json")
        for resource in descriptor["resources"]:
            if resource["path"] == "events.json":
                resource["path"] = "events.jsonl"
                resource.pop("bytes", None)
                resource.pop("hash", None)
                resource["format"] = "jsonl"
        write_json(package / "datapackage.json", descriptor)
        events = read_json(package / "events.json")
        lines = [json.dumps(e) for e in events]
        (package / "events.jsonl").write_text("\n".join(lines) + "\n{bad\n", encoding="utf-8")
        (package / "events.json").unlink()


@pytest.mark.parametrize(
    "how", ["valid", "invalid", "unreadable", "bom-and-duplicates", "json-lines"]
)
def test_validating_and_loading_leave_the_package_untouched(package: Path, how: str) -> None:
    _break(package, how)
    os.utime(package / "datapackage.json", ns=(1_000_000_000, 1_000_000_000))
    before = _snapshot(package)
    validate(package)
    for fmt in ("text", "json", "github"):
        run_cli("validate", "--format", fmt, package)
    with contextlib.suppress(hsdata.InvalidDataError):
        hsdata.load(package)
    assert _snapshot(package) == before


def test_loose_files_and_json_lines_are_left_untouched(package: Path) -> None:
    (package / "actors.jsonl").write_text('{"id": "a"}\n[1]\n', encoding="utf-8")
    files = [package / "events.json", package / "actors.jsonl", package / "sources.json"]
    before = _snapshot(package)
    validate(files)
    run_cli("validate", "--format", "json", *files)
    assert _snapshot(package) == before


def test_loading_a_zip_leaves_the_archive_and_its_folder_untouched(
    package: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "zipped" / "package.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as handle:
        for file in sorted(package.iterdir()):
            handle.write(file, file.name)
    before = _snapshot(archive.parent)
    hsdata.load(archive)
    assert _snapshot(archive.parent) == before


def test_a_read_only_package_validates(package: Path) -> None:
    # Nothing needs to be written: a package on a read-only medium validates the same.
    modes = {p: p.stat().st_mode for p in [package, *package.iterdir()]}
    try:
        for path in [*package.iterdir(), package]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        report = validate(package)
        assert report.valid, report.issues
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
