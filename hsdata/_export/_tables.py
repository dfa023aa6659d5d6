"""The data set as normalised tables, laid out from the schemas.

This is the one place that says how records become rows. The layout is
computed from a :class:`~hsdata._schemas.SchemaSet` (extensions included),
so a record type or field added to the schemas gets its tables and columns
with no change here. The CSV export (:mod:`hsdata._export._csv`) writes these
tables with their Table Schemas, reads them back through the same layout
(written into the Table Schemas), and :meth:`hsdata.Dataset.to_pandas` turns
them into DataFrames, so the three always agree.

* Each record type has a table named by the type in snake case and the
  plural (``issue_areas``), keyed by ``id``, with its single-valued fields;
  a nested object's fields are flattened with ``_`` (``period_start``,
  ``location_country``). A language map's English text is repeated there for
  people reading the file (every language, English included, is in
  ``texts``).
* Every list becomes a link table named by the owner and the field
  (``partnership_members``, ``actor_posts_attested_on``), keyed by the
  owner's id, the place of each enclosing list item (``post_position``) and
  ``position`` (the index in the JSON list, from 0), so the order of lists
  survives. A list of identifiers has one value column named by the record
  type it refers to (``issue_area``), any other list of values one named by
  the field. A column whose name a key column already has is named by the
  list field in the singular instead (``related_partnership``, ``broader``).
* ``records`` lists every record's type and id; ``texts`` holds every
  language of every language map, ``citations`` every citation, and
  ``extras`` every field the schemas do not define (added by an extension),
  as JSON; each row is placed in its record by a JSON Pointer and tied to
  ``records`` by a foreign key. Lists of language maps and of citations live
  only there.

Foreign keys come from the schemas' ``recordRef``, column titles and
descriptions from their ``title`` and ``description``, and the Table Schema
constraints from their ``pattern``, ``enum``, bounds and ``required``.

A list that is present but empty in the JSON has no rows, like a list that
is absent: the tables cannot tell the two apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import Any

import orjson

from .._loader import Dataset
from .._schema_shapes import Array, LanguageMap, Object, Scalar, record_shape
from .._schemas import SchemaError, SchemaSet

#: The tables every export has, whatever the record types.
RECORDS, TEXTS, CITATIONS, EXTRAS = "records", "texts", "citations", "extras"

#: The Python types a JSON value of each Table Schema type may have.
_ACCEPTED: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


def snake_case(name: str) -> str:
    """'issueArea' -> 'issue_area', 'followUpOf' -> 'follow_up_of', 'sha256' -> 'sha256'."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def table_name(record_type: str) -> str:
    """The table of a record type's records: 'issueArea' -> 'issue_areas'."""
    return snake_case(record_type) + "s"


def _singular(name: str) -> str:
    return name[:-1] if len(name) > 1 and name.endswith("s") else name


#: The end of string as the 1.2 schemas write it (in Python, $ also matches before a final newline).
_END_OF_STRING = r"(?![\s\S])"


def table_schema_pattern(pattern: str | None) -> str | None:
    """A JSON Schema pattern as a Table Schema one, or None when it cannot be said.

    Table Schema patterns are XML Schema regular expressions, implicitly
    anchored at both ends, where ``^`` and ``$`` are ordinary characters; so
    only a pattern anchored at both ends with no alternative at its top level
    carries over, without its anchors.

    >>> table_schema_pattern("^[a-z0-9]+(-[a-z0-9]+)*$")
    '[a-z0-9]+(-[a-z0-9]+)*'
    >>> table_schema_pattern("^a|b$") is None, table_schema_pattern("[0-9]") is None
    (True, True)

    From standard 1.2 the schemas end a whole-string pattern with the portable
    end of string ``(?![\\s\\S])`` rather than ``$``:

    >>> table_schema_pattern(r"^[A-Z]{2}(?![\\s\\S])")
    '[A-Z]{2}'
    """
    if not pattern or not pattern.startswith("^"):
        return None
    if pattern.endswith(_END_OF_STRING):
        inner = pattern[1 : -len(_END_OF_STRING)]
    elif pattern.endswith("$"):
        inner = pattern[1:-1]
    else:
        return None
    if inner.endswith("\\") or "(?" in inner:
        return None
    depth = 0
    in_class = escaped = False
    for char in inner:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char in "^$" or (char == "|" and depth == 0):
            return None
    return inner


