"""The standard's schemas and codelists, loaded from disk and resolved offline.

A :class:`SchemaSet` holds one published version of the standard: every JSON
Schema in ``schema/<version>/``, a :class:`referencing.Registry` that resolves
their ``$id`` URLs (``https://w3id.org/hsdata/schema/1.0/...``) to those local
files and never to the network, and the codelists. It also reads two facts
out of the schemas so that no other module repeats them: which fields take a
codelist (``codelist`` / ``openCodelist``) and which fields hold the identifier
of another record (``recordRef``).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from ._errors import HsdataError
from ._paths import schema_root
from ._version import STANDARD_VERSION

#: Files in a version folder that are not record schemas (package.json, from 1.2 on,
#: is the schema of the package descriptor).
_SUPPORT_FILES = frozenset({"common.json", "meta-schema.json", "package.json"})
_VERSION_PATTERN = re.compile(r"^[0-9]+\.[0-9]+\Z")

#: A path to a field inside a record: property names, with "*" for "any item of an array".
FieldPath = tuple[str, ...]


class SchemaError(HsdataError):
    """The schemas themselves could not be loaded or resolved (not a data problem)."""


@dataclass(frozen=True)
class Codelist:
    """One codelist CSV: its codes with English and French titles and descriptions.

    ``descriptions_fr`` comes from the ``description_fr`` column (1.2 on); a
    codelist without it gives the English description, as a missing French
    title gives the English one.
    """

    name: str
    codes: tuple[str, ...]
    titles: Mapping[str, Mapping[str, str]]
    descriptions: Mapping[str, str]
    deprecated: Mapping[str, str]
    descriptions_fr: Mapping[str, str] = field(default_factory=dict)

    def __contains__(self, code: object) -> bool:
        return code in self.titles


@dataclass(frozen=True)
class CodelistField:
    """A field whose values come from a codelist."""

    record_type: str
    path: FieldPath
    codelist: str
    open: bool


@dataclass(frozen=True)
class ReferenceField:
    """A field that holds the identifier of a record of another (or the same) type."""

    record_type: str
    path: FieldPath
    target: str


_DEPRECATION_NOTE = re.compile(
    r"Deprecated in (?P<since>[0-9]+\.[0-9]+)"
    r"(?::\s*use (?P<use>[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*))?[^.]*\."
    r"(?:\s*Will be removed in (?P<removal>[0-9]+\.[0-9]+)\.)?"
)


@dataclass(frozen=True)
class DeprecatedField:
    """A field whose schema carries ``"deprecated": true``: still valid, to be removed.

    ``since``, ``replacement`` and ``removal`` come from the field's description,
    which says "Deprecated in 1.1: use attestedOn. Will be removed in 2.0."; each
    is None when the description does not say.
    """

    record_type: str
    path: FieldPath
    since: str | None = None
    replacement: str | None = None
    removal: str | None = None

    @classmethod
    def from_subschema(
        cls, record_type: str, path: FieldPath, subschema: Mapping[str, Any]
    ) -> DeprecatedField:
        """Read the deprecation note out of the subschema's description.

        >>> DeprecatedField.from_subschema("actor", ("posts", "*", "heldOn"), {
        ...     "description": "A date. Deprecated in 1.1: use attestedOn. Will be removed in 2.0."
        ... })
        DeprecatedField(record_type='actor', path=('posts', '*', 'heldOn'), since='1.1', \
replacement='attestedOn', removal='2.0')
        """
        description = subschema.get("description")
        note = _DEPRECATION_NOTE.search(description) if isinstance(description, str) else None
        if note is None:
            return cls(record_type, path)
        return cls(record_type, path, note["since"], note["use"], note["removal"])


def camel_case(stem: str) -> str:
    """'issue-area' -> 'issueArea': the record type named by a schema file stem."""
    head, *rest = stem.split("-")
    return head + "".join(part.capitalize() for part in rest)


def kebab_case(record_type: str) -> str:
    """'issueArea' -> 'issue-area': the schema file stem of a record type."""
    return re.sub(r"(?<!^)([A-Z])", lambda m: "-" + m.group(1).lower(), record_type)


def available_versions() -> tuple[str, ...]:
    """The published versions of the standard bundled with this package, oldest first."""
    root = schema_root()
    versions = [p.name for p in root.iterdir() if p.is_dir() and _VERSION_PATTERN.match(p.name)]
    return tuple(sorted(versions, key=lambda v: tuple(int(n) for n in v.split("."))))


def read_codelist(path: Path) -> Codelist:
    """Read a codelist CSV (columns code, title, title_fr, description, deprecated, and
    from 1.2 description_fr)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return codelist_from_rows(path.name, list(csv.DictReader(handle)))


