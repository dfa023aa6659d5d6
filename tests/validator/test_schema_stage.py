"""The JSON Schema stage: one issue per real problem, both validators agreeing, no network."""

from __future__ import annotations

import copy
import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from hsdata import Codelist, load_schema_set
from hsdata._paths import canonical_data_dir, schema_root
from hsdata._schemas import build_schema_set
from hsdata._validator import RecordChecker, check_record, validate, validate_files
from hsdata._validator._schema_check import (
    CompiledSchemas,
    EcmaDraft202012Validator,
    ecma_to_python,
)

SCHEMAS = load_schema_set("1.0")


def _records(name: str) -> list[dict[str, Any]]:
    return json.loads((canonical_data_dir() / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _event() -> dict[str, Any]:
    return copy.deepcopy(_records("events.json")[0])


def _check(record: dict[str, Any], record_type: str = "event") -> list[tuple[str, str | None]]:
    issues = check_record(record, record_type, RecordChecker(SCHEMAS))
    return [(i.rule, i.pointer) for i in issues]


def test_a_misspelled_top_level_field_is_one_issue_with_a_suggestion() -> None:
    event = _event()
    event["nmae"] = event.pop("name")
    issues = check_record(event, "event", RecordChecker(SCHEMAS))
    assert [(i.rule, i.pointer) for i in issues] == [("schema-unknown-field", "/nmae")]
    assert "did you mean 'name'?" in issues[0].message


def test_a_misspelled_nested_field_is_one_issue() -> None:
    event = _event()
    event["date"] = {"startdate": "1997-12-03"}
    issues = check_record(event, "event", RecordChecker(SCHEMAS))
    assert [(i.rule, i.pointer) for i in issues] == [("schema-unknown-field", "/date/startdate")]
    assert "did you mean 'start'?" in issues[0].message


def test_a_misspelled_citation_locator_hides_the_alternatives_error() -> None:
    event = _event()
    event["citations"] = [{"source": "building-partnerships-for-human-security", "pag": "3"}]
    assert _check(event) == [("schema-unknown-field", "/citations/0/pag")]
    event["citations"] = [{"source": "building-partnerships-for-human-security"}]
    assert _check(event) == [("schema-alternatives", "/citations/0")]


def test_a_missing_field_required_by_a_condition_says_so() -> None:
    actor = copy.deepcopy(_records("actors.json")[0])
    del actor["country"]
    # Checked against the schemas of the canonical data's own version (1.2 fields included).
    descriptor = json.loads((canonical_data_dir() / "datapackage.json").read_text("utf-8"))
    schemas = load_schema_set(descriptor["hsdata:version"])
    (issue,) = check_record(actor, "actor", RecordChecker(schemas))
    assert issue.rule == "schema-required"
    assert issue.message.startswith("an actor of type 'state' must have the field 'country'")


def test_closed_codelist_is_reported_once_not_also_as_enum() -> None:
    event = _event()
    event["status"] = "helt"
    issues = check_record(event, "event", RecordChecker(SCHEMAS))
    assert [(i.rule, i.pointer) for i in issues] == [("codelist-closed", "/status")]
    assert "did you mean 'held'?" in issues[0].message


def test_bad_partial_date_is_one_plain_english_issue() -> None:
    event = _event()
    event["date"] = {"start": "1998-13"}
    (issue,) = check_record(event, "event", RecordChecker(SCHEMAS))
    assert issue.rule == "date-invalid"
    assert issue.message == (
        "date.start must be a date written as YYYY, YYYY-MM or YYYY-MM-DD; found '1998-13'"
    )


@pytest.mark.parametrize(
    ("pattern", "python"),
    [
        ("^[a-z]+$", "^[a-z]+\\Z"),
        ("^a$|^b$", "^a\\Z|^b\\Z"),
        ("^[$]\\$$", "^[$]\\$\\Z"),
        ("^\\d{4}$", "^[0-9]{4}\\Z"),
        ("^[\\d-]+$", "^[0-9-]+\\Z"),
        ("^[]a]$", "^[]a]\\Z"),
    ],
)
def test_ecma_patterns_are_translated(pattern: str, python: str) -> None:
    assert ecma_to_python(pattern) == python


def test_fast_and_slow_paths_agree_on_a_trailing_newline() -> None:
    event = _event()
    event["id"] = "abc\n"
    compiled = CompiledSchemas(SCHEMAS)
    # Python's re would accept it: '$' matches before a final newline.
    plain = Draft202012Validator(SCHEMAS.record_schema("event"), registry=SCHEMAS.registry)
    assert plain.is_valid(event)
    # Both of our paths reject it.
    assert not compiled.fast("event").is_valid(event)
    slow = EcmaDraft202012Validator(SCHEMAS.record_schema("event"), registry=SCHEMAS.registry)
    assert [e.validator for e in slow.iter_errors(event)] == ["pattern"]
    assert _check(event) == [("schema-pattern", "/id")]


MUTATIONS: list[tuple[str, Any]] = [
    ("/id", "abc\n"),
    ("/id", "ok-id\n"),
    ("/name/en", ""),
    ("/name/fr\n", "x"),
    ("/date/start", "1997-12-03\n"),
    ("/date/start", "\n1997"),
    ("/location/country", "CA\n"),
    ("/citations/0/paragraph", 1.5),
    ("/citations/0/paragraph", True),
    ("/citations/0/supports", ["/a", "/a"]),
    ("/citations/0/supports", ["no-slash"]),
    ("/issueAreas/0", "Landmines"),
]


@pytest.mark.parametrize(("pointer", "value"), MUTATIONS)
def test_fast_and_slow_paths_agree(pointer: str, value: Any) -> None:
    event = _event()
    *parents, last = pointer.split("/")[1:]
    node: Any = event
    for token in parents:
        node = node[int(token)] if isinstance(node, list) else node[token]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    compiled = CompiledSchemas(SCHEMAS)
    slow = compiled.slow("event")
    assert compiled.fast("event").is_valid(event) == slow.is_valid(event)
    assert not compiled.fast("event").is_valid(event)
    assert _check(event), "an invalid record must give at least one issue"


def _patched_schema_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "schema" / "1.0"
    shutil.copytree(schema_root() / "1.0", folder)
    return folder


def _events_file(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    path = tmp_path / "events.json"
    path.write_text(json.dumps(records, indent=2), encoding="utf-8")
    return path


def test_plain_enum_and_other_keywords_in_an_extended_schema(tmp_path: Path) -> None:
    folder = _patched_schema_folder(tmp_path)
    schema = json.loads((folder / "event.json").read_text(encoding="utf-8"))
    schema["properties"]["level"] = {"title": "Level", "type": "string", "enum": ["high", "low"]}
    schema["not"] = {"required": ["forbidden"]}
    (folder / "event.json").write_text(json.dumps(schema), encoding="utf-8")
    patched = build_schema_set(folder, "1.0")
    event = _event()
    event["level"] = "hihg"
    event["forbidden"] = 1
    path = _events_file(tmp_path, [event])
    report = validate_files([(path, "events.json")], schema_set=patched)
    rules = report.by_rule()
    assert rules.get("schema-enum") == 1 and "schema-other" in rules, report.issues
    (enum_issue,) = [i for i in report.issues if i.rule == "schema-enum"]
    assert "did you mean 'high'?" in enum_issue.message
    assert enum_issue.line is not None and enum_issue.column is not None


def test_deprecated_code_is_a_warning(tmp_path: Path) -> None:
    codelist = SCHEMAS.codelists["eventType.csv"]
    deprecated = dataclasses.replace(codelist, deprecated={"signing": "Use 'ceremony' instead."})
    patched = dataclasses.replace(
        SCHEMAS, codelists={**SCHEMAS.codelists, "eventType.csv": deprecated}
    )
    assert isinstance(deprecated, Codelist)
    path = _events_file(tmp_path, [_event()])
    report = validate_files([(path, "events.json")], schema_set=patched)
    assert [(i.rule, i.severity.value) for i in report.issues] == [
        ("codelist-deprecated", "warning")
    ]
    assert "Use 'ceremony' instead." in report.issues[0].message
    assert report.valid


def test_a_remote_ref_is_reported_and_never_fetched(tmp_path: Path, no_network: None) -> None:
    schema = copy.deepcopy(SCHEMAS.record_schema("event"))
    schema["properties"]["extra"] = {"$ref": "http://example.invalid/extra.json"}
    schemas = {**SCHEMAS.schemas, SCHEMAS.schema_id("event"): schema}
    patched = dataclasses.replace(SCHEMAS, schemas=schemas)
    path = _events_file(tmp_path, [_event()])
    report = validate_files([(path, "events.json")], schema_set=patched)
    assert report.by_rule() == {"schema-reference-unresolvable": 1}
    assert report.exit_code == 2
    assert "example.invalid" in report.issues[0].message


def test_check_record_is_pure_and_matches_validate(package: Path) -> None:
    events = _records("events.json")
    events[3]["nmae"] = events[3].pop("name")
    events[3]["status"] = "helt"
    (package / "events.json").write_text(json.dumps(events, indent=2), encoding="utf-8")
    checker = RecordChecker(SCHEMAS)
    direct = check_record(events[3], "event", checker)
    assert check_record(events[3], "event", checker) == direct
    report = validate(package)
    in_report = sorted(
        (i.rule, i.pointer) for i in report.issues if i.pointer and i.pointer.startswith("/3/")
    )
    assert in_report == sorted((i.rule, "/3" + (i.pointer or "")) for i in direct)
    assert len(in_report) == 2
    for record in events[:3] + events[4:]:
        assert check_record(record, "event", checker) == []


def test_codes_are_checked_at_c_speed_first() -> None:
    compiled = CompiledSchemas(SCHEMAS)
    event = _event()
    assert compiled.codes_current(event, "event")
    event["type"] = "signingg"  # an open codelist accepts it; the fast check notices it
    assert compiled.fast("event").is_valid(event)
    assert not compiled.codes_current(event, "event")
    codelist = SCHEMAS.codelists["eventType.csv"]
    deprecated = dataclasses.replace(codelist, deprecated={"signing": "Use another code."})
    patched = dataclasses.replace(
        SCHEMAS, codelists={**SCHEMAS.codelists, "eventType.csv": deprecated}
    )
    assert not CompiledSchemas(patched).codes_current(_event(), "event")