@dataclass(frozen=True)
class Column:
    """One column: its name, Table Schema type, description and constraints.

    ``pointer`` is where the column's value sits in the row's item (a JSON
    Pointer, '' for an item that is the value itself); key columns and the
    English text repeated for readers have none. ``json`` marks a cell
    holding a value as JSON text.
    """

    name: str
    type: str
    description: str
    title: str = ""
    required: bool = False
    pattern: str | None = None
    enum: tuple[Any, ...] | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pointer: str | None = None
    json: bool = False
    reference: str | None = None

    def table_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.title:
            out["title"] = self.title
        out["description"] = self.description
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        for key, value in (
            ("pattern", self.pattern),
            ("enum", list(self.enum) if self.enum is not None else None),
            ("minimum", self.minimum),
            ("maximum", self.maximum),
            ("minLength", self.min_length),
            ("maxLength", self.max_length),
        ):
            if value is not None:
                constraints[key] = value
        if constraints:
            out["constraints"] = constraints
        if self.type == "boolean":
            out["trueValues"] = ["true"]
            out["falseValues"] = ["false"]
        if self.pointer is not None:
            out["hsdata:pointer"] = self.pointer
        if self.json:
            out["hsdata:json"] = True
        return out


@dataclass(frozen=True)
class ForeignKey:
    """Columns of this table that must match a key of another (or the same) table."""

    columns: tuple[str, ...]
    table: str
    target_columns: tuple[str, ...] = ("id",)


@dataclass
class Table:
    """A table: its columns, keys and rows (tuples in column order).

    ``record_type`` and ``items`` say what a row is, for the tables of
    records and lists: ``items`` is the place of the row's item in its
    record, '' for the record itself, '/members/*' for a partnership's
    members ('*': any index of a list).
    """

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    record_type: str | None = None
    items: str | None = None

    def sort(self) -> None:
        """Order the rows by primary key, so that output never depends on input order.

        Primary key cells are never empty, so they compare without special cases.
        """
        names = [column.name for column in self.columns]
        self.rows.sort(key=itemgetter(*(names.index(key) for key in self.primary_key)))

    def empty(self) -> Table:
        """The same table with no rows."""
        return replace(self, rows=[])


# --- the plan: for each object, what to do with each of its fields ------------------------------

# Kinds of field handler, tuples (kind, ...) in a dict by field name:
_CELL = 0  # (kind, column index, accepted Python types): a value in a cell of the row
_TEXT = 1  # (kind, column index): a language map; rows in texts, its English in the row
_OBJECT = 2  # (kind, handlers of its fields): a nested object, flattened into the row
_CITATION = 3  # (kind,): one citation, a row in citations
_CITATIONS = 4  # (kind,): a list of citations
_TEXT_LIST = 5  # (kind,): a list of language maps, rows in texts
_VALUES = 6  # (kind, table name, accepted Python types): a list of values, a link table
_ITEMS = 7  # (kind, table name, item plan): a list of objects, a link table
_JSON = 8  # (kind, column index): a value written as JSON text

Handlers = dict[str, tuple[Any, ...]]


@dataclass(frozen=True)
class _ItemPlan:
    """How an object becomes a row: the handlers of its fields and the row's width."""

    handlers: Handlers
    width: int
    keys: int


@dataclass
class TableLayout:
    """Every table of a schema set (empty) and the plan that fills them from JSON records."""

    tables: dict[str, Table]
    plans: dict[str, _ItemPlan]
    citation_plan: _ItemPlan


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1") if "~" in token or "/" in token else token


def _pointer(path: Iterable[str]) -> str:
    return "".join("/" + _escape(part) for part in path)


def _position(name: str, description: str) -> Column:
    return Column(name, "integer", description, required=True, minimum=0)


@dataclass(frozen=True)
class _Owner:
    """The table whose items hold a list: what the list's link table is keyed and named by.

    ``keys`` are the key columns a link table of its lists starts with (the
    record's id, then the place of each enclosing list item), ``key_target``
    the columns of this table they refer to, ``items`` where its items sit in
    the record, and ``stem`` what the link tables' names start with.
    """

    table: str
    stem: str
    keys: tuple[Column, ...]
    key_target: tuple[str, ...]
    items: str
    title: str


