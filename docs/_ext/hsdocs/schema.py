"""The schema reference, generated from schema/<version>/*.json at build time.

One section per record type (its fields in a table, then the objects it
defines in ``$defs``), then the shared definitions of ``common.json``. Every
field row has a stable anchor, ``<recordType>.<field>`` for a record's own
fields and ``<file>.<Definition>.<field>`` for fields of a definition (for
example ``event.participants`` and ``event.Participant.role``), registered as
``:ref:`` labels so other pages link to them and ``-n`` checks every link.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from hsdata import SchemaSet
from hsdata._paths import canonical_data_dir
from hsdata._schemas import camel_case

from ._nodes import (
    badge,
    canonical_records,
    compact_json,
    label,
    note_target,
    ref,
    schema_set,
    section,
    translatable_paragraph,
    translatable_title,
    values_at,
)
from ._nodes import (
    table as make_table,
)

COMMON = "common"
#: The owner of the descriptor schema (``package.json``, from 1.2): the hsdata keys of
#: ``datapackage.json``. Documented like a record type, though it is not one.
PACKAGE = "package"
#: "Deprecated in 1.1: use attestedOn. Will be removed in 2.0." (the form the schemas use)
_DEPRECATION_NOTE = re.compile(r"Deprecated in [0-9]+\.[0-9]+")
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")


@dataclass(frozen=True)
class DefKey:
    """A definition: the schema it lives in ('event', 'common') and its name."""

    owner: str
    name: str

    @property
    def anchor(self) -> str:
        return f"{self.owner}.{self.name}"


@dataclass
class SchemaIndex:
    """What the reference needs to know across schemas."""

    schemas: SchemaSet
    #: schema file stem -> owner name ('issue-area' -> 'issueArea', 'common' -> 'common')
    owner_of_file: dict[str, str] = field(default_factory=dict)
    #: definition -> the (record type, field path) places where records use it
    usages: dict[DefKey, list[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)

    def schema_of(self, owner: str) -> dict[str, Any]:
        if owner in {COMMON, PACKAGE}:
            return self.schemas.schemas[
                f"https://w3id.org/hsdata/schema/{self.schemas.version}/{owner}.json"
            ]
        return self.schemas.record_schema(owner)

    def package_schema(self) -> dict[str, Any] | None:
        """The descriptor schema, or None for a version without one (1.0, 1.1)."""
        return self.schemas.schemas.get(
            f"https://w3id.org/hsdata/schema/{self.schemas.version}/{PACKAGE}.json"
        )

    def resolve(self, reference: str, owner: str) -> DefKey | None:
        """The definition a ``$ref`` written in ``owner``'s schema points at."""
        file_part, _, fragment = reference.partition("#")
        if not fragment.startswith("/$defs/"):
            return None
        target_owner = owner
        if file_part:
            target_owner = self.owner_of_file.get(file_part.removesuffix(".json"), file_part)
        return DefKey(target_owner, fragment.removeprefix("/$defs/"))

    def definition(self, key: DefKey) -> dict[str, Any]:
        return dict(self.schema_of(key.owner).get("$defs", {}).get(key.name, {}))


def build_index(schemas: SchemaSet) -> SchemaIndex:
    index = SchemaIndex(schemas)
    for path in sorted(schemas.directory.glob("*.json")):
        index.owner_of_file[path.stem] = COMMON if path.stem == COMMON else camel_case(path.stem)
    for record_type in schemas.record_types:
        _note_usages(index, schemas.record_schema(record_type), record_type, record_type, (), 0)
    package = index.package_schema()
    if package is not None:
        _note_usages(index, package, PACKAGE, PACKAGE, (), 0)
    return index


def _note_usages(  # noqa: PLR0917 - a recursive walk carrying its position
    index: SchemaIndex,
    node: Any,
    owner: str,
    record_type: str,
    path: tuple[str, ...],
    depth: int,
) -> None:
    if not isinstance(node, dict) or depth > 32:
        return
    if "$ref" in node:
        key = index.resolve(node["$ref"], owner)
        if key is not None:
            places = index.usages.setdefault(key, [])
            if (record_type, path) not in places:
                places.append((record_type, path))
            _note_usages(index, index.definition(key), key.owner, record_type, path, depth + 1)
    for name, sub in node.get("properties", {}).items():
        _note_usages(index, sub, owner, record_type, (*path, name), depth + 1)
    if isinstance(node.get("items"), dict):
        _note_usages(index, node["items"], owner, record_type, (*path, "*"), depth + 1)


def field_anchor(owner: str, definition: str | None, name: str) -> str:
    """The anchor of a field row: 'event.participants' or 'event.Participant.role'."""
    return f"{owner}.{definition}.{name}" if definition else f"{owner}.{name}"


def record_anchor(record_type: str) -> str:
    return f"schema-{record_type}"


