"""JSON that parses somewhere but must not pass here.

Duplicate keys (Python's json keeps the last one silently), NaN and Infinity
(not JSON), numbers beyond the range of a double, nesting deep enough to
exhaust a recursive parser, and very long strings and lines. Each gives a
located issue with its rule, never a RecursionError, MemoryError or a value
silently changed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import hsdata
from hsdata import ExitCode, validate

from .conftest import check_all_formats, read_json, run_cli, validate_json, write_json

ACTOR = '{"id": "a", "type": "state", "name": {"en": "A"}, "country": "CA"}'


@pytest.mark.parametrize(
    ("text", "pointer", "line", "column"),
    [
        ('[{"id": "a", "id": "b"}]', "/0/id", 1, 14),
        ('[\n {"id": "a",\n  "name": {"en": "A", "en": "B"}}\n]', "/0/name/en", 3, 23),
        ('[{"id": "a"}, {"x": 1, "y": 2, "x": 3}]', "/1/x", 1, 32),
        ('[{"a\\u0062": 1, "ab": 2}]', "/0/ab", 1, 17),  # an escape hides nothing
        ('[{"a/b~": 1, "a/b~": 2}]', "/0/a~1b~0", 1, 14),  # pointer tokens escaped
    ],
)
def test_duplicate_keys_are_errors_located_at_the_second(
    tmp_path: Path, text: str, pointer: str, line: int, column: int
) -> None:
    path = tmp_path / "actors.json"
    path.write_text(text, encoding="utf-8")
    report = validate(path)
    (dup,) = [i for i in report.issues if i.rule == "json-duplicate-key"]
    assert (dup.pointer, dup.line, dup.column) == (pointer, line, column)
    assert "written twice" in dup.message and "first at line" in dup.message
    assert report.exit_code is ExitCode.INVALID


def test_a_duplicate_key_in_a_package_record_and_its_descriptor(package: Path) -> None:
    events = package / "events.json"
    text = events.read_text(encoding="utf-8")
    events.write_text(text.replace('"status": "held",', '"status": "held", "status": "x",', 1))
    descriptor = package / "datapackage.json"
    text = descriptor.read_text(encoding="utf-8")
    descriptor.write_text(
        re.sub(r'"version": "[0-9.]+",', '"version": "1", "version": "2",', text, count=1)
    )
    report = validate(package)
    dups = [i for i in report.issues if i.rule == "json-duplicate-key"]
    found = {(Path(i.file or "").name, i.pointer) for i in dups}
    assert found == {("events.json", "/0/status"), ("datapackage.json", "/version")}
    assert report.exit_code is ExitCode.INVALID
    with pytest.raises(hsdata.InvalidDataError, match="json-duplicate-key"):
        hsdata.load(package)


def test_a_duplicate_key_in_json_lines_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "actors.jsonl"
    path.write_text(f'{ACTOR}\n{ACTOR[:-1]}, "type": "state"}}\n', encoding="utf-8")
    check_all_formats([path], 1, "json-duplicate-key", "actors.jsonl")
    (dup,) = [i for i in validate(path).issues if i.rule == "json-duplicate-key"]
    assert (dup.line, dup.pointer) == (2, "/type")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "nan", "inf"])
def test_not_a_number_literals_are_refused(tmp_path: Path, literal: str) -> None:
    path = tmp_path / "actors.json"
    path.write_text(f'[{{"id": "a", "count": {literal}}}]', encoding="utf-8")
    report = validate(path)
    (issue,) = report.issues
    assert issue.rule in ("json-not-a-number", "json-syntax")
    if literal in ("NaN", "Infinity", "-Infinity"):
        assert issue.rule == "json-not-a-number"
        assert literal in issue.message
    assert (issue.line, issue.column) == (1, 23)
    assert report.exit_code is ExitCode.UNREADABLE


@pytest.mark.parametrize("number", ["1e400", "-1e400", "1" + "0" * 400 + ".5"])
def test_numbers_beyond_the_range_of_a_double_are_refused(tmp_path: Path, number: str) -> None:
    path = tmp_path / "actors.json"
    path.write_text(f'[{{"id": "a",\n "count": {number}}}]', encoding="utf-8")
    check_all_formats([path], 2, "json-number-range", "actors.json")
    (issue,) = validate(path).issues
    assert (issue.line, issue.column) == (2, 11)


@pytest.mark.parametrize("digits", [19, 20, 400, 5000])
def test_huge_integers_never_crash(tmp_path: Path, digits: int) -> None:
    # Python's json would turn these into huge ints (or refuse past 4300 digits with a
    # ValueError); here each is a located issue, or an ordinary schema error.
    path = tmp_path / "events.json"
    records = read_json(Path(hsdata.__file__).parent.parent / "data" / "events.json")[:1]
    text = json.dumps(records).replace('"date":', f'"extra": {"9" * digits}, "date":', 1)
    path.write_text(text, encoding="utf-8")
    code, report = validate_json(path)
    assert code in (1, 2)
    rules = {i["rule"] for i in report["issues"]}
    assert rules & {"json-number-range", "schema-unknown-field"}, rules


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
@pytest.mark.parametrize("depth", [1025, 100_000])
def test_deep_nesting_is_an_issue_not_a_recursion_error(
    tmp_path: Path, suffix: str, depth: int
) -> None:
    path = tmp_path / f"events{suffix}"
    body = "[" * depth + "]" * depth
    path.write_text(body if suffix == ".jsonl" else f"[{body}]", encoding="utf-8")
    run = run_cli("validate", "--format", "json", path)
    assert run.exit_code == (1 if suffix == ".jsonl" else 2)
    report = json.loads(run.stdout)
    (issue,) = report["issues"]
    assert issue["rule"] == "json-too-deep"
    assert issue["line"] == 1


def test_nesting_deep_but_within_the_limit_is_checked_without_recursion_errors(
    tmp_path: Path,
) -> None:
    # 1,000 levels parse; the schema checks and the locator must cope with them too.
    path = tmp_path / "events.json"
    records = read_json(Path(hsdata.__file__).parent.parent / "data" / "events.json")[:1]
    records[0]["extra"] = "DEEP"
    deep = '{"d": ' * 1000 + '"x"' + "}" * 1000
    path.write_text(json.dumps(records).replace('"DEEP"', deep), encoding="utf-8")
    code, report = validate_json(path)
    assert code == 1
    assert {i["rule"] for i in report["issues"]} == {"schema-unknown-field"}
    assert report["issues"][0]["line"] == 1


def test_deep_nesting_in_a_datapackage_json(package: Path) -> None:
    descriptor = read_json(package / "datapackage.json")
    text = json.dumps(descriptor)[:-1] + ', "x": ' + "[" * 5000 + "]" * 5000 + "}"
    (package / "datapackage.json").write_text(text, encoding="utf-8")
    check_all_formats([package], 2, "json-too-deep", "datapackage.json")


def test_very_long_strings_are_checked_and_cut_when_shown(tmp_path: Path) -> None:
    path = tmp_path / "actors.json"
    long_id = "a" * 2_000_000
    long_key = "k" * 100_000
    write_json(
        path,
        [{"id": long_id, "type": "state", "name": {"en": "x" * 5_000_000}, long_key: 1}],
    )
    run = run_cli("validate", "--format", "json", path)
    assert run.exit_code == 1
    report = json.loads(run.stdout)
    rules = {i["rule"] for i in report["issues"]}
    assert "schema-unknown-field" in rules
    assert len(run.stdout) < 20_000  # nothing echoed whole
    for issue in report["issues"]:
        assert len(issue["message"]) <= 1000
        assert issue["record"] is None or len(issue["record"]) <= 200
        assert issue["pointer"] is None or len(issue["pointer"]) <= 160


def test_a_very_long_single_line_of_records(tmp_path: Path) -> None:
    # 20,000 records on one line of 9 MB: read, checked, every issue on line 1 with a column.
    path = tmp_path / "actors.json"
    canonical = read_json(Path(hsdata.__file__).parent.parent / "data" / "actors.json")
    state = next(a for a in canonical if a["type"] == "state")
    records = [{**state, "id": f"actor-{n}"} for n in range(20_000)]
    records[19_999] = {**state, "id": "last", "type": "not a type"}
    path.write_text(json.dumps(records, separators=(",", ":")), encoding="utf-8")
    assert path.read_bytes().count(b"\n") == 0
    report = validate(path)
    assert report.records_checked == 20_000
    (issue,) = [i for i in report.issues if i.severity.value == "error"]
    assert (issue.line, issue.pointer) == (1, "/19999/type")
    assert issue.column is not None and issue.column > 1_000_000
