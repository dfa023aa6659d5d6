"""The SQLite export: the data set as one database file to query, with a Datasette metadata file.

``hsdata export --format sqlite OUT.db`` writes the tables of
:mod:`hsdata._export._tables` (the same tables as the CSV export, laid out
from the schemas, so a new record type or version needs no code here) into
one SQLite database, and ``OUT.metadata.json`` beside it for Datasette.

* Every table has its primary key and its foreign keys declared, so
  ``PRAGMA foreign_keys = ON`` enforces them on later changes and
  ``PRAGMA foreign_key_check`` finds none broken (a reference to a record of
  another package, ``prefix:id`` in 1.2, is the one thing it can list: merge
  the packages first).
* Every language of every multilingual text is a row of ``texts``
  (record type, record id, JSON Pointer of the text in its record, language,
  text); the record tables repeat the English text, as in the CSV export.
* ``texts_fts`` is an FTS5 full-text index over every row of ``texts``, with
  accents folded (``mines`` finds ``Élimination des mines``); it keeps its own
  copy of the text, so rebuilding the database with ``VACUUM`` leaves it right.
* The views of ``_sqlite_views.sql`` answer the common questions; each is made
  of the parts whose tables this version of the standard has. A record's name
  (label, title) in a view is its English text, else its French one, else the
  one of its languages first in alphabetical order (view ``preferred_texts``),
  so a record named only in Norwegian is shown by its name.
* ``package`` holds the descriptor's fields (name, title, version, licences...)
  as JSON text, so the database says what it was made from.

The file is built in memory and written whole or not at all
(:func:`hsdata._files.write_bytes`); an existing database or metadata file is
replaced only with ``force``. Building the same data twice gives the same bytes.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from .._files import OutputError, reason_of, write_bytes, write_text
from .._loader import Dataset, Exporter, register_exporter
from .._version import __version__
from ._tables import TEXTS, Table, build_tables

#: The full-text index of every text, and the table of the descriptor's fields.
FTS_TABLE = "texts_fts"
PACKAGE_TABLE = "package"
#: What the metadata file's name adds to the database's stem.
METADATA_SUFFIX = ".metadata.json"

#: The SQLite column type of each Table Schema type (booleans are 0 and 1).
_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}

#: Accents folded, so a query without them finds text with them, in every language.
_TOKENIZER = "unicode61 remove_diacritics 2"


def quote(name: str) -> str:
    """An SQL identifier, quoted: the schemas, not this module, choose table and column names.

    >>> quote("left"), quote('a"b')
    ('"left"', '"a""b"')
    """
    return '"' + name.replace('"', '""') + '"'


def _names(columns: Iterable[str]) -> str:
    return ", ".join(quote(column) for column in columns)


def create_table_sql(table: Table) -> str:
    """The CREATE TABLE statement of a table: its columns, primary key and foreign keys."""
    lines = []
    for column in table.columns:
        line = f"  {quote(column.name)} {_SQL_TYPES[column.type]}"
        if column.name in table.primary_key:
            line += " NOT NULL"
        if column.type == "boolean":
            line += f" CHECK ({quote(column.name)} IN (0, 1))"
        lines.append(line)
    lines.append(f"  PRIMARY KEY ({_names(table.primary_key)})")
    lines += [
        f"  FOREIGN KEY ({_names(key.columns)}) "
        f"REFERENCES {quote(key.table)} ({_names(key.target_columns)})"
        for key in table.foreign_keys
    ]
    return f"CREATE TABLE {quote(table.name)} (\n" + ",\n".join(lines) + "\n)"


def index_sql(table: Table) -> list[str]:
    """An index on each foreign key that the primary key does not start with, so joins
    from a record to the rows referring to it do not read the whole table."""
    statements = []
    for key in table.foreign_keys:
        if table.primary_key[: len(key.columns)] == key.columns:
            continue
        # Two underscores: no table name (snake case of the schemas' names) has them.
        name = "__".join((table.name, *key.columns))
        statements.append(
            f"CREATE INDEX {quote(name)} ON {quote(table.name)} ({_names(key.columns)})"
        )
    return statements


# --- views ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """A view of ``_sqlite_views.sql``: its name, title, description and the SELECTs it unites."""

    name: str
    title: str
    description: str
    parts: tuple[str, ...]


_HEADER = re.compile(r"^-- (view|title|description): ?(.*)$")


def read_views(text: str) -> list[View]:
    """The views a views file defines, in its order (see the file's opening comment)."""
    views: list[View] = []
    for block in re.split(r"^(?=-- view:)", text, flags=re.MULTILINE)[1:]:
        header: dict[str, str] = {}
        body: list[str] = []
        for line in block.splitlines():
            found = _HEADER.match(line)
            if found and not body:
                header[found.group(1)] = found.group(2).strip()
            elif line.strip() and not line.startswith("--"):
                body.append(line)
        parts = [part.strip() for part in re.split(r";\s*$", "\n".join(body), flags=re.MULTILINE)]
        views.append(
            View(
                header["view"],
                header.get("title", header["view"]),
                header.get("description", ""),
                tuple(part for part in parts if part),
            )
        )
    return views


def bundled_views() -> list[View]:
    """The views every SQLite export is given."""
    resource = files(__package__ or "hsdata._export") / "_sqlite_views.sql"
    return read_views(resource.read_text(encoding="utf-8"))


_MISSING = ("no such table", "no such column")


def _works(connection: sqlite3.Connection, select: str) -> bool:
    """Whether a SELECT runs on this database: False when a table or column it uses is missing.

    Any other error is a mistake in the views file, and raised.
    """
    try:
        connection.execute(f"SELECT * FROM ({select}) LIMIT 0")
    except sqlite3.OperationalError as exc:
        if str(exc).startswith(_MISSING):
            return False
        raise
    return True


def add_views(connection: sqlite3.Connection, views: Iterable[View]) -> list[View]:
    """Create each view from the parts that work here; return the views made, with those parts."""
    made = []
    for view in views:
        parts = tuple(part for part in view.parts if _works(connection, part))
        if parts:
            union = "\nUNION ALL\n".join(parts)
            connection.execute(f"CREATE VIEW {quote(view.name)} AS\n{union}")
            made.append(View(view.name, view.title, view.description, parts))
    return made


# --- canned queries (Datasette) -------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """A query with named parameters that Datasette offers as a form, and the views it needs."""

    name: str
    title: str
    description: str
    sql: str
    needs: tuple[str, ...] = ()


QUERIES = (
    Query(
        "search",
        "Search every text",
        "Full-text search over every name, label, title, description, definition and note, "
        "in every language (accents are ignored; put a phrase in double quotes, add * for a "
        "prefix).",
        f"SELECT record_type, record_id, pointer, language, "
        f"snippet({FTS_TABLE}, 0, '[', ']', '…', 16) AS found\n"
        f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :words\n"
        "ORDER BY rank LIMIT 200",
    ),
    Query(
        "roles_of_actor",
        "An actor's partnerships and roles",
        "Every tie of one actor (give its identifier, such as canada), oldest first.",
        "SELECT relation, role, other_type, other, other_name, period_start, period_end,\n"
        "  record_type, record_id\n"
        "FROM actor_roles WHERE actor = :actor\n"
        "ORDER BY period_start, relation, other",
        ("actor_roles",),
    ),
    Query(
        "events_on_issue_area",
        "Events on an issue area, by year",
        "The events that concerned one issue area (give its identifier, such as landmines).",
        "SELECT year, event, event_name, event_type, date_start, date_end\n"
        "FROM events_by_issue_area_and_year WHERE issue_area = :issue_area\n"
        "ORDER BY year, date_start, event",
        ("events_by_issue_area_and_year",),
    ),
    Query(
        "engaged_on_issue_area",
        "Who engaged on an issue area, through which forum, and when",
        "The actors that engaged on one issue area or a narrower one (give its identifier, "
        "such as landmines), how, through which forum, partnership or event, and when.",
        "WITH RECURSIVE area(id) AS (\n"
        "  SELECT :issue_area\n"
        "  UNION SELECT narrower.issue_area FROM issue_area_broader AS narrower\n"
        "  JOIN area ON narrower.broader = area.id\n"
        ")\n"
        "SELECT DISTINCT actor_name, mode, forum_name, partnership_name, event_name,\n"
        "  period_start, period_end, as_of, stated_in, issue_area_label, engagement\n"
        "FROM issue_area_engagements WHERE issue_area IN (SELECT id FROM area)\n"
        "ORDER BY period_start, actor_name, engagement",
        ("issue_area_engagements",),
    ),
)


# --- building the database ------------------------------------------------------------------------


@dataclass
class Database:
    """What an export made: the database's bytes, its tables and the views it has."""

    data: bytes
    tables: dict[str, Table]
    views: list[View]


def _descriptor_rows(descriptor: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [
        (key, json.dumps(value, ensure_ascii=False, sort_keys=True))
        for key, value in sorted(descriptor.items())
        if key != "resources"
    ]


def _fill(connection: sqlite3.Connection, dataset: Dataset) -> tuple[dict[str, Table], list[View]]:
    tables = build_tables(dataset)
    for table in tables.values():
        connection.execute(create_table_sql(table))
        marks = ", ".join("?" * len(table.columns))
        connection.executemany(f"INSERT INTO {quote(table.name)} VALUES ({marks})", table.rows)
        for statement in index_sql(table):
            connection.execute(statement)
    texts = tables[TEXTS]
    indexed = [column.name for column in texts.columns if column.name != "text"]
    connection.execute(
        f"CREATE VIRTUAL TABLE {quote(FTS_TABLE)} USING fts5(text, "
        + ", ".join(f"{quote(name)} UNINDEXED" for name in indexed)
        + f", tokenize = '{_TOKENIZER}')"
    )
    connection.execute(
        f"INSERT INTO {quote(FTS_TABLE)} (text, {_names(indexed)}) "
        f"SELECT text, {_names(indexed)} FROM {quote(TEXTS)} ORDER BY rowid"
    )
    connection.execute(
        f"CREATE TABLE {quote(PACKAGE_TABLE)} (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)"
    )
    connection.executemany(
        f"INSERT INTO {quote(PACKAGE_TABLE)} VALUES (?, ?)", _descriptor_rows(dataset.descriptor)
    )
    views = add_views(connection, bundled_views())
    return tables, views


def _serialize(connection: sqlite3.Connection) -> bytes:
    """The database's bytes (Python 3.11 serialises in memory; 3.10 goes through a file)."""
    serialize = getattr(connection, "serialize", None)
    if serialize is not None:
        data: bytes = serialize()
        return data
    with tempfile.TemporaryDirectory(prefix="hsdata-sqlite-") as folder:
        copy_path = Path(folder) / "copy.db"
        copy = sqlite3.connect(copy_path)
        try:
            connection.backup(copy)
        finally:
            copy.close()
        return copy_path.read_bytes()


def build_database(dataset: Dataset) -> Database:
    """The data set as an SQLite database, in memory; see the module's description."""
    connection = sqlite3.connect(":memory:")
    try:
        tables, views = _fill(connection, dataset)
        connection.commit()
        return Database(_serialize(connection), tables, views)
    finally:
        connection.close()


# --- the Datasette metadata -----------------------------------------------------------------------


def _column_text(title: str, description: str) -> str:
    if title and not description.lower().startswith(title.lower()):
        return f"{title}: {description}"
    return description


def datasette_metadata(dataset: Dataset, database: Database, database_name: str) -> dict[str, Any]:
    """The Datasette metadata of a database: titles and descriptions from the schemas,
    the full-text index, and the canned queries whose views the database has."""
    source = dataset.descriptor
    name = str(source.get("name") or "hsdata")
    title = str(source.get("title") or name)
    tables: dict[str, Any] = {}
    for table in database.tables.values():
        tables[table.name] = {
            "title": table.title,
            "description": table.description,
            "columns": {
                column.name: _column_text(column.title, column.description)
                for column in table.columns
            },
        }
    tables[FTS_TABLE] = {
        "title": "Full-text search",
        "description": "Every multilingual text, searchable: type words in the search box "
        "(accents are ignored).",
    }
    tables[PACKAGE_TABLE] = {
        "title": "The data package",
        "description": "The fields of the data package's descriptor (datapackage.json), as JSON.",
    }
    for view in database.views:
        tables[view.name] = {"title": view.title, "description": view.description}
    made = {view.name for view in database.views}
    queries = {
        query.name: {"title": query.title, "description": query.description, "sql": query.sql}
        for query in QUERIES
        if made.issuperset(query.needs)
    }
    metadata: dict[str, Any] = {
        "title": title,
        "description": f"The hsdata data package '{name}' (standard version "
        f"{dataset.schema_version}), exported by hsdata {__version__}.",
    }
    licenses = source.get("licenses")
    if isinstance(licenses, list) and licenses and isinstance(licenses[0], dict):
        licence = licenses[0]
        if isinstance(licence.get("title") or licence.get("name"), str):
            metadata["license"] = licence.get("title") or licence.get("name")
        if isinstance(licence.get("path"), str):
            metadata["license_url"] = licence["path"]
    metadata["databases"] = {
        database_name: {
            "title": title,
            "description": metadata["description"],
            "tables": tables,
            "queries": queries,
        }
    }
    return metadata


# --- writing --------------------------------------------------------------------------------------


def metadata_path(database_path: Path) -> Path:
    """Where the metadata of a database file goes: ``OUT.db`` -> ``OUT.metadata.json``."""
    return database_path.with_name(database_path.stem + METADATA_SUFFIX)


def _refuse_existing(paths: Sequence[Path]) -> None:
    for path in paths:
        if path.exists() or path.is_symlink():
            raise OutputError(
                f"{path} already exists; hsdata replaces it only when asked "
                "(hsdata export --force, or force=True)",
                path,
            )


def write_sqlite(dataset: Dataset, out: str | Path, *, force: bool = False) -> Path:
    """Write the data set as an SQLite database ``out`` and its Datasette metadata beside it
    (``OUT.metadata.json``); return the database's path.

    Each file is written whole or not at all; existing files are replaced
    only with ``force``.
    """
    path = Path(out)
    meta = metadata_path(path)
    if not force:
        _refuse_existing((path, meta))
    if path.parent != Path():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {reason_of(exc)}", path) from exc
    database = build_database(dataset)
    write_bytes(path, database.data)
    metadata = datasette_metadata(dataset, database, path.stem)
    write_text(meta, json.dumps(metadata, indent=2, ensure_ascii=False) + "\n")
    return path


register_exporter(
    Exporter(
        "sqlite",
        "one SQLite database (tables with primary and foreign keys, full-text search, views) "
        "into OUT, a file (a folder: OUT/NAME.db), with OUT.metadata.json for Datasette beside it",
        "file",
        write_sqlite,
        summary="an SQLite database to",
        suffix=".db",
        options=frozenset({"force"}),
    )
)
