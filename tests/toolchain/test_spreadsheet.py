"""Spreadsheets: the template, the round trip of the canonical data, and located problems."""

from __future__ import annotations

import csv
import datetime
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from hsdata import import_spreadsheet, load_schema_set, write_template
from hsdata._spreadsheet._layout import build_layout, sheet_name
from hsdata._spreadsheet._reader import package_list
from hsdata.cli import main

from .conftest import DATA_DIR, FUNDING_DIR, read_json, write_json

RESOURCE_FILES = sorted(p.name for p in DATA_DIR.glob("*.json"))


def _header(sheet: Any) -> list[str]:
    return [cell.value for cell in sheet[1]]


def _set(workbook: Any, sheet: str, row: int, header: str, value: Any) -> Any:
    worksheet = workbook[sheet]
    cell = worksheet.cell(row=row, column=_header(worksheet).index(header) + 1)
    cell.value = value
    return cell


def _assert_same_package(original: Path, imported: Path) -> None:
    for name in sorted(p.name for p in original.glob("*.json")):
        assert read_json(imported / name) == read_json(original / name), name
    assert sorted(p.name for p in imported.glob("*.json")) == sorted(
        p.name for p in original.glob("*.json")
    )


# -- the template -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("template") / "template.xlsx"
    write_template(path)
    return load_workbook(path)


def test_template_has_a_sheet_per_record_type_and_nested_list(template: Any) -> None:
    names = template.sheetnames
    assert names[:2] == ["instructions", "package"]
    assert names[-1] == "codelists"
    for record_type in load_schema_set().record_types:
        assert record_type in names
    assert names.index("partnership") < names.index("partnership.members")
    assert "partnership.members.citations" in names
    assert "issueArea.alternateLabels" in names


def test_template_headers_flatten_nested_fields_and_languages(template: Any) -> None:
    event = _header(template["event"])
    assert event[:3] == ["id", "type", "name@en"]
    for header in ("name@fr", "date.start", "date.end", "location.name@fr", "location.country"):
        assert header in event
    assert "issueAreas" in event  # a list of identifiers is one column
    assert "participants" not in event  # a list of objects has its own sheet
    assert _header(template["event.participants"]) == [
        "event id",
        "actor",
        "role",
        "onBehalfOf",
        "capacity@en",
        "capacity@fr",
    ]
    assert _header(template["partnership.members.citations"])[:2] == [
        "partnership id",
        "members #",
    ]


def test_template_marks_required_columns_and_explains_each(template: Any) -> None:
    header = {cell.value: cell for cell in template["actor"][1]}
    assert header["id"].font.b
    assert header["name@en"].font.b
    assert not header["name@fr"].font.b
    assert not header["abbreviation@en"].font.b
    assert "ISO 3166-1" in header["country"].comment.text
    assert "closed codelist" in header["country"].comment.text
    instructions = list(template["instructions"].iter_rows(values_only=True))
    country = next(row for row in instructions if row[:2] == ("actor", "country"))
    assert country[:5] == ("actor", "country", None, "string", "country.csv (closed)")


def test_template_offers_codelist_drop_downs(template: Any) -> None:
    actor = template["actor"]
    by_column: dict[str, Any] = {}
    for validation in actor.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            by_column[actor.cell(row=1, column=cell_range.min_col).value] = validation
    closed = by_column["type"]
    assert closed.type == "list"
    assert closed.errorStyle == "stop"
    assert closed.formula1.startswith("'codelists'!$")
    codes_column = closed.formula1.split("!$")[1].split("$")[0]
    codelists = template["codelists"]
    assert codelists[f"{codes_column}1"].value == "actorType.csv"
    assert codelists[f"{codes_column}2"].value == "state"
    events = template["event"]
    roles = {
        events.cell(row=1, column=r.min_col).value: v
        for v in events.data_validations.dataValidation
        for r in v.sqref.ranges
    }
    assert roles["type"].errorStyle == "information"  # an open codelist accepts other codes
    assert roles["partnership"].formula1.startswith("'partnership'!$A$2")  # a record reference


def test_template_date_columns_are_text(template: Any) -> None:
    event = template["event"]
    letter = event.cell(row=1, column=_header(event).index("date.start") + 1).column_letter
    assert event.column_dimensions[letter].number_format == "@"


