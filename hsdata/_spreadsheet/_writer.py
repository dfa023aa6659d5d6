"""Writing the spreadsheet: a blank template, or one filled with a package's records."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .._errors import HsdataError
from .._files import OutputError, reason_of, staged_folder, write_bytes
from .._i18n import tr, translated
from .._schema_shapes import Array, LanguageMap, Object, Shape
from .._schemas import SchemaSet, kebab_case
from ._layout import LIST_SEPARATOR, Column, Layout, build_layout

#: Sheets that are not tables of records.
INSTRUCTIONS_SHEET = "instructions"
PACKAGE_SHEET = "package"

#: Package properties that hold lists, and for those whose items are objects the property
#: a plain item names (a licence's name, or its path when it is a web address; a
#: contributor's or source's title). Such a cell may hold the items separated by
#: semicolons, as list cells on the record sheets do, or JSON.
PACKAGE_LISTS: dict[str, str | None] = {
    "keywords": None,
    "hsdata:extensions": None,
    "licenses": "name",
    "contributors": "title",
    "sources": "title",
}

#: The sheet of the codelists' codes.
CODELISTS_SHEET = "codelists"

#: How many rows of a template get drop-downs and text formatting.
TEMPLATE_ROWS = 2000
#: Excel's limit on the length of a cell's text.
MAX_CELL_TEXT = 32767


class SpreadsheetError(HsdataError):
    """Records could not be written to a spreadsheet without losing something."""


# -- records to table rows ----------------------------------------------------------------------

#: One item of a table: the values of its key columns, its position in its list, the item.
Item = tuple[tuple[Any, ...], int, Any]


def _get(item: Any, path: Sequence[str]) -> Any:
    for part in path:
        if not isinstance(item, dict):
            return None
        item = item.get(part)
    return item


def table_items(layout: Layout, records: Mapping[str, Sequence[Any]]) -> dict[str, list[Item]]:
    """The items of every table, parents before children."""
    items: dict[str, list[Item]] = {}
    for table in layout.tables:
        if not table.path:
            items[table.name] = [
                ((), position, record)
                for position, record in enumerate(records.get(table.record_type, ()), start=1)
            ]
            continue
        assert table.parent is not None
        parent = layout.table(table.parent)
        assert parent is not None
        found: list[Item] = []
        for parent_keys, parent_position, parent_item in items[table.parent]:
            keys = (*parent_keys, parent_position) if parent.path else (_get(parent_item, ("id",)),)
            value = _get(parent_item, table.path[-1])
            if isinstance(value, list):
                found.extend((keys, position, child) for position, child in enumerate(value, 1))
        items[table.name] = found
    return items


def _lost_fields(item: Any, shape: Shape, pointer: str) -> Iterator[str]:
    """Pointers to the parts of ``item`` that no column or table would hold."""
    if isinstance(shape, Object):
        if not isinstance(item, dict):
            yield pointer
            return
        properties = dict(shape.properties)
        for key, value in item.items():
            escaped = key.replace("~", "~0").replace("/", "~1")
            if key not in properties:
                yield f"{pointer}/{escaped}"
            else:
                yield from _lost_fields(value, properties[key], f"{pointer}/{escaped}")
    elif isinstance(shape, Array):
        if not isinstance(item, list):
            yield pointer
            return
        for index, value in enumerate(item):
            yield from _lost_fields(value, shape.item, f"{pointer}/{index}")
    elif isinstance(shape, LanguageMap):
        if not isinstance(item, dict) or not all(isinstance(v, str) for v in item.values()):
            yield pointer
    elif isinstance(item, dict | list) or item is None:
        yield pointer


def _languages(layout: Layout, items: Mapping[str, list[Item]]) -> dict[Any, tuple[str, ...]]:
    """The languages each language-map field uses, English and French first."""
    found: dict[tuple[str, tuple[str, ...]], set[str]] = {}
    for table in layout.tables:
        maps = {column.path for column in table.columns if column.language is not None}
        for _, _, item in items.get(table.name, ()):
            for path in maps:
                value = _get(item, path) if path else item
                if isinstance(value, dict):
                    found.setdefault((table.name, path), set()).update(value)
    return {key: ("en", "fr", *sorted(tags - {"en", "fr"})) for key, tags in found.items()}


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(LIST_SEPARATOR, "\\" + LIST_SEPARATOR)


def cell_value(column: Column, item: Any) -> Any:
    """The value a column shows for an item (None for an empty cell)."""
    value = _get(item, column.path) if column.path else item
    if column.language is not None:
        return value.get(column.language) if isinstance(value, dict) else None
    if column.is_list:
        if not isinstance(value, list):
            return None
        return f"{LIST_SEPARATOR} ".join(
            _escape(v if isinstance(v, str) else json.dumps(v)) for v in value
        )
    return value


def rows_of(layout: Layout, items: Mapping[str, list[Item]]) -> dict[str, list[list[Any]]]:
    """The rows of every table: key values then column values."""
    rows: dict[str, list[list[Any]]] = {}
    for table in layout.tables:
        rows[table.name] = [
            [*keys, *(cell_value(column, item) for column in table.columns)]
            for keys, _, item in items.get(table.name, ())
        ]
    return rows


def fill(
    schema_set: SchemaSet, records: Mapping[str, Sequence[Any]]
) -> tuple[Layout, dict[str, list[list[Any]]]]:
    """The layout for these records (with every language they use) and the rows of each table.

    Raises :class:`SpreadsheetError` if a record holds something no column can hold.
    """
    layout = build_layout(schema_set)
    for record_type in layout.record_types:
        shape = layout.main_table(record_type).item
        for index, record in enumerate(records.get(record_type, ())):
            lost = list(_lost_fields(record, shape, f"/{index}"))
            if lost:
                raise SpreadsheetError(
                    tr(
                        "{record_type} records hold fields the spreadsheet has no column for, "
                        "which would be lost: {fields}",
                        record_type=record_type,
                        fields=", ".join(lost[:10]),
                    )
                )
    unknown = sorted(set(records) - set(layout.record_types))
    if unknown:
        raise SpreadsheetError(
            tr("no sheet for the record types {types}", types=", ".join(unknown))
        )
    items = table_items(layout, records)
    layout = build_layout(schema_set, _languages(layout, items))
    return layout, rows_of(layout, items)


# -- instructions -------------------------------------------------------------------------------

INTRODUCTION = (
    "hsdata spreadsheet template",
    "",
    "Each sheet after this one holds one kind of record, or one list nested in records. Row 1 "
    "holds the column names: do not change them. Fill one record (or one list item) per row; "
    "empty cells are left out of the data.",
    "Columns ending in @en, @fr hold the same text in each language; English is required "
    "wherever the text is. Add a column such as name@es for another language.",
    "Cells holding several identifiers separate them with semicolons: 'landmines; "
    "small-arms'. Write a semicolon inside an item as \\; .",
    "Sheets named <type>.<list> hold the items of a list in a record, such as the members of "
    "a partnership: the first column gives the identifier of the record the row belongs to, "
    "and a column ending in ' #' gives the position (1, 2, ...) of the list item it belongs "
    "to. Rows keep their order.",
    "Dates are written as text, as precisely as the source gives them: 1999, 1999-02 or "
    "1999-02-26. The date columns are formatted as text so the spreadsheet does not turn "
    "1998-12 into 1 December 1998.",
    "Columns in bold are required. Drop-down lists offer the codes of each codelist (see the "
    "codelists sheet); a closed codelist accepts only its codes, an open one accepts others.",
    "The package sheet holds the data package's own details (name, title, licences...).",
    "Turn the filled spreadsheet into hsdata JSON with: hsdata import FILE.xlsx OUTDIR",
)


def list_words(column: Column) -> str:
    """What a list column holds and how its items are separated, for the instructions.

    Each list column says what its items are (the ids of which records, the codes of
    which codelist, dates, texts), so a person filling it in need not guess.
    """
    scalar = column.scalar
    separator = {"separator": LIST_SEPARATOR}
    if scalar.record_ref:
        return tr(
            "a list of identifiers of {type} records, separated by semicolons ('{separator}'); "
            "write a semicolon inside an item as \\{separator}",
            type=scalar.record_ref,
            **separator,
        )
    if scalar.codelist:
        return tr(
            "a list of codes from the {codelist} codelist, separated by semicolons "
            "('{separator}'); write a semicolon inside an item as \\{separator}",
            codelist=scalar.codelist,
            **separator,
        )
    if scalar.partial_date:
        return tr(
            "a list of dates (YYYY, YYYY-MM or YYYY-MM-DD), separated by semicolons "
            "('{separator}'); write a semicolon inside an item as \\{separator}",
            **separator,
        )
    if scalar.type == "string":
        return tr(
            "a list of texts, separated by semicolons ('{separator}'); write a semicolon "
            "inside an item as \\{separator}",
            **separator,
        )
    return tr(
        "a list of {type} values, separated by semicolons ('{separator}'); write a "
        "semicolon inside an item as \\{separator}",
        type=str(scalar.type),
        **separator,
    )


def _column_notes(column: Column, schema_set: SchemaSet) -> str:
    scalar = column.scalar
    parts = [scalar.title or column.header]
    if scalar.description:
        parts.append(scalar.description)
    kind: str = tr("date (YYYY, YYYY-MM or YYYY-MM-DD)") if scalar.partial_date else scalar.type
    if column.is_list:
        kind = list_words(column)
    details = [tr("Type: {kind}.", kind=kind)]
    if column.required:
        details.append(tr("Required."))
    if scalar.codelist:
        details.append(
            tr("Codes from {codelist} (open codelist).", codelist=scalar.codelist)
            if scalar.open_codelist
            else tr("Codes from {codelist} (closed codelist).", codelist=scalar.codelist)
        )
    if scalar.record_ref:
        details.append(tr("The id of a {type} record.", type=scalar.record_ref))
    if column.language:
        details.append(tr("Language: {language}.", language=column.language))
    return " ".join(parts) + "\n" + " ".join(translated(detail) for detail in details)


INSTRUCTION_HEADERS = ("sheet", "column", "required", "type", "codelist", "description")


def instruction_rows(layout: Layout) -> list[list[str]]:
    """The instructions: the introduction, then one row per column of every sheet."""
    rows = [[translated(line)] for line in INTRODUCTION]  # in the language chosen (--lang)
    rows.append([])
    rows.append([translated(word) for word in INSTRUCTION_HEADERS])
    for table in layout.tables:
        for key in table.keys:
            if key.endswith(" id"):
                what = tr("The id of the {type} record the row belongs to.", type=table.record_type)
            else:
                what = tr(
                    "The position (1, 2, ...) of the {item} item the row belongs to.",
                    item=key[:-2],
                )
            yes, kind = translated(tr("yes")), translated(tr("key"))
            rows.append([table.name, key, yes, kind, "", translated(what)])
        for column in table.columns:
            scalar = column.scalar
            kind = translated(tr("date")) if scalar.partial_date else scalar.type
            if column.is_list:
                kind = translated(list_words(column))
            codelist = ""
            if scalar.codelist:
                codelist = translated(
                    tr("{codelist} (open)", codelist=scalar.codelist)
                    if scalar.open_codelist
                    else tr("{codelist} (closed)", codelist=scalar.codelist)
                )
            rows.append(
                [
                    table.name,
                    column.header,
                    translated(tr("yes")) if column.required else "",
                    kind,
                    codelist,
                    scalar.description,
                ]
            )
    return rows


def default_package(schema_set: SchemaSet) -> dict[str, Any]:
    """The package details a blank template starts with."""
    package: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "my-hsdata-package",
        "title": "",
        "version": "0.1.0",
        "hsdata:version": schema_set.version,
    }
    if f"https://w3id.org/hsdata/schema/{schema_set.version}/package.json" in schema_set.schemas:
        # From 1.2 the standard requires these: values that say plainly what to replace.
        package["hsdata:namespace"] = "https://example.org/replace-with-your-namespace/"
        package["hsdata:publisher"] = {
            "name": {"en": "Replace with the name of your organisation"},
            "reporting": "primary",
        }
        package["hsdata:published"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    package["licenses"] = [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    ]
    return package


def package_rows(descriptor: Mapping[str, Any]) -> list[list[str]]:
    """The package sheet: one property per row; a list of texts as its items separated by
    semicolons (as list cells on the record sheets), other non-text values as JSON."""
    rows = [["property", "value"]]
    for key, value in descriptor.items():
        if key == "resources":
            continue
        if isinstance(value, str):
            text = value
        elif PACKAGE_LISTS.get(key, "") is None and _plain_list(value):
            text = f"{LIST_SEPARATOR} ".join(_escape(item) for item in value)
        else:
            text = json.dumps(value, ensure_ascii=False)
        rows.append([key, text])
    return rows


def _plain_list(value: Any) -> bool:
    """A non-empty list of texts that reads back the same from a separated list."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(
            isinstance(item, str) and item == item.strip() and item and item[:1] not in "[{"
            for item in value
        )
    )


