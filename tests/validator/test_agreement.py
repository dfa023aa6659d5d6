"""Property: the fast validator (jsonschema_rs) and the detailed one always agree."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hsdata import load_schema_set
from hsdata._paths import canonical_data_dir
from hsdata._validator import RecordChecker, check_record
from hsdata._validator._schema_check import CompiledSchemas

SCHEMAS = load_schema_set("1.0")
COMPILED = CompiledSchemas(SCHEMAS)
CHECKER = RecordChecker(SCHEMAS)
EVENT = json.loads((canonical_data_dir() / "events.json").read_text(encoding="utf-8"))[0]

# Text close to what the patterns accept, with the characters that differ between
# regular-expression dialects: newlines, Unicode digits and letters, '$'.
NEAR_TEXT = st.text(
    alphabet=st.sampled_from(list("abz09-AZ\n\r $٣é_")) | st.characters(exclude_categories=["Cs"]),
    max_size=14,
)
FIELDS = st.sampled_from(
    [
        ("id",),
        ("date", "start"),
        ("location", "country"),
        ("issueAreas", 0),
        ("participants", 0, "actor"),
        ("citations", 0, "source"),
        ("citations", 0, "supports"),
    ]
)


def _set(record: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    node: Any = record
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = [value] if path[-1] == "supports" else value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=FIELDS, value=NEAR_TEXT)
def test_fast_and_detailed_validators_agree(path: tuple[Any, ...], value: str) -> None:
    record = copy.deepcopy(EVENT)
    _set(record, path, value)
    fast = COMPILED.fast("event").is_valid(record)
    detailed = COMPILED.slow("event").is_valid(record)
    assert fast == detailed, (path, value)
    issues = check_record(record, "event", CHECKER)
    schema_or_code = [i for i in issues if not i.rule.startswith(("ref-", "citation-"))]
    if not fast:
        assert schema_or_code, (path, value)


def test_values_no_json_text_can_hold_are_reported_not_raised() -> None:
    record = copy.deepcopy(EVENT)
    record["id"] = "\ud800"
    issues = check_record(record, "event", CHECKER)
    assert [i.rule for i in issues] == ["schema-pattern"]
    assert "\\ud800" in issues[0].message  # shown escaped


DATE_TEXT = st.builds(
    lambda y, m, d, cut: f"{y:04d}-{m:02d}-{d:02d}"[:cut],
    st.integers(0, 2400),
    st.integers(0, 13),
    st.integers(0, 32),
    st.sampled_from([4, 7, 10, 10, 10]),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.none() | DATE_TEXT,
    end=st.none() | DATE_TEXT,
    status=st.sampled_from(["held", "scheduled", "helt", None]),
)
def test_the_usual_record_shortcut_never_hides_an_issue(
    start: str | None, end: str | None, status: str | None
) -> None:
    for checker in (CHECKER, RecordChecker(load_schema_set("1.1"))):
        record = copy.deepcopy(EVENT)
        record["date"] = {k: v for k, v in (("start", start), ("end", end)) if v is not None}
        if status is None:
            record.pop("status", None)
        else:
            record["status"] = status
        usual = checker.usual("event")
        assert usual is not None
        if usual(record):
            assert check_record(record, "event", checker) == [], record


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    actors=st.lists(
        st.sampled_from(["canada", "norway", "nobody", "Canada", "canada\n"]), max_size=3
    ),
    partnership=st.none() | st.sampled_from(["lysoen-partnership", "unknown-partnership"]),
)
def test_the_shortcut_that_knows_ids_says_yes_only_when_every_reference_is_known(
    actors: list[str], partnership: str | None
) -> None:
    known = {"actor": ["canada", "norway"], "partnership": ["lysoen-partnership"]}
    shortcut = CHECKER.usual_knowing("event", known)
    assert shortcut is not None
    record = copy.deepcopy(EVENT)
    record["participants"] = [{"actor": actor, "role": "participant"} for actor in actors]
    record.pop("partnership", None)
    if partnership is not None:
        record["partnership"] = partnership
    if shortcut(record):
        assert check_record(record, "event", CHECKER) == []
        assert set(actors) <= set(known["actor"])
        assert partnership in (None, *known["partnership"])
    elif set(actors) <= set(known["actor"]) and partnership in (None, *known["partnership"]):
        # Every reference is known: only a problem in the record itself may refuse it.
        assert check_record(record, "event", CHECKER) != []