def test_csv_template(tmp_path: Path) -> None:
    write_template(tmp_path / "csv", format="csv")
    names = sorted(p.stem for p in (tmp_path / "csv").glob("*.csv"))
    layout = build_layout(load_schema_set())
    assert names == sorted([*(t.name for t in layout.tables), "instructions", "package"])
    first = (tmp_path / "csv" / "membership.csv").read_bytes()
    assert first.startswith(b"\xef\xbb\xbfid,member,organization,role,period.start")


def test_long_sheet_names_are_shortened_the_same_way_every_time() -> None:
    name = sheet_name(["partnership", "members", "funding", "citations"])
    assert len(name) == 31
    assert name == sheet_name(["partnership", "members", "funding", "citations"])
    assert name != sheet_name(["partnership", "members", "funding", "citationz"])


# -- the round trip -----------------------------------------------------------------------------


def test_canonical_data_round_trips_through_xlsx_without_loss(tmp_path: Path) -> None:
    workbook = tmp_path / "canonical.xlsx"
    write_template(workbook, package=DATA_DIR)
    report = import_spreadsheet(workbook, tmp_path / "out")
    assert report.issues == (), [i.message for i in report.issues]
    assert report.exit_code == 0
    resources = read_json(DATA_DIR / "datapackage.json")["resources"]
    assert report.records_checked == sum(len(read_json(DATA_DIR / r["path"])) for r in resources)
    _assert_same_package(DATA_DIR, tmp_path / "out")


def test_partial_dates_are_text_cells_never_excel_dates(tmp_path: Path) -> None:
    workbook = tmp_path / "canonical.xlsx"
    write_template(workbook, package=DATA_DIR)
    book = load_workbook(workbook)
    events = read_json(DATA_DIR / "events.json")
    month_only = next(i for i, e in enumerate(events) if len(e["date"]["start"]) == 7)
    cell = book["event"].cell(
        row=month_only + 2, column=_header(book["event"]).index("date.start") + 1
    )
    assert cell.value == events[month_only]["date"]["start"]
    assert cell.data_type == "s"
    assert cell.number_format == "@"


def test_canonical_data_round_trips_through_csv_without_loss(tmp_path: Path) -> None:
    write_template(tmp_path / "csv", package=DATA_DIR / "datapackage.json", format="csv")
    report = import_spreadsheet(tmp_path / "csv", tmp_path / "out")
    assert report.issues == (), [i.message for i in report.issues]
    _assert_same_package(DATA_DIR, tmp_path / "out")


def test_csv_saved_with_semicolons_is_read(tmp_path: Path) -> None:
    """Spreadsheets set to French save CSV with semicolons between the cells."""
    folder = tmp_path / "csv"
    write_template(folder, package=DATA_DIR, format="csv")
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle, delimiter=";").writerows(rows)
    assert (folder / "actor.csv").read_text(encoding="utf-8-sig").startswith("id;type;name@en")
    report = import_spreadsheet(folder, tmp_path / "out")
    assert report.issues == (), [i.message for i in report.issues]
    _assert_same_package(DATA_DIR, tmp_path / "out")


def test_extended_package_round_trips_with_its_extension_columns(
    funded_package: Path, tmp_path: Path
) -> None:
    partnerships = read_json(funded_package / "partnerships.json")
    partnerships[0]["name"]["nb"] = "Lysøen-partnerskapet"  # a third language gets a column
    partnerships[0]["description"]["en"] = "=SUM(A1:A2) is text here, not a formula"
    write_json(funded_package / "partnerships.json", partnerships)
    workbook = tmp_path / "funded.xlsx"
    write_template(workbook, package=funded_package)
    book = load_workbook(workbook)
    assert "name@nb" in _header(book["partnership"])
    assert "currency" in _header(book["partnership.members.funding"])
    report = import_spreadsheet(workbook, tmp_path / "out")
    assert report.issues == (), [i.message for i in report.issues]
    _assert_same_package(funded_package, tmp_path / "out")


# -- problems are located at their cell ---------------------------------------------------------


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "filled.xlsx"
    write_template(path, package=DATA_DIR)
    return path


