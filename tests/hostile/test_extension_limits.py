"""Extensions inside a package, read as strictly as records: size, depth, file kind, place.

A package may carry its own extension (``hsdata:extensions: ["ext"]``), and
every command that reads the package reads it. Its files come from the same
stranger as the records, so each hostile one must end in a clear issue
naming the file (exit 2 when it cannot be read at all), never a traceback,
a hang, or a read outside the extension's folder.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from hsdata import ExitCode, check_extension, validate
from hsdata import _extensions as extensions

from .conftest import outside, read_json, run_cli, stop_watching, write_json

FUNDING = Path(__file__).resolve().parents[2] / "extensions" / "funding"
T = TypeVar("T")


@pytest.fixture
def extended(package: Path) -> Path:
    """The canonical package carrying a copy of the funding extension in ``ext``, declared."""
    shutil.copytree(FUNDING, package / "ext")
    descriptor = read_json(package / "datapackage.json")
    descriptor["hsdata:extensions"] = ["ext"]
    write_json(package / "datapackage.json", descriptor)
    return package


def _within(seconds: float, action: Callable[[], T], unblock: Callable[[], None]) -> T:
    """The result of ``action``, which must finish in ``seconds``; ``unblock`` frees it if not."""
    result: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(action())
        except BaseException as exc:  # handed to the test below
            failure.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        unblock()
        worker.join(seconds)
        pytest.fail(f"reading the extension did not finish within {seconds} seconds")
    if failure:
        raise failure[0]
    return result[0]


def _rules(report: Any) -> list[str]:
    return [issue.rule for issue in report.issues]


def _nested(depth: int) -> Any:
    """A JSON value whose objects and lists nest exactly ``depth`` levels."""
    value: Any = {}
    for _ in range(depth - 1):
        value = {"x": value}
    return value


# -- depth ---------------------------------------------------------------------------------------


def test_a_100k_deep_extension_json_is_an_issue_in_every_command(
    extended: Path, tmp_path: Path
) -> None:
    (extended / "ext" / "extension.json").write_text(
        "[" * 100_000 + "]" * 100_000, encoding="utf-8"
    )
    report = validate(extended)
    assert _rules(report) == ["extension-unreadable"]
    (issue,) = report.issues
    assert issue.file == str(extended / "ext" / "extension.json")
    assert "nests objects and lists more than 32 levels" in issue.message
    assert report.exit_code is ExitCode.UNREADABLE
    for args in (
        ("info", extended),
        ("export", "--format", "csv", extended, tmp_path / "out"),
        ("template", "--from", extended, tmp_path / "template.xlsx"),
    ):
        run = run_cli(*args)
        assert run.exit_code == 2, (args, run.output)
        assert "32 levels" in run.output, (args, run.output)


def test_a_patch_one_level_deeper_than_allowed_is_refused(extended: Path) -> None:
    patch = read_json(extended / "ext" / "partnership-schema.json")
    patch["examples"] = [_nested(extensions.MAX_EXTENSION_DEPTH - 2)]  # patch, list, value
    write_json(extended / "ext" / "partnership-schema.json", patch)
    assert "extension-unreadable" not in _rules(check_extension(extended / "ext"))
    patch["examples"] = [_nested(extensions.MAX_EXTENSION_DEPTH - 1)]
    write_json(extended / "ext" / "partnership-schema.json", patch)
    report = check_extension(extended / "ext")
    assert _rules(report) == ["extension-unreadable"]
    assert report.issues[0].file == str(extended / "ext" / "partnership-schema.json")


def test_a_field_nested_as_deep_as_allowed_is_checked_to_the_end(extended: Path) -> None:
    """The depth limit keeps every later step (merge, meta-schema, validation) within
    Python's recursion limit: a patch at the limit validates without an error of its own."""
    field: dict[str, Any] = {"type": "string", "title": "Leaf", "description": "Leaf."}
    # each level of object schema adds two levels of JSON: {"properties": {"x": ...}}
    for _ in range((extensions.MAX_EXTENSION_DEPTH - 4) // 2):
        field = {
            "type": "object",
            "title": "Level",
            "description": "Level.",
            "properties": {"x": field},
        }
    patch = {"properties": {"deep": field}}
    assert not extensions._depth_over(patch, extensions.MAX_EXTENSION_DEPTH)
    write_json(extended / "ext" / "partnership-schema.json", patch)
    report = validate(extended)
    assert report.valid, [issue.message for issue in report.issues]


def test_depth_is_measured_without_recursion() -> None:
    assert extensions._depth_over(_nested(100_000), 32)
    assert not extensions._depth_over(_nested(32), 32)
    assert extensions._depth_over(_nested(33), 32)


# -- file kinds ----------------------------------------------------------------------------------


def test_a_named_pipe_as_a_codelist_is_refused_without_waiting(extended: Path) -> None:
    codelist = extended / "ext" / "codelists" / "currency.csv"
    codelist.unlink()
    os.mkfifo(codelist)

    def unblock() -> None:  # a reader stuck on the pipe returns once a writer comes and goes
        os.close(os.open(codelist, os.O_WRONLY | os.O_NONBLOCK))

    report = _within(20, lambda: validate(extended), unblock)
    assert _rules(report) == ["extension-unreadable"]
    assert report.issues[0].file == str(codelist)
    assert "named pipe" in report.issues[0].message
    assert report.exit_code is ExitCode.UNREADABLE


def test_a_folder_where_a_codelist_should_be_is_an_issue(extended: Path) -> None:
    codelist = extended / "ext" / "codelists" / "currency.csv"
    codelist.unlink()
    codelist.mkdir()
    report = check_extension(extended / "ext")
    assert _rules(report) == ["extension-unreadable"]
    assert "a folder, not a regular file" in report.issues[0].message


# -- sizes ---------------------------------------------------------------------------------------


def test_a_huge_codelist_is_refused_before_it_is_read(
    extended: Path, opened_files: list[str]
) -> None:
    codelist = extended / "ext" / "codelists" / "currency.csv"
    with codelist.open("r+b") as handle:  # sparse: as large as claimed, without the disk
        handle.truncate(4 * 1024**3)
    report = validate(extended)
    stop_watching()
    assert _rules(report) == ["extension-unreadable"]
    assert "4,294,967,296 bytes" in report.issues[0].message
    assert report.exit_code is ExitCode.UNREADABLE


def test_a_codelist_just_over_the_size_limit_is_refused(extended: Path) -> None:
    codelist = extended / "ext" / "codelists" / "currency.csv"
    row = b"XXX,Some currency\n"
    count = extensions.MAX_EXTENSION_FILE_BYTES // len(row) + 1
    codelist.write_bytes(b"code,title\n" + row * count)
    report = check_extension(extended / "ext")
    assert _rules(report) == ["extension-unreadable"]
    assert f"more than the {extensions.MAX_EXTENSION_FILE_BYTES:,}" in report.issues[0].message


def test_a_codelist_with_too_many_rows_is_an_issue(extended: Path) -> None:
    codelist = extended / "ext" / "codelists" / "currency.csv"
    rows = "".join(f"C{n},Code {n}\n" for n in range(extensions.MAX_CODELIST_ROWS + 1))
    codelist.write_text("code,title\n" + rows, encoding="utf-8")
    report = check_extension(extended / "ext")
    assert _rules(report) == ["extension-codelist"]
    assert f"more than {extensions.MAX_CODELIST_ROWS:,} codes" in report.issues[0].message


@pytest.mark.parametrize("length", [20_000, 200_000])
def test_a_very_long_cell_is_an_issue(extended: Path, length: int) -> None:
    codelist = extended / "ext" / "codelists" / "currency.csv"
    codelist.write_text(f"code,title\nCAD,{'x' * length}\n", encoding="utf-8")
    report = validate(extended)
    assert _rules(report) == ["extension-codelist"], [i.message for i in report.issues]
    assert report.issues[0].file == str(codelist)
    assert report.issues[0].line == 2


def test_a_folder_with_too_many_files_says_so(
    extended: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extensions, "MAX_EXTENSION_ENTRIES", 3)
    report = check_extension(extended / "ext")
    assert "extension-unreadable" in _rules(report)
    assert any("more than 3 files and folders" in i.message for i in report.issues)


# -- place ---------------------------------------------------------------------------------------


def test_a_link_out_of_the_extension_folder_is_not_followed(
    extended: Path, tmp_path: Path, opened_files: list[str]
) -> None:
    """A link to a file elsewhere in the package is inside the package but not the extension."""
    codelist = extended / "ext" / "codelists" / "currency.csv"
    elsewhere = extended / "currency.csv"
    shutil.move(codelist, elsewhere)
    codelist.symlink_to(elsewhere)
    opened_files.clear()
    report = validate(extended)
    stop_watching()
    assert str(elsewhere) not in opened_files
    assert _rules(report) == ["extension-unreadable"]
    assert "outside the extension folder" in report.issues[0].message
    assert report.exit_code is ExitCode.UNREADABLE


def test_an_extension_checked_on_its_own_reads_nothing_outside_it(
    tmp_path: Path, opened_files: list[str]
) -> None:
    extension = tmp_path / "ext"
    shutil.copytree(FUNDING, extension)
    secret = tmp_path / "secret.csv"
    shutil.move(extension / "codelists" / "currency.csv", secret)
    (extension / "codelists" / "currency.csv").symlink_to(secret)
    opened_files.clear()
    report = check_extension(extension)
    stop_watching()
    assert str(secret) not in opened_files
    assert outside(opened_files, extension) == []
    assert _rules(report) == ["extension-unreadable"]


def test_a_link_loop_is_an_issue(extended: Path) -> None:
    codelist = extended / "ext" / "codelists" / "currency.csv"
    codelist.unlink()
    codelist.symlink_to(codelist)
    report = check_extension(extended / "ext")
    assert _rules(report) == ["extension-unreadable"]


# -- strict JSON ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"type": "object", "type": "string"}', "writes the field 'type' twice"),
        ('{"minimum": NaN}', "not valid JSON"),
        ('{"minimum": 1e400}', "not valid JSON"),
        ('{"title": "\\ud800"}', "not valid JSON"),
    ],
)
def test_a_patch_is_read_as_strictly_as_records(extended: Path, text: str, words: str) -> None:
    (extended / "ext" / "partnership-schema.json").write_text(text, encoding="utf-8")
    report = check_extension(extended / "ext")
    assert _rules(report) == ["extension-unreadable"]
    assert words in report.issues[0].message


def test_a_bundled_extension_still_reads(extended: Path) -> None:
    descriptor = read_json(extended / "datapackage.json")
    descriptor["hsdata:extensions"] = ["funding"]
    write_json(extended / "datapackage.json", descriptor)
    assert validate(extended).valid
    assert json.loads((FUNDING / "extension.json").read_text(encoding="utf-8"))["codelists"]
