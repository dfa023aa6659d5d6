"""The record classes cover every field of the standard's schemas, and nothing else.

If a schema gains a field, this fails and names it, so that the typed
records never silently push a standard field into ``extra``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

import hsdata
from hsdata._records import RECORD_CLASSES, Node
from hsdata._schemas import _walk

VERSIONS = hsdata.available_versions()
#: (record type, version) for every record type of every version of the standard.
TYPE_VERSIONS = [
    (record_type, version)
    for version in VERSIONS
    for record_type in hsdata.load_schema_set(version).record_types
]
#: Every record type any version of the standard has.
RECORD_TYPES = sorted({record_type for record_type, _ in TYPE_VERSIONS})


def _schema_properties(record_type: str, version: str) -> dict[tuple[str, ...], set[str]]:
    """The property names of every object in a record type's schema, by field path."""
    schemas = hsdata.load_schema_set(version)
    found: dict[tuple[str, ...], set[str]] = defaultdict(set)
    schema_id = schemas.schema_id(record_type)
    record_schema = schemas.record_schema(record_type)
    for path, subschema in _walk(record_schema, (), schema_id, schemas.registry):
        if "properties" in subschema:
            found[path].update(subschema["properties"])
    return {path: names for path, names in found.items() if names}


def _class_properties(
    cls: type[Node], path: tuple[str, ...], into: dict[tuple[str, ...], set[str]]
) -> None:
    import dataclasses

    for item in dataclasses.fields(cls):
        if "json" not in item.metadata:
            continue
        key = item.metadata["json"]
        into[path].add(key)
        nested = _nested_class(item.type)
        if nested is not None:
            is_list = "tuple[" in str(item.type)
            _class_properties(nested, (*path, key, "*") if is_list else (*path, key), into)


def _nested_class(annotation: Any) -> type[Node] | None:
    text = str(annotation)
    for name in dir(hsdata):
        candidate = getattr(hsdata, name)
        if (
            isinstance(candidate, type)
            and issubclass(candidate, Node)
            and candidate not in RECORD_CLASSES.values()
            and (f"[{name}," in text or text.startswith(f"{name} |") or text == name)
        ):
            return candidate
    return None


@pytest.mark.parametrize(("record_type", "version"), TYPE_VERSIONS)
def test_every_schema_field_has_a_typed_field(record_type: str, version: str) -> None:
    from_schema = _schema_properties(record_type, version)
    from_class: dict[tuple[str, ...], set[str]] = defaultdict(set)
    _class_properties(RECORD_CLASSES[record_type], (), from_class)
    missing = {
        path: names - from_class.get(path, set())
        for path, names in from_schema.items()
        if names - from_class.get(path, set())
    }
    assert not missing, f"hsdata {version} fields with no typed field: {missing}"


def test_every_record_type_of_every_version_has_a_class() -> None:
    assert set(RECORD_TYPES) == set(RECORD_CLASSES)


@pytest.mark.parametrize("record_type", RECORD_TYPES)
def test_every_typed_field_is_in_some_version(record_type: str) -> None:
    from_class: dict[tuple[str, ...], set[str]] = defaultdict(set)
    _class_properties(RECORD_CLASSES[record_type], (), from_class)
    known: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for known_type, version in TYPE_VERSIONS:
        if known_type != record_type:
            continue
        for path, names in _schema_properties(record_type, version).items():
            known[path] |= names
    extra = {p: names - known[p] for p, names in from_class.items() if names - known[p]}
    assert not extra, f"typed fields no version of the standard has: {extra}"