def codelist_from_rows(name: str, rows: Sequence[Mapping[str, str]]) -> Codelist:
    """A codelist from its CSV rows, as read by :class:`csv.DictReader`."""
    return Codelist(
        name=name,
        codes=tuple(row["code"] for row in rows),
        titles={
            row["code"]: {"en": row["title"], "fr": row.get("title_fr") or row["title"]}
            for row in rows
        },
        descriptions={row["code"]: row.get("description", "") for row in rows},
        deprecated={row["code"]: row["deprecated"] for row in rows if row.get("deprecated")},
        descriptions_fr={
            row["code"]: row.get("description_fr") or row.get("description", "") for row in rows
        },
    )


@dataclass(frozen=True)
class SchemaSet:
    """One version of the standard: schemas, an offline registry, codelists."""

    version: str
    directory: Path
    schemas: Mapping[str, dict[str, Any]]
    registry: Registry[Any]
    record_types: tuple[str, ...]
    codelists: Mapping[str, Codelist]
    codelist_fields: tuple[CodelistField, ...] = field(default=())
    reference_fields: tuple[ReferenceField, ...] = field(default=())
    deprecated_fields: tuple[DeprecatedField, ...] = field(default=())

    def schema_id(self, record_type: str) -> str:
        """The ``$id`` URL of a record type's schema."""
        return f"https://w3id.org/hsdata/schema/{self.version}/{kebab_case(record_type)}.json"

    def record_schema(self, record_type: str) -> dict[str, Any]:
        """The JSON Schema of a record type."""
        try:
            return self.schemas[self.schema_id(record_type)]
        except KeyError:
            raise KeyError(
                f"no record type {record_type!r} in hsdata {self.version}; "
                f"known types: {', '.join(self.record_types)}"
            ) from None

    def record_type_of_schema(self, schema_id: str) -> str | None:
        """The record type whose schema has this ``$id``, or None."""
        for record_type in self.record_types:
            if self.schema_id(record_type) == schema_id:
                return record_type
        return None

    def codelist_fields_of(self, record_type: str) -> tuple[CodelistField, ...]:
        return tuple(f for f in self.codelist_fields if f.record_type == record_type)

    def reference_fields_of(self, record_type: str) -> tuple[ReferenceField, ...]:
        return tuple(f for f in self.reference_fields if f.record_type == record_type)

    def deprecated_fields_of(self, record_type: str) -> tuple[DeprecatedField, ...]:
        return tuple(f for f in self.deprecated_fields if f.record_type == record_type)


#: Resolved references by registry (kept alive here, so that its id is not reused), then
#: by (base URI, reference): the walks follow the same few references thousands of times.
_RESOLVED: dict[int, tuple[Registry[Any], dict[tuple[str, str], tuple[Any, str]]]] = {}


def _resolved(registry: Registry[Any], base_uri: str, ref: Any) -> tuple[Any, str]:
    """The contents a ``$ref`` leads to from ``base_uri``, and their own base URI."""
    kept = _RESOLVED.get(id(registry))
    if kept is None or kept[0] is not registry:
        if len(_RESOLVED) >= 32:
            _RESOLVED.clear()
        kept = _RESOLVED[id(registry)] = (registry, {})
    found = kept[1].get((base_uri, ref)) if isinstance(ref, str) else None
    if found is None:
        try:
            resolved = registry.resolver(base_uri=base_uri).lookup(ref)
        except Unresolvable as exc:
            raise SchemaError(f"cannot resolve $ref {ref!r} from {base_uri}") from exc
        found = (resolved.contents, resolved.resolver._base_uri)
        if isinstance(ref, str):
            kept[1][(base_uri, ref)] = found
    return found


def _walk(
    node: Any, path: FieldPath, base_uri: str, registry: Registry[Any], depth: int = 0
) -> Iterator[tuple[FieldPath, dict[str, Any]]]:
    """Yield (field path, subschema) for every subschema reachable from ``node``.

    ``$ref`` is followed through the registry, so fields defined in
    ``common.json`` are found at every place that uses them.
    """
    if not isinstance(node, dict) or depth > 64:
        return
    yield path, node
    if "$ref" in node:
        contents, target_uri = _resolved(registry, base_uri, node["$ref"])
        yield from _walk(contents, path, target_uri, registry, depth + 1)
    for name, subschema in node.get("properties", {}).items():
        yield from _walk(subschema, (*path, name), base_uri, registry, depth + 1)
    if "items" in node:
        yield from _walk(node["items"], (*path, "*"), base_uri, registry, depth + 1)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for subschema in node.get(keyword, []):
            yield from _walk(subschema, path, base_uri, registry, depth + 1)
    for keyword in ("then", "else"):
        if keyword in node:
            yield from _walk(node[keyword], path, base_uri, registry, depth + 1)


