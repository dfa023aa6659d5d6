"""Reading a filled spreadsheet back into hsdata JSON records.

Every problem is reported at its cell. An issue's ``pointer`` names the cell
as ``/<sheet>/<row>/<column header>`` (a JSON Pointer into the workbook seen
as sheets of numbered rows of named columns), its ``line`` is the row and its
``column`` the column number, and its message starts with the cell's address
as a spreadsheet shows it, such as ``actor!C5 (name@en)``.
"""

from __future__ import annotations

import csv
import datetime
import json
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from .._reporting import Issue, Rule, Severity, register
from ._layout import LIST_SEPARATOR, Column, Layout, Table
from ._writer import CODELISTS_SHEET, INSTRUCTIONS_SHEET, PACKAGE_SHEET, resource_name


def _rule(rule_id: str, severity: Severity, title: str, explanation: str) -> Rule:
    return register(Rule(rule_id, severity, "spreadsheet", title, explanation))


E, W = Severity.ERROR, Severity.WARNING
RULE_UNREADABLE = _rule(
    "spreadsheet-unreadable",
    E,
    "The spreadsheet cannot be read",
    "The file is missing, is not an .xlsx workbook (or a folder of CSV files), or is damaged.",
)
RULE_UNKNOWN_SHEET = _rule(
    "spreadsheet-unknown-sheet",
    W,
    "A sheet is not part of the template",
    "The workbook has a sheet whose name is not a record type or list of the template; its "
    "content is not imported. Rename it to the template's name if it holds records.",
)
RULE_UNKNOWN_COLUMN = _rule(
    "spreadsheet-unknown-column",
    E,
    "A column is not part of the template",
    "A column header is not a field of the sheet's records, so its values cannot be imported. "
    "Check the spelling against the template; language columns end in @ and a language tag, "
    "such as name@fr.",
)
RULE_CELL = _rule(
    "spreadsheet-cell",
    E,
    "A cell's value does not fit its column",
    "The column takes a number, a whole number, true or false, or a date written as text, and "
    "the cell holds something else. Dates must be text (1998, 1998-12 or 1998-12-03): a "
    "spreadsheet that turned a date into its own date format has lost its precision.",
)
RULE_ORPHAN = _rule(
    "spreadsheet-orphan-row",
    E,
    "A row belongs to no record",
    "A row of a list sheet (such as partnership.members) names a record id, or the position "
    "of a list item, that does not exist on the parent sheet.",
)
RULE_DUPLICATE = _rule(
    "spreadsheet-duplicate-id",
    E,
    "Two rows have the same id",
    "Each record's id must be unique on its sheet, or the rows of its lists could not be "
    "attached to it.",
)
RULE_PACKAGE = _rule(
    "spreadsheet-package",
    E,
    "The package sheet is invalid",
    "The package sheet holds one property per row: its name in column A and its value in "
    "column B, written as JSON when it is a list or an object.",
)


@dataclass(frozen=True)
class Cell:
    """A cell's value and number format, with its row and column (from 1)."""

    value: Any
    row: int
    column: int
    number_format: str = "General"


Sheet = list[list[Cell]]

_UNSAVED = (
    "the cell holds the formula {} but the file has no saved result for it; open the file in "
    "a spreadsheet program and save it, or paste the values in place of the formulas"
)


