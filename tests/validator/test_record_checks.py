"""Record checks declare the record types they apply to; the shortcut follows the declarations."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

import hsdata
from hsdata._paths import canonical_data_dir
from hsdata._reporting import make_issue
from hsdata._validator import RecordChecker, _record, check_record

SCHEMA_SET = hsdata.load_schema_set()  # the version of the canonical data


def _first(name: str) -> dict[str, Any]:
    records: list[dict[str, Any]] = json.loads(
        (canonical_data_dir() / name).read_text(encoding="utf-8")
    )
    return records[0]


def test_the_gating_comes_from_the_declarations() -> None:
    checker = RecordChecker(SCHEMA_SET)
    names = {t: [c.run.__name__ for c in checker.checks_for(t)] for t in SCHEMA_SET.record_types}
    assert "check_partnership" in names["partnership"]
    assert "check_member_order" in names["partnership"]
    assert "check_actor" in names["actor"]
    for record_type in set(SCHEMA_SET.record_types) - {"partnership"}:
        assert "check_partnership" not in names[record_type]
        assert "check_member_order" not in names[record_type]
    for record_type, found in names.items():
        assert {"check_codelists", "check_dates", "check_blank_text"} <= set(found), record_type
    # Only types with a shortcut-free check lose the shortcut.
    assert checker.usual("event") is not None
    assert checker.usual("source") is not None
    assert checker.usual("partnership") is None
    assert checker.usual("actor") is None


def test_a_check_for_one_type_leaves_the_shortcut_of_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str] = []

    @_record.check("source")
    def check_source_title(
        record: dict[str, Any], record_type: str, checker: RecordChecker
    ) -> list[hsdata.Issue]:
        seen.append(record_type)
        return [make_issue("schema-other", "a test check", pointer="")]

    declared = _record.CHECKS.pop()  # declared for this test only
    assert declared.run is check_source_title
    monkeypatch.setattr(_record, "CHECKS", [*_record.CHECKS, declared])
    checker = RecordChecker(SCHEMA_SET)
    assert checker.usual("source") is None  # the new check must see every source
    assert checker.usual("event") is not None  # the events keep their shortcut
    assert checker.usual("issueArea") is not None
    event, source = _first("events.json"), _first("sources.json")
    assert check_record(event, "event", checker) == []
    assert [i.message for i in check_record(source, "source", checker)] == ["a test check"]
    assert seen == ["source"]


TEXTS = [
    ("\u200b", ["text-blank"]),
    ("\u200b\u200d\ufeff", ["text-blank"]),
    (" \t ", ["text-blank"]),
    ("\u202e", ["text-blank", "text-control-character"]),
    ("Ottawa\u202e", ["text-control-character"]),
    ("Ottawa\x00", ["text-control-character"]),
    ("\u2067Ottawa\u2069", ["text-control-character"]),
    ("Ottawa\u200b", []),  # an invisible character beside visible ones is allowed
    ("Réunion d'Ottawa", []),
    ("\u0627\u0644\u0645", []),
]


@pytest.mark.parametrize(("text", "rules"), TEXTS)
@pytest.mark.parametrize("place", ["name", "quote"])
def test_text_checks_and_the_shortcut_agree(text: str, rules: list[str], place: str) -> None:
    checker = RecordChecker(SCHEMA_SET)
    event = copy.deepcopy(_first("events.json"))
    if place == "name":
        event["name"]["fr"] = text
        pointer = "/name/fr"
    else:
        event["citations"][0]["quote"] = text
        pointer = "/citations/0/quote"
    issues = check_record(event, "event", checker)
    assert sorted(i.rule for i in issues) == rules
    assert all(i.pointer == pointer for i in issues)
    usual = checker.usual("event")
    assert usual is not None
    assert usual(event) is (not rules)  # the shortcut vouches only for clean text
    for issue in issues:
        assert issue.severity == hsdata.RULES[issue.rule].severity
        assert ("name.fr" if place == "name" else "citations[0].quote") in issue.message


def test_text_checks_reach_language_maps_in_lists() -> None:
    checker = RecordChecker(SCHEMA_SET)
    actor = copy.deepcopy(_first("actors.json"))
    actor["name"]["en"] = "\u2060"
    found = [(i.rule, i.pointer) for i in check_record(actor, "actor", checker)]
    assert found == [("text-blank", "/name/en")]