def _every_field_example() -> dict[str, dict[str, Any]]:
    """One record of each type with every optional field the schemas allow."""
    citation = {
        "source": "s",
        "section": "1.",
        "paragraph": 2,
        "page": "iv",
        "quote": "as quoted",
        "supports": ["/name", "/members/0"],
    }
    text = {"en": "Text", "fr": "Texte", "fr-CA": "Texte (CA)"}
    period = {"start": "1998-05", "end": "1999"}
    identifiers = [
        {"scheme": "wikidata", "id": "Q16", "uri": "https://www.wikidata.org/entity/Q16"},
        {"scheme": "iso3166-1", "id": "CA"},
    ]
    place = {
        "name": text,
        "country": "NO",
        "subdivision": "NO-46",
        "region": "154",
        "coordinates": {"latitude": 60.03, "longitude": 5.2},
        "identifiers": [
            {"scheme": "geonames", "id": "3147474", "uri": "https://sws.geonames.org/3147474/"}
        ],
    }
    as_of = "2000-06"
    return {
        "actor": {
            "id": "a",
            "type": "person",
            "name": text,
            "abbreviation": text,
            "description": text,
            "country": "CA",
            "location": place,
            "parent": "dep:b",
            "posts": [
                {"organization": "c", "type": "t", "label": text, "period": period},
                {"organization": "c", "heldOn": "1997-12-03"},
                {"organization": "c", "attestedOn": ["1997-12-03", "1998"]},
            ],
            "identifiers": identifiers,
            "asOf": as_of,
            "note": text,
            "citations": [citation],
        },
        "partnership": {
            "id": "p",
            "type": "network",
            "name": text,
            "alternateNames": [text, {"en": "Other"}],
            "description": text,
            "status": "ended",
            "period": {"start": "1998", "end": "2001-06-30"},
            "members": [
                {"actor": "a", "role": "party", "joined": "1998", "left": "2000-01"},
                {"actor": "b", "role": "observer", "citations": [citation]},
            ],
            "membersComplete": False,
            "reportedMemberCount": {
                "minimum": 13,
                "maximum": 15,
                "asOf": "2000",
                "statement": text,
            },
            "issueAreas": ["x", "y"],
            "foundingEvent": "e",
            "foundingInstrument": "d",
            "roles": [
                {"role": "chair", "actor": "a", "period": period, "citations": [citation]},
                {"role": "chair", "actor": "b", "period": {"start": "1999"}},
            ],
            "relatedPartnerships": [{"partnership": "q", "relation": "grewOutOf"}],
            "identifiers": identifiers,
            "asOf": as_of,
            "note": text,
            "citations": [citation],
        },
        "event": {
            "id": "e",
            "type": "retreat",
            "name": text,
            "status": "postponed",
            "date": {"start": "1999-02", "end": "1999-03-01"},
            "location": place,
            "body": "b",
            "partnership": "p",
            "issueAreas": [],
            "participants": [
                {"actor": "a", "role": "chair", "onBehalfOf": "b", "capacity": text},
                {"actor": "b", "role": "host"},
            ],
            "outcomeDocuments": ["d"],
            "followUpOf": "f",
            "description": text,
            "identifiers": identifiers,
            "asOf": as_of,
            "note": text,
            "citations": [citation],
        },
        "issueArea": {
            "id": "x",
            "label": text,
            "alternateLabels": [text],
            "definition": text,
            "broader": ["y"],
            "exactMatch": ["https://example.org/vocabulary/x"],
            "closeMatch": ["https://example.org/vocabulary/close"],
            "broadMatch": ["https://example.org/vocabulary/broad"],
            "narrowMatch": ["https://example.org/vocabulary/narrow"],
            "relatedMatch": ["https://example.org/vocabulary/related"],
            "identifiers": identifiers,
            "asOf": as_of,
            "note": text,
            "citations": [citation],
        },
        "membership": {
            "id": "m",
            "member": "a",
            "organization": "b",
            "role": "president",
            "period": {"start": "1999-01-01", "end": "1999-02"},
            "identifiers": identifiers,
            "asOf": as_of,
            "note": text,
            "citations": [citation],
        },
        "document": {
            "id": "d",
            "type": "declaration",
            "title": text,
            "date": "1998-05-11",
            "authors": ["a", "b"],
            "lifecycle": [
                {"stage": "adopted", "date": "1997-09-18", "event": "e", "place": place},
                {"stage": "openedForSignature", "date": "1997-12-03", "citations": [citation]},
            ],
            "parties": [
                {
                    "actor": "a",
                    "role": "party",
                    "signed": "1997-12-03",
                    "consented": "1997-12-03",
                    "inForce": "1999-03-01",
                    "citations": [citation],
                },
                {"actor": "b", "role": "depositary"},
            ],
            "description": text,
            "identifiers": identifiers,
            "asOf": as_of,
            "note": text,
            "citations": [citation],
        },
        "source": {
            "id": "s",
            "type": "governmentText",
            "title": text,
            "language": "en",
            "publisher": "a",
            "issued": "2000",
            "issuedWithin": {"start": "1998", "end": "2000-06"},
            "url": "https://example.org/text",
            "fileName": "text.txt",
            "sha256": "0" * 64,
            "identifiers": identifiers,
            "asOf": as_of,
            "description": text,
        },
        "engagement": {
            "id": "g",
            "actor": "a",
            "mode": "championed",
            "issueAreas": ["x", "dep:y"],
            "forum": "b",
            "partnership": "p",
            "event": "e",
            "period": period,
            "description": text,
            "identifiers": identifiers,
            "asOf": as_of,
            "note": text,
            "citations": [citation],
        },
        "commitment": {
            "id": "c",
            "committedBy": ["a", "b"],
            "statement": text,
            "issueAreas": ["x"],
            "due": "2000",
            "status": "scheduled",
            "statusAsOf": "1999-12",
            "madeAt": "e",
            "document": "d",
            "identifiers": identifiers,
            "asOf": as_of,
            "note": text,
            "citations": [citation],
        },
    }


@pytest.mark.parametrize("record_type", RECORD_TYPES)
def test_a_record_with_every_field_round_trips(record_type: str) -> None:
    raw = _every_field_example()[record_type]
    record = RECORD_CLASSES[record_type].from_json(raw)
    assert record.to_dict() == raw
    assert not record.extra, "every field of the example is a standard field"


@pytest.mark.parametrize("record_type", RECORD_TYPES)
def test_the_every_field_example_has_every_field_of_the_newest_version(record_type: str) -> None:
    # Otherwise the round trip above would prove nothing for the fields it leaves out.
    newest = max(version for known, version in TYPE_VERSIONS if known == record_type)
    from_schema = _schema_properties(record_type, newest)
    found: dict[tuple[str, ...], set[str]] = defaultdict(set)
    _example_properties(_every_field_example()[record_type], (), found)
    missing = {p: names - found[p] for p, names in from_schema.items() if names - found[p]}
    assert not missing, f"the example leaves out: {missing}"


def _example_properties(
    value: Any, path: tuple[str, ...], into: dict[tuple[str, ...], set[str]]
) -> None:
    # Language maps add their tags too: harmless, only the schema's paths are compared.
    if isinstance(value, dict):
        into[path].update(value)
        for key, item in value.items():
            _example_properties(item, (*path, key), into)
    elif isinstance(value, list):
        for item in value:
            _example_properties(item, (*path, "*"), into)
