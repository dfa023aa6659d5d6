"""The SQLite export: keys, every language, full-text search, views, and the tools that open it."""

from __future__ import annotations

import asyncio
import copy
import importlib.util
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from outside_tools import require_tool
from scratch_version import (
    NEW_RECORD_TYPE,
    PLEDGES,
    ScratchVersion,
    scratch_version,  # noqa: F401 (a fixture)
)

import hsdata
from hsdata._export._sqlite import (
    FTS_TABLE,
    View,
    _serialize,
    add_views,
    build_database,
    bundled_views,
    metadata_path,
    read_views,
)
from hsdata._export._tables import build_tables, table_layout, table_name
from hsdata._files import OutputError
from hsdata.cli import main

DOCS = Path(__file__).resolve().parents[2] / "docs" / "query.rst"
#: The canonical data's 1.1 release, as published (tests/versions keeps it).
CANONICAL_1_1 = Path(__file__).resolve().parents[1] / "versions" / "canonical_1_1"


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def _rows(path: Path, sql: str, *parameters: Any) -> list[tuple[Any, ...]]:
    with closing(_connect(path)) as connection:
        return connection.execute(sql, parameters).fetchall()


@pytest.fixture(scope="module")
def canonical() -> hsdata.Dataset:
    return hsdata.load()