class _Builder:
    """Lays out the tables of one schema set."""

    def __init__(self, schema_set: SchemaSet) -> None:
        self.schema_set = schema_set
        self.tables: dict[str, Table] = {}
        self.citation: Object | None = None

    def reserve(self, name: str) -> None:
        """Take a table's name and place (its tables of lists come after it)."""
        if name in self.tables:
            raise SchemaError(
                f"two tables of the CSV export would be named {name!r}; rename a field "
                "or record type in the schemas"
            )
        self.tables[name] = Table(name, "", "", (), ())

    def reference(self, scalar: Scalar) -> str | None:
        target = scalar.record_ref
        return target if target in self.schema_set.record_types else None

    def value_column(
        self,
        name: str,
        scalar: Scalar,
        pointer: str,
        *,
        required: bool,
        titles: tuple[str, ...] = (),
        description: str = "",
    ) -> Column:
        """A column holding a scalar; ``titles`` are those of the objects around it, or
        (with ``description``) those of the list holding it."""
        return Column(
            name,
            scalar.type,
            description or scalar.description or scalar.title or name,
            title=": ".join(titles if description else (t for t in (*titles, scalar.title) if t)),
            required=required,
            pattern=table_schema_pattern(scalar.pattern),
            enum=scalar.enum,
            minimum=scalar.minimum,
            maximum=scalar.maximum,
            min_length=scalar.min_length,
            max_length=scalar.max_length,
            pointer=pointer,
            reference=self.reference(scalar),
        )

    @staticmethod
    def unique(name: str, taken: set[str], rename: str) -> str:
        """``name``, or the list field's singular (then both) if a key column has it."""
        for candidate in (name, rename, f"{rename}_{name}"):
            if candidate and candidate not in taken:
                taken.add(candidate)
                return candidate
        raise SchemaError(f"two columns of the CSV export would be named {name!r}")

    def object_columns(
        self,
        shape: Object,
        *,
        record_type: str,
        columns: list[Column],
        taken: set[str],
        rename: str,
        prefix: tuple[str, ...],
        required: bool,
        owner: _Owner | None,
        titles: tuple[str, ...] = (),
    ) -> Handlers:
        """The handlers of an object's fields, adding their columns to ``columns``.

        ``owner`` is the table the row belongs to; without one (citations),
        lists are written as JSON text.
        """
        handlers: Handlers = {}
        for key, sub in shape.properties:
            path = (*prefix, key)
            pointer = _pointer(path)
            is_required = required and key in shape.required
            name = "_".join(snake_case(part) for part in path)
            if isinstance(sub, Scalar):
                columns.append(
                    self.value_column(
                        self.unique(name, taken, rename),
                        sub,
                        pointer,
                        required=is_required,
                        titles=titles,
                    )
                )
                handlers[key] = (_CELL, len(columns) - 1, _ACCEPTED[sub.type])
            elif isinstance(sub, LanguageMap):
                columns.append(
                    Column(
                        self.unique(name, taken, rename),
                        "string",
                        f"{sub.title or key}, in English (every language is in texts).",
                        title=": ".join(t for t in (*titles, sub.title) if t),
                        required=is_required,
                    )
                )
                handlers[key] = (_TEXT, len(columns) - 1)
            elif isinstance(sub, Object) and sub.citation:
                self.citation = self.citation or sub
                handlers[key] = (_CITATION,)
            elif isinstance(sub, Object):
                handlers[key] = (
                    _OBJECT,
                    self.object_columns(
                        sub,
                        record_type=record_type,
                        columns=columns,
                        taken=taken,
                        rename=rename,
                        prefix=path,
                        required=is_required,
                        owner=owner,
                        titles=(*titles, sub.title),
                    ),
                )
            elif isinstance(sub.item, LanguageMap):
                handlers[key] = (_TEXT_LIST,)
            elif isinstance(sub.item, Object) and sub.item.citation:
                self.citation = self.citation or sub.item
                handlers[key] = (_CITATIONS,)
            elif owner is None or isinstance(sub.item, Array):
                columns.append(
                    Column(
                        self.unique(name, taken, rename),
                        "string",
                        f"{sub.description or sub.title or key} (a JSON list).",
                        title=": ".join(t for t in (*titles, sub.title) if t),
                        pointer=pointer,
                        json=True,
                    )
                )
                handlers[key] = (_JSON, len(columns) - 1)
            else:
                handlers[key] = self.link_table(record_type, sub, path, owner)
        return handlers

    def link_table(
        self, record_type: str, array: Array, path: tuple[str, ...], owner: _Owner
    ) -> tuple[Any, ...]:
        """Lay out the link table of the list at ``path`` in the owner's items."""
        name = "_".join((owner.stem, *(snake_case(part) for part in path)))
        self.reserve(name)
        items = f"{owner.items}{_pointer(path)}/*"
        singular = _singular(snake_case(path[-1]))
        keys = (*owner.keys, _position("position", "The item's place in its list, from 0."))
        columns: list[Column] = list(keys)
        taken = {column.name for column in keys}
        foreign_keys = [ForeignKey((keys[0].name,), table_name(record_type))]
        if owner.items:
            foreign_keys.append(
                ForeignKey(tuple(c.name for c in owner.keys), owner.table, owner.key_target)
            )
        item = array.item
        title = f"{owner.title}: {array.title or path[-1]}"
        plan: _ItemPlan | None = None
        if isinstance(item, Scalar):
            target = self.reference(item)
            value_name = snake_case(target) if target else singular
            column = self.value_column(
                value_name,
                item,
                "",
                required=True,
                titles=(array.title,),
                description=array.description or array.title or path[-1],
            )
            columns.append(replace(column, name=self.unique(value_name, taken, singular)))
        else:
            assert isinstance(item, Object)
            child = _Owner(
                name,
                name,
                (
                    *owner.keys,
                    _position(
                        f"{singular}_position",
                        "The place in its list of "
                        f"the {singular.replace('_', ' ')} the row belongs to, "
                        "from 0.",
                    ),
                ),
                tuple(column.name for column in keys),
                items,
                title,
            )
            handlers = self.object_columns(
                item,
                record_type=record_type,
                columns=columns,
                taken=taken,
                rename=singular,
                prefix=(),
                required=True,
                owner=child,
            )
            plan = _ItemPlan(handlers, len(columns), len(keys))
        foreign_keys += [
            ForeignKey((column.name,), table_name(column.reference))
            for column in columns[len(keys) :]
            if column.reference is not None
        ]
        self.tables[name] = Table(
            name,
            title,
            array.description or f"The {path[-1]} of each {record_type}.",
            tuple(columns),
            tuple(column.name for column in keys),
            tuple(foreign_keys),
            record_type=record_type,
            items=items,
        )
        if plan is None:
            return (_VALUES, name, _ACCEPTED[item.type] if isinstance(item, Scalar) else ())
        return (_ITEMS, name, plan)

    def record_table(self, record_type: str) -> _ItemPlan:
        shape = record_shape(self.schema_set, record_type)
        if "id" not in dict(shape.properties):
            raise SchemaError(f"the {record_type} schema has no 'id', which the tables need")
        name = table_name(record_type)
        self.reserve(name)
        stem = snake_case(record_type)
        owner = _Owner(
            name,
            stem,
            (Column(stem, "string", f"The identifier of the {record_type}.", required=True),),
            ("id",),
            "",
            shape.title or record_type,
        )
        columns: list[Column] = []
        handlers = self.object_columns(
            shape,
            record_type=record_type,
            columns=columns,
            taken=set(),
            rename="",
            prefix=(),
            required=True,
            owner=owner,
        )
        self.tables[name] = Table(
            name,
            shape.title or record_type,
            shape.description or f"The {record_type} records.",
            tuple(columns),
            ("id",),
            tuple(
                ForeignKey((column.name,), table_name(column.reference))
                for column in columns
                if column.reference is not None
            ),
            record_type=record_type,
            items="",
        )
        return _ItemPlan(handlers, len(columns), 0)


