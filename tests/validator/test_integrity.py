"""Cross-record checks as a fold over facts: order-independent, bounded, complete."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hsdata import load_schema_set
from hsdata._validator import IntegrityIndex, facts_of, validate_records
from hsdata._validator import _integrity as integrity

SCHEMAS = load_schema_set("1.0")
CITE = [{"source": "s", "page": "1"}]


def _partnership(start: str) -> dict[str, Any]:
    return {"id": "p", "type": "network", "period": {"start": start}}


def _event(number: int, date: str) -> dict[str, Any]:
    return {"id": f"e-{number}", "partnership": "p", "date": {"start": date}}


def _fold(records: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, str | None, str | None]]:
    index = IntegrityIndex()
    for number, (record_type, record) in enumerate(records):
        code = index.place_code(f"{record_type}.json", number, is_line=False)
        index.add(facts_of(record, record_type, SCHEMAS), code)
    return sorted((i.rule, i.record, i.pointer) for i in index.finish())


@pytest.mark.parametrize("partnership_first", [True, False])
def test_event_before_partnership_in_either_order(partnership_first: bool) -> None:
    events = [
        ("event", _event(1, "1997")),  # certainly before 1998-05
        ("event", _event(2, "1998")),  # may be in May 1998 or later: accepted
        ("event", _event(3, "1998-05-31")),
        ("event", _event(4, "1998-04-30")),  # before
    ]
    partnership = [("partnership", _partnership("1998-05"))]
    records = partnership + events if partnership_first else events + partnership
    found = [(rule, record) for rule, record, _ in _fold(records)]
    assert found == [("event-before-partnership", "e-1"), ("event-before-partnership", "e-4")]


def test_many_early_events_are_counted_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(integrity, "MAX_KEPT", 3)
    early = [("event", _event(n, f"{1900 + n}")) for n in range(10)]
    late = [("event", _event(n, "2000")) for n in range(10, 15)]
    index = IntegrityIndex()
    for number, (record_type, record) in enumerate([*early, *late]):
        code = index.place_code("events.json", number, is_line=False)
        index.add(facts_of(record, record_type, SCHEMAS), code)
    code = index.place_code("partnerships.json", 0, is_line=False)
    index.add(facts_of(_partnership("1950"), "partnership", SCHEMAS), code)
    issues = index.finish()
    detailed = [i for i in issues if i.record is not None and i.record.startswith("e-")]
    (summary,) = [i for i in issues if i.record == "p"]
    assert len(detailed) == 3  # the earliest kept, in detail
    assert summary.message.startswith("7 more events")  # 10 early events in all


def test_unresolved_references_are_kept_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(integrity, "MAX_KEPT", 2)
    records = [("document", {"id": f"d-{n}", "authors": ["ghost"]}) for n in range(5)]
    found = _fold(records)
    assert [r[0] for r in found] == ["ref-unresolved"] * 3
    assert any(r[2] is None for r in found)  # the summary of the 3 not kept


def test_references_resolved_in_any_order() -> None:
    actor = ("actor", {"id": "a"})
    document = ("document", {"id": "d", "authors": ["a"]})
    for order in itertools.permutations([actor, document]):
        assert _fold(list(order)) == []


def test_reference_to_a_record_of_another_type() -> None:
    found = _fold([("partnership", {"id": "x"}), ("document", {"id": "d", "authors": ["x"]})])
    assert found == [("ref-wrong-type", "d", "/1/authors/0")]


def test_broader_cycles_are_each_reported_once() -> None:
    areas = [
        ("issueArea", {"id": "a", "broader": ["b"]}),
        ("issueArea", {"id": "b", "broader": ["c"]}),
        ("issueArea", {"id": "c", "broader": ["a"]}),
        ("issueArea", {"id": "d", "broader": ["d"]}),
        ("issueArea", {"id": "e", "broader": ["a"]}),
    ]
    found = _fold(areas)
    assert [(r[0], r[1]) for r in found] == [("hierarchy-cycle", "a"), ("hierarchy-cycle", "d")]


def test_validate_records_in_memory() -> None:
    actor = {"id": "a", "type": "state", "name": {"en": "A"}, "country": "JP", "citations": CITE}
    source = {"id": "s", "type": "pressRelease", "title": {"en": "S"}}
    report = validate_records({"source": [source], "actor": [actor, dict(actor)]})
    assert [(i.rule, i.file, i.pointer) for i in report.issues] == [
        ("id-duplicate", "<actor>", "/1/id")
    ]
    assert report.records_checked == 3


_IDS = st.sampled_from(["a", "b", "p", "e-1", "x"])
_RECORDS = st.lists(
    st.one_of(
        st.tuples(
            st.just("event"),
            st.fixed_dictionaries(
                {"id": _IDS},
                optional={
                    "partnership": _IDS,
                    "followUpOf": _IDS,
                    "date": st.fixed_dictionaries(
                        {"start": st.sampled_from(["1997", "1998-05", "1999-02-03", "bad"])}
                    ),
                    "participants": st.lists(st.fixed_dictionaries({"actor": _IDS}), max_size=2),
                },
            ),
        ),
        st.tuples(st.just("actor"), st.fixed_dictionaries({"id": _IDS})),
        st.tuples(
            st.just("partnership"),
            st.fixed_dictionaries(
                {"id": _IDS, "period": st.fixed_dictionaries({"start": st.just("1998-05-11")})}
            ),
        ),
    ),
    max_size=12,
)


def _issues(index: IntegrityIndex) -> list[tuple[str, str | None, str | None, str]]:
    return [(i.rule, i.record, i.pointer, i.message) for i in index.finish()]


@settings(max_examples=200, deadline=None)
@given(_RECORDS)
def test_the_fast_ways_in_give_the_issues_of_facts(records: list[tuple[str, Any]]) -> None:
    by_facts, by_record = IntegrityIndex(), IntegrityIndex()
    for number, (record_type, record) in enumerate(records):
        code = by_facts.place_code("records.json", number, is_line=False)
        by_record.place_code("records.json", number, is_line=False)
        by_facts.add(facts_of(record, record_type, SCHEMAS), code)
        by_record.add_record(record, record_type, SCHEMAS, code)
    assert _issues(by_record) == _issues(by_facts)


@settings(max_examples=200, deadline=None)
@given(_RECORDS, st.lists(_IDS, max_size=6))
def test_ids_taken_in_at_once_give_the_issues_of_one_at_a_time(
    records: list[tuple[str, Any]], actors: list[str]
) -> None:
    batched, one_by_one = IntegrityIndex(), IntegrityIndex()
    for index in (batched, one_by_one):
        for number, (record_type, record) in enumerate(records):
            index.add_record(
                record, record_type, SCHEMAS, index.place_code("a.json", number, is_line=False)
            )
    pairs = [
        (batched.place_code("b.jsonl", line, is_line=True), actor)
        for line, actor in enumerate(actors, start=1)
    ]
    one_by_one.place_code("b.jsonl", 1, is_line=True)
    batched.add_ids("actor", [actor for _, actor in pairs], [code for code, _ in pairs])
    for code, actor in pairs:
        one_by_one.add_id("actor", actor, code)
    assert batched._pending == one_by_one._pending  # references settled alike (memory)
    assert _issues(batched) == _issues(one_by_one)