@pytest.fixture(scope="module")
def exported(canonical: hsdata.Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return canonical.export("sqlite", tmp_path_factory.mktemp("sqlite") / "hsdata.db")


@pytest.fixture(scope="module")
def exported_1_1(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dataset = hsdata.load(CANONICAL_1_1)
    assert dataset.schema_version == "1.1"
    return dataset.export("sqlite", tmp_path_factory.mktemp("sqlite_1_1") / "hsdata.db")


# --- a 1.2 package with engagements -----------------------------------------------------------


def _engagements(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Three engagements, two on landmines; each cites what the signing event cites."""
    signing = next(e for e in events if e["id"] == "landmines-treaty-signing-ottawa-1997")
    cite = [copy.deepcopy(signing["citations"][0])]
    return [
        {
            "id": "canada-landmines-ottawa",
            "actor": "canada",
            "mode": "championed",
            "issueAreas": ["landmines"],
            "event": signing["id"],
            "description": {"en": "Canada led the Ottawa process.", "fr": "Le Canada a mené."},
            "citations": cite,
        },
        {
            "id": "norway-landmines-lysoen",
            "actor": "norway",
            "mode": "promoted",
            "issueAreas": ["human-security", "landmines"],
            "partnership": "lysoen-partnership",
            "forum": "united-nations",
            "period": {"start": "1998-05-11", "end": "2000"},
            "citations": cite,
        },
        {
            "id": "canada-civilians-council",
            "actor": "canada",
            "mode": "championed",
            "issueAreas": ["protection-of-civilians"],
            "forum": "un-security-council",
            "period": {"start": "1999", "end": "2000"},
            "citations": cite,
        },
    ]


@pytest.fixture(scope="module")
def with_engagements(tmp_path_factory: pytest.TempPathFactory) -> tuple[hsdata.Dataset, Path]:
    """The canonical data's 1.1 release upgraded to 1.2 with engagements, and its export."""
    folder = tmp_path_factory.mktemp("engagements")
    package = folder / "package"
    report = hsdata.upgrade(
        CANONICAL_1_1,
        "1.2",
        output=package,
        publisher_name="hsdata maintainers",
        reporting="secondary",
        namespace="https://w3id.org/hsdata/data/canonical/",
        license="CC-BY-4.0",
        published="2026-01-01T00:00:00Z",
    )
    assert report.written, report
    events = json.loads((package / "events.json").read_text(encoding="utf-8"))
    (package / "engagements.json").write_text(
        json.dumps(_engagements(events), ensure_ascii=False), encoding="utf-8"
    )
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append(
        {
            "name": "engagements",
            "path": "engagements.json",
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            "hsdata:recordType": "engagement",
            "jsonSchema": "https://w3id.org/hsdata/schema/1.2/engagement.json",
        }
    )
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    dataset = hsdata.load(package)
    return dataset, dataset.export("sqlite", folder / "engaged.db")


# --- tables and keys ---------------------------------------------------------------------------


def test_every_table_has_its_rows_primary_key_and_foreign_keys(
    canonical: hsdata.Dataset, exported: Path
) -> None:
    tables = build_tables(canonical)
    with closing(_connect(exported)) as connection:
        for name, table in tables.items():
            info = connection.execute(f'PRAGMA table_info("{name}")').fetchall()
            assert [row[1] for row in info] == [column.name for column in table.columns]
            key = sorted((row[5], row[1]) for row in info if row[5])
            assert tuple(column for _, column in key) == table.primary_key, name
            declared = {}
            for row in connection.execute(f'PRAGMA foreign_key_list("{name}")'):
                declared.setdefault(row[0], [row[2], [], []])
                declared[row[0]][1].append(row[3])
                declared[row[0]][2].append(row[4])
            expected = sorted(
                (k.table, list(k.columns), list(k.target_columns)) for k in table.foreign_keys
            )
            assert sorted((t, c, tc) for t, c, tc in declared.values()) == expected, name
            stored = connection.execute(f'SELECT * FROM "{name}"').fetchall()
            assert stored == [
                tuple(int(v) if isinstance(v, bool) else v for v in row) for row in table.rows
            ], name
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    assert sum(len(t.rows) for t in tables.values() if t.items == "") == len(canonical)


def test_foreign_keys_are_enforced_once_switched_on(exported: Path, tmp_path: Path) -> None:
    copy_path = tmp_path / "copy.db"
    copy_path.write_bytes(exported.read_bytes())
    with closing(_connect(copy_path)) as connection:
        partnership = connection.execute("SELECT id FROM partnerships LIMIT 1").fetchone()[0]
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            connection.execute(
                "INSERT INTO partnership_members (partnership, position, actor) VALUES (?, 99, ?)",
                (partnership, "no-such-actor"),
            )
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            connection.execute("DELETE FROM actors WHERE id = 'canada'")


def test_the_package_table_holds_the_descriptor(canonical: hsdata.Dataset, exported: Path) -> None:
    stored = dict(_rows(exported, "SELECT key, value FROM package"))
    assert json.loads(stored["name"]) == canonical.descriptor["name"]
    assert json.loads(stored["hsdata:version"]) == canonical.schema_version
    assert "resources" not in stored


# --- every language, full-text search ------------------------------------------------------------


def test_every_language_of_every_text_is_queryable(
    canonical: hsdata.Dataset, exported: Path
) -> None:
    for actor in canonical.records("actor"):
        names = canonical.records("actor").json(actor)["name"]
        stored = _rows(
            exported,
            "SELECT language, text FROM texts WHERE record_type = 'actor' "
            "AND record_id = ? AND pointer = '/name'",
            actor,
        )
        assert dict(stored) == names


def test_full_text_search_finds_landmines_in_english_and_in_french(exported: Path) -> None:
    query = (
        f"SELECT record_type, record_id, pointer FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH ? AND language = ?"
    )
    english = _rows(exported, query, "landmines", "en")
    french = _rows(exported, query, '"mines terrestres"', "fr")
    assert ("issueArea", "landmines", "/label") in english
    assert ("issueArea", "landmines", "/label") in french
    assert not _rows(exported, query, '"mines terrestres"', "en")
    # accents are ignored: 'elimination' finds 'Élimination des mines terrestres'
    assert ("issueArea", "landmines", "/alternateLabels/0") in _rows(
        exported, query, "elimination", "fr"
    )
    counted = _rows(exported, f"SELECT count(*) FROM {FTS_TABLE}")
    assert counted == _rows(exported, "SELECT count(*) FROM texts")


def test_the_documented_search_query_runs(exported: Path) -> None:
    block = _code_block(DOCS.read_text(encoding="utf-8"), "texts_fts MATCH")
    found = {(row[0], row[1], row[3]) for row in _rows(exported, block)}
    assert {("issueArea", "landmines", "en"), ("issueArea", "landmines", "fr")} <= found


# --- views ---------------------------------------------------------------------------------------


def test_events_by_issue_area_and_year(canonical: hsdata.Dataset, exported: Path) -> None:
    expected = set()
    for event_id in canonical.records("event"):
        event = canonical.records("event").json(event_id)
        start = event.get("date", {}).get("start")
        for area in event.get("issueAreas", []):
            expected.add((area, int(start[:4]) if start else None, event_id))
    rows = _rows(exported, "SELECT issue_area, year, event FROM events_by_issue_area_and_year")
    assert set(rows) == expected and len(rows) == len(expected)
    counts = {
        (area, year): n
        for area, year, n in _rows(
            exported, "SELECT issue_area, year, events FROM event_counts_by_issue_area_and_year"
        )
    }
    assert counts[("landmines", 1997)] == sum(
        1 for area, year, _ in expected if (area, year) == ("landmines", 1997)
    )


def test_an_actors_partnerships_and_roles(canonical: hsdata.Dataset, exported: Path) -> None:
    rows = _rows(exported, "SELECT relation, role, other FROM actor_roles WHERE actor = 'canada'")
    partnerships = canonical.records("partnership")
    for partnership_id in partnerships:
        for member in partnerships.json(partnership_id).get("members", []):
            if member["actor"] == "canada":
                assert ("partner in", member.get("role"), partnership_id) in rows
    memberships = canonical.records("membership")
    for membership_id in memberships:
        membership = memberships.json(membership_id)
        if membership["member"] == "canada":
            assert ("member of", membership.get("role"), membership["organization"]) in rows
        if membership["organization"] == "canada":
            assert ("has member", membership.get("role"), membership["member"]) in rows
    took_part = {other for relation, _, other in rows if relation == "took part in"}
    events = canonical.records("event")
    assert took_part == {
        event_id
        for event_id in events
        if any(p["actor"] == "canada" for p in events.json(event_id).get("participants", []))
    }


def test_a_view_keeps_only_the_parts_its_tables_allow() -> None:
    views = read_views(
        "-- view: people\n-- title: People\n-- description: Everyone.\n"
        "SELECT id AS who FROM actors;\nSELECT id AS who FROM no_such_table;\n"
        "-- view: nothing\nSELECT id FROM no_such_table;\n"
    )
    assert views[0] == View(
        "people",
        "People",
        "Everyone.",
        ("SELECT id AS who FROM actors", "SELECT id AS who FROM no_such_table"),
    )
    with closing(sqlite3.connect(":memory:")) as connection:
        connection.execute("CREATE TABLE actors (id TEXT PRIMARY KEY)")
        connection.execute("INSERT INTO actors VALUES ('canada')")
        made = add_views(connection, views)
        assert [(view.name, len(view.parts)) for view in made] == [("people", 1)]
        assert connection.execute("SELECT who FROM people").fetchall() == [("canada",)]
        # a mistake in a view is not mistaken for a missing table
        with pytest.raises(sqlite3.OperationalError, match="syntax"):
            add_views(connection, read_views("-- view: broken\nSELEC id FROM actors;\n"))


def test_a_1_1_package_has_no_engagement_view_and_1_2_has_every_part(
    exported_1_1: Path, with_engagements: tuple[hsdata.Dataset, Path]
) -> None:
    def views(path: Path) -> set[str]:
        return {name for (name,) in _rows(path, "SELECT name FROM sqlite_master WHERE type='view'")}

    every = {view.name for view in bundled_views()}
    assert views(exported_1_1) == every - {"issue_area_engagements"}
    metadata = json.loads(metadata_path(exported_1_1).read_text(encoding="utf-8"))
    assert "engaged_on_issue_area" not in metadata["databases"]["hsdata"]["queries"]
    assert views(with_engagements[1]) == every
    kinds = {
        relation for (relation,) in _rows(with_engagements[1], "SELECT relation FROM actor_roles")
    }
    assert "engaged through" in kinds


#: A package whose records are named in Norwegian only.
NORWAY_NB = Path(__file__).resolve().parents[2] / "examples" / "norway-nb"

#: Every column of a view that shows a record's name, label or title, with the id column
#: and the record type (and JSON Pointer) it is the text of.
NAME_COLUMNS: dict[str, list[tuple[str, str, str | None, str]]] = {
    "events_by_issue_area_and_year": [
        ("event_name", "event", "event", "/name"),
        ("issue_area_label", "issue_area", "issueArea", "/label"),
    ],
    "event_counts_by_issue_area_and_year": [
        ("issue_area_label", "issue_area", "issueArea", "/label"),
    ],
    "actor_roles": [("other_name", "other", None, "")],
    "issue_area_engagements": [
        ("issue_area_label", "issue_area", "issueArea", "/label"),
        ("actor_name", "actor", "actor", "/name"),
        ("forum_name", "forum", "actor", "/name"),
        ("partnership_name", "partnership", "partnership", "/name"),
        ("event_name", "event", "event", "/name"),
    ],
}


@pytest.fixture(scope="module")
def exported_nb(tmp_path_factory: pytest.TempPathFactory) -> tuple[hsdata.Dataset, Path]:
    dataset = hsdata.load(NORWAY_NB)
    return dataset, dataset.export("sqlite", tmp_path_factory.mktemp("sqlite_nb") / "nb.db")


def _name_of(dataset: hsdata.Dataset, record_type: str, record_id: str) -> str | None:
    """The record's name (label, title) in the preferred language, None if it has none here."""
    if record_type not in dataset.record_types or record_id not in dataset.records(record_type):
        return None
    record = dataset.records(record_type).json(record_id)
    texts = record.get("name") or record.get("label") or record.get("title")
    if not isinstance(texts, dict):
        return texts
    ranked = sorted(
        texts,
        key=lambda tag: (tag.split("-")[0] not in ("en", "fr"), tag.split("-")[0] != "en", tag),
    )
    return texts[ranked[0]] if ranked else None


def test_every_view_shows_names_given_only_in_norwegian(
    exported_nb: tuple[hsdata.Dataset, Path],
) -> None:
    dataset, path = exported_nb
    views = {name for (name,) in _rows(path, "SELECT name FROM sqlite_master WHERE type='view'")}
    assert set(NAME_COLUMNS) <= views
    shown = 0
    for view, columns in NAME_COLUMNS.items():
        extra = ", other_type" if view == "actor_roles" else ""
        for column, id_column, record_type, _ in columns:
            for name, record_id, *kind in _rows(
                path, f"SELECT {column}, {id_column}{extra} FROM {view}"
            ):
                if record_id is None:
                    continue
                expected = _name_of(dataset, record_type or kind[0], record_id)
                assert name == expected, (view, column, record_id)
                shown += name is not None
    # Both events, the treaty and Norway's host conference are named, in Norwegian.
    assert shown >= 5
    (hosted,) = _rows(
        path,
        "SELECT event, event_name FROM issue_area_engagements WHERE mode = 'hosted'",
    )
    assert hosted == (
        "oslo-diplomatiske-konferanse-1997",
        "Den diplomatiske konferansen i Oslo om et internasjonalt totalforbud mot "
        "antipersonellminer",
    )


@pytest.mark.parametrize(
    ("languages", "chosen"),
    [
        ({"nb": "Norsk", "en": "English", "fr": "Français"}, "en"),
        ({"nb": "Norsk", "fr": "Français", "de": "Deutsch"}, "fr"),
        ({"sv": "Svenska", "nb": "Norsk", "de": "Deutsch"}, "de"),
        ({"fr-CA": "Québécois", "en-GB": "British"}, "en-GB"),
        ({"de": None, "nb": "Norsk"}, "nb"),
        ({"nb": "Norsk"}, "nb"),
    ],
)
def test_a_name_falls_back_from_english_to_french_to_the_first_language(
    languages: dict[str, str | None], chosen: str
) -> None:
    with closing(sqlite3.connect(":memory:")) as connection:
        connection.execute(
            "CREATE TABLE texts (record_type TEXT, record_id TEXT, pointer TEXT, "
            "language TEXT, text TEXT, PRIMARY KEY (record_type, record_id, pointer, language))"
        )
        rows = [("event", "e", "/name", tag, text) for tag, text in languages.items()]
        rows.append(("event", "e", "/note", "zz", "another text of the record"))
        connection.executemany("INSERT INTO texts VALUES (?, ?, ?, ?, ?)", rows)
        made = add_views(connection, bundled_views())
        assert [view.name for view in made] == ["preferred_texts"]
        found = connection.execute(
            "SELECT pointer, language, text FROM preferred_texts ORDER BY pointer"
        ).fetchall()
    assert found == [
        ("/name", chosen, languages[chosen]),
        ("/note", "zz", "another text of the record"),
    ]


def _code_block(text: str, containing: str) -> str:
    """The first ``code-block`` of an rst page whose code contains ``containing``."""
    for found in re.finditer(
        r"^\.\. code-block:: sql\n((?:   :.*\n)*)\n((?:   .*\n|\n)+)", text, re.M
    ):
        code = "\n".join(line[3:] for line in found.group(2).splitlines())
        if containing in code:
            return code.strip()
    raise AssertionError(f"no SQL block with {containing!r} in {DOCS.name}")


def _landmines_query() -> str:
    return _code_block(DOCS.read_text(encoding="utf-8"), "WITH RECURSIVE area")


def _on_landmines(engagements: list[dict[str, Any]], dataset: hsdata.Dataset) -> set[str]:
    areas, grown = {"landmines"}, True
    issue_areas = dataset.records("issueArea")
    while grown:
        narrower = {i for i in issue_areas if set(issue_areas.json(i).get("broader", [])) & areas}
        grown = not narrower <= areas
        areas |= narrower
    return {e["id"] for e in engagements if set(e["issueAreas"]) & areas}


def test_the_documented_landmines_query_answers_from_engagements(
    with_engagements: tuple[hsdata.Dataset, Path],
) -> None:
    dataset, path = with_engagements
    engagements = [dataset.records("engagement").json(i) for i in dataset.records("engagement")]
    rows = _rows(path, _landmines_query())
    assert {row[-1] for row in rows} == _on_landmines(engagements, dataset) != set()
    by_id = {row[-1]: row for row in rows}
    assert by_id["norway-landmines-lysoen"][1:5] == (
        "promoted",
        "United Nations",
        "1998-05-11",
        "2000",
    )
    # no forum: the partnership or the event the engagement went through, and its dates
    signing = by_id["canada-landmines-ottawa"]
    assert signing[3] == "1997-12-03" and "Ottawa" in str(signing[2])
    # stated_in: the earliest date of the sources each engagement cites
    sources = dataset.records("source")
    for engagement in engagements:
        if engagement["id"] in by_id:
            dates = []
            for citation in engagement["citations"]:
                source = sources.json(citation["source"])
                dates.append(source.get("issued") or source["issuedWithin"]["start"])
            assert by_id[engagement["id"]][-2] == min(dates)
    view = _rows(
        path,
        "SELECT DISTINCT engagement FROM issue_area_engagements WHERE issue_area = 'landmines'",
    )
    assert {engagement for (engagement,) in view} == set(by_id)


def test_the_documented_landmines_query_names_records_without_english(
    with_engagements: tuple[hsdata.Dataset, Path], tmp_path: Path
) -> None:
    """An event and an actor named only in French still show their names."""
    _, path = with_engagements
    copied = tmp_path / "copy.db"
    copied.write_bytes(path.read_bytes())
    signing = "landmines-treaty-signing-ottawa-1997"
    with closing(sqlite3.connect(copied)) as connection, connection:
        for record_type, table, record_id in (
            ("event", "events", signing),
            ("actor", "actors", "canada"),
        ):
            connection.execute(
                f"UPDATE {table} SET name = NULL WHERE id = ?",
                (record_id,),
            )
            connection.execute(
                "DELETE FROM texts WHERE record_type = ? AND record_id = ? AND pointer = '/name'"
                " AND language <> 'fr'",
                (record_type, record_id),
            )
        french = dict(
            connection.execute(
                "SELECT record_id, text FROM texts WHERE pointer = '/name' AND record_id IN (?, ?)",
                (signing, "canada"),
            ).fetchall()
        )
    assert set(french) == {signing, "canada"}
    by_id = {row[-1]: row for row in _rows(copied, _landmines_query())}
    assert by_id["canada-landmines-ottawa"][:3] == (french["canada"], "championed", french[signing])


def test_the_documented_landmines_query_on_the_canonical_data(
    canonical: hsdata.Dataset, exported: Path
) -> None:
    if "engagement" not in canonical.record_types or not len(canonical.records("engagement")):
        pytest.skip("the canonical data has no engagement records yet")
    engagements = [canonical.records("engagement").json(i) for i in canonical.records("engagement")]
    rows = _rows(exported, _landmines_query())
    assert {row[-1] for row in rows} == _on_landmines(engagements, canonical)
    assert rows


# --- the tools that open it --------------------------------------------------------------------


def test_pandas_reads_the_tables_and_views(canonical: hsdata.Dataset, exported: Path) -> None:
    import pandas as pd

    frames = canonical.to_pandas()
    with closing(sqlite3.connect(exported)) as connection:
        actors = pd.read_sql("SELECT * FROM actors ORDER BY id", connection)
        roles = pd.read_sql(
            "SELECT * FROM actor_roles WHERE actor = ?", connection, params=["canada"]
        )
    expected = frames["actors"].sort_values("id").reset_index(drop=True)
    assert list(actors.columns) == list(expected.columns)
    assert actors.astype(object).where(actors.notna(), None).values.tolist() == (
        expected.astype(object).where(expected.notna(), None).values.tolist()
    )
    assert len(roles) == len(_rows(exported, "SELECT 1 FROM actor_roles WHERE actor = 'canada'"))


def _sqlite_scanner() -> Path | None:
    """DuckDB's SQLite extension, from the package that ships it for this DuckDB version."""
    spec = importlib.util.find_spec("duckdb_extension_sqlite_scanner")
    if spec is None or not spec.submodule_search_locations:
        return None
    import duckdb

    folder = Path(next(iter(spec.submodule_search_locations)))
    found = folder / "extensions" / f"v{duckdb.__version__}" / "sqlite_scanner.duckdb_extension"
    return found if found.is_file() else None


def test_duckdb_attaches_the_database(canonical: hsdata.Dataset, exported: Path) -> None:
    require_tool(importlib.util.find_spec("duckdb") is not None, "duckdb")
    extension = _sqlite_scanner()
    require_tool(
        extension is not None, "DuckDB's sqlite extension (duckdb-extension-sqlite-scanner)"
    )
    import duckdb

    # never downloaded: the extension comes from the installed package, or the test fails
    config = {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}
    with duckdb.connect(config=config) as connection:
        connection.execute(f"LOAD '{extension}'")
        connection.execute(f"ATTACH '{exported}' AS hs (TYPE sqlite, READ_ONLY)")
        (count,) = connection.execute("SELECT count(*) FROM hs.records").fetchone() or (0,)
        years = connection.execute(
            "SELECT year, count(*) FROM hs.events_by_issue_area_and_year "
            "WHERE issue_area = 'landmines' GROUP BY year ORDER BY year"
        ).fetchall()
    assert count == len(canonical)
    assert years == _rows(
        exported,
        "SELECT year, count(*) FROM events_by_issue_area_and_year "
        "WHERE issue_area = 'landmines' GROUP BY year ORDER BY year",
    )


def test_duckdb_queries_tables_read_through_pandas(exported: Path) -> None:
    require_tool(importlib.util.find_spec("duckdb") is not None, "duckdb")
    import duckdb
    import pandas as pd

    with closing(sqlite3.connect(exported)) as connection:
        members = pd.read_sql("SELECT * FROM partnership_members", connection)
    with duckdb.connect() as connection:
        connection.register("members", members)
        counted = connection.execute(
            "SELECT partnership, count(*) FROM members GROUP BY partnership ORDER BY partnership"
        ).fetchall()
    assert counted == _rows(
        exported,
        "SELECT partnership, count(*) FROM partnership_members GROUP BY partnership "
        "ORDER BY partnership",
    )


@pytest.fixture
def datasette_client(exported: Path) -> Iterator[Any]:
    require_tool(importlib.util.find_spec("datasette") is not None, "datasette")
    from datasette.app import Datasette

    metadata = json.loads(metadata_path(exported).read_text(encoding="utf-8"))
    site = Datasette(files=[str(exported)], metadata=metadata)
    yield site.client
    for database in site.databases.values():
        database.close()


def test_datasette_shows_the_tables_with_the_schemas_titles(
    datasette_client: Any, canonical: hsdata.Dataset, exported: Path
) -> None:
    metadata = json.loads(metadata_path(exported).read_text(encoding="utf-8"))

    async def fetch() -> list[Any]:
        return [
            await datasette_client.get("/hsdata/actors"),
            await datasette_client.get("/hsdata/actors.json?_shape=array"),
            await datasette_client.get(f"/hsdata/{FTS_TABLE}.json?_search=landmines&_shape=array"),
            await datasette_client.get("/hsdata/roles_of_actor.json?actor=canada&_shape=array"),
            await datasette_client.get("/-/metadata.json"),
        ]

    page, actors, search, roles, served = asyncio.run(fetch())
    assert page.status_code == 200
    actors_title = metadata["databases"]["hsdata"]["tables"]["actors"]["title"]
    assert actors_title and actors_title in page.text
    assert len(actors.json()) == len(canonical.records("actor"))
    assert {row["record_id"] for row in search.json()} >= {"landmines", "icbl"}
    assert roles.status_code == 200 and roles.json()
    assert served.json()["title"] == canonical.descriptor["title"]


def test_the_metadata_describes_every_table_column_and_view(
    canonical: hsdata.Dataset, exported: Path
) -> None:
    metadata = json.loads(metadata_path(exported).read_text(encoding="utf-8"))
    database = metadata["databases"]["hsdata"]
    layout = table_layout(canonical.schema_set)
    for name, table in layout.tables.items():
        described = database["tables"][name]
        assert described["title"] == table.title and described["description"]
        assert set(described["columns"]) == {column.name for column in table.columns}
        assert all(described["columns"].values()), name
    assert "issue area" in database["tables"]["events_by_issue_area_and_year"]["title"]
    # the engagement question needs engagements, which came in 1.2
    engaged = {"engaged_on_issue_area"} if "engagement" in canonical.record_types else set()
    assert set(database["queries"]) == {
        "search",
        "roles_of_actor",
        "events_on_issue_area",
        *engaged,
    }
    with closing(sqlite3.connect(exported)) as connection:
        for query in database["queries"].values():
            parameters = dict.fromkeys(re.findall(r":(\w+)", query["sql"]), "landmines")
            connection.execute(query["sql"], parameters).fetchall()


# --- writing -----------------------------------------------------------------------------------


def test_the_same_data_gives_the_same_bytes(canonical: hsdata.Dataset, exported: Path) -> None:
    assert build_database(canonical).data == exported.read_bytes()


def test_an_existing_file_is_replaced_only_with_force(
    canonical: hsdata.Dataset, tmp_path: Path
) -> None:
    target = tmp_path / "out.db"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    with pytest.raises(OutputError, match="already exists"):
        canonical.export("sqlite", target)
    assert target.read_text(encoding="utf-8") == "old"
    assert not metadata_path(target).exists()
    canonical.export("sqlite", target, force=True)
    assert target.stat().st_mode & 0o777 == 0o640
    assert _rows(target, "SELECT count(*) FROM records") == [(len(canonical),)]
    # the metadata file alone also stops an export without force
    other = tmp_path / "other.db"
    metadata_path(other).write_text("{}", encoding="utf-8")
    with pytest.raises(OutputError, match=r"other\.metadata\.json already exists"):
        canonical.export("sqlite", other)
    assert not other.exists()


def test_a_link_is_never_written_through(canonical: hsdata.Dataset, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep", encoding="utf-8")
    (tmp_path / "out.db").symlink_to(victim)
    with pytest.raises(OutputError):
        canonical.export("sqlite", tmp_path / "out.db", force=True)
    assert victim.read_text(encoding="utf-8") == "keep"


def test_the_command(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "hs.db"
    first = runner.invoke(main, ["export", "-f", "sqlite", str(out)])
    assert first.exit_code == 0, first.output
    assert out.is_file() and metadata_path(out).is_file()
    again = runner.invoke(main, ["export", "-f", "sqlite", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output
    assert "Traceback" not in again.output
    forced = runner.invoke(main, ["export", "-f", "sqlite", "--force", str(out)])
    assert forced.exit_code == 0, forced.output
    into_folder = runner.invoke(main, ["export", "-f", "sqlite", str(tmp_path)])
    assert into_folder.exit_code == 0, into_folder.output
    assert (tmp_path / "hsdata-canonical.db").is_file()


def test_a_new_record_type_exports_with_no_code(
    scratch_version: ScratchVersion,  # noqa: F811 (the fixture)
    tmp_path: Path,
) -> None:
    dataset = hsdata.load(scratch_version.package)
    path = dataset.export("sqlite", tmp_path / "scratch.db")
    table = table_name(NEW_RECORD_TYPE)
    assert {row[0] for row in _rows(path, f'SELECT id FROM "{table}"')} == {
        c["id"] for c in PLEDGES
    }
    linked = _rows(
        path, f'SELECT {NEW_RECORD_TYPE}, issue_area FROM "{NEW_RECORD_TYPE}_issue_areas"'
    )
    assert sorted(linked) == sorted((c["id"], area) for c in PLEDGES for area in c["issueAreas"])
    assert _rows(path, "PRAGMA foreign_key_check") == []
    assert (NEW_RECORD_TYPE, PLEDGES[0]["id"], "/name") in _rows(
        path,
        f"SELECT record_type, record_id, pointer FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH '\"mines terrestres\"'",
    )


def test_without_serialize_the_database_goes_through_a_file(exported: Path) -> None:
    """Python 3.10's sqlite3 has no serialize(): the bytes come from a backup into a file."""

    class WithoutSerialize:
        def __init__(self, connection: sqlite3.Connection) -> None:
            self.backup = connection.backup

    with closing(sqlite3.connect(exported)) as connection:
        data = _serialize(WithoutSerialize(connection))  # type: ignore[arg-type]
        dump = list(connection.iterdump())
    with closing(sqlite3.connect(":memory:")) as copy:
        copy.deserialize(data)
        assert list(copy.iterdump()) == dump