@dataclass(frozen=True)
class UnsavedFormula:
    """A formula cell whose result the file does not hold (never calculated and saved)."""

    formula: str

    def __str__(self) -> str:
        return self.formula


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the workbook holds a formula (a cheap scan of its XML)."""
    with zipfile.ZipFile(path) as archive:
        return any(
            _FORMULA.search(archive.read(name))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


def _sheet_rows(workbook: Any) -> dict[str, dict[tuple[int, int], Any]]:
    cells: dict[str, dict[tuple[int, int], Any]] = {}
    for worksheet in workbook.worksheets:
        # the used range a file declares may be wrong (some programs write "A1"): read it all
        worksheet.reset_dimensions()
        cells[worksheet.title] = {
            (cell.row, cell.column): cell
            for row in worksheet.iter_rows()
            for cell in row
            if cell.value is not None
        }
    return cells


def read_xlsx(path: Path) -> dict[str, Sheet]:
    """Every sheet of a workbook as rows of cells (raises OSError or ValueError).

    A formula gives the value the spreadsheet program saved with it; a formula
    saved without its value becomes an :class:`UnsavedFormula`, reported at
    its cell instead of read as an empty cell.
    """
    try:
        from openpyxl import load_workbook
    except ImportError as exc:  # pragma: no cover - openpyxl comes with hsdata[xlsx]
        raise ValueError("reading .xlsx needs openpyxl: pip install 'hsdata[xlsx]'") from exc
    try:
        # read-only mode streams the cells instead of building a styled object for each
        workbook = load_workbook(path, read_only=True, data_only=True)
        formulas: dict[str, dict[tuple[int, int], Any]] = {}
        if _has_formulas(path):
            with_formulas = load_workbook(path, read_only=True, data_only=False)
            formulas = _sheet_rows(with_formulas)
            with_formulas.close()
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ValueError(f"not an .xlsx workbook ({exc})") from exc
    sheets: dict[str, Sheet] = {}
    for title, found in _sheet_rows(workbook).items():
        for place, cell in formulas.get(title, {}).items():
            if cell.data_type == "f" and place not in found:
                found[place] = UnsavedFormula(str(cell.value))
        rows: dict[int, list[Cell]] = {1: []}
        for (row, column), cell in sorted(found.items()):
            if isinstance(cell, UnsavedFormula):
                rows.setdefault(row, []).append(Cell(cell, row, column))
            else:
                rows.setdefault(row, []).append(
                    Cell(cell.value, row, column, cell.number_format or "General")
                )
        sheets[title] = [rows[number] for number in sorted(rows)]
    workbook.close()
    return sheets


def _unguarded(text: str) -> str:
    """A CSV cell without the apostrophe the writer puts before formula-like text.

    >>> _unguarded("'=1+1"), _unguarded("''quoted"), _unguarded("'quoted")
    ('=1+1', "'quoted", "'quoted")
    """
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@", "\t", "\r", "'"):
        return text[1:]
    return text


def read_csv_folder(folder: Path) -> dict[str, Sheet]:
    """Every CSV file of a folder as rows of cells, named by the file's stem.

    Rows are counted as a spreadsheet shows them (a quoted value may span
    lines). The delimiter is read from the header line: spreadsheets set to
    French and other languages that write decimal commas save CSV with
    semicolons.
    """
    sheets: dict[str, Sheet] = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = handle.readline()
            handle.seek(0)
            delimiter = max((",", ";", "\t"), key=header.count)
            sheets[path.stem] = [
                [
                    Cell(_unguarded(value), row_number, column_number)
                    for column_number, value in enumerate(row, start=1)
                    if value != ""
                ]
                for row_number, row in enumerate(csv.reader(handle, delimiter=delimiter), start=1)
            ]
    return sheets


def _letter(column: int) -> str:
    """1 -> 'A', 27 -> 'AA': the column as a spreadsheet names it.

    >>> _letter(1), _letter(26), _letter(27), _letter(703)
    ('A', 'Z', 'AA', 'AAA')
    """
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _escape_pointer(text: str) -> str:
    return text.replace("~", "~0").replace("/", "~1")


class Place(NamedTuple):
    """A sheet, and optionally a row, column number and column header in it."""

    sheet: str
    row: int | None = None
    column: int | None = None
    header: str | None = None


class _Importer:
    def __init__(self, source: Path, display: str) -> None:
        self.source = source
        self.display = display
        self.issues: list[Issue] = []
        #: (resource file name, JSON pointer) -> (sheet, row, column, header)
        self.cells: dict[tuple[str, str], tuple[str, int, int | None, str | None]] = {}

    def issue(
        self,
        rule: Rule,
        message: str,
        where: Place,
        *,
        record: str | None = None,
        record_type: str | None = None,
        severity: Severity | None = None,
    ) -> None:
        self.issues.append(
            self.relocate(
                Issue(
                    rule=rule.id,
                    severity=severity or rule.severity,
                    message=message,
                    record=record,
                    record_type=record_type,
                    docs_url=rule.docs_url,
                ),
                where,
            )
        )

    def relocate(self, issue: Issue, where: Place) -> Issue:
        """The issue placed at a cell (or row, or sheet) of the spreadsheet."""
        sheet, row, column, header = where
        place = sheet
        pointer = f"/{_escape_pointer(sheet)}"
        if row is not None:
            place = f"{sheet}!{_letter(column) if column else ''}{row}"
            pointer += f"/{row}"
            if header is not None:
                place += f" ({header})"
                pointer += f"/{_escape_pointer(header)}"
        return replace(
            issue,
            message=f"{place}: {issue.message}",
            file=self.display,
            line=row,
            column=column,
            pointer=pointer,
        )

    # -- cells to values ------------------------------------------------------------------------

    def convert(self, cell: Cell, column: Column, sheet: str) -> tuple[bool, Any]:
        """(True, value) or (False, None) after reporting why the cell does not fit."""
        if column.is_list:
            parts = _split_list(cell.value) if isinstance(cell.value, str) else [cell.value]
            values = []
            for part in parts:
                ok, value = self._scalar(replace(cell, value=part), column, sheet)
                if not ok:
                    return False, None
                values.append(value)
            return True, values
        return self._scalar(cell, column, sheet)

    def _scalar(self, cell: Cell, column: Column, sheet: str) -> tuple[bool, Any]:
        scalar = column.scalar
        value = cell.value

        def bad(message: str) -> tuple[bool, Any]:
            self.issue(RULE_CELL, message, Place(sheet, cell.row, cell.column, column.header))
            return False, None

        if isinstance(value, UnsavedFormula):
            return bad(_UNSAVED.format(value))

        if isinstance(value, datetime.datetime | datetime.date):
            shows_day = "d" in cell.number_format.lower()
            if scalar.partial_date and shows_day:
                return True, value.strftime("%Y-%m-%d")
            guess = value.strftime("%Y-%m-%d" if shows_day else "%Y-%m")
            return bad(
                f"the spreadsheet turned this cell into a date ({value:%Y-%m-%d}) and its "
                f"precision is lost; format the cell as text and type the date as the source "
                f"gives it, such as {guess}"
            )
        if scalar.type == "string":
            if isinstance(value, bool):
                return bad(f"expected text, found {value}")
            if isinstance(value, int):
                return True, str(value)
            if isinstance(value, float):
                return True, repr(value) if not value.is_integer() else str(int(value))
            return True, str(value)
        if scalar.type == "boolean":
            if isinstance(value, bool):
                return True, value
            text = str(value).strip().lower()
            if text in {"true", "yes", "vrai", "oui", "1"}:
                return True, True
            if text in {"false", "no", "faux", "non", "0"}:
                return True, False
            return bad(f"expected true or false, found {value!r}")
        if isinstance(value, bool):
            return bad(f"expected a number, found {value}")
        if scalar.type == "integer":
            if isinstance(value, int):
                return True, value
            if isinstance(value, float) and value.is_integer():
                return True, int(value)
            if isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]+\s*", value):
                return True, int(value)
            return bad(f"expected a whole number, found {value!r}")
        if isinstance(value, int | float):
            return True, value
        text = str(value).strip()
        if re.fullmatch(r"-?[0-9]+", text):
            return True, int(text)
        if re.fullmatch(r"-?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?", text):
            return True, float(text)
        return bad(f"expected a number, found {value!r}")

    # -- sheets to records ----------------------------------------------------------------------

    def package(self, sheets: Mapping[str, Sheet]) -> dict[str, Any]:
        descriptor: dict[str, Any] = {}
        for row in sheets.get(PACKAGE_SHEET, [])[1:]:
            cells = {cell.column: cell for cell in row}
            if not cells:
                continue
            key_cell, value_cell = cells.get(1), cells.get(2)
            if key_cell is None or not isinstance(key_cell.value, str):
                first = next(iter(cells.values()))
                self.issue(
                    RULE_PACKAGE,
                    "a value without a property name",
                    Place(PACKAGE_SHEET, first.row, first.column),
                )
                continue
            if value_cell is None:
                continue
            value = value_cell.value
            if isinstance(value, UnsavedFormula):
                self.issue(
                    RULE_PACKAGE,
                    _UNSAVED.format(value),
                    Place(PACKAGE_SHEET, value_cell.row, 2, key_cell.value),
                )
                continue
            if isinstance(value, str) and value[:1] in "[{":
                try:
                    value = json.loads(value)
                except ValueError as exc:
                    self.issue(
                        RULE_PACKAGE,
                        f"the value is not valid JSON: {exc}",
                        Place(PACKAGE_SHEET, value_cell.row, 2, key_cell.value),
                    )
                    continue
            descriptor[key_cell.value] = value
        return descriptor

    def records(
        self, sheets: Mapping[str, Sheet], layout: Layout
    ) -> dict[str, list[dict[str, Any]]]:
        records: dict[str, list[dict[str, Any]]] = {t: [] for t in layout.record_types}
        #: per table: the key values a child row gives -> (list of items, pointer, sheet row)
        parents: dict[str, dict[tuple[Any, ...], tuple[dict[str, Any], str]]] = {}
        known = {table.name for table in layout.tables}
        for name in sheets:
            if name not in known and name not in (
                INSTRUCTIONS_SHEET,
                PACKAGE_SHEET,
                CODELISTS_SHEET,
            ):
                self.issue(
                    RULE_UNKNOWN_SHEET,
                    "this sheet is not part of the template and was not imported",
                    Place(name),
                )
        for table in layout.tables:
            rows = sheets.get(table.name)
            if not rows:
                continue
            columns = self._header(table, rows[0])
            if columns is None:
                continue
            found: dict[tuple[Any, ...], tuple[dict[str, Any], str]] = {}
            for row in rows[1:]:
                if not row:
                    continue
                self._row(
                    table, row, columns=columns, records=records, parents=parents, found=found
                )
            parents[table.name] = found
        return records

    def _header(self, table: Table, header_row: list[Cell]) -> dict[int, Column | str] | None:
        by_header: dict[str, Column | str] = {key: key for key in table.keys}
        by_header.update({column.header: column for column in table.columns})
        columns: dict[int, Column | str] = {}
        for cell in header_row:
            header = str(cell.value)
            target = by_header.get(header)
            if target is None:
                self.issue(
                    RULE_UNKNOWN_COLUMN,
                    f"{header!r} is not a column of this sheet; its values are not imported",
                    Place(table.name, 1, cell.column, header),
                )
                continue
            columns[cell.column] = target
        missing = [key for key in table.keys if key not in columns.values()]
        if missing:
            self.issue(
                RULE_UNKNOWN_COLUMN,
                f"the key column {missing[0]!r} is missing, so the "
                "rows cannot be attached to their records",
                Place(table.name, 1),
            )
            return None
        return columns

    def _row(
        self,
        table: Table,
        row: list[Cell],
        *,
        columns: Mapping[int, Column | str],
        records: dict[str, list[dict[str, Any]]],
        parents: Mapping[str, Mapping[tuple[Any, ...], tuple[dict[str, Any], str]]],
        found: dict[tuple[Any, ...], tuple[dict[str, Any], str]],
    ) -> None:
        row_number = row[0].row
        keys: dict[str, Cell] = {}
        item: Any = {}
        cells_of: list[tuple[str, Cell, Column]] = []
        ok = True
        for cell in row:
            target = columns.get(cell.column)
            if target is None:
                continue
            if isinstance(target, str):
                keys[target] = cell
                continue
            converted, value = self.convert(cell, target, table.name)
            if not converted:
                ok = False
                continue
            if value in ("", []):
                continue
            relative = _place(item, target, value)
            cells_of.append((relative, cell, target))
        # a row with a bad cell is still attached, so that its list items do not report
        # follow-on errors; nothing is written while any cell is in error
        del ok
        if not table.path:
            records_of_type = records[table.record_type]
            pointer = f"/{len(records_of_type)}"
            record_id = item.get("id") if isinstance(item, dict) else None
            if record_id is not None and (record_id,) in found:
                self.issue(
                    RULE_DUPLICATE,
                    f"another row already has the id {record_id!r}",
                    Place(table.name, row_number),
                    record_type=table.record_type,
                    record=str(record_id),
                )
                return
            records_of_type.append(item)
            if record_id is not None:
                found[(record_id,)] = (item, pointer)
            self._remember(table, pointer, row_number, cells_of)
            return
        # a list item: find the record (and list item) it belongs to
        key_values: list[Any] = []
        for key in table.keys:
            key_cell = keys.get(key)
            if key_cell is None:
                self.issue(
                    RULE_ORPHAN,
                    f"the key column {key!r} is empty, so the row belongs to no record",
                    Place(table.name, row_number, table.keys.index(key) + 1, key),
                )
                return
            key_value: Any = key_cell.value
            if isinstance(key_value, UnsavedFormula):
                self.issue(
                    RULE_CELL,
                    _UNSAVED.format(key_value),
                    Place(table.name, row_number, key_cell.column, key),
                )
                return
            if key.endswith(" #"):
                if isinstance(key_value, float) and key_value.is_integer():
                    key_value = int(key_value)
                if isinstance(key_value, str) and key_value.strip().isdigit():
                    key_value = int(key_value)
                if not isinstance(key_value, int) or isinstance(key_value, bool) or key_value < 1:
                    self.issue(
                        RULE_CELL,
                        f"expected a position 1, 2, ..., found {key_value!r}",
                        Place(table.name, row_number, key_cell.column, key),
                    )
                    return
            else:
                key_value = str(key_value)
            key_values.append(key_value)
        assert table.parent is not None
        parent = parents.get(table.parent, {}).get(tuple(key_values))
        if parent is None:
            self.issue(
                RULE_ORPHAN,
                f"no item {' / '.join(map(str, key_values))} on the "
                f"{table.parent} sheet for this row to belong to",
                Place(table.name, row_number, 1, table.keys[0]),
                record_type=table.record_type,
                record=str(key_values[0]),
            )
            return
        parent_item, parent_pointer = parent
        path = table.path[-1]
        container: Any = parent_item
        for part in path[:-1]:
            container = container.setdefault(part, {})
        items = container.setdefault(path[-1], [])
        items.append(item)
        pointer = f"{parent_pointer}/{'/'.join(path)}/{len(items) - 1}"
        position = len(items)
        item_keys = (*key_values, position)
        found[item_keys] = (item, pointer)
        self._remember(table, pointer, row_number, cells_of)

    def _remember(
        self, table: Table, pointer: str, row: int, cells: Iterable[tuple[str, Cell, Column]]
    ) -> None:
        resource = resource_name(table.record_type) + ".json"
        self.cells[(resource, pointer)] = (table.name, row, None, None)
        for relative, cell, column in cells:
            self.cells[(resource, pointer + relative)] = (
                table.name,
                row,
                cell.column,
                column.header,
            )


def _split_list(text: str) -> list[str]:
    items: list[str] = []
    current: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == LIST_SEPARATOR:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    items.append("".join(current).strip())
    return [item for item in items if item != ""]


def _place(item: dict[str, Any], column: Column, value: Any) -> str:
    """Put a cell's value into the item; return its JSON Pointer relative to the item."""
    container = item
    for part in column.path[:-1]:
        container = container.setdefault(part, {})
    if column.language is not None:
        if column.path:
            container = container.setdefault(column.path[-1], {})
        container[column.language] = value
        return "/" + "/".join(_escape_pointer(p) for p in (*column.path, column.language))
    container[column.path[-1]] = value
    return "/" + "/".join(_escape_pointer(p) for p in column.path)
