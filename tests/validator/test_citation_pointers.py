"""Rule citation-pointer-missing: a citation's 'supports' points at fields the record has."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

import hsdata
from hsdata._paths import canonical_data_dir
from hsdata._schemas import available_versions
from hsdata._validator import RecordChecker, check_record
from hsdata._validator._pointers import missing_step


def _partnership() -> dict[str, Any]:
    records = json.loads((canonical_data_dir() / "partnerships.json").read_text("utf-8"))
    return dict(records[0])


@pytest.mark.parametrize(
    ("pointer", "stop"),
    [
        ("", None),
        ("/id", None),
        ("/name/en", None),
        ("/members/0", None),
        ("/members/0/actor", None),
        ("/nmae", ("", "nmae")),
        ("/name/xx", ("/name", "xx")),
        ("/members/99", ("/members", "99")),
        ("/members/-", ("/members", "-")),
        ("/members/00", ("/members", "00")),
        ("/id/x", ("/id", "x")),
    ],
)
def test_missing_step(pointer: str, stop: tuple[str, str] | None) -> None:
    assert missing_step(_partnership(), pointer) == stop


def test_escaped_tokens_are_read_as_json_pointer_says() -> None:
    record = {"a/b": {"c~d": 1}}
    assert missing_step(record, "/a~1b/c~0d") is None
    assert missing_step(record, "/a/b") == ("", "a")


def _citing(record: dict[str, Any], supports: list[Any]) -> dict[str, Any]:
    record = copy.deepcopy(record)
    record["citations"][0]["supports"] = supports
    return record


@pytest.mark.parametrize("version", available_versions())
def test_each_missing_pointer_is_one_issue_at_its_place(version: str) -> None:
    checker = RecordChecker(hsdata.load_schema_set(version))
    record = _citing(_partnership(), ["/name/en", "/nmae", "/members/99", "/name/en/x"])
    found = [
        (i.pointer, i.message)
        for i in check_record(record, "partnership", checker)
        if i.rule == "citation-pointer-missing"
    ]
    members = len(record["members"])
    assert found == [
        (
            "/citations/0/supports/1",
            "citation 1 says it supports '/nmae', but this partnership has no field 'nmae'",
        ),
        (
            "/citations/0/supports/2",
            f"citation 1 says it supports '/members/99', but members holds {members} entries, "
            "counted from 0",
        ),
        (
            "/citations/0/supports/3",
            "citation 1 says it supports '/name/en/x', but name.en is a single value, "
            "with no 'x' inside",
        ),
    ]


def test_pointers_that_lead_somewhere_pass_and_the_shortcut_agrees() -> None:
    checker = RecordChecker(hsdata.load_schema_set())
    record = _citing(_partnership(), ["/name/en", "/members/0/actor", ""])
    assert not [
        i for i in check_record(record, "partnership", checker) if i.rule.startswith("citation")
    ]
    broken = _citing(_partnership(), ["/nowhere"])
    usual = checker.usual("partnership")
    # the shortcut never claims a record with 'supports' is clean
    assert usual is None or not usual(broken)
