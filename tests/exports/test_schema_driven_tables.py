"""The CSV tables are laid out from the schema set: every field, any record type, round trip."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import frictionless
import pytest
from scratch_version import (
    NEW_RECORD_TYPE,
    NEW_RESOURCE_NAME,
    PLEDGES,
    ScratchVersion,
    scratch_version,  # noqa: F401 (a fixture)
)

import hsdata
from hsdata._export import read_csv_package, read_table, write_csv_package
from hsdata._export._tables import build_tables, table_layout, table_schema_pattern
from hsdata._schema_shapes import LanguageMap, Object, Scalar, Shape, record_shape


def _example(shape: Shape, name: str, n: int) -> Any:
    """A value for every field the shape has, lists of two items; text that needs guarding."""
    if isinstance(shape, Scalar):
        if shape.enum:
            return shape.enum[-1]
        if shape.type == "boolean":
            return n % 2 == 0
        if shape.type == "integer":
            return int(shape.minimum or 0) + n + 2
        if shape.type == "number":
            return n + 2.5
        if shape.partial_date:
            return ("1998", "1998-12", "1998-12-03")[n % 3]
        if shape.record_ref:
            return f"{shape.record_ref.lower()}-{n}"
        return f"={name} {n}"
    if isinstance(shape, LanguageMap):
        return {"en": f"{name} {n}", "fr": f"-{name} {n}", "fr-CA": f"'{name}"}
    if isinstance(shape, Object):
        return {key: _example(sub, key, n) for key, sub in shape.properties}
    return [_example(shape.item, name, k) for k in range(2)]


def _every_field_records(schemas: hsdata.SchemaSet) -> dict[str, list[dict[str, Any]]]:
    records = {}
    for record_type in schemas.record_types:
        shape = record_shape(schemas, record_type)
        made = [_example(shape, record_type, n) for n in range(2)]
        for n, record in enumerate(made):
            record["id"] = f"{record_type.lower()}-{n}"
        records[record_type] = made
    return records


def _dataset(records: dict[str, list[dict[str, Any]]], schemas: hsdata.SchemaSet) -> hsdata.Dataset:
    return hsdata.Dataset(
        records,
        schema_set=schemas,
        descriptor={"name": "every-field"},
        location="memory",
        report=hsdata.Report(),
    )


def _at(record: Any, path: tuple[str, ...]) -> list[Any]:
    if not path:
        return [record]
    head, rest = path[0], path[1:]
    if head == "*":
        return [v for item in record for v in _at(item, rest)] if isinstance(record, list) else []
    return _at(record[head], rest) if isinstance(record, dict) and head in record else []


@pytest.mark.parametrize("version", hsdata.available_versions())
def test_a_package_with_every_field_filled_reads_back_exactly(version: str, tmp_path: Path) -> None:
    schemas = hsdata.load_schema_set(version)
    records = _every_field_records(schemas)
    # The examples reach every reference the schemas' own walker finds (it is not the layout's).
    for field in schemas.reference_fields:
        for record in records[field.record_type]:
            assert _at(record, field.path), (field, record)
    write_csv_package(_dataset(records, schemas), tmp_path)
    assert not list(read_table(tmp_path / "extras.csv")), "a field the schemas define is an extra"
    assert read_csv_package(tmp_path) == records


@pytest.mark.parametrize("version", hsdata.available_versions())
def test_every_column_of_every_table_holds_a_value_when_every_field_is_filled(
    version: str,
) -> None:
    schemas = hsdata.load_schema_set(version)
    tables = build_tables(_dataset(_every_field_records(schemas), schemas))
    for name, table in tables.items():
        if name == "extras":
            continue
        assert table.rows, f"{name} is empty"
        for index, column in enumerate(table.columns):
            assert any(row[index] is not None for row in table.rows), f"{name}.{column.name}"


def test_extension_fields_and_values_of_the_wrong_shape_become_extras(tmp_path: Path) -> None:
    schemas = hsdata.load_schema_set()
    records = _every_field_records(schemas)
    event = records["event"][0]
    event["funding/total"] = {"amount": 5}  # a '/' in a name is escaped in the pointer
    event["participants"][1]["pledge"] = [1, 2]
    event["issueAreas"][1] = {"not": "an identifier"}
    event["name"] = "not a language map"
    write_csv_package(_dataset(records, schemas), tmp_path)
    pointers = {row["pointer"] for row in read_table(tmp_path / "extras.csv")}
    assert pointers == {"/funding~1total", "/participants/1/pledge", "/issueAreas/1", "/name"}
    assert read_csv_package(tmp_path) == records


def test_table_schema_patterns_have_no_anchors_and_still_match(tmp_path: Path) -> None:
    write_csv_package(hsdata.load(), tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    patterns = {
        (resource["name"], field["name"]): field["constraints"]["pattern"]
        for resource in descriptor["resources"]
        for field in resource["schema"]["fields"]
        if "pattern" in field.get("constraints", {})
    }
    assert patterns[("actors", "id")] == "[a-z0-9]+(-[a-z0-9]+)*"
    for place, pattern in patterns.items():
        assert not pattern.startswith("^") and not pattern.endswith("$"), place
    assert re.fullmatch(patterns[("events", "date_start")], "1998-12")
    assert not re.fullmatch(patterns[("events", "date_start")], "1998-13")


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("^[A-Z]{2}$", "[A-Z]{2}"),
        ("^[^/]+$", "[^/]+"),  # a caret inside a class is not an anchor
        ("^(a|b)$", "(a|b)"),
        ("^a|b$", None),  # anchors only one alternative each
        ("^a$|^b$", None),
        ("[0-9]+", None),  # unanchored: JSON Schema finds it anywhere, Table Schema would not
        ("^(?=a)a$", None),  # a lookahead, which XML Schema has not
        ("^a\\$", None),  # an escaped dollar is no anchor
        ("^[A-Z]{2}(?![\\s\\S])", "[A-Z]{2}"),  # the portable end of string (1.2)
        ("^(a|b)(?![\\s\\S])", "(a|b)"),
        ("^a|b(?![\\s\\S])", None),
        ("[0-9](?![\\s\\S])", None),  # anchored at the end only
    ],
)
def test_json_schema_patterns_carry_over_only_when_they_mean_the_same(
    pattern: str, expected: str | None
) -> None:
    assert table_schema_pattern(pattern) == expected


def test_the_layout_says_where_each_column_comes_from() -> None:
    layout = table_layout(hsdata.load_schema_set())
    members = layout.tables["partnership_members"]
    assert members.items == "/members/*" and members.record_type == "partnership"
    assert members.primary_key == ("partnership", "position")
    attested = layout.tables["actor_posts_attested_on"]
    assert attested.primary_key == ("actor", "post_position", "position")
    to_posts = [key for key in attested.foreign_keys if key.table == "actor_posts"]
    assert [(k.columns, k.target_columns) for k in to_posts] == [
        (("actor", "post_position"), ("actor", "position"))
    ]
    related = {c.name: c for c in layout.tables["partnership_related_partnerships"].columns}
    assert related["related_partnership"].pointer == "/partnership"
    events = {c.name: c for c in layout.tables["events"].columns}
    assert events["location_country"].pointer == "/location/country"
    assert events["name"].pointer is None, "the English name is for readers, not read back"
    assert table_layout(hsdata.load_schema_set()) is layout, "a schema set is laid out once"


# --- a record type only the schemas know ---------------------------------------------------------


def test_a_new_record_type_gets_tables_keys_and_a_round_trip(
    scratch_version: ScratchVersion,  # noqa: F811
    tmp_path: Path,
) -> None:
    dataset = hsdata.load(scratch_version.package)
    out = tmp_path / "csv"
    dataset.export("csv", out)
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    pledges = resources[NEW_RESOURCE_NAME]
    assert pledges["hsdata:recordType"] == NEW_RECORD_TYPE
    assert [f["name"] for f in pledges["schema"]["fields"]] == [
        "id",
        "type",
        "name",
        "pledged_by",
        "made_on",
        "note",
    ]
    assert {"fields": ["pledged_by"], "reference": {"resource": "actors", "fields": ["id"]}} in (
        pledges["schema"]["foreignKeys"]
    )
    issue_areas = resources[f"{NEW_RECORD_TYPE}_issue_areas"]["schema"]
    assert issue_areas["primaryKey"] == [NEW_RECORD_TYPE, "position"]
    assert [f["name"] for f in issue_areas["fields"]] == [NEW_RECORD_TYPE, "position", "issue_area"]
    back = read_csv_package(out)
    assert back[NEW_RECORD_TYPE] == sorted(PLEDGES, key=lambda record: record["id"])
    assert back == {t: sorted(rs, key=lambda r: r["id"]) for t, rs in dataset.to_dicts().items()}


def test_pandas_has_the_same_tables_as_the_csv_for_a_new_record_type(
    scratch_version: ScratchVersion,  # noqa: F811
) -> None:
    dataset = hsdata.load(scratch_version.package)
    frames = dataset.to_pandas()
    assert set(frames) == set(build_tables(dataset))
    pledges = frames[NEW_RESOURCE_NAME]
    assert list(pledges["pledged_by"]) == [pledge["pledgedBy"] for pledge in PLEDGES]
    assert str(pledges["made_on"].dtype) == "string"
    links = frames[f"{NEW_RECORD_TYPE}_issue_areas"]
    assert sorted(links["issue_area"]) == sorted(a for p in PLEDGES for a in p["issueAreas"])
