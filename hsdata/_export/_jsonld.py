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

From 1.2 the context also reads the data files themselves (a records file
wrapped by :func:`file_document`) into the graph of this export, apart from
the classes (``rdf:type``), which a JSON-LD context cannot add to a node. So
the export follows the files there: a record's IRI is its URI (namespace,
collection, id) and carries no separate identifier, a partial date is a plain
literal (one JSON-LD term cannot type '1999' and '1998-12' differently), a
reference ``prefix:id`` names the record in the namespace of the dependency
declaring ``prefix``, and other names and labels are written under the
context's singular term (``alternateName``), the plural one being a nest.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .._dates import PartialDate, Precision
from .._files import OutputError, reason_of, write_text
from .._loader import Dataset, Exporter, register_conversion, register_exporter
from .._package import declared_dependencies, resource_record_type
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
_NEST = {"@id": "@nest"}


def reads_files(context: Mapping[str, Any]) -> bool:
    """Whether a context reads the data files themselves as the export's graph (1.2 on):
    it makes a record's ``id`` its node identifier."""
    return context.get("id") == "@id"


def collection_of(record_type: str) -> str:
    """A record type's collection in record URIs: its file name in the standard."""
    return kebab_case(record_type) + "s"


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
        self.files = reads_files(context)
        #: {prefix: namespace} of the dependencies, for references 'prefix:id' (1.2 on).
        self.namespaces: dict[str, str] = {}
        self.base = ""
        if self.files:
            self.prefixes = {t: collection_of(t) for t in dataset.record_types}
            self.namespaces = dependency_namespaces(dataset.descriptor)

    def iri(self, record_type: str, record_id: str) -> str:
        if not self.files:
            return f"{self.prefixes[record_type]}/{record_id}"
        # Absolute: the context resolves a reference against the base its term sets.
        prefix, _, local = record_id.rpartition(":")
        namespace = self.namespaces.get(prefix, self.base) if prefix else self.base
        return f"{namespace}{collection_of(record_type)}/{local}"

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
        # Relative to the export's base, as a record's id is to its file's base.
        own = f"{self.prefixes[record_type]}/{record.get('id')}"
        node: dict[str, Any] = {"@id": own, "@type": types}
        fields = self.fields(record, self.shapes[record_type])
        if self.files:
            fields.pop("id", None)  # the node's IRI, not a property
        node.update(fields)
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
            if (
                self.files
                and self.context.get(key) == _NEST
                and isinstance(sub, Array)
                and isinstance(sub.item, LanguageMap)
            ):
                out[_singular(key)] = self.value(value, sub)
                continue
            out[key] = self.value(value, sub)
        return out

    def period(self, value: Mapping[str, Any]) -> dict[str, Any]:
        period: dict[str, Any] = {}
        for key, name in (("start", "startDate"), ("end", "endDate")):
            if isinstance(value.get(key), str):
                period[name] = value[key] if self.files else _date(value[key])
        return period

    def value(self, value: Any, shape: Shape) -> Any:
        if isinstance(shape, Array) and isinstance(value, list):
            if isinstance(shape.item, LanguageMap):
                return _merged_languages(value)
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
            if shape.partial_date and not self.files:
                return _date(value)
            return value
        if isinstance(value, dict | list):
            # Not the shape the schemas give: kept, as JSON text, rather than misread.
            return json.dumps(value, ensure_ascii=False, sort_keys=True)
        return value


def _singular(term: str) -> str:
    return term.removesuffix("s")


def _merged_languages(value: list[Any]) -> dict[str, list[Any]]:
    """A list of language maps as one language map holding a list per language."""
    merged: dict[str, list[Any]] = {}
    for text in value:
        for language, string in text.items() if isinstance(text, dict) else ():
            merged.setdefault(language, []).append(string)
    return merged


def dependency_namespaces(descriptor: Mapping[str, Any]) -> dict[str, str]:
    """{prefix: namespace} of the dependencies a descriptor declares with a namespace."""
    return {
        dependency.prefix: dependency.namespace
        for dependency in declared_dependencies(descriptor)
        if dependency.namespace
    }


