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
SCHEMAS = hsdata.load_schema_set(VERSIONS[0])


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


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("record_type", SCHEMAS.record_types)
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


@pytest.mark.parametrize("record_type", SCHEMAS.record_types)
def test_every_typed_field_is_in_some_version(record_type: str) -> None:
    from_class: dict[tuple[str, ...], set[str]] = defaultdict(set)
    _class_properties(RECORD_CLASSES[record_type], (), from_class)
    known: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for version in VERSIONS:
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
    return {
        "actor": {
            "id": "a",
            "type": "person",
            "name": text,
            "abbreviation": text,
            "description": text,
            "country": "CA",
            "parent": "b",
            "posts": [
                {"organization": "c", "type": "t", "label": text, "period": period},
                {"organization": "c", "heldOn": "1997-12-03"},
                {"organization": "c", "attestedOn": ["1997-12-03", "1998"]},
            ],
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
            "relatedPartnerships": [{"partnership": "q", "relation": "grewOutOf"}],
            "note": text,
            "citations": [citation],
        },
        "event": {
            "id": "e",
            "type": "retreat",
            "name": text,
            "status": "postponed",
            "date": {"start": "1999-02", "end": "1999-03-01"},
            "location": {"name": text, "country": "NO"},
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
            "note": text,
            "citations": [citation],
        },
        "issueArea": {
            "id": "x",
            "label": text,
            "alternateLabels": [text],
            "definition": text,
            "broader": ["y"],
            "note": text,
            "citations": [citation],
        },
        "membership": {
            "id": "m",
            "member": "a",
            "organization": "b",
            "role": "president",
            "period": {"end": "1999-02"},
            "note": text,
            "citations": [citation],
        },
        "document": {
            "id": "d",
            "type": "declaration",
            "title": text,
            "date": "1998-05-11",
            "authors": ["a", "b"],
            "description": text,
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
            "description": text,
        },
    }


@pytest.mark.parametrize("record_type", SCHEMAS.record_types)
def test_a_record_with_every_field_round_trips(record_type: str) -> None:
    raw = _every_field_example()[record_type]
    record = RECORD_CLASSES[record_type].from_json(raw)
    assert record.to_dict() == raw
    assert not record.extra, "every field of the example is a standard field"
