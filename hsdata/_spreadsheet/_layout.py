"""How records map onto spreadsheet tables: one sheet per record type, one per nested list.

The layout is derived from the JSON Schemas (extensions included), so no
column is written by hand:

* a scalar field is a column named by its path, with dots between levels
  (``period.start``, ``location.country``);
* a language map is one column per language, ``name@en``, ``name@fr``;
* a list of identifiers (or other scalars) is one column whose cell holds the
  items separated by semicolons;
* a list of objects or of language maps gets a sheet of its own, named
  ``<record type>.<field>`` (``partnership.members``), whose rows are the
  items in order. Its first column holds the identifier of the record the
  item belongs to (headed ``partnership id``); a list nested in a list item
  adds a column giving the item's position in its list, counting from 1
  (``members #`` in ``partnership.members.citations``). Key headers hold a
  space, which field headers never do.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from .._schema_shapes import Array, LanguageMap, Object, Scalar, record_shape
from .._schemas import SchemaError, SchemaSet

#: Excel refuses sheet names longer than this.
MAX_SHEET_NAME = 31
#: The separator between the items of a list written in one cell.
LIST_SEPARATOR = ";"
#: The record types in the order their sheets come: records referred to come first.
PREFERRED_ORDER = (
    "source",
    "actor",
    "issueArea",
    "document",
    "event",
    "partnership",
    "membership",
)


@dataclass(frozen=True)
class Column:
    """One column of a table: its header and the place of its value in the item."""

    header: str
    path: tuple[str, ...]
    shape: Scalar | LanguageMap | Array
    language: str | None = None
    required: bool = False

    @property
    def is_list(self) -> bool:
        return isinstance(self.shape, Array)

    @property
    def scalar(self) -> Scalar:
        """The scalar type of the cell's value (or of each item of a list cell)."""
        if isinstance(self.shape, Array):
            assert isinstance(self.shape.item, Scalar)
            return self.shape.item
        if isinstance(self.shape, LanguageMap):
            return Scalar("string", self.shape.title, self.shape.description)
        return self.shape


@dataclass(frozen=True)
class Table:
    """One sheet: the records of a type, or the items of a list nested in them.

    ``path`` is the place of the list in the record: () for the record type's
    own table, ("members",) for a partnership's members, ("members", "citations")
    for the citations of each member. ``keys`` are the headers of the columns
    that say which record (and which item of which list) a row belongs to.
    """

    name: str
    record_type: str
    path: tuple[tuple[str, ...], ...]
    item: Object | LanguageMap
    keys: tuple[str, ...]
    columns: tuple[Column, ...]
    parent: str | None = None
    title: str = ""
    description: str = ""

    @property
    def headers(self) -> tuple[str, ...]:
        return (*self.keys, *(column.header for column in self.columns))

    @property
    def field_path(self) -> tuple[str, ...]:
        return tuple(part for segment in self.path for part in segment)


@dataclass
class Layout:
    """Every table of a schema set, in sheet order."""

    schema_set: SchemaSet
    record_types: tuple[str, ...]
    tables: tuple[Table, ...]
    languages: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = field(default_factory=dict)

    def table(self, name: str) -> Table | None:
        for table in self.tables:
            if table.name == name:
                return table
        return None

    def main_table(self, record_type: str) -> Table:
        for table in self.tables:
            if table.record_type == record_type and not table.path:
                return table
        raise KeyError(record_type)


def sheet_name(parts: Sequence[str]) -> str:
    """A sheet name for a table, shortened to Excel's 31 characters when needed.

    >>> sheet_name(["partnership", "members", "citations"])
    'partnership.members.citations'
    >>> len(sheet_name(["partnership", "members", "funding", "citations"]))
    31
    """
    name = ".".join(parts)
    if len(name) <= MAX_SHEET_NAME:
        return name
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:4]
    head = name[: MAX_SHEET_NAME - len(digest) - 1]
    return f"{head}~{digest}"