def iter_documented_fields(schemas: SchemaSet) -> Iterator[tuple[str, str]]:
    """(anchor, field name) of every field the reference documents; used by the tests."""
    index = build_index(schemas)
    owners = [*schemas.record_types, COMMON]
    if index.package_schema() is not None:
        owners.append(PACKAGE)
    for owner in owners:
        schema = index.schema_of(owner)
        if owner != COMMON:
            for name in schema.get("properties", {}):
                yield field_anchor(owner, None, name), name
        for def_name, definition in schema.get("$defs", {}).items():
            for name in definition.get("properties", {}):
                yield field_anchor(owner, def_name, name), name


def _is_language_map(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(k, str) and _LANGUAGE_TAG.match(k) for k in value)
        and all(isinstance(v, str) for v in value.values())
    )


def canonical_descriptor() -> dict[str, Any]:
    """The canonical data's datapackage.json, where the descriptor's examples come from."""
    path = canonical_data_dir() / "datapackage.json"
    found = json.loads(path.read_text(encoding="utf-8"))
    return found if isinstance(found, dict) else {}


def example_value(index: SchemaIndex, places: list[tuple[str, tuple[str, ...]]]) -> Any:
    """The first value found in the canonical data at any of ``places``, or None."""
    records = dict(canonical_records())
    if any(record_type == PACKAGE for record_type, _path in places):
        records[PACKAGE] = (("datapackage.json", canonical_descriptor()),)
    for record_type, path in places:
        for _file, record in records.get(record_type, ()):
            for value in values_at(record, path):
                if value is None:
                    continue
                if isinstance(value, list) and any(isinstance(item, dict) for item in value):
                    if all(_is_language_map(item) for item in value):
                        return value[:1]
                    return None  # an array of objects: its items are documented field by field
                return value  # objects are shown shortened when long
    return None


