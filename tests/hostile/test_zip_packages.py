"""Zipped packages from strangers: traversal, absolute and link entries, bombs, floods.

The archive is checked before anything is written, inflated bytes are
counted as they come (the sizes an archive declares can lie), and entries
go only into a private temporary folder that is removed afterwards. A
refused archive is an :class:`hsdata.InvalidDataError` whose report is
unreadable (exit code 2) and names the archive and the entry.
"""

from __future__ import annotations

import stat
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest

import hsdata
from hsdata import ExitCode
from hsdata._loader import clear_cache
from hsdata._package import _archive

from .conftest import outside, run_cli, stop_watching

Entry = tuple[str | zipfile.ZipInfo, bytes]


def _zip(path: Path, entries: Iterable[Entry], package: Path | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if package is not None:
            for file in sorted(package.iterdir()):
                archive.write(file, file.name)
        for name, data in entries:
            archive.writestr(name, data)
    return path


def _leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("hsdata-zip-*")}


def _refused(archive: Path, rule: str, words: str) -> hsdata.InvalidDataError:
    before = _leftovers()
    with pytest.raises(hsdata.InvalidDataError) as raised:
        hsdata.load(archive)
    error = raised.value
    assert error.report.exit_code is ExitCode.UNREADABLE
    (issue,) = error.report.issues
    assert issue.rule == rule
    assert issue.file is not None and issue.file.startswith(str(archive))
    assert words in issue.message, issue.message
    assert rule in str(error) and archive.name in str(error)
    assert "hsdata-zip-" not in str(error)  # the temporary folder is not shown
    assert _leftovers() <= before  # the temporary folder is gone
    run = run_cli("info", archive)  # the command line: a message, exit 2, no traceback
    assert run.exit_code == 2
    assert rule in run.output
    return error


def test_a_sound_zip_loads(package: Path, tmp_path: Path) -> None:
    archive = _zip(tmp_path / "ok.zip", [], package)
    assert len(hsdata.load(archive).events) == 10


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("../evil.json", "climbs out"),
        ("sub/../../evil.json", "climbs out"),
        ("/tmp/evil.json", "absolute"),
        ("C:/evil.json", "absolute"),
        ("..\\evil.json", "backslash"),
    ],
)
def test_entries_that_leave_the_folder_are_refused_and_nothing_is_written(
    package: Path, tmp_path: Path, name: str, words: str
) -> None:
    archive = _zip(tmp_path / "evil.zip", [(name, b"owned")], package)
    _refused(archive, "package-archive-unsafe", words)
    assert not list(tmp_path.parent.rglob("evil.json"))
    assert not Path("/tmp/evil.json").exists()


def test_a_symbolic_link_entry_is_refused(package: Path, tmp_path: Path) -> None:
    link = zipfile.ZipInfo("actors.json")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = tmp_path / "link.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr(link, "/etc/passwd")
        for file in sorted(package.iterdir()):
            if file.name != "actors.json":
                handle.write(file, file.name)
    _refused(archive, "package-archive-unsafe", "symbolic link")


def test_a_bomb_by_ratio_is_refused_before_it_inflates(package: Path, tmp_path: Path) -> None:
    archive = _zip(tmp_path / "ratio.zip", [("padding.json", b"0" * (20 * 1024 * 1024))], package)
    assert archive.stat().st_size < 200_000
    _refused(archive, "package-archive-unsafe", "zip bomb")