def _columns(
    shape: Object, prefix: tuple[str, ...], required: bool
) -> Iterator[tuple[Column | None, tuple[str, ...], Array | None]]:
    """Columns of an object, each language map as one column without a language yet.

    A list of objects (or of language maps) yields (None, path, array): it
    becomes a table of its own.
    """
    for name, sub in shape.properties:
        path = (*prefix, name)
        header = ".".join(path)
        is_required = required and name in shape.required
        if isinstance(sub, Scalar | LanguageMap):
            yield Column(header, path, sub, required=is_required), path, None
        elif isinstance(sub, Object):
            yield from _columns(sub, path, is_required)
        elif isinstance(sub.item, Scalar):
            yield Column(header, path, sub, required=is_required), path, None
        else:
            yield None, path, sub


def build_layout(
    schema_set: SchemaSet,
    languages: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] | None = None,
    default_languages: tuple[str, ...] = ("en", "fr"),
) -> Layout:
    """The tables of every record type of ``schema_set``.

    ``languages`` gives, per (table name, field path), the language columns
    to write; fields not listed get ``default_languages``.
    """
    languages = dict(languages or {})
    order = [t for t in PREFERRED_ORDER if t in schema_set.record_types]
    order += sorted(t for t in schema_set.record_types if t not in order)
    tables: list[Table] = []

    def langs(table: str, path: tuple[str, ...]) -> tuple[str, ...]:
        return languages.get((table, path), default_languages)

    def add(
        record_type: str,
        *,
        name_parts: list[str],
        path: tuple[tuple[str, ...], ...],
        item: Object | LanguageMap,
        keys: tuple[str, ...],
        parent: str | None,
        title: str,
        description: str,
    ) -> None:
        name = sheet_name(name_parts)
        columns: list[Column] = []
        nested: list[tuple[tuple[str, ...], Array]] = []
        if isinstance(item, LanguageMap):
            field_name = path[-1][-1]
            for language in langs(name, ()):
                columns.append(Column(f"{field_name}@{language}", (), item, language))
        else:
            for column, field_path, array in _columns_with_languages(item, name, langs):
                if array is not None:
                    nested.append((field_path, array))
                elif column is not None:
                    columns.append(column)
        tables.append(
            Table(name, record_type, path, item, keys, tuple(columns), parent, title, description)
        )
        for field_path, array in nested:
            item_shape = array.item
            if not isinstance(item_shape, Object | LanguageMap):
                raise SchemaError(
                    f"{record_type} field {'.'.join(field_path)} is a list of lists, which a "
                    "spreadsheet cannot hold"
                )
            # the first level is keyed by the record's id; deeper ones add the item's position
            child_keys = (*keys, f"{path[-1][-1]} #") if path else (f"{record_type} id",)
            add(
                record_type,
                name_parts=[*name_parts, *field_path],
                path=(*path, field_path),
                item=item_shape,
                keys=child_keys,
                parent=name,
                title=array.title,
                description=array.description,
            )

    for record_type in order:
        shape = record_shape(schema_set, record_type)
        if "id" not in dict(shape.properties):
            raise SchemaError(f"the {record_type} schema has no 'id', which the sheets need")
        add(
            record_type,
            name_parts=[record_type],
            path=(),
            item=shape,
            keys=(),
            parent=None,
            title=shape.title,
            description=shape.description,
        )
    return Layout(schema_set, tuple(order), tuple(tables), languages)


def _columns_with_languages(
    item: Object, table: str, langs: Callable[[str, tuple[str, ...]], tuple[str, ...]]
) -> Iterator[tuple[Column | None, tuple[str, ...], Array | None]]:
    """The columns of an object, each language map as one column per language of its field."""
    for column, path, array in _columns(item, (), True):
        if column is None or not isinstance(column.shape, LanguageMap):
            yield column, path, array
            continue
        for language in langs(table, path):
            yield (
                Column(
                    f"{column.header}@{language}",
                    path,
                    column.shape,
                    language,
                    # English is the language every text must have
                    required=column.required and language == "en",
                ),
                path,
                None,
            )


_HEADER = re.compile(
    r"^(?P<path>[A-Za-z0-9_.]*?)(?:@(?P<language>[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*))?$"
)


def parse_header(header: str) -> tuple[tuple[str, ...], str | None] | None:
    """'location.name@fr' -> (('location', 'name'), 'fr'); None if it is not a header."""
    match = _HEADER.match(header)
    if match is None:
        return None
    path = tuple(part for part in match.group("path").split(".") if part)
    return path, match.group("language")
