"""Reading input strictly: every broken file is an issue with its place, never an exception."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hsdata import ExitCode
from hsdata._package._input import may_have_duplicate_keys, parse_json
from hsdata._validator import validate


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _only(report_issues: tuple[object, ...], rule: str) -> list[object]:
    return [i for i in report_issues if getattr(i, "rule", None) == rule]


def test_duplicate_key_is_reported_where_the_second_one_is(tmp_path: Path) -> None:
    text = '[\n  {"id": "a",\n   "type": "state",\n   "type": "person"}\n]\n'
    report = validate(_write(tmp_path, "actors.json", text))
    (issue,) = [i for i in report.issues if i.rule == "json-duplicate-key"]
    assert (issue.line, issue.column, issue.pointer) == (4, 4, "/0/type")
    assert "'type'" in issue.message and "line 3, column 4" in issue.message
    assert report.exit_code == ExitCode.INVALID


def test_duplicate_key_in_json_lines_names_the_line(tmp_path: Path) -> None:
    lines = ['{"id": "a"}', '{"id": "b", "id": "c"}']
    report = validate(_write(tmp_path, "actors.jsonl", "\n".join(lines) + "\n"))
    (issue,) = [i for i in report.issues if i.rule == "json-duplicate-key"]
    assert (issue.line, issue.column, issue.pointer) == (2, 13, "/id")


@pytest.mark.parametrize(
    ("raw", "duplicated"),
    [
        (b'{"a": 1, "b": 2}', False),
        (b'{"a": 1, "a": 2}', True),
        (b'{"a": "x\\": y", "b": 1}', False),  # '":' inside a string is not a key
        (b'{"a": "x\\": y", "a": 1}', True),
        (b'{"a\\u0022": 1, "a\\"": 2}', True),  # the same key, escaped two ways
        (b'{"\\u0061": 1, "a": 2}', True),
        (b'{"a\\u003a": 1, "a:": 2}', True),  # a colon hidden in an escape
        (b'{"a": "\\u003a", "b": 1}', False),
        (b'{"k": {"a": 1}, "j": {"a": 1}}', False),  # the same key in two objects is fine
        (b'{"a" : 1, "b"\n: 2}', False),  # whitespace before the colon
        (b'{"a" : 1, "a": 2}', True),
        (b"[]", False),
    ],
)
def test_duplicate_key_prefilter_never_misses(raw: bytes, duplicated: bool) -> None:
    value = json.loads(raw)
    pairs: list[list[tuple[str, object]]] = []
    json.loads(raw, object_pairs_hook=lambda p: pairs.append(p) or dict(p))
    assert any(len({k for k, _ in p}) != len(p) for p in pairs) is duplicated
    if duplicated:
        assert may_have_duplicate_keys(raw, value)
    parsed = parse_json(raw, "x.json")
    assert any(i.rule == "json-duplicate-key" for i in parsed.issues) is duplicated


_KEYS = st.text(alphabet='ab":\\ \t/u', min_size=0, max_size=4)
_SCALARS = st.one_of(st.integers(), st.text(alphabet='x":\\ \n', max_size=5), st.none())
_PAIRS = st.recursive(
    st.lists(st.tuples(_KEYS, _SCALARS), max_size=4),
    lambda inner: st.lists(st.tuples(_KEYS, st.one_of(_SCALARS, inner)), max_size=4),
    max_leaves=12,
)


def _written(pairs: list[tuple[str, object]], colon: str, comma: str) -> str:
    """An object written by hand from its pairs, in order, duplicates kept."""
    parts = []
    for key, value in pairs:
        shown = _written(value, colon, comma) if isinstance(value, list) else json.dumps(value)
        parts.append(json.dumps(key) + colon + shown)
    return "{" + comma.join(parts) + "}"


def _has_duplicate(pairs: list[tuple[str, object]]) -> bool:
    keys = [key for key, _ in pairs]
    nested = [value for _, value in pairs if isinstance(value, list)]
    return len(set(keys)) != len(keys) or any(_has_duplicate(n) for n in nested)


@settings(max_examples=300, deadline=None)
@given(
    _PAIRS,
    st.sampled_from([(":", ","), (": ", ", "), (" : ", " , "), ("\t:", ",\n")]),
)
def test_duplicate_key_prefilter_never_misses_a_written_duplicate(
    pairs: list[tuple[str, object]], separators: tuple[str, str]
) -> None:
    raw = _written(pairs, *separators).encode()
    if _has_duplicate(pairs):
        assert may_have_duplicate_keys(raw, json.loads(raw)), raw


@pytest.mark.parametrize(
    ("content", "rule", "line", "column"),
    [
        ('[{"id": "a", "n": NaN}]', "json-not-a-number", 1, 19),
        ('[\n {"id": "a", "n": -Infinity}]', "json-not-a-number", 2, 19),
        ('[{"n": 1e999}]', "json-number-range", 1, 8),
        ('[{"id": "a",\n  "type": ', "json-syntax", 2, 11),
        ('[{"id": "a"},]', "json-syntax", 1, 13),
        ("", "json-empty", None, None),
        ("  \n ", "json-empty", None, None),
        ('{"id": "a"}', "json-top-level", 1, 1),
        ('\n "just text"', "json-top-level", 2, 2),
    ],
)
def test_unreadable_json_is_located(
    tmp_path: Path, content: str, rule: str, line: int | None, column: int | None
) -> None:
    report = validate(_write(tmp_path, "events.json", content))
    (issue,) = report.issues
    assert issue.rule == rule, issue
    assert (issue.line, issue.column) == (line, column)
    assert issue.unreadable and report.exit_code == ExitCode.UNREADABLE
    assert issue.file is not None and issue.file.endswith("events.json")


def test_utf8_bom_is_a_warning_and_the_file_is_read(tmp_path: Path) -> None:
    report = validate(_write(tmp_path, "events.json", b"\xef\xbb\xbf[]"))
    assert [i.rule for i in report.issues] == ["json-bom"]
    assert report.exit_code == ExitCode.VALID


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_utf16_and_utf32_are_refused(tmp_path: Path, encoding: str) -> None:
    report = validate(_write(tmp_path, "events.json", "[]".encode(encoding)))
    assert [i.rule for i in report.issues] == ["json-encoding"]
    assert report.exit_code == ExitCode.UNREADABLE


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    report = validate(_write(tmp_path, "events.json", b'[\n  "ab\xffc"]'))
    (issue,) = report.issues
    assert (issue.rule, issue.line, issue.column) == ("json-encoding", 2, 6)
    assert "0xff" in issue.message


def test_deep_nesting_never_raises_recursion_error(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    report = validate(_write(tmp_path, "events.json", deep))
    assert [i.rule for i in report.issues] == ["json-too-deep"]
    # Within the parser's limit, a deep value inside a record is reported, not crashed on.
    nested = '[{"id": "a", "name": {"en": ' + "[" * 1000 + "]" * 1000 + "}}]"
    report = validate(_write(tmp_path, "events.json", nested))
    assert "json-too-deep" in report.by_rule()
    assert report.exit_code == ExitCode.INVALID
    shallow = '[{"id": "a", "name": {"en": ' + "[" * 20 + "]" * 20 + "}}]"
    report = validate(_write(tmp_path, "events.json", shallow))
    assert "schema-type" in report.by_rule()


def test_json_lines_bad_line_does_not_hide_the_others(tmp_path: Path) -> None:
    lines = [
        '{"id": "ok-1", "type": "state", "name": {"en": "A"}, "country": "JP", '
        '"citations": [{"source": "s", "page": "1"}]}',
        "",
        '{"id": "broken", ',
        '{"id": "Bad Id", "type": "state", "name": {"en": "B"}, "country": "FR", '
        '"citations": [{"source": "s", "page": "1"}]}',
    ]
    report = validate(_write(tmp_path, "actors.jsonl", "\n".join(lines) + "\n"))
    by_rule = {i.rule: i for i in report.issues}
    assert by_rule["json-syntax"].line == 3
    assert not by_rule["json-syntax"].unreadable  # the other lines were read
    assert by_rule["schema-pattern"].line == 4
    assert by_rule["schema-pattern"].column == 2
    assert by_rule["schema-pattern"].pointer == "/id"
    assert report.records_checked == 2
    assert report.exit_code == ExitCode.INVALID


def test_record_that_is_not_an_object(tmp_path: Path) -> None:
    report = validate(_write(tmp_path, "events.json", '[\n  "text",\n  3\n]'))
    issues = [i for i in report.issues if i.rule == "json-record-not-object"]
    assert [(i.pointer, i.line, i.column) for i in issues] == [("/0", 2, 3), ("/1", 3, 3)]


def test_missing_path_is_unreadable(tmp_path: Path) -> None:
    report = validate(tmp_path / "nothing-here.json")
    assert [i.rule for i in report.issues] == ["input-not-found"]
    assert report.exit_code == ExitCode.UNREADABLE


def test_folder_without_datapackage(tmp_path: Path) -> None:
    report = validate(tmp_path)
    assert [i.rule for i in report.issues] == ["package-descriptor-missing"]
    assert report.exit_code == ExitCode.UNREADABLE


def test_record_type_from_argument_or_name(tmp_path: Path) -> None:
    path = _write(tmp_path, "mystery.json", "[]")
    assert validate(path).by_rule() == {"input-record-type-unknown": 1}
    assert validate(path, record_type="issue-area").issues == ()
    assert validate(path, record_type="issueArea").issues == ()
    assert validate(path, record_type="nonsense").exit_code == ExitCode.UNREADABLE
    for name in ("events.json", "event.json", "issue-areas.json", "issueAreas.json"):
        assert validate(_write(tmp_path, name, "[]")).issues == (), name
    for name in ("events.jsonl", "actors.ndjson"):
        assert validate(_write(tmp_path, name, "\n")).by_rule() == {"json-empty": 1}, name


def test_validation_never_modifies_the_input(package: Path) -> None:
    files = sorted(p for p in package.rglob("*") if p.is_file())
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    validate(package)
    assert sorted(p for p in package.rglob("*") if p.is_file()) == files
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == before


def test_a_file_broken_everywhere_lists_a_bounded_number_of_issues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hsdata._validator import _run, format_json, format_text

    monkeypatch.setattr(_run, "MAX_LISTED", 3)
    report = validate(_write(tmp_path, "events.json", json.dumps(["x"] * 10)))
    listed = [i for i in report.issues if i.rule == "json-record-not-object"]
    assert len(listed) == 4  # three in detail, one saying how many more
    (summary,) = [i for i in listed if i.pointer is None]
    assert summary.message.startswith("7 more issues of this kind")
    assert report.suppressed == 7
    assert json.loads(format_json(report))["suppressed"] == 7
    assert format_text(report).rstrip().endswith("; 7 more not listed")