def test_a_date_the_spreadsheet_converted_is_refused_with_its_cell(
    filled: Path, tmp_path: Path
) -> None:
    book = load_workbook(filled)
    cell = _set(book, "event", 3, "date.start", datetime.datetime(1998, 12, 1))
    cell.number_format = "mmm-yy"
    book.save(filled)
    report = import_spreadsheet(filled, tmp_path / "out")
    (issue,) = report.issues
    assert issue.rule == "spreadsheet-cell"
    assert issue.file == str(filled)
    assert (issue.pointer, issue.line, issue.column) == ("/event/3/date.start", 3, cell.column)
    assert issue.message.startswith(f"event!{cell.column_letter}3 (date.start): ")
    assert "1998-12" in issue.message
    assert report.exit_code == 1
    assert not (tmp_path / "out").exists(), "nothing is written while a cell is in error"


def test_a_full_date_shown_with_its_day_is_kept(filled: Path, tmp_path: Path) -> None:
    book = load_workbook(filled)
    original = read_json(DATA_DIR / "events.json")[0]["date"]["start"]
    assert len(original) == 10
    cell = _set(book, "event", 2, "date.start", datetime.datetime.fromisoformat(original))
    cell.number_format = "yyyy-mm-dd"
    book.save(filled)
    assert import_spreadsheet(filled, tmp_path / "out").issues == ()
    assert read_json(tmp_path / "out" / "events.json")[0]["date"]["start"] == original


def test_validation_problems_point_at_the_cell(filled: Path, tmp_path: Path) -> None:
    book = load_workbook(filled)
    country = _set(book, "actor", 4, "country", "XX")
    _set(book, "event.participants", 2, "actor", "nobody")
    book.save(filled)
    report = import_spreadsheet(filled, tmp_path / "out")
    located = {(i.rule, i.pointer, i.line, i.column) for i in report.issues}
    assert ("codelist-closed", "/actor/4/country", 4, country.column) in located
    participants = book["event.participants"]
    column = _header(participants).index("actor") + 1
    assert any(
        i.pointer == "/event.participants/2/actor" and i.column == column and i.line == 2
        for i in report.issues
    ), report.issues
    assert all(i.file == str(filled) for i in report.issues)
    assert report.exit_code == 1


def test_wrong_currency_in_an_extension_sheet_is_located(
    funded_package: Path, tmp_path: Path
) -> None:
    workbook = tmp_path / "funded.xlsx"
    write_template(workbook, package=funded_package)
    book = load_workbook(workbook)
    cell = _set(book, "partnership.members.funding", 2, "currency", "CAN")
    book.save(workbook)
    report = import_spreadsheet(workbook, tmp_path / "out")
    assert [(i.rule, i.pointer, i.column) for i in report.issues] == [
        ("codelist-closed", "/partnership.members.funding/2/currency", cell.column)
    ]
    assert report.issues[0].message.startswith(
        f"partnership.members.funding!{cell.column_letter}2 (currency): "
    )


def test_unknown_columns_orphan_rows_and_duplicate_ids(filled: Path, tmp_path: Path) -> None:
    book = load_workbook(filled)
    actors = book["actor"]
    actors.cell(row=1, column=actors.max_column + 1, value="nmae@en")
    _set(book, "actor", actors.max_row + 1, "id", "canada")
    _set(book, "actor.citations", 2, "actor id", "atlantis")
    _set(book, "partnership.members.citations", 2, "members #", 99)
    _set(book, "event.participants", 2, "event id", None)
    book.create_sheet("notes")["A1"] = "my notes"
    book.save(filled)
    report = import_spreadsheet(filled, tmp_path / "out")
    found = sorted((i.rule, i.pointer) for i in report.issues)
    assert found == [
        ("spreadsheet-duplicate-id", "/actor/29"),
        ("spreadsheet-orphan-row", "/actor.citations/2/actor id"),
        ("spreadsheet-orphan-row", "/event.participants/2/event id"),
        ("spreadsheet-orphan-row", "/partnership.members.citations/2/partnership id"),
        ("spreadsheet-unknown-column", "/actor/1/nmae@en"),
        ("spreadsheet-unknown-sheet", "/notes"),
    ]
    assert report.exit_code == 1


