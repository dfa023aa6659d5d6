"""Spreadsheets: a template to fill in, and the import of a filled one back into JSON.

See :mod:`hsdata._spreadsheet._layout` for how records map onto sheets and
columns, and :mod:`hsdata._spreadsheet._reader` for how problems are located.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._errors import HsdataError
from .._extensions import ExtensionError, apply_extensions
from .._files import staged_folder, write_text
from .._i18n import tr
from .._package import open_package, read_records
from .._reporting import Issue, Report, clean
from .._schema_shapes import LanguageMap, Object, Shape
from .._schemas import SchemaSet, load_schema_set
from .._version import STANDARD_VERSION
from ._layout import Layout, build_layout, parse_header
from ._reader import (
    RULE_UNREADABLE,
    Place,
    UnreadableSpreadsheet,
    _Importer,
    read_csv_folder,
    read_xlsx,
)
from ._writer import PACKAGE_SHEET, SpreadsheetError, resource_name, write_spreadsheet

__all__ = ["SpreadsheetError", "import_spreadsheet", "write_template"]


def _read_package(
    package: Path, allow_network: bool
) -> tuple[dict[str, Any], dict[str, list[Any]], Path, SchemaSet]:
    """The descriptor, records by type, folder and schemas of a package, through the package reader.

    The package need not be valid (filling a template is how its problems get
    fixed), but every file must be readable: a refused path or a file that
    does not parse raises :class:`SpreadsheetError` naming the file and place.
    """
    with open_package(package, allow_network=allow_network, given=str(package)) as read:
        records: dict[str, list[Any]] = {}
        problems = list(read.issues) if not read.readable else []
        if read.readable:
            records, problems = read_records(read)
        if problems or read.descriptor is None or read.schema_set is None:
            first = problems[0] if problems else None
            where = first.location if first is not None else clean(str(package), 300)
            if first is not None and first.pointer:
                where += f" {clean(first.pointer, 200)}"
            reason = first.message if first is not None else tr("it is not a data package")
            cut = clean(reason, 500)
            cut = reason if cut == reason else cut  # a safe message stays one, to be translated
            if len(problems) > 1:
                raise SpreadsheetError(
                    tr(
                        "cannot read the package: {where}: {reason} (and {more} more problems); "
                        "validating the package gives the full report",
                        where=where,
                        reason=cut,
                        more=len(problems) - 1,
                    )
                )
            raise SpreadsheetError(
                tr(
                    "cannot read the package: {where}: {reason}; validating the package gives "
                    "the full report",
                    where=where,
                    reason=cut,
                )
            )
        return read.descriptor, records, read.folder, read.schema_set


def _extended(
    schema_set: SchemaSet,
    descriptor: dict[str, Any],
    package_dir: Path | None,
    extensions: Sequence[str],
    allow_network: bool,
) -> SchemaSet:
    """The schemas with the package's extensions, then the ones named by the caller.

    The caller's entries are bundled names, URLs, or folders relative to the
    current directory.
    """
    declared = list(descriptor.get("hsdata:extensions", []))
    result = schema_set
    if declared:
        result = apply_extensions(result, package_dir, declared, allow_network=allow_network)
    for entry in extensions:
        if entry in declared:
            continue
        path = Path(entry)
        if not path.exists():
            result = apply_extensions(result, None, [entry], allow_network=allow_network)
            continue
        folder = path.resolve()
        folder = folder.parent if folder.is_file() else folder
        result = apply_extensions(result, folder.parent, [folder.name])
    return result


def write_template(
    out: str | Path,
    *,
    package: str | Path | None = None,
    format: str = "xlsx",
    schema_set: SchemaSet | None = None,
    extensions: Sequence[str] = (),
    allow_network: bool = False,
    force: bool = False,
) -> None:
    """Write a spreadsheet template: an .xlsx workbook, or a folder of CSV files.

    With ``package`` (a datapackage.json or its folder) the sheets are filled
    with its records, ready to edit; the extensions the package declares, and
    any in ``extensions``, add their columns. Raises :class:`SpreadsheetError`
    when the package cannot be read or holds fields no column can hold, and
    :class:`~hsdata._files.OutputError` when ``out`` cannot be written (a
    folder of CSV files that already holds files is replaced only with
    ``force``). Every cell written is text or a number, never a formula.
    """
    descriptor: dict[str, Any] | None = None
    records: dict[str, list[Any]] = {}
    package_dir: Path | None = None
    package_schemas: SchemaSet | None = None
    if package is not None:
        descriptor, records, package_dir, package_schemas = _read_package(
            Path(package), allow_network
        )
    version = (descriptor or {}).get("hsdata:version") or STANDARD_VERSION
    if package_schemas is not None and schema_set is None:
        # The reader applied the package's own extensions already: add only the caller's.
        declared = (descriptor or {}).get("hsdata:extensions")
        extra = [e for e in extensions if not isinstance(declared, list) or e not in declared]
        extended = _extended(package_schemas, {}, package_dir, extra, allow_network)
    else:
        base = schema_set or load_schema_set(str(version))
        extended = _extended(base, descriptor or {}, package_dir, extensions, allow_network)
    if descriptor is None and extensions:
        from ._writer import default_package

        descriptor = {**default_package(extended), "hsdata:extensions": list(extensions)}
    write_spreadsheet(Path(out), extended, records, descriptor, format=format, force=force)


def _order(value: Any, shape: Shape) -> Any:
    """The value with its object keys in the schema's order (unknown keys last)."""
    if isinstance(shape, Object) and isinstance(value, dict):
        properties = dict(shape.properties)
        ordered = {k: _order(value[k], properties[k]) for k in properties if k in value}
        ordered.update({k: v for k, v in value.items() if k not in properties})
        return ordered
    if isinstance(value, list) and not isinstance(shape, Object | LanguageMap):
        item = getattr(shape, "item", None)
        return [_order(v, item) for v in value] if item is not None else value
    return value


