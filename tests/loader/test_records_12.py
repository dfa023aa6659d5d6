"""Records of standard 1.2: engagements, commitments, and the fields 1.2 adds.

Expectations are read from the JSON files themselves (the canonical data, the
minimal 1.2 package of the validator tests, the 1.1 copy of the canonical
data), so that the tests follow the data rather than pinning its contents.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import hsdata
from hsdata._paths import canonical_data_dir

TESTS = Path(__file__).resolve().parent.parent
MINIMAL = TESTS / "validator" / "fixtures_v12" / "minimal"
CANONICAL_1_1 = TESTS / "versions" / "canonical_1_1"


def _records(folder: Path, record_type: str) -> list[dict[str, Any]]:
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = []
    for resource in descriptor["resources"]:
        if resource.get("hsdata:recordType") == record_type:
            found += json.loads((folder / resource["path"]).read_text(encoding="utf-8"))
    return found


def _ids(records: tuple[hsdata.Record, ...]) -> list[str]:
    return [record.id for record in records]


@pytest.fixture(scope="module")
def canonical_12() -> hsdata.Dataset:
    dataset = hsdata.load()
    assert dataset.schema_version == "1.2", "the canonical data is at 1.2"
    return dataset


@pytest.mark.parametrize(
    ("record_type", "record_class"),
    [("engagement", hsdata.Engagement), ("commitment", hsdata.Commitment)],
)
def test_the_new_record_types_load_as_their_classes(
    canonical_12: hsdata.Dataset, record_type: str, record_class: type[hsdata.Record]
) -> None:
    raw = _records(canonical_data_dir(), record_type)
    assert raw, f"the canonical data has {record_type} records"
    collection = (
        canonical_12.engagements if record_type == "engagement" else canonical_12.commitments
    )
    assert collection is canonical_12.records(record_type)
    assert list(collection) == [record["id"] for record in raw]
    for record in raw:
        loaded = collection[record["id"]]
        assert type(loaded) is record_class
        assert loaded.to_dict() == record
        assert not loaded.extra


def test_engagements_lead_to_what_they_name(canonical_12: hsdata.Dataset) -> None:
    for raw in _records(canonical_data_dir(), "engagement"):
        engagement = canonical_12.engagements[raw["id"]]
        assert engagement.actor is canonical_12.actors[raw["actor"]]
        assert _ids(engagement.issue_areas) == raw["issueAreas"]
        assert engagement.mode == raw["mode"]
        forum = engagement.forum
        assert (forum.id if forum else None) == raw.get("forum")
        event = engagement.event
        assert (event.id if event else None) == raw.get("event")
        partnership = engagement.partnership
        assert (partnership.id if partnership else None) == raw.get("partnership")


def test_commitments_lead_to_what_they_name(canonical_12: hsdata.Dataset) -> None:
    for raw in _records(canonical_data_dir(), "commitment"):
        commitment = canonical_12.commitments[raw["id"]]
        assert _ids(commitment.committed_by) == raw["committedBy"]
        assert _ids(commitment.issue_areas) == raw.get("issueAreas", [])
        assert str(commitment.statement) == raw["statement"]["en"]
        assert (str(commitment.due) if commitment.due else None) == raw.get("due")
        made_at = commitment.made_at
        assert (made_at.id if made_at else None) == raw.get("madeAt")
        document = commitment.document
        assert (document.id if document else None) == raw.get("document")


def test_actors_issue_areas_and_events_lead_back_to_them(canonical_12: hsdata.Dataset) -> None:
    engagements = _records(canonical_data_dir(), "engagement")
    commitments = _records(canonical_data_dir(), "commitment")
    checked = 0
    for actor in canonical_12.actors.records():
        engaged = [e["id"] for e in engagements if e["actor"] == actor.id]
        as_forum = [e["id"] for e in engagements if e.get("forum") == actor.id]
        committed = [c["id"] for c in commitments if actor.id in c["committedBy"]]
        assert _ids(actor.engagements) == engaged
        assert _ids(actor.engagements_as_forum) == as_forum
        assert _ids(actor.commitments) == committed
        checked += len(engaged) + len(as_forum) + len(committed)
    for area in canonical_12.issue_areas.records():
        assert _ids(area.engagements) == [
            e["id"] for e in engagements if area.id in e["issueAreas"]
        ]
        assert _ids(area.commitments) == [
            c["id"] for c in commitments if area.id in c.get("issueAreas", ())
        ]
    for event in canonical_12.events.records():
        assert _ids(event.engagements) == [
            e["id"] for e in engagements if e.get("event") == event.id
        ]
        assert _ids(event.commitments) == [
            c["id"] for c in commitments if c.get("madeAt") == event.id
        ]
    for partnership in canonical_12.partnerships.records():
        assert _ids(partnership.engagements) == [
            e["id"] for e in engagements if e.get("partnership") == partnership.id
        ]
    for document in canonical_12.documents.records():
        assert _ids(document.commitments) == [
            c["id"] for c in commitments if c.get("document") == document.id
        ]
    assert checked, "the canonical data links actors to engagements and commitments"


def test_the_fields_12_adds_are_typed_and_navigable() -> None:
    dataset = hsdata.load(MINIMAL)
    raw_documents = {d["id"]: d for d in _records(MINIMAL, "document")}
    for document in dataset.documents.records():
        raw = raw_documents[document.id]
        assert [stage.stage for stage in document.lifecycle] == [
            stage["stage"] for stage in raw.get("lifecycle", ())
        ]
        for stage, raw_stage in zip(document.lifecycle, raw.get("lifecycle", ()), strict=True):
            assert (stage.event.id if stage.event else None) == raw_stage.get("event")
            assert (str(stage.date) if stage.date else None) == raw_stage.get("date")
            if "place" in raw_stage:
                assert isinstance(stage.place, hsdata.Place)
                assert stage.place.to_dict() == raw_stage["place"]
        assert [party.actor for party in document.parties] == [
            dataset.actors[party["actor"]] for party in raw.get("parties", ())
        ]
        assert [i.to_dict() for i in document.identifiers] == raw.get("identifiers", [])
    raw_partnerships = {p["id"]: p for p in _records(MINIMAL, "partnership")}
    for partnership in dataset.partnerships.records():
        raw_roles = raw_partnerships[partnership.id].get("roles", ())
        assert [(r.role, r.actor, r.period) for r in partnership.roles] == [
            (
                role["role"],
                dataset.actors[role["actor"]],
                hsdata.Period.from_json(role["period"]) if "period" in role else None,
            )
            for role in raw_roles
        ]
    for raw_actor in _records(MINIMAL, "actor"):
        actor = dataset.actors[raw_actor["id"]]
        location = raw_actor.get("location")
        assert (actor.location.to_dict() if actor.location else None) == location
        if location and "coordinates" in location:
            assert actor.location is not None and actor.location.coordinates is not None
            assert actor.location.coordinates.latitude == location["coordinates"]["latitude"]
        assert (str(actor.as_of) if actor.as_of else None) == raw_actor.get("asOf")
        assert [(i.scheme, i.id, i.uri) for i in actor.identifiers] == [
            (i["scheme"], i["id"], i.get("uri")) for i in raw_actor.get("identifiers", ())
        ]
    for raw_area in _records(MINIMAL, "issueArea"):
        area = dataset.issue_areas[raw_area["id"]]
        assert list(area.exact_match) == raw_area.get("exactMatch", [])


def test_a_location_is_a_place() -> None:
    # The 1.0 and 1.1 name stays usable: code written for them keeps working.
    assert hsdata.Location is hsdata.Place
    place = hsdata.Location.from_json({"name": {"en": "Oslo"}, "country": "NO"})
    assert (str(place.name), place.country, place.coordinates) == ("Oslo", "NO", None)


def test_data_of_an_earlier_version_has_no_engagements_or_commitments() -> None:
    dataset = hsdata.load(CANONICAL_1_1)
    assert dataset.schema_version == "1.1"
    assert "engagement" not in dataset.record_types
    assert len(dataset.engagements) == 0 and len(dataset.commitments) == 0
    assert list(dataset.engagements) == [] and "anything" not in dataset.commitments
    canada = dataset.actors["canada"]
    assert canada.engagements == () and canada.commitments == ()
    assert canada.identifiers == () and canada.as_of is None and canada.location is None
    with pytest.raises(KeyError, match="no engagement with id"):
        dataset.engagements["anything"]


def test_prefixed_references_of_the_new_types_lead_into_the_dependency(tmp_path: Path) -> None:
    canonical = Path(shutil.copytree(canonical_data_dir(), tmp_path / "canonical"))
    package = Path(shutil.copytree(MINIMAL, tmp_path / "package"))
    descriptor_path = package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    dependency = json.loads((canonical / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["hsdata:dependencies"] = [
        {
            "prefix": "hsca",
            "name": dependency["name"],
            "version": dependency["version"],
            "namespace": dependency["hsdata:namespace"],
            "path": "../canonical",
        }
    ]
    descriptor_path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    engagements_path = package / "engagements.json"
    engagements = json.loads(engagements_path.read_text(encoding="utf-8"))
    engagements[0]["forum"] = "hsca:un-security-council"
    engagements[0]["issueAreas"].append("hsca:protection-of-civilians")
    engagements_path.write_text(json.dumps(engagements, indent=2), encoding="utf-8")
    commitments_path = package / "commitments.json"
    commitments = json.loads(commitments_path.read_text(encoding="utf-8"))
    commitments[0]["committedBy"].append("hsca:canada")
    commitments_path.write_text(json.dumps(commitments, indent=2), encoding="utf-8")

    dataset = hsdata.load(package)
    other = dataset.dependencies["hsca"]
    engagement = dataset.engagements[engagements[0]["id"]]
    assert engagement.forum is other.actors["un-security-council"]
    assert engagement.issue_areas[-1] is other.issue_areas["protection-of-civilians"]
    commitment = dataset.commitments[commitments[0]["id"]]
    assert commitment.committed_by[-1] is other.actors["canada"]
    assert engagement.to_dict() == engagements[0]
