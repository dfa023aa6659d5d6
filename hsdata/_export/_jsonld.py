"""The JSON-LD export: the data set as linked data.

The terms are the standard's own field names; the context
(``schema/<version>/context.jsonld``) maps them to schema.org (Event,
Organization, Person, startDate, location, ...), the W3C Organization
ontology (org:Membership, org:OrganizationalCollaboration, org:member,
org:organization, org:subOrganizationOf, org:holds), SKOS for the issue-area
vocabulary and Dublin Core for sources, with every multilingual text as a
language map (``@container: @language``).

Each record becomes a node whose IRI is the data set's base IRI, the record
type's resource name and its id (``.../actors/canada``); every reference to
another record becomes a link to that IRI (found through the schemas'
``recordRef`` fields, not listed here). Three shapes differ from the JSON
records, because linked data says them differently:

* a period (``date`` of an event, ``period`` of a partnership, membership or
  post) becomes ``startDate`` and ``endDate`` on the node itself (any other
  period, such as a source's ``issuedWithin``, a node holding the two);
* a partial date becomes a literal typed by its precision: ``xsd:gYear``
  ('1999'), ``xsd:gYearMonth`` ('1998-12') or ``xsd:date`` ('1998-05-11');
* a list of language maps (other names, other labels) becomes one language
  map holding a list per language.

Membership periods are given as schema:startDate and schema:endDate of the
org:Membership node, as Popolo does, rather than through org:memberDuring,
whose OWL-Time interval needs instants where hsdata has partial dates.

The export embeds the context so that it can be read without the network.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .._dates import PartialDate, Precision
from .._loader import Dataset
from .._paths import schema_root
from .._records import LanguageMap, Node, Period, Record
from .._schemas import kebab_case

_XSD = {Precision.YEAR: "xsd:gYear", Precision.MONTH: "xsd:gYearMonth", Precision.DAY: "xsd:date"}

#: The @type of each record type's nodes (beyond hsdata's own class).
_CLASSES: dict[str, tuple[str, ...]] = {
    "actor": ("Actor",),
    "partnership": ("Partnership", "org:OrganizationalCollaboration", "schema:Organization"),
    "membership": ("Membership", "org:Membership"),
    "event": ("Event", "schema:Event"),
    "issueArea": ("IssueArea", "skos:Concept"),
    "document": ("Document", "schema:CreativeWork"),
    "source": ("Source", "schema:CreativeWork"),
}
_ORGANIZATION = ("org:Organization", "schema:Organization")
#: The periods that become startDate and endDate of the node holding them: the time
#: of the thing itself. Other periods (a source's issuedWithin) stay nested.
_FLATTENED_PERIODS = frozenset({"date", "period"})
#: The @type of nested objects, by the field that holds them.
_NESTED_CLASSES: dict[str, tuple[str, ...]] = {
    "members": ("Member", "org:Membership"),
    "posts": ("Post", "org:Post"),
    "participants": ("Participant",),
    "citations": ("Citation",),
    "relatedPartnerships": ("PartnershipRelation",),
    "location": ("Location", "schema:Place"),
}


def load_context(version: str) -> dict[str, Any]:
    """The JSON-LD context of a version of the standard (its ``@context`` object)."""
    path = schema_root() / version / "context.jsonld"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return dict(data["@context"])


def _date(value: PartialDate) -> dict[str, str]:
    return {"@value": str(value), "@type": _XSD[value.precision]}


def _resource_name(record_type: str, dataset: Dataset) -> str:
    for resource in dataset.descriptor.get("resources", ()):
        if isinstance(resource, dict) and resource.get("hsdata:recordType") == record_type:
            name = resource.get("name")
            if isinstance(name, str):
                return name
    # As the canonical package names its resources: 'issueArea' -> 'issue-areas'.
    return kebab_case(record_type) + "s"


class _Converter:
    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.prefixes = {t: _resource_name(t, dataset) for t in dataset.record_types}
        self.references: dict[tuple[str, tuple[str, ...]], str] = {
            (ref.record_type, ref.path): ref.target for ref in dataset.schema_set.reference_fields
        }

    def iri(self, record_type: str, record_id: str) -> str:
        return f"{self.prefixes[record_type]}/{record_id}"

    def record(self, record: Record) -> dict[str, Any]:
        kind = record.record_type
        types = list(_CLASSES.get(kind, ()))
        if kind == "actor":
            types += (
                ["schema:Person"] if getattr(record, "type", None) == "person" else _ORGANIZATION
            )
        node: dict[str, Any] = {"@id": self.iri(kind, record.id), "@type": types}
        node.update(self.node(record, kind, ()))
        return node

    def node(self, node: Node, kind: str, path: tuple[str, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for attribute, key, _ in node._fields_spec():
            value = getattr(node, attribute)
            if value is None or (isinstance(value, tuple) and not value):
                continue
            here = (*path, key)
            if isinstance(value, Period) and key in _FLATTENED_PERIODS:
                if value.start is not None:
                    out["startDate"] = _date(value.start)
                if value.end is not None:
                    out["endDate"] = _date(value.end)
                continue
            out[key] = self.value(value, kind, here)
        for key, value in node.extra.items():
            out[f"hsdata:{key}"] = json.dumps(value, ensure_ascii=False, sort_keys=True)
        return out

    def value(self, value: Any, kind: str, path: tuple[str, ...]) -> Any:
        if isinstance(value, tuple):
            if value and isinstance(value[0], LanguageMap):
                merged: dict[str, list[str]] = {}
                for text in value:
                    for language, string in text.items():
                        merged.setdefault(language, []).append(string)
                return merged
            return [self.value(item, kind, (*path, "*")) for item in value]
        if isinstance(value, LanguageMap):
            return value.to_dict()
        if isinstance(value, PartialDate):
            return _date(value)
        if isinstance(value, Period):
            period: dict[str, Any] = {}
            if value.start is not None:
                period["startDate"] = _date(value.start)
            if value.end is not None:
                period["endDate"] = _date(value.end)
            return period
        if isinstance(value, Node):
            nested = self.node(value, kind, path)
            field = next((p for p in reversed(path) if p != "*"), "")
            types = _NESTED_CLASSES.get(field)
            return {"@type": list(types), **nested} if types else nested
        if isinstance(value, str):
            target = self.references.get((kind, path))
            if target is not None:
                return self.iri(target, value)
        return value


def base_iri(dataset: Dataset) -> str:
    """The IRI the record IRIs are relative to: the package's ``id`` if it is a web address."""
    package_id = dataset.descriptor.get("id")
    if isinstance(package_id, str) and package_id.startswith(("https://", "http://")):
        return package_id.rstrip("/") + "/"
    name = dataset.descriptor.get("name") or "data"
    return f"https://w3id.org/hsdata/data/{name}/"


def to_jsonld(dataset: Dataset, *, base: str | None = None) -> dict[str, Any]:
    """The data set as one JSON-LD document (context embedded, records in ``@graph``)."""
    converter = _Converter(dataset)
    context = load_context(dataset.schema_version)
    return {
        "@context": [context, {"@base": base or base_iri(dataset)}],
        "@graph": [converter.record(record) for record in dataset],
    }


def write_jsonld(dataset: Dataset, out: str | Path, *, base: str | None = None) -> Path:
    """Write :func:`to_jsonld` to the file ``out`` (UTF-8, indented); return its path."""
    path = Path(out)
    if path.parent != Path():
        path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(to_jsonld(dataset, base=base), indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    return path