def test_a_bomb_by_total_size_is_refused(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each entry compresses within the ratio; together they pass the (lowered) total.
    monkeypatch.setattr(_archive, "MAX_TOTAL_BYTES", 4 * 1024 * 1024)
    chunk = bytes(range(256)) * 4096  # 1 MiB that compresses only a little
    entries = [(f"part-{n}.bin", chunk) for n in range(6)]
    archive = _zip(tmp_path / "total.zip", entries, package)
    _refused(archive, "package-archive-unsafe", "inflates to more than")


def test_sizes_declared_in_the_archive_are_not_trusted(package: Path, tmp_path: Path) -> None:
    # An entry whose header claims 10 bytes but inflates to 20 MB is stopped by counting.
    archive = _zip(tmp_path / "liar.zip", [("padding.json", b"0" * (20 * 1024 * 1024))], package)
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as handle:
        info = handle.getinfo("padding.json")
    # patch the uncompressed size in the central directory record of that entry
    name_at = data.rfind(b"padding.json")
    record = data.rfind(b"PK\x01\x02", 0, name_at)
    assert record >= 0 and info.file_size == 20 * 1024 * 1024
    data[record + 24 : record + 28] = (10).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    with pytest.raises(hsdata.InvalidDataError) as raised:
        hsdata.load(archive)
    (issue,) = raised.value.report.issues
    assert issue.rule in ("package-archive-unsafe", "package-archive-unreadable")


def test_too_many_entries_are_refused(tmp_path: Path) -> None:
    entries = [(f"e/{n}.json", b"") for n in range(_archive.MAX_ENTRIES + 1)]
    archive = _zip(tmp_path / "flood.zip", entries)
    _refused(archive, "package-archive-unsafe", "entries")


def test_an_entry_written_twice_is_refused(package: Path, tmp_path: Path) -> None:
    archive = tmp_path / "twice.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for file in sorted(package.iterdir()):
            handle.write(file, file.name)
        with pytest.warns(UserWarning, match="Duplicate name"):
            handle.writestr("events.json", b"[]")
    _refused(archive, "package-archive-unsafe", "twice")


@pytest.mark.parametrize(
    ("entries", "rule", "words"),
    [
        ([("x", b"a"), ("x/datapackage.json", b"{}")], "package-archive-unreadable", "cannot be"),
        ([("a" * 300 + "/datapackage.json", b"{}")], "package-archive-unreadable", "cannot be"),
        ([("readme.txt", b"hello")], "package-archive-unreadable", "no datapackage.json"),
        ([], "package-archive-unreadable", "no datapackage.json"),
    ],
    ids=["file-then-folder", "name-too-long", "no-package", "empty"],
)
def test_archives_that_cannot_be_unpacked(
    tmp_path: Path, entries: list[Entry], rule: str, words: str
) -> None:
    _refused(_zip(tmp_path / "odd.zip", entries), rule, words)


def test_an_encrypted_entry_is_refused(package: Path, tmp_path: Path) -> None:
    archive = _zip(tmp_path / "secret.zip", [], package)
    data = bytearray(archive.read_bytes())
    # set the "encrypted" flag bit on every local and central header
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            data[at + offset] |= 0x1
            at = data.find(signature, at + 4)
    archive.write_bytes(bytes(data))
    _refused(archive, "package-archive-unreadable", "encrypted")


@pytest.mark.parametrize(
    "content",
    [b"", b"not a zip at all", b"PK\x03\x04" + b"\x00" * 40],
    ids=["empty", "text", "cut"],
)
def test_a_file_that_is_not_a_readable_zip(tmp_path: Path, content: bytes) -> None:
    archive = tmp_path / "broken.zip"
    archive.write_bytes(content)
    _refused(archive, "package-archive-unreadable", "not a readable zip")


def test_a_truncated_zip_is_unreadable(package: Path, tmp_path: Path) -> None:
    archive = _zip(tmp_path / "cut.zip", [], package)
    archive.write_bytes(archive.read_bytes()[:-200])
    _refused(archive, "package-archive-unreadable", "zip")


def test_a_zip_of_invalid_data_names_the_entry_inside_the_archive(
    package: Path, tmp_path: Path
) -> None:
    (package / "events.json").write_text('[{"id": "a", "id": "b"}]', encoding="utf-8")
    archive = _zip(tmp_path / "bad.zip", [], package)
    with pytest.raises(hsdata.InvalidDataError) as raised:
        hsdata.load(archive)
    files = {i.file for i in raised.value.report.issues if i.rule == "json-duplicate-key"}
    assert files == {f"{archive}!/events.json"}
    assert "hsdata-zip-" not in str(raised.value)  # no temporary path shown


def test_unpacking_opens_nothing_outside_the_archive_and_its_temporary_folder(
    package: Path, tmp_path: Path, opened_files: list[str]
) -> None:
    archive = _zip(tmp_path / "ok.zip", [], package)
    clear_cache()
    opened_files.clear()
    hsdata.load(archive)
    stop_watching()
    assert str(archive) in opened_files
    assert outside(opened_files, archive, Path(tempfile.gettempdir())) == []
    assert all(not p.startswith(str(package)) for p in opened_files), (
        "the loader read the unzipped copy, not the original folder"
    )
