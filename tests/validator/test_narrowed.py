"""Property: the narrowed detailed validator gives exactly the full validator's errors.

For records that fail, python-jsonschema checks only the top-level fields
jsonschema_rs found fault with (see ``CompiledSchemas.slow_for_fields``).
Broken copies of every canonical record must give the same errors, in the same
order, either way.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hsdata import load_schema_set
from hsdata._paths import canonical_data_dir
from hsdata._validator._schema_check import CompiledSchemas, _failing_fields

SCHEMAS = load_schema_set()
COMPILED = CompiledSchemas(SCHEMAS)
FILES = {
    "actor": "actors.json",
    "partnership": "partnerships.json",
    "issueArea": "issue-areas.json",
    "event": "events.json",
    "document": "documents.json",
    "source": "sources.json",
    "membership": "memberships.json",
}
RECORDS = [
    (record_type, record)
    for record_type, name in FILES.items()
    for record in json.loads((canonical_data_dir() / name).read_text(encoding="utf-8"))
]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _errors(validator: Any, record: Any) -> list[tuple[Any, ...]]:
    return [
        (list(e.absolute_path), list(e.relative_schema_path), e.validator, e.message)
        for e in validator.iter_errors(record)
    ]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(RECORDS),
    st.lists(
        st.tuples(st.integers(0, 50), st.sampled_from(["set", "drop", "add"]), JSON_VALUES),
        min_size=1,
        max_size=3,
    ),
)
def test_narrowed_validator_gives_the_full_validators_errors(
    typed: tuple[str, dict[str, Any]], changes: list[tuple[int, str, Any]]
) -> None:
    record_type, original = typed
    record = copy.deepcopy(original)
    for position, change, value in changes:
        names = list(record)
        name = names[position % len(names)] if names else "id"
        if change == "set":
            record[name] = value
        elif change == "drop":
            record.pop(name, None)
        else:
            record[name + "x"] = value
    fast = COMPILED.fast(record_type)
    if fast.is_valid(record):
        return
    failing = _failing_fields(fast, record)
    assert failing is not None
    narrowed = COMPILED.slow_for_fields(record_type, failing)
    assert _errors(narrowed, record) == _errors(COMPILED.slow(record_type), record)
