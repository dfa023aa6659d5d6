"""The fast and the detailed validators agree on every synthetic corruption, alone or combined."""

from __future__ import annotations

import copy
import random
from types import ModuleType
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import hsdata
from hsdata._validator._schema_check import schema_issues

from .conftest import load_generator

GENERATE = load_generator()
SCHEMA_SET = hsdata.load_schema_set("1.0")
CHECKER = hsdata.RecordChecker(SCHEMA_SET)
ACTORS = [a["id"] for a in GENERATE.supporting_records(200)["actor"]]
#: Corruptions that only other records can reveal (an actor that does not exist).
CROSS_RECORD = {"_unknown_actor"}


def corrupted(seed: int, corruptions: list[Any]) -> dict[str, Any]:
    record: dict[str, Any] = GENERATE.event(random.Random(seed), seed, ACTORS)
    for corrupt in corruptions:
        corrupt(record)
    return record


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    corruptions=st.lists(st.sampled_from(GENERATE.CORRUPTIONS), unique=True, max_size=3),
)
def test_fast_and_detailed_paths_agree(seed: int, corruptions: list[Any]) -> None:
    try:
        record = corrupted(seed, corruptions)
    except (KeyError, TypeError, IndexError):
        assume(False)  # two corruptions of the same field (the second finds it gone)
    compiled = CHECKER.compiled
    fast = compiled.fast("event").is_valid(record)
    detailed = compiled.slow("event").is_valid(record)
    assert fast == detailed, corruptions
    # The one-call shortcut never vouches for a record either validator rejects.
    if compiled.valid_with_current_codes(copy.deepcopy(record), "event"):
        assert fast and not schema_issues(record, "event", compiled)
    issues = hsdata.check_record(record, "event", CHECKER)
    alone = [c for c in corruptions if c.__name__ not in CROSS_RECORD]
    assert bool(issues) == bool(alone), (corruptions, issues)


def test_trailing_newline_in_an_id_is_refused_on_both_paths(generator: ModuleType) -> None:
    record = corrupted(1, [generator._trailing_newline_id])
    assert record["id"].endswith("\n")
    assert not CHECKER.compiled.fast("event").is_valid(record)
    assert not CHECKER.compiled.slow("event").is_valid(record)
    assert not CHECKER.compiled.valid_with_current_codes(record, "event")
    rules = [issue.rule for issue in hsdata.check_record(record, "event", CHECKER)]
    assert rules == ["schema-pattern"]