def _shared_tables(citation_columns: tuple[Column, ...]) -> dict[str, Table]:
    record_type = Column(
        "record_type", "string", "The record type, as the schemas name it.", required=True
    )
    record_id = Column("record_id", "string", "The identifier of the record.", required=True)
    pointer = Column(
        "pointer", "string", "Where the value sits in the record (a JSON Pointer).", required=True
    )
    to_records = ForeignKey(("record_type", "record_id"), RECORDS, ("record_type", "id"))
    tables = [
        Table(
            CITATIONS,
            "Citations",
            "Every citation of every record: the source and the passage that state its facts.",
            (record_type, record_id, pointer, *citation_columns),
            ("record_type", "record_id", "pointer"),
            (
                to_records,
                *(
                    ForeignKey((column.name,), table_name(column.reference))
                    for column in citation_columns
                    if column.reference is not None
                ),
            ),
        ),
        Table(
            TEXTS,
            "Texts by language",
            "Every language of every multilingual text (names, labels, definitions, notes...).",
            (
                record_type,
                record_id,
                pointer,
                Column("language", "string", "The BCP 47 language tag.", required=True),
                Column("text", "string", "The text in that language.", required=True),
            ),
            ("record_type", "record_id", "pointer", "language"),
            (to_records,),
        ),
        Table(
            EXTRAS,
            "Fields the schemas do not define",
            "Fields the standard does not define (such as those an extension adds), as JSON.",
            (
                record_type,
                record_id,
                pointer,
                Column("value", "string", "The field's value as JSON text.", required=True),
            ),
            ("record_type", "record_id", "pointer"),
            (to_records,),
        ),
    ]
    return {table.name: table for table in tables}


