"""Files that are not JSON, or not UTF-8, or hold the wrong kind of value.

Each case is tried as a loose file of records, as a file of a package and as
the package's datapackage.json, through the library and the command line in
every output format: a located issue with its rule, exit code 2 (nothing in
the file could be read), no traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import hsdata
from hsdata import ExitCode, validate

from .conftest import check_all_formats

RECORD = b'{"id": "a", "type": "state", "name": {"en": "A"}}'

#: name -> (bytes of events.json, rule, line, column)
CASES: dict[str, tuple[bytes, str, int | None, int | None]] = {
    "not-json": (b"this is not JSON\n", "json-syntax", 1, 1),
    "csv-text": (b"id,type\na,state\n", "json-syntax", 1, 1),
    "truncated": (b'[\n  {"id": "a",\n  "type": "st', "json-syntax", 3, 14),
    "missing-bracket": (b'[\n  {"id": "a"}\n', "json-syntax", 3, 1),
    "trailing-comma": (b'[{"id": "a"},]', "json-syntax", 1, 13),
    "single-quotes": (b"[{'id': 'a'}]", "json-syntax", 1, 3),
    "comment": (b'// records\n[{"id": "a"}]', "json-syntax", 1, 1),
    "two-documents": (b"[]\n[]\n", "json-syntax", 2, 1),
    "nul-byte": (b'[{"id": "a\x00"}]', "json-syntax", 1, 11),
    "invalid-utf8": (b'[\n{"id": "caf\xe9"}]', "json-encoding", 2, 12),
    "overlong-utf8": (b'[{"id": "\xc0\xaf"}]', "json-encoding", 1, 10),
    "lone-surrogate-bytes": (b'[{"id": "\xed\xa0\x80"}]', "json-encoding", 1, 10),
    "utf16-le-bom": ("[]".encode("utf-16"), "json-encoding", 1, 1),
    "utf16-be": ("[]".encode("utf-16-be"), "json-encoding", 1, 1),
    "utf32": ("[]".encode("utf-32"), "json-encoding", 1, 1),
    "latin1": ('[{"id": "Lysøen"}]'.encode("latin-1"), "json-encoding", 1, 13),
    "empty": (b"", "json-empty", None, None),
    "only-whitespace": (b" \n\t\r\n", "json-empty", None, None),
    "only-bom": (b"\xef\xbb\xbf", "json-empty", None, None),
    "top-level-object": (RECORD, "json-top-level", 1, 1),
    "top-level-string": (b'"events"', "json-top-level", 1, 1),
    "top-level-number": (b"42", "json-top-level", 1, 1),
    "top-level-null": (b"null", "json-top-level", 1, 1),
}


@pytest.mark.parametrize("name", CASES)
def test_loose_file_is_reported_where_it_breaks(tmp_path: Path, name: str) -> None:
    raw, rule, line, column = CASES[name]
    path = tmp_path / "events.json"
    path.write_bytes(raw)
    report = validate(path)
    assert report.exit_code is ExitCode.UNREADABLE
    issue = next(i for i in report.issues if i.severity.value == "error")
    assert issue.rule == rule
    assert issue.file == str(path)
    assert (issue.line, issue.column) == (line, column), issue.message
    assert issue.unreadable
    assert issue.message and issue.docs_url and issue.rule in hsdata.RULES


@pytest.mark.parametrize("name", ["truncated", "invalid-utf8", "utf16-le-bom", "empty", "csv-text"])
def test_every_output_format_names_the_file_without_a_traceback(tmp_path: Path, name: str) -> None:
    raw, rule, _, _ = CASES[name]
    path = tmp_path / "events.json"
    path.write_bytes(raw)
    check_all_formats([path], 2, rule, "events.json")


@pytest.mark.parametrize("name", ["truncated", "invalid-utf8", "utf16-le-bom", "empty"])
def test_a_broken_file_inside_a_package_is_named_and_the_others_still_checked(
    package: Path, name: str
) -> None:
    raw, rule, _, _ = CASES[name]
    (package / "events.json").write_bytes(raw)
    report = validate(package)
    assert report.exit_code is ExitCode.UNREADABLE
    (issue,) = [i for i in report.issues if i.rule == rule]
    assert issue.file is not None and issue.file.endswith("package/events.json")
    assert report.records_checked > 0  # the other files were read
    # references to events cannot be judged, so none is reported as unresolved
    assert not any(i.rule.startswith("ref-") for i in report.issues)


@pytest.mark.parametrize(
    "name", ["not-json", "truncated", "invalid-utf8", "utf32", "empty", "top-level-string"]
)
def test_a_broken_datapackage_json(package: Path, name: str) -> None:
    raw, rule, _, _ = CASES[name]
    if name == "top-level-string":
        raw = b"[]"
    (package / "datapackage.json").write_bytes(raw)
    check_all_formats([package], 2, rule, "datapackage.json")
    with pytest.raises(hsdata.InvalidDataError) as raised:
        hsdata.load(package)
    assert raised.value.report.exit_code is ExitCode.UNREADABLE
    assert "datapackage.json" in str(raised.value)


def test_a_utf8_bom_is_a_warning_and_the_data_is_read(package: Path) -> None:
    path = package / "events.json"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    report = validate(package)
    assert [(i.rule, i.severity.value, i.line) for i in report.issues] == [
        ("json-bom", "warning", 1)
    ]
    assert report.exit_code is ExitCode.VALID
    assert len(hsdata.load(package).events) == 10


def test_json_lines_bad_lines_are_data_errors_and_good_lines_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "actors.jsonl"
    path.write_bytes(
        b'{"id": "a", "type": "state", "name": {"en": "A"}, "country": "CA"}\n'
        b'{"id": "b", "type": "sta\n'
        b"\xff\xfe\n"
        b"[1, 2]\n"
        b"\n"
        b'{"id": "c", "type": "state", "name": {"en": "C"}}\n'
    )
    report = validate(path)
    found = [(i.rule, i.line) for i in report.issues if i.severity.value == "error"]
    assert ("json-syntax", 2) in found
    assert ("json-encoding", 3) in found
    assert ("json-top-level", 4) in found or ("json-record-not-object", 4) in found
    assert any(line == 6 and rule.startswith("schema-") for rule, line in found)
    assert report.exit_code is ExitCode.INVALID  # one bad line is an error of the data


def test_a_json_lines_file_in_utf16_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "actors.jsonl"
    path.write_bytes('{"id": "a"}\n'.encode("utf-16"))
    check_all_formats([path], 2, "json-encoding", "actors.jsonl")


def test_an_empty_json_lines_file_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "actors.jsonl"
    path.write_bytes(b"\n\n  \n")
    check_all_formats([path], 2, "json-empty", "actors.jsonl")
