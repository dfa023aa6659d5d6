"""The shape of a record as its schema describes it: scalars, language maps, objects, lists.

The spreadsheet layout (:mod:`hsdata._spreadsheet._layout`) and the tabular
exports (:mod:`hsdata._export._tables`) both lay records out from the schemas;
this module reads a record type's schema once into a tree of shapes that
both walk, so that neither repeats how ``$ref`` chains, language maps,
partial dates and citations are recognised:

* a language map is an object with no named properties whose
  ``additionalProperties`` is a schema (``common.json#/$defs/LanguageMap``);
* a partial date is a string whose ``$ref`` chain passes through a
  definition named ``PartialDate``;
* a citation is an object whose ``$ref`` chain passes through a definition
  named ``Citation``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from referencing.exceptions import Unresolvable

from ._schemas import SchemaError, SchemaSet

#: How deeply a schema may nest before it is taken for a loop.
MAX_DEPTH = 24


@dataclass(frozen=True)
class Scalar:
    """A field holding one string, number, integer or boolean, with its constraints."""

    type: str
    title: str = ""
    description: str = ""
    codelist: str | None = None
    open_codelist: bool = True
    record_ref: str | None = None
    partial_date: bool = False
    pattern: str | None = None
    enum: tuple[Any, ...] | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class LanguageMap:
    """A field holding the same text in several languages."""

    title: str = ""
    description: str = ""


@dataclass(frozen=True)
class Object:
    """A field holding an object with named properties.

    ``definition`` names the ``$defs`` entry its ``$ref`` chain ends at
    ('Member', 'Period', 'Citation'), '' for an object written in place;
    ``citation`` says whether it is a Citation.
    """

    properties: tuple[tuple[str, Shape], ...]
    required: frozenset[str]
    title: str = ""
    description: str = ""
    citation: bool = False
    definition: str = ""


@dataclass(frozen=True)
class Array:
    """A field holding a list."""

    item: Shape
    required_nonempty: bool = False
    title: str = ""
    description: str = ""


Shape = Scalar | LanguageMap | Object | Array


def _resolve(
    node: dict[str, Any], base_uri: str, schema_set: SchemaSet
) -> tuple[dict[str, Any], str, tuple[str, ...]]:
    """Merge a subschema with what its ``$ref`` chain points to.

    Returns the merged schema (the node's own keys win), the base URI its
    nested ``$ref`` resolve against, and the ``$ref`` values passed through.
    """
    merged: dict[str, Any] = {}
    refs: list[str] = []
    current, uri = node, base_uri
    for _ in range(32):
        for key, value in current.items():
            merged.setdefault(key, value)
        ref = current.get("$ref")
        if not isinstance(ref, str):
            break
        refs.append(ref)
        try:
            resolved = schema_set.registry.resolver(base_uri=uri).lookup(ref)
        except Unresolvable as exc:
            raise SchemaError(f"cannot resolve $ref {ref!r} from {uri}") from exc
        current = resolved.contents
        uri = resolved.resolver._base_uri
        merged.pop("$ref", None)
    return merged, uri, tuple(refs)


def _number(value: Any) -> int | float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _definition_name(refs: tuple[str, ...]) -> str:
    """'Member' for a chain ending at '#/$defs/Member'; '' when none names a definition."""
    for ref in reversed(refs):
        head, _, name = ref.rpartition("/")
        if head.endswith("$defs"):
            return name
    return ""


def shape_of(node: dict[str, Any], base_uri: str, schema_set: SchemaSet, depth: int = 0) -> Shape:
    """The shape of a subschema found at ``base_uri``."""
    if depth > MAX_DEPTH:
        raise SchemaError("the schema nests too deeply to be laid out in sheets or tables")
    merged, uri, refs = _resolve(node, base_uri, schema_set)
    title = str(merged.get("title", ""))
    description = str(merged.get("description", ""))
    kind = merged.get("type")
    if kind == "array":
        item = merged.get("items", {})
        return Array(
            shape_of(item, uri, schema_set, depth + 1),
            required_nonempty=bool(merged.get("minItems")),
            title=title,
            description=description,
        )
    if kind == "object" or "properties" in merged:
        properties = merged.get("properties", {})
        extra = merged.get("additionalProperties")
        if not properties and isinstance(extra, dict):
            return LanguageMap(title, description)
        return Object(
            tuple(
                (name, shape_of(sub, uri, schema_set, depth + 1))
                for name, sub in properties.items()
            ),
            frozenset(merged.get("required", ())),
            title,
            description,
            citation=any(ref.endswith("/Citation") for ref in refs),
            definition=_definition_name(refs),
        )
    if kind not in ("string", "integer", "number", "boolean"):
        kind = "string"
    pattern = merged.get("pattern")
    enum = merged.get("enum")
    return Scalar(
        type=str(kind),
        title=title,
        description=description,
        codelist=merged.get("codelist"),
        open_codelist=bool(merged.get("openCodelist", True)),
        record_ref=merged.get("recordRef"),
        partial_date=any(ref.endswith("/PartialDate") for ref in refs)
        or str(pattern or "").startswith("^[0-9]{4}(-"),
        pattern=pattern if isinstance(pattern, str) else None,
        enum=tuple(enum) if isinstance(enum, list) else None,
        minimum=_number(merged.get("minimum")),
        maximum=_number(merged.get("maximum")),
        min_length=_count(merged.get("minLength")),
        max_length=_count(merged.get("maxLength")),
    )


def record_shape(schema_set: SchemaSet, record_type: str) -> Object:
    """The shape of a record type's schema."""
    schema_id = schema_set.schema_id(record_type)
    shape = shape_of(schema_set.record_schema(record_type), schema_id, schema_set)
    if not isinstance(shape, Object):
        raise SchemaError(f"the {record_type} schema does not describe an object")
    return shape