#: Layouts already made, by the identity of their schema set (kept alive with them).
_LAYOUTS: dict[int, tuple[SchemaSet, TableLayout]] = {}
_LAYOUTS_KEPT = 8


def table_layout(schema_set: SchemaSet) -> TableLayout:
    """The tables of a schema set (without rows), in the order they are written, and how
    to fill them; remembered for the last few schema sets."""
    known = _LAYOUTS.get(id(schema_set))
    if known is not None and known[0] is schema_set:
        return known[1]
    layout = _lay_out(schema_set)
    if len(_LAYOUTS) >= _LAYOUTS_KEPT:
        del _LAYOUTS[next(iter(_LAYOUTS))]
    _LAYOUTS[id(schema_set)] = (schema_set, layout)
    return layout


def _lay_out(schema_set: SchemaSet) -> TableLayout:
    builder = _Builder(schema_set)
    builder.reserve(RECORDS)
    builder.tables[RECORDS] = Table(
        RECORDS,
        "Records",
        "Every record of the data set: its type and identifier.",
        (
            Column(
                "record_type", "string", "The record type, as the schemas name it.", required=True
            ),
            Column("id", "string", "The record's identifier.", required=True),
        ),
        ("record_type", "id"),
    )
    plans = {
        record_type: builder.record_table(record_type) for record_type in schema_set.record_types
    }
    # The citation's own columns follow the three that place it, as in the citations table.
    citation_columns: list[Column] = list(_shared_tables(())[CITATIONS].columns)
    citation_handlers: Handlers = {}
    if builder.citation is not None:
        citation_handlers = builder.object_columns(
            builder.citation,
            record_type="",
            columns=citation_columns,
            taken={"record_type", "record_id", "pointer"},
            rename="citation",
            prefix=(),
            required=True,
            owner=None,
        )
    for table in _shared_tables(tuple(citation_columns[3:])).values():
        builder.reserve(table.name)
        builder.tables[table.name] = table
    return TableLayout(
        builder.tables, plans, _ItemPlan(citation_handlers, len(citation_columns), 3)
    )


# --- filling the tables from JSON records ------------------------------------------------------