class SchemaReference(SphinxDirective):
    """``.. hsdata-schema-reference::`` - every record type and shared definition."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        schemas = schema_set()
        index = build_index(schemas)
        for path in sorted(schemas.directory.glob("*.json")):
            self.env.note_dependency(str(path))
        result: list[nodes.Node] = []
        for record_type in schemas.record_types:
            result.append(self.record_section(index, record_type))
        package = index.package_schema()
        if package is not None:
            result.append(self.package_section(index, package))
        result.append(self.common_section(index))
        return result

    # -- sections ---------------------------------------------------------------------------

    def _source(self) -> tuple[str, int]:
        return self.state.document.current_source or self.env.docname, self.lineno

    def record_section(self, index: SchemaIndex, record_type: str) -> nodes.section:
        source, line = self._source()
        schema = index.schemas.record_schema(record_type)
        anchor = record_anchor(record_type)
        sect = section(anchor, translatable_title(schema["title"], source, line))
        note_target(self.env, anchor, anchor, schema["title"])
        sect += translatable_paragraph(schema["description"], source, line)
        sect += self.schema_facts(index.schemas.schema_id(record_type), record_type)
        sect += self.fields_table(index, record_type, None, schema)
        for def_name, definition in schema.get("$defs", {}).items():
            sect += self.definition_section(index, DefKey(record_type, def_name), definition)
        return sect

    def package_section(self, index: SchemaIndex, schema: dict[str, Any]) -> nodes.section:
        """The hsdata keys of ``datapackage.json`` (``package.json``), like a record type."""
        source, line = self._source()
        anchor = record_anchor(PACKAGE)
        sect = section(anchor, translatable_title(schema["title"], source, line))
        note_target(self.env, anchor, anchor, schema["title"])
        sect += translatable_paragraph(schema["description"], source, line)
        facts = self.schema_facts(schema["$id"], None)
        facts += nodes.Text(" · ")
        facts += nodes.strong("", label("Canonical data:") + " ")
        facts += nodes.literal("data/datapackage.json", "data/datapackage.json")
        sect += facts
        sect += self.fields_table(index, PACKAGE, None, schema)
        for def_name, definition in schema.get("$defs", {}).items():
            sect += self.definition_section(index, DefKey(PACKAGE, def_name), definition)
        return sect

    def common_section(self, index: SchemaIndex) -> nodes.section:
        source, line = self._source()
        common = index.schema_of(COMMON)
        anchor = "schema-common"
        sect = section(anchor, nodes.title("", label("Shared definitions")))
        note_target(self.env, anchor, anchor, label("Shared definitions"))
        sect += translatable_paragraph(common["description"], source, line)
        sect += self.schema_facts(common["$id"], None)
        for def_name, definition in common.get("$defs", {}).items():
            sect += self.definition_section(index, DefKey(COMMON, def_name), definition)
        return sect

    def schema_facts(self, schema_id: str, record_type: str | None) -> nodes.Node:
        """The schema's $id and, for a record type, the data file it is published in."""
        facts = nodes.paragraph(classes=["hsdocs-schema-facts"])
        facts += nodes.strong("", label("Schema:") + " ")
        facts += nodes.reference(schema_id, schema_id, refuri=schema_id)
        if record_type is not None:
            files = sorted({name for name, _ in canonical_records().get(record_type, ())})
            if files:
                facts += nodes.Text(" · ")
                facts += nodes.strong("", label("Canonical data:") + " ")
                for i, name in enumerate(files):
                    if i:
                        facts += nodes.Text(", ")
                    facts += nodes.literal(f"data/{name}", f"data/{name}")
        return facts

    def definition_section(
        self, index: SchemaIndex, key: DefKey, definition: dict[str, Any]
    ) -> nodes.section:
        source, line = self._source()
        title = definition.get("title", key.name)
        sect = section(key.anchor, translatable_title(title, source, line))
        sect["classes"].append("hsdocs-definition")
        note_target(self.env, key.anchor, key.anchor, title)
        intro = nodes.paragraph(classes=["hsdocs-defname"])
        intro += nodes.literal(key.name, key.name)
        places = index.usages.get(key, [])
        if places:
            intro += nodes.Text(" · " + label("used at") + " ")
            for i, (record_type, path) in enumerate(places[:6]):
                if i:
                    intro += nodes.Text(", ")
                shown = f"{record_type}.{'.'.join(path).replace('.*', '[]')}"
                intro += nodes.literal(shown, shown)
            if len(places) > 6:
                intro += nodes.Text(", …")
        sect += intro
        if "description" in definition:
            sect += translatable_paragraph(definition["description"], source, line)
        if "properties" in definition:
            sect += self.fields_table(index, key.owner, key.name, definition)
        else:
            sect += self.value_facts(index, key.owner, definition)
        return sect

    def value_facts(self, index: SchemaIndex, owner: str, schema: dict[str, Any]) -> nodes.Node:
        """Type and constraints of a definition that is a value rather than an object."""
        facts = nodes.field_list(classes=["hsdocs-facts"])
        facts += _fact(label("Type"), *self.type_nodes(index, owner, schema))
        if "pattern" in schema:
            facts += _fact(label("Pattern"), nodes.literal(schema["pattern"], schema["pattern"]))
        lengths = [schema.get("minLength"), schema.get("maxLength")]
        if any(v is not None for v in lengths):
            text = f"{lengths[0] if lengths[0] is not None else 0}–{lengths[1] or '∞'}"
            facts += _fact(label("Length"), nodes.Text(text))
        if "required" in schema:
            keys = ", ".join(schema["required"])
            facts += _fact(label("Required keys"), nodes.literal(keys, keys))
        if "minItems" in schema:
            facts += _fact(label("At least"), nodes.Text(str(schema["minItems"])))
        if "codelist" in schema:
            facts += _fact(label("Codelist"), *self.codelist_nodes(schema))
        return facts

    # -- the field table --------------------------------------------------------------------

    def fields_table(
        self, index: SchemaIndex, owner: str, definition: str | None, schema: dict[str, Any]
    ) -> nodes.table:
        source, line = self._source()
        required = set(schema.get("required", []))
        table, group = make_table(["hsdocs-fields"], (21, 23, 56))
        head = nodes.thead()
        group += head
        head += _row(
            [
                [nodes.paragraph("", label("Field"))],
                [nodes.paragraph("", label("Type"))],
                [nodes.paragraph("", label("Description"))],
            ]
        )
        body = nodes.tbody()
        group += body
        if definition is None:
            places = [(owner, ())]
        else:
            places = index.usages.get(DefKey(owner, definition), [])
        for name, sub in schema.get("properties", {}).items():
            anchor = field_anchor(owner, definition, name)
            note_target(self.env, anchor, anchor, name)
            name_cell = nodes.paragraph(classes=["hsdocs-fieldname"])
            name_cell += nodes.reference(
                "", "", nodes.literal(name, name), refid=anchor, classes=["hsdocs-anchor"]
            )
            flags = nodes.paragraph(classes=["hsdocs-flags"])
            if name in required:
                flags += badge(label("required"), "required")
            if sub.get("deprecated"):
                flags += badge(label("deprecated"), "deprecated")
            type_cell = nodes.paragraph("", "", *self.type_nodes(index, owner, sub))
            type_cells: list[nodes.Node] = [type_cell]
            codelist = _codelist_of(index, owner, sub)
            if codelist is not None:
                type_cells.append(nodes.paragraph("", "", *self.codelist_nodes(codelist)))
            description_cells: list[nodes.Node] = []
            if "title" in sub:
                title = translatable_paragraph(sub["title"], source, line)
                title["classes"].append("hsdocs-fieldtitle")
                description_cells.append(title)
            if "description" in sub:
                description_cells.append(translatable_paragraph(sub["description"], source, line))
            if sub.get("deprecated") and not _states_its_deprecation(sub):
                description_cells.append(
                    nodes.paragraph(
                        "",
                        label(
                            "Deprecated: publishers should stop using this field; it will be "
                            "removed in the next major version."
                        ),
                        classes=["hsdocs-deprecated"],
                    )
                )
            example = example_value(index, [(rt, (*p, name)) for rt, p in places])
            if example is not None:
                shown = compact_json(example)
                para = nodes.paragraph(classes=["hsdocs-example"])
                para += nodes.emphasis("", label("Example:") + " ")
                para += nodes.literal(shown, shown)
                description_cells.append(para)
            row = _row([[name_cell, flags], type_cells, description_cells])
            row["ids"].append(anchor)
            body += row
        return table

    def type_nodes(self, index: SchemaIndex, owner: str, sub: dict[str, Any]) -> list[nodes.Node]:
        """How a field's type reads: 'string', 'array of Participant', 'Identifier → actor'."""
        if "$ref" in sub:
            key = index.resolve(sub["$ref"], owner)
            if key is None:
                return [nodes.literal(sub["$ref"], sub["$ref"])]
            found: list[nodes.Node] = [ref(key.anchor, nodes.Text(key.name), literal=True)]
            if "recordRef" in sub:
                target = sub["recordRef"]
                found += [nodes.Text(" → "), ref(record_anchor(target), nodes.Text(target))]
            return found
        kind = sub.get("type")
        if kind == "array" and isinstance(sub.get("items"), dict):
            found = [nodes.Text(label("array of") + " ")]
            found += self.type_nodes(index, owner, sub["items"])
            return found
        text = " | ".join(kind) if isinstance(kind, list) else str(kind or label("any"))
        found = [nodes.literal(text, text)]
        if "recordRef" in sub:
            target = sub["recordRef"]
            found += [nodes.Text(" → "), ref(record_anchor(target), nodes.Text(target))]
        if "format" in sub:
            found.append(nodes.Text(f" ({sub['format']})"))
        if "enum" in sub and "codelist" not in sub:
            values = ", ".join(str(v) for v in sub["enum"])
            found += [nodes.Text(" " + label("one of") + " "), nodes.literal(values, values)]
        return found

    def codelist_nodes(self, sub: dict[str, Any]) -> list[nodes.Node]:
        stem = str(sub["codelist"]).removesuffix(".csv")
        openness = label("open codelist") if sub.get("openCodelist") else label("closed codelist")
        return [
            ref(f"codelist-{stem}", nodes.Text(stem), literal=True),
            nodes.Text(" "),
            badge(openness, "open" if sub.get("openCodelist") else "closed"),
        ]