# -- writing files ------------------------------------------------------------------------------


def _check_text(value: Any, where: str) -> None:
    if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
        raise SpreadsheetError(
            tr(
                "{where} holds {count} characters; a spreadsheet cell holds at most {most}",
                where=where,
                count=len(value),
                most=MAX_CELL_TEXT,
            )
        )


# Characters XML 1.0 cannot hold (C0 controls but tab and line feed; lone surrogates; U+FFFE,
# U+FFFF) and the carriage return (XML turns it into a line feed) are written as _xHHHH_, as
# Excel does; a literal "_xHHHH_" gets its underscore escaped so that reading undoes it exactly.
_UNWRITABLE = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_LOOKS_ESCAPED = re.compile("_(?=x[0-9A-Fa-f]{4}_)")


def escape_text(text: str) -> str:
    r"""Text as a workbook stores it, reversibly (undone by the reader's ``unescape_text``).

    >>> escape_text("a\x01b"), escape_text("_x0041_"), escape_text("plain")
    ('a_x0001_b', '_x005F_x0041_', 'plain')
    """
    if "_x" in text:
        text = _LOOKS_ESCAPED.sub("_x005F_", text)
    return _UNWRITABLE.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Write a value into a cell; text is always a text cell, never a formula or an error code.

    openpyxl reads a string starting with '=' as a formula and '#N/A' as an error: the cell's
    type is set back to text after the value is stored.
    """
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = escape_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def _put_rows(sheet: Any, rows: Sequence[Sequence[Any]], first_row: int = 1) -> None:
    for row_number, values in enumerate(rows, start=first_row):
        for column, value in enumerate(values, start=1):
            if value is not None:
                put(sheet, row_number, column, value)


def csv_bytes(table_rows: Sequence[Sequence[Any]]) -> bytes:
    """A CSV file: UTF-8 with a byte order mark (so spreadsheets open it right), CRLF lines."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in table_rows:
        writer.writerow(["" if v is None else _csv_text(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_csv_folder(
    folder: Path,
    layout: Layout,
    rows: Mapping[str, list[list[Any]]],
    descriptor: Mapping[str, Any],
    *,
    force: bool = False,
) -> list[Path]:
    """One CSV per table, written into a fresh folder that replaces ``folder`` at the end.

    A ``folder`` that already holds files is replaced only with ``force``; raises
    :class:`~hsdata._files.OutputError` when it cannot write (``folder`` is then untouched).
    """
    tables = [
        (f"{INSTRUCTIONS_SHEET}.csv", instruction_rows(layout)),
        (f"{PACKAGE_SHEET}.csv", package_rows(descriptor)),
        *(
            (f"{table.name}.csv", [list(table.headers), *rows.get(table.name, [])])
            for table in layout.tables
        ),
    ]
    with staged_folder(folder, force=force) as staging:
        for name, table_rows in tables:
            write_bytes(staging / name, csv_bytes(table_rows), root=staging)
    return [folder / name for name, _ in tables]


#: First characters that make a spreadsheet run a CSV cell as a formula, and the guard itself.
CSV_GUARDED = ("=", "+", "-", "@", "\t", "\r", "'")


def _csv_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(CSV_GUARDED):
        # An apostrophe in front makes it text; the reader takes it off again.
        return "'" + value
    return str(value)


def _fit_width(text: str) -> float:
    return float(min(max(len(text) + 2, 10), 60))


def write_xlsx(
    path: Path,
    layout: Layout,
    rows: Mapping[str, list[list[Any]]],
    descriptor: Mapping[str, Any],
) -> None:
    """The workbook: instructions, package, one sheet per table, then the codelists."""
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - openpyxl comes with hsdata-standard[xlsx]
        raise SpreadsheetError(
            tr("writing .xlsx needs openpyxl: pip install 'hsdata-standard[xlsx]'")
        ) from exc
    del openpyxl
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEET
    _put_rows(instructions, instruction_rows(layout))
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.column_dimensions["A"].width = 32
    instructions.column_dimensions["B"].width = 34
    instructions.column_dimensions["F"].width = 100
    for cell in instructions["A"][: len(INTRODUCTION)]:
        cell.alignment = Alignment(wrap_text=False)

    package = workbook.create_sheet(PACKAGE_SHEET)
    _put_rows(package, package_rows(descriptor))
    for cell in package[1]:
        cell.font = Font(bold=True)
    for cell in package["B"]:
        cell.number_format = "@"
    package.column_dimensions["A"].width = 20
    package.column_dimensions["B"].width = 100

    codelist_names = sorted(
        {
            column.scalar.codelist
            for table in layout.tables
            for column in table.columns
            if column.scalar.codelist is not None
            and column.scalar.codelist in layout.schema_set.codelists
        }
    )
    codelist_ranges: dict[str, str] = {}
    codelists = workbook.create_sheet(CODELISTS_SHEET)
    for index, name in enumerate(codelist_names):
        codelist = layout.schema_set.codelists[name]
        code_col = get_column_letter(2 * index + 1)
        title_col = get_column_letter(2 * index + 2)
        put(codelists, 1, 2 * index + 1, name).font = Font(bold=True)
        put(codelists, 1, 2 * index + 2, "title")
        for row_number, code in enumerate(codelist.codes, start=2):
            put(codelists, row_number, 2 * index + 1, code).number_format = "@"
            put(codelists, row_number, 2 * index + 2, codelist.titles[code]["en"])
        last = len(codelist.codes) + 1
        codelist_ranges[name] = (
            f"{quote_sheetname(CODELISTS_SHEET)}!${code_col}$2:${code_col}${max(last, 2)}"
        )
        codelists.column_dimensions[code_col].width = 24
        codelists.column_dimensions[title_col].width = 32

    key_fill = PatternFill("solid", fgColor="DDDDDD")
    for table in layout.tables:
        sheet = workbook.create_sheet(table.name, index=len(workbook.sheetnames) - 1)
        table_rows = rows.get(table.name, [])
        last_row = max(len(table_rows) + 1, TEMPLATE_ROWS)
        _put_rows(sheet, [list(table.headers)])
        sheet.freeze_panes = "A2"
        for position, key in enumerate(table.keys, start=1):
            cell = sheet.cell(row=1, column=position)
            cell.font = Font(bold=True, italic=True)
            cell.fill = key_fill
            sheet.column_dimensions[get_column_letter(position)].width = _fit_width(key)
        for position, column in enumerate(table.columns, start=len(table.keys) + 1):
            letter = get_column_letter(position)
            cell = sheet.cell(row=1, column=position)
            cell.font = Font(bold=column.required)
            cell.comment = Comment(escape_text(_column_notes(column, layout.schema_set)), "hsdata")
            sheet.column_dimensions[letter].width = _fit_width(column.header)
            scalar = column.scalar
            if scalar.type == "string" or column.is_list:
                sheet.column_dimensions[letter].number_format = "@"
            cells = f"{letter}2:{letter}{last_row}"
            if scalar.codelist in codelist_ranges and not column.is_list:
                assert scalar.codelist is not None
                closed = not scalar.open_codelist
                validation = DataValidation(
                    type="list",
                    formula1=codelist_ranges[scalar.codelist],
                    allow_blank=True,
                    showErrorMessage=True,
                    errorStyle="stop" if closed else "information",
                    errorTitle=escape_text(scalar.codelist),
                    error=escape_text(
                        translated(
                            tr("Choose a code from {codelist}.", codelist=scalar.codelist)
                            if closed
                            else tr(
                                "This code is not in {codelist}; other codes are allowed.",
                                codelist=scalar.codelist,
                            )
                        )
                    ),
                )
                validation.add(cells)
                sheet.add_data_validation(validation)
            elif scalar.record_ref and not column.is_list:
                target = layout.main_table(scalar.record_ref).name
                validation = DataValidation(
                    type="list",
                    formula1=f"{quote_sheetname(target)}!$A$2:$A${TEMPLATE_ROWS}",
                    allow_blank=True,
                    showErrorMessage=True,
                    errorStyle="warning",
                    errorTitle=escape_text(translated(tr("{type} id", type=scalar.record_ref))),
                    error=escape_text(
                        translated(
                            tr(
                                "No {type} with this id on the {sheet} sheet.",
                                type=scalar.record_ref,
                                sheet=target,
                            )
                        )
                    ),
                )
                validation.add(cells)
                sheet.add_data_validation(validation)
        for row_number, values in enumerate(table_rows, start=2):
            for position, value in enumerate(values, start=1):
                if value is None:
                    continue
                where = f"{table.name}!{get_column_letter(position)}{row_number}"
                _check_text(escape_text(value) if isinstance(value, str) else value, where)
                cell = put(sheet, row_number, position, value)
                if isinstance(value, str):
                    cell.number_format = "@"
    buffer = io.BytesIO()
    failure: str | None = None
    try:
        # openpyxl writes each sheet to a temporary file first: a full disk can fail it too
        workbook.save(buffer)
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        failure = reason_of(exc)
    if failure is not None:
        # outside the except block, so that the failed writers are no longer referenced
        _drop_failed_writers()
        raise OutputError(tr("cannot write {path}: {reason}", path=str(path), reason=failure), path)
    write_bytes(path, buffer.getvalue())


def _drop_failed_writers() -> None:
    """Collect openpyxl's half-run sheet writers now, quietly.

    Each fails again as it is collected, and Python would print that second failure (with a
    traceback) on stderr after hsdata's one-line error.
    """
    import gc
    import sys

    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


def resource_name(record_type: str) -> str:
    """'issueArea' -> 'issue-areas': the resource (and file) name of a record type."""
    return kebab_case(record_type) + "s"


def write_spreadsheet(
    out: Path,
    schema_set: SchemaSet,
    records: Mapping[str, Sequence[Any]] | None = None,
    descriptor: Mapping[str, Any] | None = None,
    *,
    format: str = "xlsx",
    force: bool = False,
) -> None:
    """Write a template (no records) or a filled spreadsheet, as XLSX or a folder of CSV.

    The workbook replaces ``out`` in one step; a folder of CSV files replaces an ``out`` that
    holds files only with ``force``. Raises :class:`~hsdata._files.OutputError` on write errors.
    """
    layout, rows = fill(schema_set, records or {})
    descriptor = descriptor if descriptor is not None else default_package(schema_set)
    if format == "xlsx":
        write_xlsx(out, layout, rows, descriptor)
    elif format == "csv":
        write_csv_folder(out, layout, rows, descriptor, force=force)
    else:
        raise ValueError(f"unknown spreadsheet format {format!r}: use 'xlsx' or 'csv'")