def _json_text(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def _is_text(value: Any) -> bool:
    return isinstance(value, dict) and all(type(text) is str for text in value.values())


class _Rows:
    """Turns JSON records into rows, one record at a time."""

    def __init__(self, layout: TableLayout, tables: Mapping[str, Table]) -> None:
        self.rows = {name: table.rows for name, table in tables.items()}
        self.records = self.rows[RECORDS]
        self.texts = self.rows[TEXTS]
        self.citations = self.rows[CITATIONS]
        self.extras = self.rows[EXTRAS]
        self.citation = layout.citation_plan
        self.record_type = ""
        self.record_id: Any = None

    def add(self, record_type: str, table: str, plan: _ItemPlan, record: Mapping[str, Any]) -> None:
        record_id = record.get("id")
        self.record_type, self.record_id = record_type, record_id
        self.records.append((record_type, record_id))
        row: list[Any] = [None] * plan.width
        self.fill(plan.handlers, record, row, "", (record_id,))
        self.rows[table].append(tuple(row))

    def extra(self, pointer: str, value: Any) -> None:
        self.extras.append((self.record_type, self.record_id, pointer, _json_text(value)))

    def text(self, pointer: str, value: Mapping[str, str]) -> None:
        kind, record_id = self.record_type, self.record_id
        self.texts.extend((kind, record_id, pointer, lang, text) for lang, text in value.items())

    def cite(self, pointer: str, value: Any) -> None:
        if not isinstance(value, dict):
            self.extra(pointer, value)
            return
        plan = self.citation
        row: list[Any] = [None] * plan.width
        row[:3] = (self.record_type, self.record_id, pointer)
        self.fill(plan.handlers, value, row, pointer, ())
        self.citations.append(tuple(row))

    def fill(
        self,
        handlers: Handlers,
        item: Mapping[str, Any],
        row: list[Any],
        pointer: str,
        keys: tuple[Any, ...],
    ) -> None:
        """Put the fields of ``item`` (at ``pointer`` in the record) in ``row`` and other tables."""
        for key, value in item.items():
            here = f"{pointer}/{_escape(key)}"
            handler = handlers.get(key)
            if handler is None:
                self.extra(here, value)
                continue
            kind = handler[0]
            if kind == _CELL:
                if type(value) in handler[2]:
                    row[handler[1]] = value
                else:
                    self.extra(here, value)
            elif kind == _TEXT:
                if _is_text(value):
                    self.text(here, value)
                    row[handler[1]] = value.get("en")
                else:
                    self.extra(here, value)
            elif kind == _OBJECT:
                if isinstance(value, dict):
                    self.fill(handler[1], value, row, here, keys)
                else:
                    self.extra(here, value)
            elif kind == _CITATION:
                self.cite(here, value)
            elif kind == _JSON:
                row[handler[1]] = _json_text(value)
            elif not isinstance(value, list):
                self.extra(here, value)
            elif kind == _CITATIONS:
                for n, citation in enumerate(value):
                    self.cite(f"{here}/{n}", citation)
            elif kind == _TEXT_LIST:
                for n, text in enumerate(value):
                    if _is_text(text):
                        self.text(f"{here}/{n}", text)
                    else:
                        self.extra(f"{here}/{n}", text)
            elif kind == _VALUES:
                rows, accepted = self.rows[handler[1]], handler[2]
                for n, element in enumerate(value):
                    if type(element) in accepted:
                        rows.append((*keys, n, element))
                    else:
                        self.extra(f"{here}/{n}", element)
            else:
                rows, plan = self.rows[handler[1]], handler[2]
                for n, element in enumerate(value):
                    if not isinstance(element, dict):
                        self.extra(f"{here}/{n}", element)
                        continue
                    item_row: list[Any] = [*keys, n]
                    item_row += [None] * (plan.width - plan.keys)
                    self.fill(plan.handlers, element, item_row, f"{here}/{n}", (*keys, n))
                    rows.append(tuple(item_row))


def build_tables(
    dataset: Dataset, *, progress: Callable[[int], None] | None = None
) -> dict[str, Table]:
    """Every table of the data set, rows sorted by primary key.

    The rows come from the JSON records as read, so a record type that only
    the schemas know is laid out like any other. ``progress`` is called with
    the number of records done, now and then.
    """
    layout = table_layout(dataset.schema_set)
    tables = {name: table.empty() for name, table in layout.tables.items()}
    rows = _Rows(layout, tables)
    done = 0
    for record_type in dataset.record_types:
        collection = dataset.records(record_type)
        plan, name = layout.plans[record_type], table_name(record_type)
        for record_id in collection:
            rows.add(record_type, name, plan, collection.json(record_id))
            done += 1
            if progress is not None and done % 1000 == 0:
                progress(done)
    for table in tables.values():
        table.sort()
    return tables