def test_a_formula_counts_by_its_saved_value_and_never_silently_vanishes(
    filled: Path, tmp_path: Path
) -> None:
    book = load_workbook(filled)
    assert book["actor"]["C1"].value == "name@en"
    book["actor"]["C2"] = '="Can"&"ada"'  # saved by a program that does not calculate
    book.save(filled)
    report = import_spreadsheet(filled, tmp_path / "out")
    assert [(i.rule, i.pointer) for i in report.issues] == [
        ("spreadsheet-cell", "/actor/2/name@en")
    ]
    assert 'formula ="Can"&"ada"' in report.issues[0].message
    # the same formula with the result a spreadsheet program saves beside it
    calculated = tmp_path / "calculated.xlsx"
    with zipfile.ZipFile(filled) as source, zipfile.ZipFile(calculated, "w") as target:
        for entry in source.infolist():
            content = source.read(entry)
            content = content.replace(
                b'<c r="C2" s="5"><f>"Can"&amp;"ada"</f><v /></c>',
                b'<c r="C2" s="5" t="str"><f>"Can"&amp;"ada"</f><v>Canada</v></c>',
            )
            target.writestr(entry, content)
    report = import_spreadsheet(calculated, tmp_path / "out")
    assert report.issues == ()
    assert read_json(tmp_path / "out" / "actors.json") == read_json(DATA_DIR / "actors.json")


def test_cells_of_the_wrong_type(filled: Path, tmp_path: Path) -> None:
    book = load_workbook(filled)
    _set(book, "actor.citations", 2, "paragraph", "second")
    _set(book, "partnership", 2, "membersComplete", "perhaps")
    _set(book, "partnership", 3, "reportedMemberCount.minimum", 12.5)
    book.save(filled)
    report = import_spreadsheet(filled, tmp_path / "out")
    assert sorted((i.rule, i.pointer) for i in report.issues) == [
        ("spreadsheet-cell", "/actor.citations/2/paragraph"),
        ("spreadsheet-cell", "/partnership/2/membersComplete"),
        ("spreadsheet-cell", "/partnership/3/reportedMemberCount.minimum"),
    ]


def test_values_typed_the_spreadsheet_way_are_understood(filled: Path, tmp_path: Path) -> None:
    book = load_workbook(filled)
    _set(book, "actor.citations", 2, "paragraph", "1")  # text holding a whole number
    _set(book, "partnership", 2, "membersComplete", "TRUE")
    _set(book, "partnership", 2, "issueAreas", "landmines ;human-rights;")
    book.save(filled)
    report = import_spreadsheet(filled, tmp_path / "out")
    assert report.issues == ()
    partnership = read_json(tmp_path / "out" / "partnerships.json")[0]
    assert partnership["membersComplete"] is True
    assert partnership["issueAreas"] == ["landmines", "human-rights"]
    assert read_json(tmp_path / "out" / "actors.json")[0]["citations"][0]["paragraph"] == 1