def _load_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SchemaError(f"cannot read schema file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise SchemaError(f"schema file {path} does not hold a JSON object")
    return data


def build_schema_set(directory: Path, version: str) -> SchemaSet:
    """Load every schema and codelist in ``directory`` (a version folder)."""
    schemas: dict[str, dict[str, Any]] = {}
    for path in sorted(directory.glob("*.json")):
        schema = _load_json(path)
        schema_id = schema.get("$id")
        if not isinstance(schema_id, str):
            raise SchemaError(f"schema file {path} has no $id")
        schemas[schema_id] = schema
    codelist_dir = directory / "codelists"
    codelists = {path.name: read_codelist(path) for path in sorted(codelist_dir.glob("*.csv"))}
    return assemble_schema_set(version, directory, schemas, codelists)


def assemble_schema_set(
    version: str,
    directory: Path,
    schemas: Mapping[str, dict[str, Any]],
    codelists: Mapping[str, Codelist],
) -> SchemaSet:
    """Build a :class:`SchemaSet` from schemas (by ``$id``) and codelists already in memory.

    Used for the bundled files and for schemas patched by extensions. Record
    types are the schemas whose file name (the last part of the ``$id``) is
    not a support file such as ``common.json``.
    """
    record_types = sorted(
        camel_case(schema_id.rsplit("/", 1)[-1].removesuffix(".json"))
        for schema_id in schemas
        if schema_id.rsplit("/", 1)[-1] not in _SUPPORT_FILES
    )
    # The draft 2020-12 meta-schemas come from jsonschema-specifications (on disk), so
    # every $ref the schemas and meta-schema make resolves without the network.
    from jsonschema_specifications import REGISTRY as SPECIFICATIONS

    registry: Registry[Any] = SPECIFICATIONS.with_resources(
        (schema_id, Resource.from_contents(schema, default_specification=DRAFT202012))
        for schema_id, schema in schemas.items()
    ).crawl()

    codelist_fields: list[CodelistField] = []
    reference_fields: list[ReferenceField] = []
    deprecated_fields: list[DeprecatedField] = []
    prefix = f"https://w3id.org/hsdata/schema/{version}/"
    for record_type in record_types:
        schema_id = prefix + kebab_case(record_type) + ".json"
        seen: set[tuple[FieldPath, str]] = set()
        for path, subschema in _walk(schemas[schema_id], (), schema_id, registry):
            if "codelist" in subschema and (path, "codelist") not in seen:
                seen.add((path, "codelist"))
                codelist_fields.append(
                    CodelistField(
                        record_type, path, subschema["codelist"], bool(subschema["openCodelist"])
                    )
                )
            if "recordRef" in subschema and (path, "recordRef") not in seen:
                seen.add((path, "recordRef"))
                reference_fields.append(ReferenceField(record_type, path, subschema["recordRef"]))
            if subschema.get("deprecated") is True and (path, "deprecated") not in seen:
                seen.add((path, "deprecated"))
                deprecated_fields.append(
                    DeprecatedField.from_subschema(record_type, path, subschema)
                )
    return SchemaSet(
        version=version,
        directory=directory,
        schemas=dict(schemas),
        registry=registry,
        record_types=tuple(record_types),
        codelists=dict(codelists),
        codelist_fields=tuple(codelist_fields),
        reference_fields=tuple(reference_fields),
        deprecated_fields=tuple(deprecated_fields),
    )


@cache
def load_schema_set(version: str = STANDARD_VERSION) -> SchemaSet:
    """The bundled schemas of one published version of the standard (cached).

    >>> schemas = load_schema_set("1.0")
    >>> schemas.record_types
    ('actor', 'document', 'event', 'issueArea', 'membership', 'partnership', 'source')
    >>> schemas.schema_id("issueArea")
    'https://w3id.org/hsdata/schema/1.0/issue-area.json'
    """
    if version not in available_versions():
        raise SchemaError(
            f"hsdata {version} is not a published version of the standard; "
            f"bundled versions: {', '.join(available_versions())}"
        )
    return build_schema_set(schema_root() / version, version)
