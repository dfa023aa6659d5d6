"""Resource paths that try to leave the package: absolute, '..', URLs, symbolic links.

frictionless-py follows a symbolic link inside a package to anywhere on the
disk; hsdata must not. An audit hook records every file Python opens while
the validator or the loader runs, and a sentinel file outside the package
proves that nothing outside was read, not even to check its size or hash.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import hsdata
from hsdata import ExitCode, validate

from .conftest import check_all_formats, outside, read_json, stop_watching, write_json

SENTINEL_TEXT = '[{"id": "sentinel-outside-the-package"}]'


@pytest.fixture
def sentinel(tmp_path: Path) -> Path:
    """A file of records outside the package that no test may see opened."""
    secret = tmp_path / "secret" / "events.json"
    secret.parent.mkdir()
    secret.write_text(SENTINEL_TEXT, encoding="utf-8")
    return secret


def _set_path(package: Path, index: int, path: Any, **extra: Any) -> None:
    descriptor = read_json(package / "datapackage.json")
    descriptor["resources"][index]["path"] = path
    descriptor["resources"][index].update(extra)
    write_json(package / "datapackage.json", descriptor)


def _events_index(package: Path) -> int:
    descriptor = read_json(package / "datapackage.json")
    return next(i for i, r in enumerate(descriptor["resources"]) if r["path"] == "events.json")


# -- each unsafe form of path, with its rule -------------------------------------------------------

UNSAFE = {
    "absolute": ("{sentinel}", "package-path-absolute"),
    "absolute-device": ("/dev/zero", "package-path-absolute"),
    "windows-drive": ("C:\\data\\events.json", "package-path-absolute"),
    "windows-drive-relative": ("C:events.json", "package-path-absolute"),
    "unc": ("\\\\server\\share\\events.json", "package-path-absolute"),
    "dot-dot": ("../secret/events.json", "package-path-outside"),
    "dot-dot-inside": ("sub/../../secret/events.json", "package-path-outside"),
    "dot-dot-backslash": ("..\\secret\\events.json", "package-path-outside"),
    "https": ("https://example.invalid/events.json", "package-path-url"),
    "http": ("http://127.0.0.1:9/events.json", "package-path-url"),
    "file-url": ("file://{sentinel}", "package-path-url"),
    "ftp": ("ftp://example.invalid/events.json", "package-path-url"),
    "data-url": ("data:application/json,[]", "package-path-url"),
    "protocol-relative": ("//example.invalid/events.json", "package-path-absolute"),
}


@pytest.mark.parametrize("case", UNSAFE)
def test_an_unsafe_path_is_refused_and_nothing_outside_is_opened(
    package: Path,
    sentinel: Path,
    case: str,
    opened_files: list[str],
    no_network: list[object],
) -> None:
    path, rule = UNSAFE[case]
    path = path.format(sentinel=sentinel)
    index = _events_index(package)
    # A declared hash and size must not tempt the validator to read the file either.
    _set_path(package, index, path, bytes=len(SENTINEL_TEXT), hash="md5:0")
    opened_files.clear()
    report = validate(package)
    with pytest.raises(hsdata.InvalidDataError) as raised:
        hsdata.load(package)
    stop_watching()
    (issue,) = [i for i in report.issues if i.rule.startswith("package-path")]
    assert issue.rule == rule
    assert issue.pointer == f"/resources/{index}/path"
    assert issue.file is not None and issue.file.endswith("datapackage.json")
    assert issue.line is not None
    assert report.exit_code is ExitCode.INVALID
    assert rule in str(raised.value)
    assert str(sentinel) not in opened_files
    assert outside(opened_files, package) == []
    assert no_network == []


def test_every_format_of_the_cli_reports_an_unsafe_path(package: Path, sentinel: Path) -> None:
    _set_path(package, _events_index(package), "../secret/events.json")
    check_all_formats([package], 1, "package-path-outside", "datapackage.json")


# -- symbolic links --------------------------------------------------------------------------------


def test_a_symbolic_link_to_a_file_outside_is_not_followed(
    package: Path, sentinel: Path, opened_files: list[str]
) -> None:
    (package / "events.json").unlink()
    (package / "events.json").symlink_to(sentinel)
    opened_files.clear()
    report = validate(package)
    with pytest.raises(hsdata.InvalidDataError):
        hsdata.load(package)
    stop_watching()
    (issue,) = [i for i in report.issues if i.rule.startswith("package-path")]
    assert issue.rule == "package-path-symlink"
    assert "sentinel" not in str([i.message for i in report.issues])
    assert str(sentinel) not in opened_files
    assert outside(opened_files, package) == []
    assert report.exit_code is ExitCode.INVALID


def test_a_folder_link_and_a_chain_of_links_leading_out_are_not_followed(
    package: Path, sentinel: Path, opened_files: list[str]
) -> None:
    (package / "shared").symlink_to(sentinel.parent, target_is_directory=True)
    (package / "hop2.json").symlink_to(sentinel)
    (package / "hop1.json").symlink_to(package / "hop2.json")
    descriptor = read_json(package / "datapackage.json")
    index = _events_index(package)
    descriptor["resources"][index]["path"] = ["shared/events.json", "hop1.json", "events.json"]
    write_json(package / "datapackage.json", descriptor)
    opened_files.clear()
    report = validate(package)
    stop_watching()
    found = [(i.rule, i.pointer) for i in report.issues if i.rule.startswith("package-path")]
    assert found == [
        ("package-path-symlink", f"/resources/{index}/path/0"),
        ("package-path-symlink", f"/resources/{index}/path/1"),
    ]
    assert str(sentinel) not in opened_files
    assert outside(opened_files, package) == []


def test_a_link_loop_is_reported_not_followed_forever(package: Path) -> None:
    (package / "loop-a.json").symlink_to(package / "loop-b.json")
    (package / "loop-b.json").symlink_to(package / "loop-a.json")
    _set_path(package, _events_index(package), "loop-a.json")
    report = validate(package)
    assert report.exit_code in (ExitCode.INVALID, ExitCode.UNREADABLE)
    assert any(i.rule.startswith("package-") for i in report.issues)


def test_a_link_that_stays_inside_the_package_is_read(package: Path) -> None:
    (package / "more").mkdir()
    (package / "events.json").rename(package / "more" / "events.json")
    (package / "events.json").symlink_to(Path("more") / "events.json")
    assert validate(package).issues == ()


# -- names that are not files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [".", "sub", "fifo.json", "events.json\n", "events\x00.json", "a" * 5000 + ".json", 12, ""],
    ids=["dot", "folder", "fifo", "newline", "nul", "too-long", "number", "empty"],
)
def test_a_path_that_names_no_regular_file_is_reported(
    package: Path, path: Any, opened_files: list[str]
) -> None:
    (package / "sub").mkdir()
    os.mkfifo(package / "fifo.json")  # opening it would block: it must never be opened
    index = _events_index(package)
    _set_path(package, index, path)
    opened_files.clear()
    report = validate(package)
    stop_watching()
    assert str(package / "fifo.json") not in opened_files
    problems = [i for i in report.issues if i.pointer == f"/resources/{index}/path"]
    assert problems, report.issues
    assert all(i.rule.startswith("package-") for i in problems)
    assert report.exit_code in (ExitCode.INVALID, ExitCode.UNREADABLE)
    for issue in problems:
        assert "\x00" not in issue.message and "\n" not in issue.message
        assert len(issue.message) < 400
