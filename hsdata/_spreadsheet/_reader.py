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
import stat
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from .._i18n import tr
from .._reporting import Issue, Rule, Severity, clean, register
from ._layout import LIST_SEPARATOR, Column, Layout, Table
from ._writer import (
    CODELISTS_SHEET,
    INSTRUCTIONS_SHEET,
    PACKAGE_LISTS,
    PACKAGE_SHEET,
    resource_name,
)


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
    "column B. A list is written as its items separated by semicolons (keywords: 'landmines; "
    "small arms'), as on the record sheets, or as JSON; an object is written as JSON.",
)
RULE_PLACEHOLDER = _rule(
    "spreadsheet-placeholder",
    E,
    "A cell still holds the template's example value",
    "A blank template comes with example values, such as the package name "
    "'my-hsdata-package', so that its columns show what they take. Importing them as they "
    "are would publish data under a name nobody chose: replace them with your own.",
)
RULE_EMPTY = _rule(
    "spreadsheet-empty",
    E,
    "The spreadsheet holds no records",
    "None of the record sheets holds a record: the template was imported before it was "
    "filled in, or the records are on sheets whose names were changed. A package without "
    "records is not imported.",
)


@dataclass(frozen=True)
class Cell:
    """A cell's value and number format, with its row and column (from 1)."""

    value: Any
    row: int
    column: int
    number_format: str = "General"


Sheet = list[list[Cell]]

#: The example values a blank template's package sheet starts with, which must be replaced.
PACKAGE_PLACEHOLDERS = {"name": "my-hsdata-package"}


def _unsaved(formula: object) -> str:
    return tr(
        "the cell holds the formula {formula} but the file has no saved result for it; open "
        "the file in a spreadsheet program and save it, or paste the values in place of the "
        "formulas",
        formula=str(formula),
    )


@dataclass(frozen=True)
class UnsavedFormula:
    """A formula cell whose result the file does not hold (never calculated and saved)."""

    formula: str

    def __str__(self) -> str:
        return self.formula


# -- limits -------------------------------------------------------------------------------------

#: The most entries a workbook (a zip archive of XML parts) may hold.
MAX_WORKBOOK_ENTRIES = 10_000
#: The most bytes a workbook's parts may inflate to, all together (and the most a folder of CSV
#: files may hold): well above any real template, far below what would exhaust memory.
MAX_INFLATED_BYTES = 256 * 1024**2
#: The largest ratio of inflated to compressed size of a part bigger than :data:`_RATIO_FLOOR`
#: (spreadsheet XML compresses about 10 to 30 times; a "zip bomb" a thousand times).
MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024
#: The most cells read from one workbook or folder of CSV files (empty cells a file lists count).
MAX_CELLS = 2_000_000
#: The last column read (column AMJ); a cell further right is refused, not silently dropped.
MAX_COLUMN = 1024
#: The last row read: Excel's own last row.
MAX_ROW = 1_048_576
#: The most characters in one CSV cell, and in one line of a CSV file.
MAX_CSV_CELL = 1024 * 1024
MAX_CSV_LINE = 2 * MAX_CSV_CELL
_CHUNK = 1024 * 1024


