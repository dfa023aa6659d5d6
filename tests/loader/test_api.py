"""hsdata.load() and the Dataset: typed records, links both ways, queries, partial dates."""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest

import hsdata
from hsdata import (
    Actor,
    Citation,
    Event,
    IssueArea,
    LanguageMap,
    Member,
    PartialDate,
    Partnership,
    Precision,
)
from hsdata._records import RECORD_CLASSES


def test_load_without_argument_gives_the_canonical_data_set(
    canonical: hsdata.Dataset, raw_records: dict[str, list[dict[str, Any]]]
) -> None:
    assert canonical.counts() == {t: len(raw_records.get(t, [])) for t in canonical.record_types}
    assert canonical.schema_version == hsdata.STANDARD_VERSION
    assert canonical.report.valid


def test_every_canonical_record_round_trips_to_its_json(
    canonical: hsdata.Dataset, raw_records: dict[str, list[dict[str, Any]]]
) -> None:
    checked = 0
    for record_type, records in raw_records.items():
        collection = canonical.records(record_type)
        assert list(collection) == [r["id"] for r in records], "data order is kept"
        for raw in records:
            record = collection[raw["id"]]
            assert isinstance(record, RECORD_CLASSES[record_type])
            assert record.to_dict() == raw, f"{record_type} {raw['id']} changed on the way"
            checked += 1
    assert checked == len(canonical) > 0
    assert canonical.to_dicts() == raw_records


def test_absent_and_empty_lists_both_survive_a_round_trip() -> None:
    raw_absent = {"id": "x", "type": "retreat", "name": {"en": "X"}, "citations": []}
    raw_empty = {**raw_absent, "issueAreas": []}
    assert Event.from_json(raw_absent).to_dict() == raw_absent
    assert Event.from_json(raw_empty).to_dict() == raw_empty
    assert (
        Event.from_json(raw_absent).issue_area_ids
        == ()
        == Event.from_json(raw_empty).issue_area_ids
    )


def test_fields_an_extension_adds_are_kept_in_extra() -> None:
    raw = {
        "id": "x",
        "type": "state",
        "name": {"en": "X"},
        "country": "CA",
        "citations": [{"source": "s", "page": "1", "funding": {"amount": 5}}],
        "funding": [{"amount": 10, "currency": "CAD"}],
    }
    actor = Actor.from_json(raw)
    assert actor.extra == {"funding": [{"amount": 10, "currency": "CAD"}]}
    assert actor.citations[0].extra == {"funding": {"amount": 5}}
    assert actor.to_dict() == raw


