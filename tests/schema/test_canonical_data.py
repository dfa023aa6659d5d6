"""The canonical data package: complete, faithful to its sources, valid.

These tests check the data independently of the hsdata validator, so that a
bug in the validator cannot hide a problem in the data.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest

from hsdata._dates import PartialDate
from hsdata._schemas import load_schema_set

from .helpers import DATA_DIR, REPO_ROOT, load_strict, walk

PACKAGE = load_strict(DATA_DIR / "datapackage.json")
SCHEMAS = load_schema_set(PACKAGE["hsdata:version"])
SEEDS_DIR = REPO_ROOT.parent / "shared" / "seeds"


def records_by_type() -> dict[str, list[dict[str, Any]]]:
    by_type: dict[str, list[dict[str, Any]]] = {}
    for resource in PACKAGE["resources"]:
        record_type = SCHEMAS.record_type_of_schema(resource["jsonSchema"])
        assert record_type == resource["hsdata:recordType"], resource["name"]
        by_type[record_type] = load_strict(DATA_DIR / resource["path"])
    return by_type


RECORDS = records_by_type()
ALL = [(t, r) for t, recs in RECORDS.items() for r in recs]


def by_id(record_type: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in RECORDS[record_type]}


def test_every_record_type_has_a_resource() -> None:
    assert set(RECORDS) == set(SCHEMAS.record_types)


@pytest.mark.parametrize(("record_type", "record"), ALL, ids=[f"{t}:{r['id']}" for t, r in ALL])
def test_record_is_valid_against_its_schema(record_type: str, record: dict[str, Any]) -> None:
    schema = SCHEMAS.record_schema(record_type)
    validator = jsonschema.Draft202012Validator(
        schema, registry=SCHEMAS.registry, format_checker=jsonschema.FormatChecker()
    )
    problems = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(record)]
    assert not problems
    fast = jsonschema_rs.validator_for(
        schema, registry=jsonschema_rs.Registry(list(SCHEMAS.schemas.items()))
    )
    assert fast.is_valid(record)


def test_identifiers_are_unique_per_type() -> None:
    for record_type, records in RECORDS.items():
        repeated = [i for i, n in Counter(r["id"] for r in records).items() if n > 1]
        assert not repeated, f"{record_type}: repeated ids {repeated}"


def test_every_reference_points_to_a_record_of_the_right_type() -> None:
    ids = {t: {r["id"] for r in recs} for t, recs in RECORDS.items()}
    dangling = []
    for field in SCHEMAS.reference_fields:
        for record in RECORDS[field.record_type]:
            for value in values_at(record, field.path):
                if value not in ids[field.target]:
                    dangling.append(f"{field.record_type} {record['id']} {field.path}: {value}")
    assert not dangling


def values_at(node: Any, path: tuple[str, ...]) -> list[Any]:
    if not path:
        return [node]
    head, rest = path[0], path[1:]
    if head == "*":
        return [v for item in node for v in values_at(item, rest)] if isinstance(node, list) else []
    if isinstance(node, dict) and head in node:
        return values_at(node[head], rest)
    return []


def test_every_reference_field_is_exercised_somewhere() -> None:
    """The canonical data uses each kind of link at least once, or it says why not."""
    unused = {
        (f.record_type, f.path)
        for f in SCHEMAS.reference_fields
        if not any(values_at(r, f.path) for r in RECORDS[f.record_type])
    }
    # Neither source names its publisher; no partnership member cites separately; the texts
    # name no chair, host or other role of a partnership; a document's signature and signatories
    # are stated by the passage the document itself cites.
    assert unused == {
        ("source", ("publisher",)),
        ("partnership", ("members", "*", "citations", "*", "source")),
        ("partnership", ("roles", "*", "actor")),
        ("partnership", ("roles", "*", "citations", "*", "source")),
        ("document", ("lifecycle", "*", "citations", "*", "source")),
        ("document", ("parties", "*", "citations", "*", "source")),
    }


def test_partial_dates_are_real_and_ordered() -> None:
    for record_type, record in ALL:
        for pointer, node in walk(record):
            if isinstance(node, dict) and {"start", "end"} <= node.keys():
                start, end = PartialDate.parse(node["start"]), PartialDate.parse(node["end"])
                assert not end < start, f"{record_type} {record['id']}{pointer}"
            if pointer.endswith(
                ("/start", "/end", "/joined", "/left", "/heldOn", "/date")
            ) and isinstance(node, str):
                PartialDate.parse(node)


def seed_text(source: dict[str, Any]) -> str:
    path = SEEDS_DIR / source["fileName"]
    if not path.exists():
        pytest.skip(f"source texts not available at {SEEDS_DIR}")
    raw = path.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == source["sha256"], f"{path.name} changed"
    return raw.decode("utf-8")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_quotation_appears_word_for_word_in_its_source() -> None:
    sources = {s["id"]: normalise(seed_text(s)) for s in RECORDS["source"]}
    missing = []
    for record_type, record in ALL:
        for pointer, node in walk(record):
            quoted = isinstance(node, dict) and "quote" in node and "source" in node
            if quoted and normalise(node["quote"]) not in sources[node["source"]]:
                missing.append(f"{record_type} {record['id']}{pointer}")
    assert not missing, f"quotations not found in their source: {missing}"


def test_every_record_other_than_sources_cites_a_source() -> None:
    for record_type, record in ALL:
        if record_type != "source":
            assert record["citations"], f"{record_type} {record['id']}"


def test_codelists_and_issue_areas_have_french_labels() -> None:
    for codelist in SCHEMAS.codelists.values():
        for code, titles in codelist.titles.items():
            assert titles["fr"], f"{codelist.name}: {code} has no French title"
    for area in RECORDS["issueArea"]:
        assert area["label"].get("fr") and area["definition"].get("fr"), area["id"]


def test_names_are_spelled_correctly_while_quotations_keep_the_source_spelling() -> None:
    names = [r["name"]["en"] for r in RECORDS["actor"]]
    assert "Cornelio Sommaruga" in names
    for _record_type, record in ALL:
        for pointer, node in walk(record):
            if isinstance(node, str) and not pointer.endswith("/quote") and "/note/" not in pointer:
                assert "Cornello" not in node and "transforn" not in node, (
                    f"{record['id']}{pointer}"
                )
    quotes = [n for _, r in ALL for p, n in walk(r) if p.endswith("/quote")]
    assert any("Cornello Sommaruga" in q for q in quotes)


def test_the_lysoen_partnership_as_the_sources_state_it() -> None:
    lysoen = by_id("partnership")["lysoen-partnership"]
    assert lysoen["type"] == "bilateral"
    assert sorted(m["actor"] for m in lysoen["members"] if m["role"] == "party") == [
        "canada",
        "norway",
    ]
    assert len(lysoen["issueAreas"]) == 9
    assert lysoen["period"]["start"] == "1998-05-11"
    signing = by_id("event")[lysoen["foundingEvent"]]
    assert signing["date"] == {"start": "1998-05-11"}
    assert by_id("document")[lysoen["foundingInstrument"]]["title"]["en"] == "Lysøen Declaration"


def test_the_network_records_its_vague_membership_without_inventing_members() -> None:
    network = by_id("partnership")["human-security-network"]
    assert network["membersComplete"] is False
    assert network["reportedMemberCount"]["minimum"] == 13
    assert "maximum" not in network["reportedMemberCount"]
    assert {"partnership": "lysoen-partnership", "relation": "grewOutOf"} in network[
        "relatedPartnerships"
    ]


def test_dates_keep_the_precision_of_the_source() -> None:
    events = by_id("event")
    assert events["lysoen-senior-officials-meeting-1998"]["date"]["start"] == "1998-12"
    follow_up = events["human-security-follow-up-meeting-norway-1999"]
    assert follow_up["status"] == "scheduled"
    assert follow_up["date"] == {"start": "1999-05-19", "end": "1999-05-20"}


def test_new_york_luncheon_lists_the_nine_countries_and_two_hosts() -> None:
    luncheon = by_id("event")["human-security-luncheon-new-york-1998"]
    roles = Counter(p["role"] for p in luncheon["participants"])
    assert roles == {"participant": 9, "coHost": 2}
    states = by_id("actor")
    assert all(states[p["actor"]]["type"] == "state" for p in luncheon["participants"])


def test_data_package_passes_frictionless() -> None:
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(DATA_DIR / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])


def test_data_package_metadata_is_complete() -> None:
    assert PACKAGE["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    for key in ("name", "version", "licenses", "sources", "contributors", "title", "description"):
        assert PACKAGE.get(key), key
    assert {r["path"] for r in PACKAGE["resources"]} == {
        p.name for p in Path(DATA_DIR).glob("*.json")
    } - {"datapackage.json"}