def _layout_for_headers(schema_set: SchemaSet, sheets: dict[str, Any]) -> Layout:
    """The layout with, for each language-map field, the languages the headers use."""
    plain = build_layout(schema_set, default_languages=())
    languages: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
    for table in plain.tables:
        rows = sheets.get(table.name)
        if not rows:
            continue
        for cell in rows[0]:
            parsed = parse_header(str(cell.value))
            if parsed is None:
                continue
            path, language = parsed
            if language is None:
                continue
            key = (table.name, () if isinstance(table.item, LanguageMap) else path)
            languages[key] = (*languages.get(key, ()), language)
    return build_layout(schema_set, languages, default_languages=())


def resource_descriptor(schema_set: SchemaSet, record_type: str) -> dict[str, Any]:
    """The datapackage.json resource for a record type's file."""
    name = resource_name(record_type)
    title = str(schema_set.record_schema(record_type).get("title", record_type)) + "s"
    return {
        "name": name,
        "path": f"{name}.json",
        "format": "json",
        "mediatype": "application/json",
        "encoding": "utf-8",
        "title": title,
        "description": (
            f"hsdata {title.lower()} records: a JSON array of objects, each valid against the "
            f"{record_type} schema."
        ),
        "hsdata:recordType": record_type,
        "jsonSchema": schema_set.schema_id(record_type),
    }


def _write_json(path: Path, value: Any, root: Path) -> None:
    write_text(path, json.dumps(value, ensure_ascii=False, indent=2) + "\n", root=root)


def _unreadable(source: Path, exc: Exception) -> Report:
    """The one issue of a spreadsheet that cannot be read, at its file, sheet and cell if known."""
    if isinstance(exc, UnreadableSpreadsheet):
        message, file, place = exc.reason, exc.file, exc.place
    else:
        message = tr("cannot read {source}: {reason}", source=str(source), reason=str(exc))
        file, place = str(source), None
    issue = Issue(
        rule=RULE_UNREADABLE.id,
        severity=RULE_UNREADABLE.severity,
        message=message,
        file=file,
        docs_url=RULE_UNREADABLE.docs_url,
        unreadable=True,
    )
    if place is not None:
        issue = _Importer(source, file).relocate(issue, place)
    return Report(issues=(issue,), files=(str(source),))