class UnreadableSpreadsheet(ValueError):
    """The spreadsheet cannot be read safely: too big, damaged, or built to attack a reader.

    ``file`` is what the issue names (the workbook, a part of it, or one CSV file) and ``place``
    the sheet, row and column where they are known.
    """

    def __init__(self, reason: str, file: str, place: Place | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.file = file
        self.place = place


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
# No spreadsheet program writes a document type: in a workbook it only serves entity tricks.
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_XML_PART = (".xml", ".rels", ".vml")


def check_workbook(path: Path) -> bool:
    """Check a workbook's zip archive before any XML parser sees it; True if it holds formulas.

    Every part is inflated once, in chunks, counting the bytes actually inflated (the sizes a
    zip declares can lie): the archive is refused when it has too many entries, inflates past
    :data:`MAX_INFLATED_BYTES` or far past its own size, or declares a document type (the door
    to XML entity expansion, "billion laughs"). Raises :class:`UnreadableSpreadsheet`.
    """
    shown = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableSpreadsheet(
            tr("not an .xlsx workbook ({reason})", reason=str(exc)), shown
        ) from None
    formulas = False
    total = 0
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_WORKBOOK_ENTRIES:
            raise UnreadableSpreadsheet(
                tr(
                    "the workbook holds {count:,} parts (at most {most:,} are read)",
                    count=len(infos),
                    most=MAX_WORKBOOK_ENTRIES,
                ),
                shown,
            )
        for info in infos:
            if info.is_dir():
                continue
            part = f"{shown}!/{info.filename}"
            if info.flag_bits & 0x1:
                raise UnreadableSpreadsheet(tr("the workbook is encrypted"), part)
            is_xml = info.filename.lower().endswith(_XML_PART)
            is_sheet = is_xml and info.filename.startswith("xl/worksheets/")
            written = 0
            tail = b""
            try:
                with archive.open(info) as source:
                    while chunk := source.read(_CHUNK):
                        written += len(chunk)
                        total += len(chunk)
                        if total > MAX_INFLATED_BYTES:
                            raise UnreadableSpreadsheet(
                                tr(
                                    "the workbook inflates to more than {most:,} bytes "
                                    "(a 'zip bomb'?)",
                                    most=MAX_INFLATED_BYTES,
                                ),
                                shown,
                            )
                        if written > _RATIO_FLOOR and written > MAX_RATIO * max(
                            info.compress_size, 1
                        ):
                            raise UnreadableSpreadsheet(
                                tr(
                                    "this part inflates more than {ratio} times its "
                                    "compressed size (a 'zip bomb'?)",
                                    ratio=MAX_RATIO,
                                ),
                                part,
                            )
                        if is_xml:
                            # the tail carries a tag cut in two by the chunk boundary
                            window = tail + chunk
                            if _DOCTYPE.search(window):
                                raise UnreadableSpreadsheet(
                                    tr(
                                        "this part declares an XML document type or entities, "
                                        "which spreadsheet programs never write (an 'entity "
                                        "expansion' attack?); it is not read"
                                    ),
                                    part,
                                )
                            formulas = formulas or bool(is_sheet and _FORMULA.search(window))
                            tail = chunk[-16:]
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
                raise UnreadableSpreadsheet(
                    tr("this part is damaged: {reason}", reason=str(reason)), part
                ) from None
    return formulas


class _Budget:
    """Counts the cells read from one spreadsheet against :data:`MAX_CELLS`."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.cells = 0

    def spend(self, cells: int, where: Place) -> None:
        self.cells += cells
        if self.cells > MAX_CELLS:
            raise UnreadableSpreadsheet(
                tr(
                    "the spreadsheet holds more than {most:,} cells (the most read)",
                    most=MAX_CELLS,
                ),
                self.file,
                where,
            )


def _check_place(row: int, column: int, file: str, sheet: str) -> None:
    if row > MAX_ROW:
        raise UnreadableSpreadsheet(
            tr("row {row:,} is past the last row read ({last:,})", row=row, last=MAX_ROW),
            file,
            Place(sheet, row),
        )
    if column > MAX_COLUMN:
        raise UnreadableSpreadsheet(
            tr(
                "a cell is in column {column:,}, past the last column read "
                "({letter}, column {last:,}); move or delete it",
                column=column,
                letter=_letter(MAX_COLUMN),
                last=MAX_COLUMN,
            ),
            file,
            Place(sheet, row, column),
        )


def _sheet_cells(
    worksheet: Any, budget: _Budget, *, formulas_only: bool = False
) -> dict[tuple[int, int], Any]:
    """The cells of a read-only worksheet that hold something, by (row, column).

    The sheet's XML is parsed row by row, and only the cells it lists are looked at (openpyxl's
    own rows are padded to the widest row, so one cell far to the right would cost millions).
    """
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = worksheet.parent
    cells: dict[tuple[int, int], Any] = {}
    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            worksheet._shared_strings,
            data_only=workbook.data_only,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for row_number, row in parser.parse():
            budget.spend(len(row), Place(worksheet.title, row_number))
            for found in row:
                _check_place(found["row"], found["column"], budget.file, worksheet.title)
                if found["value"] is None or (formulas_only and found["data_type"] != "f"):
                    continue
                cells[(found["row"], found["column"])] = ReadOnlyCell(worksheet, **found)
    return cells


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape_text(text: str) -> str:
    r"""Undo the escape of characters XML cannot hold (``_x0001_``, as Excel writes them).

    >>> unescape_text("a_x0001_b"), unescape_text("_x005F_x0041_")
    ('a\x01b', '_x0041_')
    """
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text)


def read_xlsx(path: Path) -> dict[str, Sheet]:
    """Every sheet of a workbook as rows of cells (raises OSError or ValueError).

    The archive is checked first (:func:`check_workbook`), then read streaming, with at most
    :data:`MAX_CELLS` cells. A formula gives the value the spreadsheet program saved with it;
    a formula saved without its value becomes an :class:`UnsavedFormula`, reported at its cell
    instead of read as an empty cell. Raises :class:`UnreadableSpreadsheet`.
    """
    try:
        from openpyxl import load_workbook
    except ImportError as exc:  # pragma: no cover - openpyxl comes with hsdata-standard[xlsx]
        raise ValueError(
            "reading .xlsx needs openpyxl: pip install 'hsdata-standard[xlsx]'"
        ) from exc
    shown = str(path)
    if not path.is_file():
        raise UnreadableSpreadsheet(tr("this is not a file"), shown)
    has_formulas = check_workbook(path)
    budget = _Budget(shown)
    found_by_sheet: dict[str, dict[tuple[int, int], Any]] = {}
    formulas: dict[str, dict[tuple[int, int], Any]] = {}
    try:
        for data_only, into in ((True, found_by_sheet), (False, formulas)):
            if not data_only and not has_formulas:
                break
            # read-only mode streams the cells instead of building a styled object for each
            workbook = load_workbook(path, read_only=True, data_only=data_only, keep_links=False)
            try:
                for worksheet in workbook.worksheets:
                    into[worksheet.title] = _sheet_cells(
                        worksheet, budget, formulas_only=not data_only
                    )
            finally:
                workbook.close()
    except UnreadableSpreadsheet:
        raise
    except Exception as exc:  # any failure of the parser on a stranger's file is "unreadable"
        reason = clean(str(exc), 300) or type(exc).__name__
        raise UnreadableSpreadsheet(
            tr("the workbook is damaged: {reason}", reason=reason), shown
        ) from None
    sheets: dict[str, Sheet] = {}
    for title, found in found_by_sheet.items():
        for place, cell in formulas.get(title, {}).items():
            if place not in found:
                found[place] = UnsavedFormula(str(cell.value))
        rows: dict[int, list[Cell]] = {1: []}
        for (row, column), cell in sorted(found.items()):
            if isinstance(cell, UnsavedFormula):
                rows.setdefault(row, []).append(Cell(cell, row, column))
                continue
            value = unescape_text(cell.value) if isinstance(cell.value, str) else cell.value
            rows.setdefault(row, []).append(
                Cell(value, row, column, cell.number_format or "General")
            )
        sheets[title] = [rows[number] for number in sorted(rows)]
    return sheets


def _unguarded(text: str) -> str:
    """A CSV cell without the apostrophe the writer puts before formula-like text.

    >>> _unguarded("'=1+1"), _unguarded("''quoted"), _unguarded("'quoted")
    ('=1+1', "'quoted", "'quoted")
    """
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@", "\t", "\r", "'"):
        return text[1:]
    return text


def _bounded_lines(handle: Any, file: str) -> Iterator[str]:
    """The lines of a CSV file, refusing one longer than :data:`MAX_CSV_LINE` characters."""
    number = 0
    while line := handle.readline(MAX_CSV_LINE + 1):
        number += 1
        if len(line) > MAX_CSV_LINE:
            raise UnreadableSpreadsheet(
                tr(
                    "line {line:,} is longer than {most:,} characters",
                    line=number,
                    most=MAX_CSV_LINE,
                ),
                file,
            )
        yield line


def _csv_files(folder: Path) -> list[Path]:
    """The CSV files of a folder: regular files only, never through a link, within the size cap."""
    paths = sorted(folder.glob("*.csv"))
    total = 0
    for path in paths:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableSpreadsheet(
                tr("this is a symbolic link, so it is not read")
                if stat.S_ISLNK(info.st_mode)
                else tr("this is not a regular file, so it is not read"),
                str(path),
            )
        total += info.st_size
        if total > MAX_INFLATED_BYTES:
            raise UnreadableSpreadsheet(
                tr("the CSV files hold more than {most:,} bytes", most=MAX_INFLATED_BYTES),
                str(folder),
            )
    return paths


def read_csv_folder(folder: Path, encoding: str | None = None) -> dict[str, Sheet]:
    """Every CSV file of a folder as rows of cells, named by the file's stem.

    The files are read as UTF-8 (a byte order mark is allowed), or in the
    ``encoding`` given: a file in another encoding is refused at its line,
    never guessed at (see :func:`not_utf8_reason`).

    Rows are counted as a spreadsheet shows them (a quoted value may span
    lines). The delimiter is read from the header line: spreadsheets set to
    French and other languages that write decimal commas save CSV with
    semicolons. Cells hold at most :data:`MAX_CSV_CELL` characters and rows
    at most :data:`MAX_COLUMN` cells; raises :class:`UnreadableSpreadsheet`.
    """
    sheets: dict[str, Sheet] = {}
    budget = _Budget(str(folder))
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CSV_CELL)
    try:
        for path in _csv_files(folder):
            sheets[path.stem] = _read_csv(path, budget, encoding)
    finally:
        csv.field_size_limit(limit)
    return sheets


def not_utf8_reason(data: bytes, error: UnicodeDecodeError, encoding: str | None) -> str:
    r"""Why a CSV file's bytes could not be read, and what to do, naming the line.

    >>> data = "name\nBogot\u00e1\n".encode("cp1252")
    >>> try:
    ...     data.decode("utf-8")
    ... except UnicodeDecodeError as error:
    ...     print(not_utf8_reason(data, error, None))  # doctest: +ELLIPSIS
    line 2 holds a byte (0xE1) that is not UTF-8: the file seems saved as Windows-1252 ...
    """
    line = data.count(b"\n", 0, error.start) + 1
    byte = f"0x{data[error.start]:02X}" if error.start < len(data) else tr("the end")
    if encoding is not None:
        return tr(
            "line {line} holds a byte ({byte}) that is not {encoding}",
            line=line,
            byte=byte,
            encoding=encoding,
        )
    how = tr(
        "save it again as UTF-8 (in Excel: Save As, 'CSV UTF-8 (Comma delimited)'; in "
        "LibreOffice: Save As, 'Edit filter settings', character set 'Unicode (UTF-8)')"
    )
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return tr(
            "line {line} holds a byte ({byte}) that is not UTF-8; {how}",
            line=line,
            byte=byte,
            how=how,
        )
    return tr(
        "line {line} holds a byte ({byte}) that is not UTF-8: the file seems saved as "
        "Windows-1252 (Western European), as Excel's plain 'CSV' does; {how}, or import it "
        "as it is with --encoding cp1252",
        line=line,
        byte=byte,
        how=how,
    )


def _read_csv(path: Path, budget: _Budget, encoding: str | None = None) -> Sheet:
    shown, sheet = str(path), path.stem
    with path.open("rb") as handle:
        if handle.read(3) == b"\xef\xbb\xbf":
            encoding = None  # a UTF-8 byte order mark settles it, whatever was asked for
    try:
        return _read_csv_rows(path, budget, encoding)
    except UnicodeDecodeError as streamed:
        # The streamed error counts from a chunk: the bytes are read again, only now, to
        # say on which line of the file the first wrong byte is.
        data = path.read_bytes()
        data = data[3:] if encoding is None and data.startswith(b"\xef\xbb\xbf") else data
        error = streamed
        try:
            data.decode(encoding or "utf-8")
        except UnicodeDecodeError as whole:
            error = whole
        line = data.count(b"\n", 0, error.start) + 1
        raise UnreadableSpreadsheet(
            not_utf8_reason(data, error, encoding), shown, Place(sheet, line)
        ) from None


def _read_csv_rows(path: Path, budget: _Budget, encoding: str | None) -> Sheet:
    shown, sheet = str(path), path.stem
    rows: Sheet = []
    row_number = 0
    with path.open(encoding=encoding or "utf-8-sig", newline="") as handle:
        header = handle.readline(MAX_CSV_LINE)
        handle.seek(0)
        delimiter = max((",", ";", "\t"), key=header.count)
        reader = csv.reader(_bounded_lines(handle, shown), delimiter=delimiter)
        try:
            for row_number, row in enumerate(reader, start=1):
                budget.file = shown
                budget.spend(len(row), Place(sheet, row_number))
                if len(row) > MAX_COLUMN and any(row[MAX_COLUMN:]):
                    column = MAX_COLUMN + next(i for i, v in enumerate(row[MAX_COLUMN:]) if v)
                    _check_place(row_number, column + 1, shown, sheet)
                rows.append(
                    [
                        Cell(_unguarded(value), row_number, column_number)
                        for column_number, value in enumerate(row[:MAX_COLUMN], start=1)
                        if value != ""
                    ]
                )
        except csv.Error as exc:
            where = Place(sheet, row_number + 1)
            if "field larger than field limit" in str(exc):
                raise UnreadableSpreadsheet(
                    tr("a cell holds more than {most:,} characters", most=MAX_CSV_CELL),
                    shown,
                    where,
                ) from None
            raise UnreadableSpreadsheet(
                tr("the CSV file is damaged: {reason}", reason=str(exc)), shown, where
            ) from None
    return rows


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
            message=tr("{place}: {message}", place=place, message=issue.message),
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
            return bad(_unsaved(value))

        if isinstance(value, datetime.datetime | datetime.date):
            shows_day = "d" in cell.number_format.lower()
            if scalar.partial_date and shows_day:
                return True, value.strftime("%Y-%m-%d")
            guess = value.strftime("%Y-%m-%d" if shows_day else "%Y-%m")
            return bad(
                tr(
                    "the spreadsheet turned this cell into a date ({date}) and its precision "
                    "is lost; format the cell as text and type the date as the source gives "
                    "it, such as {guess}",
                    date=f"{value:%Y-%m-%d}",
                    guess=guess,
                )
            )
        if scalar.type == "string":
            if isinstance(value, bool):
                return bad(tr("expected text, found {value}", value=str(value)))
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
            return bad(tr("expected true or false, found {value}", value=repr(value)))
        if isinstance(value, bool):
            return bad(tr("expected a number, found {value}", value=str(value)))
        if scalar.type == "integer":
            if isinstance(value, int):
                return True, value
            if isinstance(value, float) and value.is_integer():
                return True, int(value)
            if isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]+\s*", value):
                return True, int(value)
            return bad(tr("expected a whole number, found {value}", value=repr(value)))
        if isinstance(value, int | float):
            return True, value
        text = str(value).strip()
        if re.fullmatch(r"-?[0-9]+", text):
            return True, int(text)
        if re.fullmatch(r"-?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?", text):
            return True, float(text)
        return bad(tr("expected a number, found {value}", value=repr(value)))

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
                    tr("a value without a property name"),
                    Place(PACKAGE_SHEET, first.row, first.column),
                )
                continue
            if value_cell is None:
                continue
            key = key_cell.value
            where = Place(PACKAGE_SHEET, value_cell.row, 2, key)
            value = value_cell.value
            if isinstance(value, UnsavedFormula):
                self.issue(RULE_PACKAGE, _unsaved(value), where)
                continue
            if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
                try:
                    value = json.loads(value)
                except ValueError as exc:
                    self.issue(
                        RULE_PACKAGE,
                        tr("the value is not valid JSON: {reason}", reason=str(exc)),
                        where,
                    )
                    continue
            elif isinstance(value, str) and key in PACKAGE_LISTS:
                value = package_list(value, PACKAGE_LISTS[key])
            if PACKAGE_PLACEHOLDERS.get(key) == value:
                self.issue(
                    RULE_PLACEHOLDER,
                    tr(
                        "the {key} is still the template's example {value}; give your "
                        "package its own {key} (lower-case letters, digits, '-', '.' and '_')",
                        key=key,
                        value=repr(value),
                    ),
                    where,
                )
            descriptor[key] = value
            self.cells[("datapackage.json", "/" + _escape_pointer(key))] = (
                PACKAGE_SHEET,
                value_cell.row,
                2,
                key,
            )
        return descriptor

    def no_records(self, records: Mapping[str, list[dict[str, Any]]], layout: Layout) -> None:
        """Report a spreadsheet none of whose record sheets holds a record."""
        if any(records.values()):
            return
        sheets = ", ".join(layout.main_table(t).name for t in layout.record_types)
        self.issue(
            RULE_EMPTY,
            tr(
                "no sheet holds a record, so there is nothing to import; fill one row per "
                "record on the sheets {sheets}",
                sheets=sheets,
            ),
            Place(layout.main_table(layout.record_types[0]).name),
        )

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
                    tr("this sheet is not part of the template and was not imported"),
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
                    tr(
                        "{header} is not a column of this sheet; its values are not imported",
                        header=repr(header),
                    ),
                    Place(table.name, 1, cell.column, header),
                )
                continue
            columns[cell.column] = target
        missing = [key for key in table.keys if key not in columns.values()]
        if missing:
            self.issue(
                RULE_UNKNOWN_COLUMN,
                tr(
                    "the key column {key} is missing, so the rows cannot be attached to their "
                    "records",
                    key=repr(missing[0]),
                ),
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
                    tr("another row already has the id {id}", id=repr(record_id)),
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
                    tr(
                        "the key column {key} is empty, so the row belongs to no record",
                        key=repr(key),
                    ),
                    Place(table.name, row_number, table.keys.index(key) + 1, key),
                )
                return
            key_value: Any = key_cell.value
            if isinstance(key_value, UnsavedFormula):
                self.issue(
                    RULE_CELL,
                    _unsaved(key_value),
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
                        tr("expected a position 1, 2, ..., found {value}", value=repr(key_value)),
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
                tr(
                    "no item {item} on the {sheet} sheet for this row to belong to",
                    item=" / ".join(map(str, key_values)),
                    sheet=table.parent,
                ),
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


def package_list(text: str, item_key: str | None) -> list[Any]:
    """A list typed on the package sheet as items separated by semicolons.

    >>> package_list("landmines; small arms", None)
    ['landmines', 'small arms']
    >>> package_list("CC-BY-4.0; https://example.org/licence", "name")
    [{'name': 'CC-BY-4.0'}, {'path': 'https://example.org/licence'}]
    """
    items = _split_list(text)
    if item_key is None:
        return items
    return [
        {"path": item} if item_key == "name" and re.match(r"https?://", item) else {item_key: item}
        for item in items
    ]


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