def test_a_file_that_is_not_a_workbook_is_unreadable(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.xlsx"
    bogus.write_text("not a workbook", encoding="utf-8")
    report = import_spreadsheet(bogus, tmp_path / "out")
    assert [i.rule for i in report.issues] == ["spreadsheet-unreadable"]
    assert report.exit_code == 2
    missing = import_spreadsheet(tmp_path / "missing.xlsx", tmp_path / "out")
    assert missing.exit_code == 2


# -- the commands -------------------------------------------------------------------------------


def test_template_and_import_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    workbook = tmp_path / "t.xlsx"
    result = runner.invoke(main, ["template", str(workbook), "--from", str(DATA_DIR)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["import", str(workbook), str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    _assert_same_package(DATA_DIR, tmp_path / "out")

    book = load_workbook(workbook)
    _set(book, "actor", 4, "country", "XX")
    book.save(workbook)
    result = runner.invoke(
        main, ["import", str(workbook), str(tmp_path / "out2"), "--format", "json"]
    )
    assert result.exit_code == 1
    issues = json.loads(result.output)["issues"]
    assert [(i["rule"], i["pointer"], i["line"]) for i in issues] == [
        ("codelist-closed", "/actor/4/country", 4)
    ]
    result = runner.invoke(main, ["import", str(tmp_path / "nothing.xlsx"), str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_template_command_with_an_extension_and_csv(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["template", str(tmp_path / "csv"), "--format", "csv", "--extension", "funding"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "csv" / "partnership.members.funding.csv").exists()
    with (tmp_path / "csv" / "package.csv").open(encoding="utf-8-sig", newline="") as handle:
        (cell,) = [row[1] for row in csv.reader(handle) if row and row[0] == "hsdata:extensions"]
    # The cell lists the extension as JSON or, as list cells are typed, separated by semicolons.
    listed = json.loads(cell) if cell.startswith("[") else package_list(cell, None)
    assert listed == ["funding"]


def test_template_command_with_an_extension_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(FUNDING_DIR, tmp_path / "my-funding")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["template", "t.xlsx", "--extension", "my-funding"])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(tmp_path / "t.xlsx")
    assert "partnership.members.funding" in workbook.sheetnames
    # An import needs a package name of its own and a record: fill them in.
    for row in workbook["package"].iter_rows(min_row=2):
        if row[0].value == "name":
            row[1].value = "funded-package"
    for header, value in {"id": "a-source", "type": "report", "title@en": "A source"}.items():
        _set(workbook, "source", 2, header, value)
    workbook.save(tmp_path / "t.xlsx")
    # the import finds the extension inside the package folder it writes, which already holds
    # it: replaced only with --force, and then every file the import does not write is kept
    shutil.copytree(FUNDING_DIR, tmp_path / "pkg" / "my-funding")
    result = runner.invoke(main, ["import", "t.xlsx", "pkg"])
    assert result.exit_code == 2
    assert "--force" in result.output
    assert sorted(p.name for p in (tmp_path / "pkg").iterdir()) == ["my-funding"]
    result = runner.invoke(main, ["import", "t.xlsx", "pkg", "--force"])
    assert result.exit_code == 0, result.output
    assert read_json(tmp_path / "pkg" / "datapackage.json")["hsdata:extensions"] == ["my-funding"]
    assert (tmp_path / "pkg" / "my-funding" / "extension.json").is_file()
    # the current folder cannot be swapped for a new one, even with --force
    result = runner.invoke(main, ["import", "t.xlsx", ".", "--force"])
    assert result.exit_code == 2
    assert "current folder" in result.output
    result = runner.invoke(main, ["template", "u.xlsx", "--extension", "no-such-extension"])
    assert result.exit_code == 2
    assert "no-such-extension" in result.output


def test_template_command_reports_an_unreadable_package(tmp_path: Path) -> None:
    broken = tmp_path / "pkg"
    shutil.copytree(DATA_DIR, broken)
    (broken / "actors.json").write_text("[", encoding="utf-8")
    result = CliRunner().invoke(main, ["template", str(tmp_path / "t.xlsx"), "--from", str(broken)])
    assert result.exit_code == 2
    assert "actors.json" in result.output
    assert "Traceback" not in result.output


def test_workbook_written_by_another_program_is_read(tmp_path: Path) -> None:
    """A workbook made from scratch, with only some columns, in another column order."""
    book = Workbook()
    sheet = book.active
    sheet.title = "source"
    sheet.append(["title@en", "id", "type"])
    sheet.append(["A report", "a-report", "report"])
    package = book.create_sheet("package")
    package.append(["property", "value"])
    package.append(["name", "tiny"])
    book.save(tmp_path / "made.xlsx")
    # some programs declare a wrong used range ("A1"); every row must still be read
    with (
        zipfile.ZipFile(tmp_path / "made.xlsx") as source,
        zipfile.ZipFile(tmp_path / "tiny.xlsx", "w") as target,
    ):
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', content)
                assert b'<dimension ref="A1"' in content
            target.writestr(entry, content)
    report = import_spreadsheet(tmp_path / "tiny.xlsx", tmp_path / "out", validate=False)
    assert report.issues == ()
    assert read_json(tmp_path / "out" / "sources.json") == [
        {"id": "a-report", "type": "report", "title": {"en": "A report"}}
    ]
    assert read_json(tmp_path / "out" / "datapackage.json")["name"] == "tiny"
