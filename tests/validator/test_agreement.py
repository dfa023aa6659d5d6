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
