"""The JSON-LD export: the data set as linked data.

The terms are the standard's own field names; the context
(``schema/<version>/context.jsonld``) maps them to schema.org, the W3C
Organization ontology, SKOS and Dublin Core, with every multilingual text as
a language map (``@container: @language``). Nothing here names a record type
or a field: the nodes are laid out from the schemas and typed from the
context.

* Each record becomes a node whose IRI is the data set's base IRI, the
  record type's resource name and its id (``.../actors/canada``), typed by
  the context's term for the record type in UpperCamelCase (``IssueArea``,
  or ``hsdata:IssueArea`` when the context has no such term) and by the
  classes the context file's ``@graph`` says it is a subclass of
  (``hsdata:Partnership rdfs:subClassOf org:OrganizationalCollaboration``),
  written out because most consumers do not reason. A nested object defined
  in the schemas' ``$defs`` (``Member``, ``Post``, ``Location``) is typed
  the same way when the context has a term for its definition. One rule
  depends on a value: an actor whose type is 'person' is a schema:Person,
  any other an org:Organization and a schema:Organization.
* Every field the schemas mark with ``recordRef`` becomes a link to the
  IRI of the record it names.
* A period that is the time of the thing itself (a field ``date`` or
  ``period`` holding a Period) becomes ``startDate`` and ``endDate`` on the
  node; any other period, such as a source's ``issuedWithin``, a node
  holding the two.
* A partial date becomes a literal typed by its precision: ``xsd:gYear``
  ('1999'), ``xsd:gYearMonth`` ('1998-12') or ``xsd:date`` ('1998-05-11').
* A list of language maps (other names, other labels) becomes one language
  map holding a list per language.
* A field the schemas do not define (added by an extension) becomes
  ``hsdata:<name>`` holding its JSON text.

Membership periods are given as schema:startDate and schema:endDate of the
org:Membership node, as Popolo does, rather than through org:memberDuring,
whose OWL-Time interval needs instants where hsdata has partial dates.

The export embeds the context so that it can be read without the network.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .._dates import PartialDate, Precision
from .._files import OutputError, reason_of, write_text
from .._loader import Dataset, Exporter, register_conversion, register_exporter
from .._package import resource_record_type
from .._paths import schema_root
from .._schema_shapes import Array, LanguageMap, Object, Scalar, Shape, record_shape
from .._schemas import kebab_case

_XSD = {Precision.YEAR: "xsd:gYear", Precision.MONTH: "xsd:gYearMonth", Precision.DAY: "xsd:date"}
#: The classes of an actor, by whether its type is 'person'.
_PERSON = ("schema:Person",)
_ORGANIZATION = ("org:Organization", "schema:Organization")
#: The periods that become startDate and endDate of the node holding them: the time
#: of the thing itself. Other periods (a source's issuedWithin) stay nested.
_FLATTENED_PERIODS = frozenset({"date", "period"})
_PERIOD = "Period"
_SUBCLASS_OF = "rdfs:subClassOf"


def _context_file(version: str) -> dict[str, Any]:
    path = schema_root() / version / "context.jsonld"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def load_context(version: str) -> dict[str, Any]:
    """The JSON-LD context of a version of the standard (its ``@context`` object)."""
    return dict(_context_file(version)["@context"])


def class_hierarchy(version: str) -> dict[str, tuple[str, ...]]:
    """{class IRI as the context writes it: the classes it is a subclass of}, from the
    context file's ``@graph`` (``rdfs:subClassOf`` statements)."""
    found: dict[str, tuple[str, ...]] = {}
    for node in _context_file(version).get("@graph", ()):
        if not isinstance(node, dict) or not isinstance(node.get("@id"), str):
            continue
        parents = node.get(_SUBCLASS_OF, ())
        parents = parents if isinstance(parents, list) else [parents]
        found[node["@id"]] = tuple(
            parent["@id"] if isinstance(parent, dict) else str(parent) for parent in parents
        )
    return found


def _upper_camel(name: str) -> str:
    return name[:1].upper() + name[1:]


def _date(value: str) -> dict[str, str] | str:
    try:
        precision = PartialDate.parse(value).precision
    except (TypeError, ValueError):
        return value
    return {"@value": value, "@type": _XSD[precision]}


def _resource_name(record_type: str, dataset: Dataset) -> str:
    for resource in dataset.descriptor.get("resources", ()):
        if isinstance(resource, dict) and resource_record_type(resource) == record_type:
            name = resource.get("name")
            if isinstance(name, str):
                return name
    # As the canonical package names its resources: 'issueArea' -> 'issue-areas'.
    return kebab_case(record_type) + "s"