def _states_its_deprecation(sub: dict[str, Any]) -> bool:
    """True when the field's description already says since when and what to use."""
    description = sub.get("description")
    return isinstance(description, str) and _DEPRECATION_NOTE.search(description) is not None


def _codelist_of(index: SchemaIndex, owner: str, sub: dict[str, Any]) -> dict[str, Any] | None:
    """The subschema carrying a field's codelist: itself, its items, or a value definition."""
    for candidate in (sub, sub.get("items")):
        if not isinstance(candidate, dict):
            continue
        if "codelist" in candidate:
            return candidate
        if "$ref" in candidate:
            key = index.resolve(candidate["$ref"], owner)
            if key is not None and "codelist" in index.definition(key):
                return index.definition(key)
    return None


def _fact(name: str, *body: nodes.Node) -> nodes.field:
    item = nodes.field()
    field_name = nodes.field_name(name, name)
    field_name["translatable"] = False  # a label, translated by the hsdocs catalogue
    item += field_name
    content = nodes.field_body()
    content += nodes.paragraph("", "", *body)
    item += content
    return item


def _row(cells: list[list[nodes.Node]]) -> nodes.row:
    row = nodes.row()
    for children in cells:
        entry = nodes.entry()
        entry.extend(children)
        row += entry
    return row


def anchor_for_path(index: SchemaIndex, record_type: str, path: tuple[str, ...]) -> str | None:
    """The anchor of the field row documenting a field path ('participants', '*', 'role')."""
    node: Any = index.schemas.record_schema(record_type)
    owner, definition = record_type, None
    anchor = None
    for segment in path:
        while isinstance(node, dict) and "$ref" in node and "properties" not in node:
            key = index.resolve(node["$ref"], owner)
            if key is None:
                return None
            node, owner, definition = index.definition(key), key.owner, key.name
        if not isinstance(node, dict):
            return None
        if segment == "*":
            node = node.get("items")
            continue
        if segment not in node.get("properties", {}):
            return None
        anchor = field_anchor(owner, definition, segment)
        node = node["properties"][segment]
    return anchor
