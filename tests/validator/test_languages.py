"""Language tags are checked against the IANA registry, at the places the schemas give."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

import hsdata
from hsdata._paths import canonical_data_dir
from hsdata._validator import RecordChecker, check_record
from hsdata._validator._languages import is_registered, unknown_tag_message
from hsdata._validator._subtags import registered_tag_pattern

SCHEMA_SET = hsdata.load_schema_set()  # the version of the canonical data


def _first(name: str) -> dict[str, Any]:
    records: list[dict[str, Any]] = json.loads(
        (canonical_data_dir() / name).read_text(encoding="utf-8")
    )
    return records[0]


@pytest.mark.parametrize(
    ("tag", "registered"),
    [
        ("en", True),
        ("fr-CA", True),
        ("nb", True),
        ("es-419", True),
        ("zh-Hant-TW", True),
        ("sp", False),
        ("xx", False),
        ("en-Qqqqqq", False),  # a script subtag that is not registered
        ("", False),
    ],
)
def test_tags_against_the_registry(tag: str, registered: bool) -> None:
    assert is_registered(tag) is registered


def test_the_fields_come_from_the_schemas() -> None:
    checker = RecordChecker(SCHEMA_SET)
    values, maps = checker.language_tag_paths("source")
    assert values == (("language",),)
    assert ("title",) in maps
    _, actor_maps = checker.language_tag_paths("actor")
    assert ("name",) in actor_maps and ("posts", "*", "label") in actor_maps
    for record_type in SCHEMA_SET.record_types:  # every record type has a name or a label
        assert "check_language_tags" in [c.run.__name__ for c in checker.checks_for(record_type)]


@pytest.mark.parametrize(
    ("change", "pointer", "words"),
    [
        (lambda s: s.update(language="sp"), "/language", "language is 'sp'"),
        (lambda s: s["title"].update(xx="X"), "/title/xx", "title has a text in the language 'xx'"),
        (lambda s: s.update(language="fr-Qqqqqq"), "/language", "'fr-Qqqqqq'"),
    ],
)
def test_an_unknown_tag_is_a_warning_and_takes_the_slow_path(
    change: Any, pointer: str, words: str
) -> None:
    checker = RecordChecker(SCHEMA_SET)
    source = copy.deepcopy(_first("sources.json"))
    usual = checker.usual("source")
    assert usual is not None and usual(source) and check_record(source, "source", checker) == []
    change(source)
    issues = check_record(source, "source", checker)
    assert [(i.rule, i.pointer) for i in issues] == [("language-tag-unknown", pointer)]
    # A warning for 1.0 and 1.1 data, an error from 1.2 on (test_v12_rules.py tests both).
    old = SCHEMA_SET.version in ("1.0", "1.1")
    assert issues[0].severity == (hsdata.Severity.WARNING if old else hsdata.Severity.ERROR)
    assert words in issues[0].message and "IANA registry" in issues[0].message
    assert not usual(source)  # the shortcut does not vouch for the record


def test_a_tag_of_the_wrong_shape_is_left_to_the_schema() -> None:
    checker = RecordChecker(SCHEMA_SET)
    source = copy.deepcopy(_first("sources.json"))
    source["language"] = "Spanish"
    rules = [i.rule for i in check_record(source, "source", checker)]
    assert "schema-pattern" in rules and "language-tag-unknown" not in rules


def test_the_message_suggests_the_likely_language() -> None:
    assert unknown_tag_message("x is 'sp'", "sp").endswith("Spanish is 'es'")
    assert unknown_tag_message("x is 'jp-JP'", "jp-JP").endswith("Japanese is 'ja'")
    assert "such as 'en', 'fr' or 'es'" in unknown_tag_message("x is 'xx'", "xx")


@pytest.mark.parametrize("tag", ["de-AT", "se", "x-private", "sr-Latn-RS", "yy", "en-Zzzy"])
def test_the_shortcut_and_the_check_agree(tag: str) -> None:
    checker = RecordChecker(SCHEMA_SET)
    actor = copy.deepcopy(_first("actors.json"))
    event = copy.deepcopy(_first("events.json"))
    event["name"][tag] = "Name"
    usual = checker.usual("event")
    assert usual is not None
    for _ in range(2):  # the second time, a registered tag is already remembered
        issues = check_record(event, "event", checker)
        expected = [] if is_registered(tag) else ["language-tag-unknown"]
        assert [i.rule for i in issues if i.rule != "schema-pattern"] == expected
        # The shortcut never passes a record the check finds something in; it passes
        # every record with only usual tags, and leaves the rarer ones to the check.
        assert usual(event) is (
            not issues and re.fullmatch(registered_tag_pattern(), tag) is not None
        )
    actor["name"][tag] = "Name"
    assert [i.rule for i in check_record(actor, "actor", checker)] == [
        i.rule for i in check_record(event, "event", checker)
    ]