def test_records_are_immutable(canonical: hsdata.Dataset) -> None:
    canada = canonical.actors["canada"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        canada.name = LanguageMap({"en": "Elsewhere"})  # type: ignore[misc]
    with pytest.raises(TypeError):
        canada.name._texts["en"] = "Elsewhere"  # type: ignore[index]
    member = canonical.partnerships["lysoen-partnership"].members[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        member.role = "observer"  # type: ignore[misc]


def test_lookup_by_id_per_type(canonical: hsdata.Dataset) -> None:
    canada = canonical.actors["canada"]
    assert canonical.get("actor", "canada") is canada
    assert canonical.get("actors", "canada") is canada
    assert canonical.get("issue-area", "landmines") is canonical.issue_areas["landmines"]
    assert canonical.get("issue_areas", "landmines") is canonical.get("issueArea", "landmines")
    assert "canada" in canonical.actors and "canada" not in canonical.events
    with pytest.raises(KeyError, match="no actor with id 'atlantis'"):
        canonical.actors["atlantis"]
    with pytest.raises(KeyError, match="no record type 'planet'"):
        canonical.get("planet", "earth")


def test_multilingual_text(canonical: hsdata.Dataset) -> None:
    lysoen = canonical.partnerships["lysoen-partnership"]
    assert str(lysoen.name) == "Lysøen Partnership"
    assert lysoen.name.get("fr") == "Partenariat de Lysøen"
    assert lysoen.name.get("fr-CA") == "Partenariat de Lysøen", "falls back to the base language"
    assert lysoen.name.get("nb") == "Lysøen Partnership", "falls back to English"
    assert lysoen.name.get("nb", fallback=None) is None
    assert lysoen.name.languages == ("en", "fr")
    assert lysoen.alternate_names[0].get("fr") == "Partenariat pour l'action"


def test_partial_dates_keep_their_precision_and_bounds(canonical: hsdata.Dataset) -> None:
    meeting = canonical.events["lysoen-senior-officials-meeting-1998"]
    assert meeting.date is not None and meeting.date.start is not None
    start = meeting.date.start
    assert isinstance(start, PartialDate)
    assert start.precision is Precision.MONTH
    assert str(start) == "1998-12", "never padded to a day"
    assert (meeting.earliest, meeting.latest) == (
        datetime.date(1998, 12, 1),
        datetime.date(1998, 12, 31),
    )
    council = canonical.memberships["canada-un-security-council-1999-2000"]
    assert council.period is not None
    assert (council.period.earliest, council.period.latest) == (
        datetime.date(1999, 1, 1),
        datetime.date(2000, 12, 31),
    )
    assert council.period.start is not None and council.period.start.precision is Precision.YEAR


def test_citations_are_intact_and_resolve(
    canonical: hsdata.Dataset, raw_records: dict[str, list[dict[str, Any]]]
) -> None:
    raw = next(r for r in raw_records["partnership"] if r["id"] == "lysoen-partnership")
    lysoen = canonical.partnerships["lysoen-partnership"]
    assert [c.to_dict() for c in lysoen.citations] == raw["citations"]
    first = lysoen.citations[0]
    assert isinstance(first, Citation)
    assert first.source is canonical.sources[raw["citations"][0]["source"]]
    assert lysoen in first.source.cited_by


def test_partnership_links_forward(canonical: hsdata.Dataset) -> None:
    lysoen = canonical.partnerships["lysoen-partnership"]
    assert all(isinstance(m, Member) for m in lysoen.members)
    assert [m.actor.id for m in lysoen.members] == ["canada", "norway"]
    assert lysoen.member_actors == (canonical.actors["canada"], canonical.actors["norway"])
    assert {m.role for m in lysoen.members} == {"party"}
    assert lysoen.issue_areas[0] is canonical.issue_areas["landmines"]
    assert lysoen.founding_event is canonical.events["lysoen-declaration-signing-1998"]
    assert lysoen.founding_instrument is canonical.documents["lysoen-declaration"]
    network = canonical.partnerships["human-security-network"]
    grew_out_of = {(r.relation, r.partnership.id) for r in network.related_partnerships}
    assert ("grewOutOf", "lysoen-partnership") in grew_out_of
    assert network in lysoen.related_from


def test_actor_links_backward(
    canonical: hsdata.Dataset, raw_records: dict[str, list[dict[str, Any]]]
) -> None:
    norway = canonical.actors["norway"]
    expected = [
        p["id"]
        for p in raw_records["partnership"]
        if any(m["actor"] == "norway" for m in p["members"])
    ]
    assert [p.id for p in norway.partnerships] == expected
    assert canonical.partnerships_of("norway") == norway.partnerships
    assert all(isinstance(p, Partnership) for p in norway.partnerships)

    canada = canonical.actors["canada"]
    assert {m.id for m in canada.memberships} == {
        m["id"] for m in raw_records["membership"] if m["member"] == "canada"
    }
    council = canonical.actors["un-security-council"]
    assert set(council.seats) <= set(canada.memberships) and council.seats
    assert council.parent is canonical.actors["united-nations"]
    assert council in canonical.actors["united-nations"].parts

    events_naming_canada = {
        e["id"]
        for e in raw_records["event"]
        if e.get("body") == "canada"
        or any("canada" in (p["actor"], p.get("onBehalfOf")) for p in e.get("participants", []))
    }
    assert {e.id for e in canada.events} == events_naming_canada
    with pytest.raises(KeyError):
        canonical.partnerships_of("atlantis")


def test_issue_area_links_both_ways(canonical: hsdata.Dataset) -> None:
    children = canonical.issue_areas["war-affected-children"]
    soldiers = canonical.issue_areas["child-soldiers"]
    assert children in soldiers.broader
    assert soldiers in children.narrower, "narrower links are derived from broader ones"
    landmines = canonical.issue_areas["landmines"]
    assert canonical.partnerships["lysoen-partnership"] in landmines.partnerships
    assert canonical.events["landmines-treaty-signing-ottawa-1997"] in landmines.events


def test_about_an_issue_area_gathers_everything(canonical: hsdata.Dataset) -> None:
    digest = canonical.about("war-affected-children")
    assert digest.issue_area is canonical.issue_areas["war-affected-children"]
    assert canonical.issue_areas["child-soldiers"] in digest.narrower
    assert canonical.partnerships["lysoen-partnership"] in digest.partnerships
    assert all(isinstance(a, IssueArea) for a in digest.broader)
    wider = canonical.about("human-security", include_narrower=True)
    narrow = canonical.about("human-security")
    assert set(narrow.events) < set(wider.events)
    assert canonical.events["landmines-treaty-signing-ottawa-1997"] in wider.events


def _brute_force(
    events: list[dict[str, Any]], low: datetime.date, high: datetime.date, mode: str
) -> set[str]:
    """The expected answer, computed straight from the JSON."""
    found = set()
    for event in events:
        date = event.get("date")
        if not date or "start" not in date:
            continue
        first = PartialDate.parse(date["start"]).earliest
        last = PartialDate.parse(date.get("end", date["start"])).latest
        if mode == "overlaps" and first <= high and last >= low:
            found.add(event["id"])
        if mode == "within" and first >= low and last <= high:
            found.add(event["id"])
    return found


@pytest.mark.parametrize(
    ("start", "end"),
    [("1999-02-10", "1999-02-20"), ("1999-02", "1999-02"), ("1998", "1998"), ("1998-06", "1999")],
)
@pytest.mark.parametrize("mode", ["overlaps", "within"])
def test_events_in_a_date_range(
    canonical: hsdata.Dataset,
    raw_records: dict[str, list[dict[str, Any]]],
    start: str,
    end: str,
    mode: Any,
) -> None:
    found = canonical.events_between(start, end, mode=mode)
    low, high = PartialDate.parse(start).earliest, PartialDate.parse(end).latest
    assert {e.id for e in found} == _brute_force(raw_records["event"], low, high, mode)
    earliest = [e.earliest for e in found]
    assert earliest == sorted(earliest)


def test_a_month_may_overlap_a_range_it_is_not_certainly_within(
    canonical: hsdata.Dataset,
) -> None:
    retreat = canonical.events["lysoen-ministerial-retreat-1999"]  # dated '1999-02'
    assert retreat in canonical.events_between("1999-02-10", "1999-02-20")
    assert retreat not in canonical.events_between("1999-02-10", "1999-02-20", mode="within")
    assert retreat in canonical.events_between("1999-02", "1999-02", mode="within")
    assert retreat in canonical.events_between(datetime.date(1999, 2, 28), None)
    undated = canonical.events["oas-ministerial-dialogue-on-drugs"]
    assert undated not in canonical.events_between(None, None)
    with pytest.raises(ValueError, match="mode"):
        canonical.events_between("1999", "2000", mode="maybe")  # type: ignore[arg-type]


def test_timeline_of_a_partnership(canonical: hsdata.Dataset) -> None:
    lysoen = canonical.partnerships["lysoen-partnership"]
    timeline = lysoen.timeline()
    assert timeline == canonical.timeline("lysoen-partnership")
    assert lysoen.founding_event in timeline
    assert set(timeline) >= set(lysoen.events)
    dated = [e for e in timeline if e.latest is not None]
    assert [e.earliest for e in dated] == sorted(e.earliest for e in dated if e.earliest)
    assert timeline[0].id == "lysoen-declaration-signing-1998"


def test_timeline_puts_undated_events_last(edit_records: Any, package_copy: Path) -> None:
    def add_undated(events: list[dict[str, Any]]) -> None:
        undated = {
            "id": "lysoen-undated-consultation",
            "type": "consultation",
            "name": {"en": "An undated consultation"},
            "partnership": "lysoen-partnership",
            "citations": [{"source": "human-security-concept-and-action", "paragraph": 1}],
        }
        events.insert(0, undated)

    edit_records("events.json", add_undated)
    dataset = hsdata.load(package_copy)
    timeline = dataset.timeline("lysoen-partnership")
    assert timeline[-1].id == "lysoen-undated-consultation"
    assert all(e.latest is not None for e in timeline[:-1])


def test_generic_referrers_follow_every_reference_field(canonical: hsdata.Dataset) -> None:
    canada = canonical.actors["canada"]
    everything = canada.referenced_by()
    assert set(canada.partnerships) | set(canada.memberships) | set(canada.events) <= set(
        everything
    )
    only_members = canada.referenced_by("partnership", "members/*/actor")
    assert only_members == canada.partnerships
    assert canonical.referrers(("actor", "canada"), "membership") == canada.memberships


def test_records_compare_by_identity_and_can_be_graph_keys(canonical: hsdata.Dataset) -> None:
    assert canonical.actors["canada"] is canonical.actors["canada"]
    assert len({canonical.actors["canada"], canonical.actors["canada"]}) == 1
    assert repr(canonical.actors["canada"]) == "<Actor 'canada'>"
    assert str(canonical.actors["norway"]) == "Norway"


def test_loading_is_lazy(package_copy: Path) -> None:
    dataset = hsdata.load(package_copy)
    assert dataset._reverse is None, "no reverse index before it is needed"
    assert all(r is None for r in dataset.events._built), "no record built before it is asked for"
    # The id index is the validator's, handed over, not built by parsing the records.
    assert dataset.events._ids is not None
    assert list(dataset.events._ids.values()) == list(range(len(dataset.events._raw)))
    assert len(dataset.events) == len(dataset.events._raw), "counting needs no index"
    dataset.events["lysoen-ministerial-retreat-1999"]
    assert sum(r is not None for r in dataset.events._built) == 1
    assert dataset.actors["canada"].partnerships
    assert dataset._reverse is not None


def _language_counts(node: Any, counted: Counter[str]) -> None:
    if isinstance(node, dict):
        if "en" in node and all(isinstance(v, str) for v in node.values()):
            counted.update(node.keys())
            return
        for value in node.values():
            _language_counts(value, counted)
    elif isinstance(node, list):
        for value in node:
            _language_counts(value, counted)


def test_languages_are_counted_over_every_text(
    canonical: hsdata.Dataset, raw_records: dict[str, list[dict[str, Any]]]
) -> None:
    expected: Counter[str] = Counter()
    _language_counts(raw_records, expected)
    assert canonical.languages() == expected


def test_date_span_and_languages(canonical: hsdata.Dataset) -> None:
    span = canonical.date_span()
    assert span is not None
    dated_events = [e for e in canonical.events.values() if e.earliest is not None]
    assert span[0] <= min(e.earliest for e in dated_events if e.earliest)
    assert span[1] >= max(e.latest for e in dated_events if e.latest)
    languages = canonical.languages()
    assert languages["en"] >= languages["fr"] > 0
    assert set(languages) == {"en", "fr"}


def test_iterating_a_dataset_gives_every_record(canonical: hsdata.Dataset) -> None:
    records = list(canonical)
    assert len(records) == len(canonical) == sum(canonical.counts().values())
    assert isinstance(records[0], hsdata.Record)
    assert any(isinstance(r, Actor) for r in records)


def test_a_record_type_without_a_class_is_kept_whole(
    raw_records: dict[str, list[dict[str, Any]]],
) -> None:
    schema_set = hsdata.load_schema_set("1.0")
    later = dataclasses.replace(schema_set, record_types=(*schema_set.record_types, "initiative"))
    initiative = {"id": "ottawa-process", "name": {"en": "Ottawa Process"}, "lead": "canada"}
    dataset = hsdata.Dataset(
        {**raw_records, "initiative": [initiative]},
        schema_set=later,
        descriptor={},
        location="memory",
        report=hsdata.Report(),
    )
    record = dataset.get("initiative", "ottawa-process")
    assert record.record_type == "initiative"
    assert record.to_dict() == initiative
    assert record.extra["lead"] == "canada"


def test_the_validators_ids_are_adopted_only_when_they_fit() -> None:
    from hsdata._loader._dataset import ParsedOnDemand, RecordCollection, adopt_index

    lines = [orjson.dumps({"id": f"e-{n}"}) for n in range(6)]  # two files: 0-2 and 3-5

    def collection() -> RecordCollection[Any]:
        return RecordCollection("event", hsdata.Event, ParsedOnDemand(lines), None)  # type: ignore[arg-type]

    in_order = collection()
    assert adopt_index(in_order, {f"e-{n}": 0 for n in range(6)}, [0, 3])
    assert [in_order.position(f"e-{n}") for n in range(6)] == list(range(6))
    # The files read in another order, or a record missing: the collection indexes itself.
    for ordered in ([3, 4, 5, 0, 1, 2], [0, 1, 2, 3, 4]):
        other = collection()
        assert not adopt_index(other, {f"e-{n}": 0 for n in ordered}, [0, 3])
        assert other._ids is None
        assert [other.position(f"e-{n}") for n in range(6)] == list(range(6))
