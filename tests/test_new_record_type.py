"""A record type added to the schemas alone reaches every part of hsdata (issue 12, part 5).

The scratch version 9.9 (``tests/scratch_version.py``) is the newest bundled
version plus a ``pledge`` record type: a schema, a codelist CSV, context
terms and the meta-schema's list of record types, and nothing in Python.
These tests show that the validator, the loader, every export, the CSV round
trip, JSON-LD, the networkx graph and the spreadsheet round trip all handle it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from scratch_version import (
    NEW_CODELIST,
    NEW_RECORD_TYPE,
    NEW_RESOURCE_NAME,
    NEW_SCHEMA_FILE,
    PLEDGES,
    ScratchVersion,
    scratch_version,  # noqa: F401 (a fixture)
)

import hsdata
from hsdata._paths import schema_root
from hsdata._records import RECORD_CLASSES, LanguageMap, record_class_from_schema
from hsdata._schemas import load_schema_set
from hsdata.cli import main

PACKAGE_DIR = Path(hsdata.__file__).parent
CANADA_PLEDGE, NORWAY_AGENDA = (record["id"] for record in PLEDGES)


def _load(scratch: ScratchVersion) -> hsdata.Dataset:
    return hsdata.load(scratch.package)


def _rewrite_pledges(scratch: ScratchVersion, change: Any) -> None:
    path = scratch.package / f"{NEW_RESOURCE_NAME}.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(json.dumps(records, indent=2), encoding="utf-8")


# --- the scratch version itself -------------------------------------------------------------


def test_the_scratch_version_is_used_and_holds_the_new_record_type(
    scratch_version: ScratchVersion,  # noqa: F811
) -> None:
    assert schema_root() == scratch_version.schema_root
    assert hsdata.available_versions()[-1] == scratch_version.version
    schemas = load_schema_set(scratch_version.version)
    assert NEW_RECORD_TYPE in schemas.record_types
    assert NEW_CODELIST in schemas.codelists
    assert {(f.path, f.target) for f in schemas.reference_fields_of(NEW_RECORD_TYPE)} >= {
        (("pledgedBy",), "actor"),
        (("issueAreas", "*"), "issueArea"),
    }


def test_the_new_schema_and_codelist_follow_every_convention_of_the_standard(
    scratch_version: ScratchVersion,  # noqa: F811
) -> None:
    # The same checks as the bundled schemas pass (tests/schema), so the scratch type is
    # one a maintainer could publish, not a shortcut the toolkit happens to accept.
    from schema import test_schema_quality as quality

    folder = scratch_version.schema_folder
    for path in (folder / NEW_SCHEMA_FILE, folder / "meta-schema.json"):
        quality.test_json_is_two_space_indented_without_duplicate_keys(path)
        quality.test_schema_is_valid_against_draft_2020_12_and_the_hsdata_meta_schema(path)
        quality.test_schema_id_is_its_stable_versioned_url(path)
        quality.test_every_property_has_a_title_and_description(path)
        quality.test_naming_is_consistent(path)
        quality.test_every_array_has_items_and_every_field_a_type(path)
        quality.test_every_ref_resolves(path)
    quality.test_record_schemas_are_closed_and_require_an_id(folder / NEW_SCHEMA_FILE)
    quality.test_closed_codelists_match_their_enum_and_open_ones_have_none(folder)
    quality.test_every_codelist_file_is_used_and_openness_is_consistent(folder)
    quality.test_codelist_csv_is_clean(folder / "codelists" / NEW_CODELIST)


def test_no_python_code_names_the_new_record_type() -> None:
    # The proof is only honest if nothing in the package special-cases the type.
    naming = [
        str(path.relative_to(PACKAGE_DIR))
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if NEW_RECORD_TYPE in path.read_text(encoding="utf-8").lower()
    ]
    assert not naming, f"Python files naming {NEW_RECORD_TYPE!r}: {naming}"
    assert NEW_RECORD_TYPE not in RECORD_CLASSES


# --- validation -----------------------------------------------------------------------------


def test_the_scratch_package_validates(scratch_version: ScratchVersion) -> None:  # noqa: F811
    report = hsdata.validate(scratch_version.package)
    assert report.exit_code == hsdata.ExitCode.VALID, [str(i) for i in report.issues]
    assert not report.issues


def test_every_check_applies_to_the_new_record_type(
    scratch_version: ScratchVersion,  # noqa: F811
) -> None:
    def break_them(records: list[dict[str, Any]]) -> None:
        records[0]["type"] = "promise"
        records[0]["pledgedBy"] = "atlantis"
        records[1]["issueAreas"].append("piracy")
        records[1]["madeOn"] = "1998-02-30"
        records.append({**records[0], "surplus": True})

    _rewrite_pledges(scratch_version, break_them)
    report = hsdata.validate(scratch_version.package)
    assert report.exit_code == hsdata.ExitCode.INVALID
    found = {(issue.rule, issue.pointer) for issue in report.issues}
    assert {
        ("codelist-closed", "/0/type"),
        ("ref-unresolved", "/0/pledgedBy"),
        ("ref-unresolved", "/1/issueAreas/2"),
        ("date-invalid", "/1/madeOn"),
    } <= found, found
    assert ("id-duplicate", "/2/id") in found, found
    for issue in report.issues:
        assert issue.file is not None and issue.file.endswith(f"{NEW_RESOURCE_NAME}.json")
        assert issue.line is not None


def test_the_command_line_validates_the_new_record_type(
    scratch_version: ScratchVersion,  # noqa: F811
) -> None:
    _rewrite_pledges(scratch_version, lambda records: records[0].update(type="promise"))
    result = CliRunner().invoke(main, ["validate", str(scratch_version.package)])
    assert result.exit_code == 1, result.output
    assert f"{NEW_RESOURCE_NAME}.json" in result.output
    assert "pledgeType" in result.output


# --- loading --------------------------------------------------------------------------------


def test_the_new_records_load_typed_from_their_schema(
    scratch_version: ScratchVersion,  # noqa: F811
) -> None:
    dataset = _load(scratch_version)
    assert NEW_RECORD_TYPE in dataset.record_types
    pledges = dataset.records(NEW_RECORD_TYPE)
    assert dataset.records(NEW_RESOURCE_NAME) is pledges
    assert list(pledges) == [CANADA_PLEDGE, NORWAY_AGENDA]
    assert dataset.counts()[NEW_RECORD_TYPE] == 2

    agenda = dataset.get(NEW_RECORD_TYPE, NORWAY_AGENDA)
    assert agenda.record_type == NEW_RECORD_TYPE
    assert isinstance(agenda.name, LanguageMap) and str(agenda.name) == "The Lysøen agenda"
    assert str(agenda.made_on) == "1998-05-11" and agenda.made_on.precision == "day"
    assert agenda.type == "target"
    assert [c.source_id for c in agenda.citations] == ["human-security-concept-and-action"]
    assert not agenda.extra  # every field of the schema is a typed field
    assert agenda.to_dict() == PLEDGES[1]
    assert dataset.to_dicts()[NEW_RECORD_TYPE] == list(PLEDGES)


def test_the_new_records_references_are_navigable_both_ways(
    scratch_version: ScratchVersion,  # noqa: F811
) -> None:
    dataset = _load(scratch_version)
    pledge = dataset.get(NEW_RECORD_TYPE, CANADA_PLEDGE)
    agenda = dataset.get(NEW_RECORD_TYPE, NORWAY_AGENDA)
    assert pledge.pledged_by_id == "canada"
    assert pledge.pledged_by is dataset.actors["canada"]
    assert agenda.issue_area_ids == ("landmines", "human-security")
    assert agenda.issue_areas == (
        dataset.issue_areas["landmines"],
        dataset.issue_areas["human-security"],
    )
    assert agenda.citations[0].source is dataset.sources["human-security-concept-and-action"]
    # Backward: the reverse index is read from the schemas' recordRef fields.
    assert dataset.actors["norway"].referenced_by(NEW_RECORD_TYPE) == (agenda,)
    assert dataset.issue_areas["landmines"].referenced_by(NEW_RECORD_TYPE, "issueAreas/*") == (
        pledge,
        agenda,
    )


def test_the_new_records_count_in_the_summaries(
    scratch_version: ScratchVersion,  # noqa: F811
) -> None:
    with_them = _load(scratch_version).languages()
    _rewrite_pledges(scratch_version, lambda records: records.clear())
    without_them = _load(scratch_version).languages()
    # Two names in English, one in French, one note in English.
    assert with_them["en"] - without_them["en"] == 3
    assert with_them["fr"] - without_them["fr"] == 1


def test_a_class_typed_from_a_schema_is_made_once_and_keeps_unnameable_fields(
    scratch_version: ScratchVersion,  # noqa: F811
) -> None:
    schemas = load_schema_set(scratch_version.version)
    first = record_class_from_schema(schemas, NEW_RECORD_TYPE)
    assert record_class_from_schema(schemas, NEW_RECORD_TYPE) is first
    assert first.__name__ == "Pledge" and first.record_type == NEW_RECORD_TYPE

    schema = schemas.record_schema(NEW_RECORD_TYPE)
    schema["properties"]["class"] = {"type": "string"}  # a Python keyword: no field can hold it
    try:
        second = record_class_from_schema(schemas, NEW_RECORD_TYPE)
        record = second.from_json({**PLEDGES[0], "class": "x"})
    finally:
        del schema["properties"]["class"]
    assert second is not first
    assert record.extra == {"class": "x"}
    assert record.to_dict() == {**PLEDGES[0], "class": "x"}


# --- exports --------------------------------------------------------------------------------


def _csv_rows(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_csv_export_gives_the_new_records_a_table_of_their_own(
    scratch_version: ScratchVersion,  # noqa: F811
    tmp_path: Path,
) -> None:
    out = tmp_path / "csv"
    _load(scratch_version).to_csv(out)
    extras = out / "extras.csv"
    if extras.exists():
        leaked = [row for row in _csv_rows(extras) if row.get("record_type") == NEW_RECORD_TYPE]
        assert not leaked, f"pledge fields dumped into extras.csv: {leaked}"
    tables = {path.stem: _csv_rows(path) for path in out.glob("*.csv")}
    holding = [
        name
        for name, rows in tables.items()
        if {row.get("id") for row in rows} == {CANADA_PLEDGE, NORWAY_AGENDA}
    ]
    assert holding, f"no table holds the pledges; tables: {sorted(tables)}"


def test_the_csv_export_reads_back_to_the_same_records(
    scratch_version: ScratchVersion,  # noqa: F811
    tmp_path: Path,
) -> None:
    from hsdata._export import read_csv_package

    dataset = _load(scratch_version)
    dataset.to_csv(tmp_path / "csv")
    back = read_csv_package(tmp_path / "csv")
    expected = {
        record_type: sorted(records, key=lambda record: record["id"])
        for record_type, records in dataset.to_dicts().items()
        if records
    }
    assert back[NEW_RECORD_TYPE] == expected[NEW_RECORD_TYPE]
    assert back == expected


def test_the_json_ld_nodes_of_the_new_records_are_typed_with_the_context_terms(
    scratch_version: ScratchVersion,  # noqa: F811
) -> None:
    document = _load(scratch_version).to_jsonld()
    # The context is one object, or (1.2 on) a list of them with the package's @base.
    contexts = document["@context"]
    terms = {
        term
        for context in (contexts if isinstance(contexts, list) else [contexts])
        if isinstance(context, dict)
        for term in context
    }
    assert "pledgedBy" in terms and "Pledge" in terms
    wanted = {f"{NEW_RESOURCE_NAME}/{CANADA_PLEDGE}", f"{NEW_RESOURCE_NAME}/{NORWAY_AGENDA}"}
    nodes = {node["@id"]: node for node in document["@graph"] if node.get("@id") in wanted}
    assert set(nodes) == wanted
    for node in nodes.values():
        assert "Pledge" in node["@type"], node["@type"]
        unknown = set(node) - terms - {"@id", "@type"}
        assert not unknown, f"properties with no context term: {unknown}"
    descriptor = json.loads(
        (scratch_version.package / "datapackage.json").read_text(encoding="utf-8")
    )
    pledge = nodes[f"{NEW_RESOURCE_NAME}/{CANADA_PLEDGE}"]
    # A reference is the record URI of what it names: namespace, collection, id.
    assert pledge["pledgedBy"] == f"{descriptor['hsdata:namespace']}actors/canada"
    assert pledge["name"] == PLEDGES[0]["name"]


def _frame_rows(frames: dict[str, Any], record_id: str) -> list[str]:
    return [
        name
        for name, frame in frames.items()
        if name not in ("records", "extras", "citations", "texts")
        and "id" in frame.columns
        and record_id in set(frame["id"])
    ]


def test_pandas_gives_the_new_records_a_frame_of_their_own(
    scratch_version: ScratchVersion,  # noqa: F811
) -> None:
    frames = _load(scratch_version).to_pandas()
    extras = frames.get("extras")
    if extras is not None and len(extras):
        assert NEW_RECORD_TYPE not in set(extras["record_type"])
    assert _frame_rows(frames, CANADA_PLEDGE), sorted(frames)
    assert _frame_rows(frames, NORWAY_AGENDA), sorted(frames)


def test_networkx_links_the_new_records_to_what_they_refer_to(
    scratch_version: ScratchVersion,  # noqa: F811
) -> None:
    graph = _load(scratch_version).to_networkx()
    pledge = (NEW_RECORD_TYPE, CANADA_PLEDGE)
    assert pledge in graph.nodes
    assert graph.nodes[pledge]["record_type"] == NEW_RECORD_TYPE
    neighbours = set(graph.successors(pledge)) | set(graph.predecessors(pledge))
    assert ("actor", "canada") in neighbours


# --- spreadsheets ---------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_the_spreadsheet_round_trip_keeps_the_new_records(
    scratch_version: ScratchVersion,  # noqa: F811
    tmp_path: Path,
    form: str,
) -> None:
    template = tmp_path / ("filled.xlsx" if form == "xlsx" else "filled")
    hsdata.write_template(template, package=scratch_version.package, format=form)
    out = tmp_path / "imported"
    report = hsdata.import_spreadsheet(template, out)
    assert report.exit_code == hsdata.ExitCode.VALID, [str(i) for i in report.issues]
    written = json.loads((out / f"{NEW_RESOURCE_NAME}.json").read_text(encoding="utf-8"))
    assert written == list(PLEDGES)
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["hsdata:version"] == scratch_version.version
    schema_urls = {resource.get("jsonSchema") for resource in descriptor["resources"]}
    assert load_schema_set(scratch_version.version).schema_id(NEW_RECORD_TYPE) in schema_urls
    assert hsdata.load(out).get(NEW_RECORD_TYPE, CANADA_PLEDGE).pledged_by_id == "canada"


def test_the_template_offers_the_new_codelist(
    scratch_version: ScratchVersion,  # noqa: F811
    tmp_path: Path,
) -> None:
    out = tmp_path / "template"
    hsdata.write_template(out, format="csv", schema_set=load_schema_set(scratch_version.version))
    rows = _csv_rows(out / "instructions.csv") if (out / "instructions.csv").exists() else []
    text = json.dumps(rows) + "".join(p.read_text(encoding="utf-8") for p in out.glob("*.csv"))
    assert (out / f"{NEW_RECORD_TYPE}.csv").exists(), sorted(p.name for p in out.iterdir())
    assert NEW_CODELIST in text