def import_spreadsheet(
    source: str | Path,
    outdir: str | Path,
    *,
    schema_set: SchemaSet | None = None,
    allow_network: bool = False,
    validate: bool = True,
    force: bool = False,
    encoding: str | None = None,
) -> Report:
    """Turn a filled template (.xlsx, or a folder of CSV files) into an hsdata data package.

    Writes one JSON file per record type and a datapackage.json into
    ``outdir``, then validates them. Every problem is an issue located at its
    sheet, row and column (see :mod:`hsdata._spreadsheet._reader`). Nothing is
    written when a cell cannot be converted; records that convert but break a
    rule of the standard are written and reported.

    The files are written into a fresh folder beside ``outdir`` that takes its
    place at the end, so ``outdir`` holds the old files or the new ones, never
    a mix. An ``outdir`` that already holds files is replaced only with
    ``force``. Raises :class:`~hsdata._files.OutputError` when it cannot write.

    CSV files are read as UTF-8 unless ``encoding`` names another (such as
    ``cp1252``, what Excel's plain 'CSV' writes on Windows); nothing is guessed.
    A spreadsheet with no record, or still holding the template's example
    package name, is not imported.
    """
    source, outdir = Path(source), Path(outdir)
    importer = _Importer(source, str(source))
    try:
        sheets = read_csv_folder(source, encoding) if source.is_dir() else read_xlsx(source)
    except (OSError, ValueError) as exc:
        return _unreadable(source, exc)
    descriptor = importer.package(sheets)
    version = str(descriptor.get("hsdata:version") or STANDARD_VERSION)
    try:
        base = schema_set or load_schema_set(version)
        extended = _extended(base, descriptor, outdir, (), allow_network)
    except ExtensionError as exc:
        return Report(issues=exc.issues, files=(str(source),))
    except HsdataError as exc:
        importer.issue(RULE_UNREADABLE, str(exc), Place("package"))
        return Report(issues=tuple(importer.issues), files=(str(source),))
    layout = _layout_for_headers(extended, sheets)
    records = importer.records(sheets, layout)
    importer.no_records(records, layout)
    if any(issue.severity.value == "error" for issue in importer.issues):
        return Report(
            issues=tuple(sorted(importer.issues, key=Issue.sort_key)), files=(str(source),)
        )
    descriptor = {k: v for k, v in descriptor.items() if k != "resources"}
    descriptor["resources"] = [
        resource_descriptor(extended, record_type) for record_type in layout.record_types
    ]
    with staged_folder(outdir, force=force) as staging:
        for record_type in layout.record_types:
            shape = layout.main_table(record_type).item
            ordered = [_order(record, shape) for record in records[record_type]]
            _write_json(staging / f"{resource_name(record_type)}.json", ordered, staging)
        _write_json(staging / "datapackage.json", descriptor, staging)
    issues = list(importer.issues)
    if validate:
        issues += [_locate(importer, issue) for issue in _validate(outdir, allow_network)]
    return Report(
        issues=tuple(sorted(issues, key=Issue.sort_key)),
        files=(str(source),),
        records_checked=sum(len(r) for r in records.values()),
        schema_version=extended.version,
    )


def _validate(outdir: Path, allow_network: bool) -> list[Issue]:
    """Validate the written package with the validator (extensions by URL as allowed)."""
    from .._validator import validate

    report: Report = validate(outdir / "datapackage.json", allow_network=allow_network)
    return list(report.issues)


def _locate(importer: _Importer, issue: Issue) -> Issue:
    """The issue moved from the written JSON to the cell the value came from."""
    if issue.file is None or issue.pointer is None:
        return issue
    resource = Path(issue.file).name
    pointer = issue.pointer
    while True:
        place = importer.cells.get((resource, pointer))
        if place is not None:
            break
        if not pointer:
            if resource == "datapackage.json":  # the package as a whole: its sheet
                return importer.relocate(issue, Place(PACKAGE_SHEET))
            return issue
        pointer = pointer.rsplit("/", 1)[0]
    return importer.relocate(issue, Place(*place))