def base_iri(dataset: Dataset) -> str:
    """The IRI the record IRIs are relative to: the package's namespace (1.2 on), else its
    ``id`` if it is a web address."""
    namespace = dataset.descriptor.get("hsdata:namespace")
    if isinstance(namespace, str) and namespace.startswith(("https://", "http://")):
        return namespace if namespace.endswith("/") else namespace + "/"
    package_id = dataset.descriptor.get("id")
    if isinstance(package_id, str) and package_id.startswith(("https://", "http://")):
        return package_id.rstrip("/") + "/"
    name = dataset.descriptor.get("name") or "data"
    return f"https://w3id.org/hsdata/data/{name}/"


def to_jsonld(dataset: Dataset, *, base: str | None = None) -> dict[str, Any]:
    """The data set as one JSON-LD document (context embedded, records in ``@graph``)."""
    context = load_context(dataset.schema_version)
    converter = _Converter(dataset, context)
    converter.base = base or base_iri(dataset)
    graph = []
    for record_type in dataset.record_types:
        collection = dataset.records(record_type)
        graph += [converter.record(record_type, collection.json(i)) for i in collection]
    return {"@context": [context, {"@base": base or base_iri(dataset)}], "@graph": graph}


def file_context(
    dataset: Dataset, record_type: str, records: Sequence[Mapping[str, Any]] = ()
) -> list[Any]:
    """The ``@context`` under which a records file of the data set reads as the graph of
    its records in the export, classes apart (1.2 on).

    It is the standard's context followed by what the package and the file add: the base
    (namespace, collection, '/'; a record's id is then its URI), every reference term again
    with the dependencies' prefixes bound to their namespace and its collection, a period
    named ``date`` nested into its record, and one term per language of the other names or
    labels in ``records`` (a list of language maps has no JSON-LD container of its own).

    Raises ValueError for a version whose context does not read data files (1.0, 1.1), or a
    language of other names that is also a term (``id``, Indonesian).
    """
    context = load_context(dataset.schema_version)
    if not reads_files(context):
        raise ValueError(
            f"the JSON-LD context of version {dataset.schema_version} does not read data "
            "files; export the data set instead (hsdata export --format jsonld)"
        )
    local: dict[str, Any] = {"@base": base_iri(dataset) + collection_of(record_type) + "/"}
    namespaces = dependency_namespaces(dataset.descriptor)
    for term, definition in context.items():
        if namespaces and isinstance(definition, dict) and _bases(definition):
            local[term] = _with_prefixes(definition, namespaces)
    for key, sub in dict(record_shape(dataset.schema_set, record_type).properties).items():
        if (
            key in _FLATTENED_PERIODS
            and isinstance(sub, Object)
            and sub.definition == _PERIOD
            and context.get(key) != _NEST
        ):
            local[key] = _NEST
        if (
            context.get(key) == _NEST
            and isinstance(sub, Array)
            and isinstance(sub.item, LanguageMap)
        ):
            target = context[_singular(key)]["@id"]
            languages = {
                lang for record in records for lang in _merged_languages(record.get(key) or [])
            }
            for language in sorted(languages):
                if language in context or language in local:
                    raise ValueError(
                        f"the language tag {language!r} of {key} is also a JSON-LD term of "
                        "the context; this file cannot be read as JSON-LD"
                    )
                local[language] = {"@id": target, "@language": language}
    return [context, local]


def file_document(
    dataset: Dataset, record_type: str, records: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """A records file as a JSON-LD document: the records, as they are in the file, in
    ``@graph`` under :func:`file_context`."""
    return {"@context": file_context(dataset, record_type, records), "@graph": list(records)}


def _bases(definition: Mapping[str, Any]) -> bool:
    """Whether a term definition, or one scoped inside it, sets a collection as base."""
    scoped = definition.get("@context")
    if not isinstance(scoped, dict):
        return False
    if str(scoped.get("@base", "")).startswith("../"):
        return True
    return any(isinstance(inner, dict) and _bases(inner) for inner in scoped.values())


def _with_prefixes(definition: Mapping[str, Any], namespaces: Mapping[str, str]) -> dict[str, Any]:
    """A term definition whose scoped contexts that set a collection as base also bind each
    dependency prefix to that collection in the dependency's namespace."""
    found = copy.deepcopy(dict(definition))
    scoped = found.get("@context")
    if isinstance(scoped, dict):
        base = scoped.get("@base")
        if isinstance(base, str) and base.startswith("../"):
            collection = base.removeprefix("../")
            scoped.update({prefix: ns + collection for prefix, ns in namespaces.items()})
        for term, inner in list(scoped.items()):
            if isinstance(inner, dict):
                scoped[term] = _with_prefixes(inner, namespaces)
    return found


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