class _Converter:
    def __init__(self, dataset: Dataset, context: Mapping[str, Any]) -> None:
        self.dataset = dataset
        self.context = context
        self.hierarchy = class_hierarchy(dataset.schema_version)
        self.prefixes = {t: _resource_name(t, dataset) for t in dataset.record_types}
        self.shapes = {t: record_shape(dataset.schema_set, t) for t in dataset.record_types}

    def iri(self, record_type: str, record_id: str) -> str:
        return f"{self.prefixes[record_type]}/{record_id}"

    def classes(self, name: str, *, required: bool) -> list[str]:
        """The context's term for a class and what it is a subclass of (transitively)."""
        if name not in self.context:
            return [f"hsdata:{name}"] if required else []
        term = self.context[name]
        found = [name]
        pending = [term if isinstance(term, str) else term.get("@id")]
        while pending:
            for parent in self.hierarchy.get(pending.pop(), ()):
                if parent not in found:
                    found.append(parent)
                    pending.append(parent)
        return found

    def record(self, record_type: str, record: Mapping[str, Any]) -> dict[str, Any]:
        types = self.classes(_upper_camel(record_type), required=True)
        if record_type == "actor":
            types += _PERSON if record.get("type") == "person" else _ORGANIZATION
        node: dict[str, Any] = {"@id": self.iri(record_type, str(record.get("id"))), "@type": types}
        node.update(self.fields(record, self.shapes[record_type]))
        return node

    def fields(self, item: Mapping[str, Any], shape: Object) -> dict[str, Any]:
        properties = dict(shape.properties)
        out: dict[str, Any] = {}
        for key, value in item.items():
            sub = properties.get(key)
            if sub is None:
                out[f"hsdata:{key}"] = json.dumps(value, ensure_ascii=False, sort_keys=True)
                continue
            if value is None or value == []:
                continue
            if (
                key in _FLATTENED_PERIODS
                and isinstance(sub, Object)
                and sub.definition == _PERIOD
                and isinstance(value, dict)
            ):
                out.update(self.period(value))
                continue
            out[key] = self.value(value, sub)
        return out

    def period(self, value: Mapping[str, Any]) -> dict[str, Any]:
        period: dict[str, Any] = {}
        for key, name in (("start", "startDate"), ("end", "endDate")):
            if isinstance(value.get(key), str):
                period[name] = _date(value[key])
        return period

    def value(self, value: Any, shape: Shape) -> Any:
        if isinstance(shape, Array) and isinstance(value, list):
            if isinstance(shape.item, LanguageMap):
                merged: dict[str, list[Any]] = {}
                for text in value:
                    for language, string in text.items() if isinstance(text, dict) else ():
                        merged.setdefault(language, []).append(string)
                return merged
            return [self.value(item, shape.item) for item in value]
        if isinstance(shape, LanguageMap) and isinstance(value, dict):
            return dict(value)
        if isinstance(shape, Object) and isinstance(value, dict):
            if shape.definition == _PERIOD:
                return self.period(value)
            nested = self.fields(value, shape)
            types = self.classes(shape.definition, required=False) if shape.definition else []
            return {"@type": types, **nested} if types else nested
        if isinstance(shape, Scalar) and isinstance(value, str):
            if shape.record_ref in self.prefixes:
                return self.iri(str(shape.record_ref), value)
            if shape.partial_date:
                return _date(value)
            return value
        if isinstance(value, dict | list):
            # Not the shape the schemas give: kept, as JSON text, rather than misread.
            return json.dumps(value, ensure_ascii=False, sort_keys=True)
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
    context = load_context(dataset.schema_version)
    converter = _Converter(dataset, context)
    graph = []
    for record_type in dataset.record_types:
        collection = dataset.records(record_type)
        graph += [converter.record(record_type, collection.json(i)) for i in collection]
    return {"@context": [context, {"@base": base or base_iri(dataset)}], "@graph": graph}


def jsonld_text(dataset: Dataset, *, base: str | None = None) -> str:
    """:func:`to_jsonld` as UTF-8 text, indented, ending with a newline."""
    return json.dumps(to_jsonld(dataset, base=base), indent=2, ensure_ascii=False) + "\n"


def write_file(path: Path, text: str) -> None:
    """Write one export file whole or not at all, making its folder if it is missing.

    Raises :class:`OutputError` naming the file when the folder cannot be made (a read-only
    disk, a file where a folder should be) or the file cannot be written.
    """
    if path.parent != Path():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {reason_of(exc)}", path) from exc
    write_text(path, text)


def write_jsonld(dataset: Dataset, out: str | Path, *, base: str | None = None) -> Path:
    """Write :func:`to_jsonld` to the file ``out`` (whole or not at all); return its path."""
    path = Path(out)
    write_file(path, jsonld_text(dataset, base=base))
    return path


register_conversion("jsonld", to_jsonld)
register_exporter(
    Exporter(
        "jsonld",
        "one JSON-LD document (schema.org, W3C ORG, SKOS) into OUT, a file "
        "(a folder: OUT/NAME.jsonld; '-': standard output)",
        "file",
        write_jsonld,
        summary="JSON-LD to",
        suffix=".jsonld",
        text=jsonld_text,
        options=frozenset({"base"}),
    )
)
