"""What the page does with an uploaded file: check it, convert it, read its records.

Every function here is synchronous and runs in a worker thread. Reading goes
through the same code as the command line (the package reader, the
spreadsheet import, the validator), so an upload has the same defences
against hostile input as ``hsdata validate`` and ``hsdata import``: zip
entries checked before unpacking, workbooks read without formulas or
external entities, paths kept inside the package. Nothing is fetched over
the network.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .._files import write_bytes
from .._package import open_package, read_records
from .._reporting import Issue, Report, Severity, make_issue
from .._spreadsheet import import_spreadsheet, write_template
from .._validator import validate

#: The kinds of file the page checks, by the end of their name.
KINDS = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".zip": "zip",
    ".xlsx": "xlsx",
}
#: The most entries, and bytes once unpacked, of a zipped folder of CSV files.
MAX_CSV_ENTRIES = 200
MAX_CSV_BYTES = 512 * 1024 * 1024
_CHUNK = 1 << 16


class Refused(Exception):
    """The upload is not something the page checks (its reason is a plain sentence)."""


@dataclass(frozen=True)
class Outcome:
    """The report on one upload, and the data package it gave, if any."""

    display: str  # the file's name as uploaded, cleaned
    kind: str  # one of KINDS' values, or "csv" for a zipped folder of CSV files
    report: Report
    #: A datapackage.json, folder or zip the conversions read; None for a single file.
    package: Path | None
    #: Where the cells of a workbook came from: the spreadsheet places of issues are kept.
    spreadsheet: bool = False


def safe_name(filename: str | None) -> str:
    """A file name to store an upload under: its last part, letters, digits, '.', '-', '_'.

    The name matters: a JSON file's name says the type of its records
    (``events.json``). Anything else is replaced, so no upload names a path.
    """
    base = re.split(r"[\\/]", filename or "")[-1]
    base = re.sub(r"[^A-Za-z0-9._-]", "_", base).lstrip(".")[-100:]
    return base or "upload"


def kind_of(name: str) -> str:
    """The kind of an upload from its name; :class:`Refused` for any other file."""
    kind = KINDS.get(PurePosixPath(name.lower()).suffix)
    if kind is None:
        raise Refused(
            "this page checks JSON (.json), JSON Lines (.jsonl, .ndjson), zipped packages or "
            "folders of CSV files (.zip) and filled workbooks (.xlsx)"
        )
    return kind


def _relabel(report: Report, folder: Path, display: str) -> Report:
    """The report with the temporary folder's paths replaced by the upload's own name."""
    prefixes = sorted({str(folder), str(folder.resolve())}, key=len, reverse=True)

    def shown(text: str | None) -> str | None:
        if text is None or not any(prefix in text for prefix in prefixes):
            return text  # unchanged, so a translatable message stays one
        for prefix in prefixes:
            text = text.replace(prefix + "/upload/", "").replace(prefix + "/", "")
            text = text.replace(prefix, display)
        return text

    issues = tuple(
        dataclasses.replace(issue, file=shown(issue.file), message=shown(issue.message) or "")
        for issue in report.issues
    )
    files = tuple(str(shown(f)) for f in report.files)
    return dataclasses.replace(report, issues=issues, files=files)


def _zip_names(path: Path) -> list[str] | None:
    """The file names in a zip archive, or None when it is not one (the validator says why)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return [i.filename for i in archive.infolist() if not i.is_dir()][:10_000]
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def unzip_csv_folder(archive: Path, into: Path) -> Path:
    """Unpack a zipped folder of CSV files into ``into``; return the folder holding them.

    Only flat ``.csv`` entries (one folder deep at most) are taken, each
    name checked, the total counted while inflating: :class:`Refused` for
    anything else (a link, '..', an absolute name, too many or too large).
    """
    with zipfile.ZipFile(archive) as handle:
        infos = [i for i in handle.infolist() if not i.is_dir()]
        if len(infos) > MAX_CSV_ENTRIES:
            raise Refused(f"the zip holds more than {MAX_CSV_ENTRIES} files")
        total = 0
        for info in infos:
            parts = PurePosixPath(info.filename).parts
            unix_mode = info.external_attr >> 16
            if (
                not info.filename.lower().endswith(".csv")
                or len(parts) > 2
                or any(p in ("", ".", "..") or "\\" in p or ":" in p for p in parts)
                or info.filename.startswith("/")
                or (unix_mode & 0o170000) == 0o120000  # a symbolic link
                or info.flag_bits & 0x1
            ):
                raise Refused("the zip holds something other than the template's CSV files")
            target = into / safe_name(parts[-1])
            with handle.open(info) as source, target.open("xb") as sink:
                while chunk := source.read(_CHUNK):
                    total += len(chunk)
                    if total > MAX_CSV_BYTES:
                        raise Refused("the CSV files inflate to more than 512 MB")
                    sink.write(chunk)
    return into


def check_upload(path: Path, display: str, record_type: str | None = None) -> Outcome:
    """Check the file at ``path`` (inside its report's folder); never raises for bad data."""
    folder = path.parent.parent
    kind = kind_of(path.name)
    package: Path | None = None
    spreadsheet = False
    if kind == "xlsx":
        out = folder / "package"
        try:
            report = import_spreadsheet(path, out)
        except OSError as exc:  # the JSON could not be written: not the user's doing
            raise RuntimeError(f"cannot write the imported package: {exc.strerror}") from None
        package = out / "datapackage.json" if (out / "datapackage.json").is_file() else None
        spreadsheet = True
    elif kind == "zip":
        names = _zip_names(path)
        csv_only = bool(names) and all(n.lower().endswith(".csv") for n in names or ())
        if names is not None and csv_only:
            kind, spreadsheet = "csv", True
            csv_folder = folder / "csv"
            csv_folder.mkdir()
            unzip_csv_folder(path, csv_folder)
            out = folder / "package"
            report = import_spreadsheet(csv_folder, out)
            report = dataclasses.replace(
                report,
                issues=tuple(
                    dataclasses.replace(i, file=display if i.file == str(csv_folder) else i.file)
                    for i in report.issues
                ),
            )
            package = out / "datapackage.json" if (out / "datapackage.json").is_file() else None
        else:
            report = validate(path, workers=1)
            package = path if not any(i.unreadable for i in report.issues) else None
    else:
        report = validate(path, record_type=record_type or None, workers=1)
    report = _relabel(report, folder, display)
    return Outcome(display, kind, report, package, spreadsheet)


# -- places and values ---------------------------------------------------------------------


def column_letter(number: int) -> str:
    """A spreadsheet column's letters: 1 -> A, 28 -> AB."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


@dataclass(frozen=True)
class Place:
    """Where an issue is, in the words of its kind of file."""

    sheet: str | None = None
    cell: str | None = None  # "I4"
    header: str | None = None
    line: int | None = None
    column: int | None = None
    pointer: str | None = None


def place_of(issue: Issue, spreadsheet: bool) -> Place:
    """The sheet, cell and column header of a spreadsheet issue; the line and pointer of others.

    The spreadsheet import puts an issue's sheet, row and header in its
    pointer (``/actor/4/country``) and its row and column in line and column.
    """
    if spreadsheet and issue.pointer and issue.file and not issue.file.endswith(".json"):
        tokens = [_unescape(t) for t in issue.pointer.split("/")[1:]]
        sheet = tokens[0] if tokens else None
        row = issue.line
        cell = None
        if row is not None:
            cell = f"{column_letter(issue.column) if issue.column else ''}{row}"
        header = tokens[2] if len(tokens) > 2 else None
        return Place(sheet=sheet, cell=cell, header=header)
    return Place(line=issue.line, column=issue.column, pointer=issue.pointer)


def message_without_place(message: str, place: Place) -> str:
    """A spreadsheet issue's message without the 'sheet!A1 (header): ' it starts with.

    The page shows the place in a column of its own; the message says the rest.
    """
    if place.sheet is None:
        return message
    start = f"{place.sheet}!{place.cell}" if place.cell else place.sheet
    if place.header is not None and place.cell:
        start += f" ({place.header})"
    return message[len(start) + 2 :] if message.startswith(start + ": ") else message


def value_at(document: Any, pointer: str | None) -> tuple[bool, Any]:
    """(True, the value at a JSON Pointer) or (False, None) where there is none."""
    if pointer is None:
        return False, None
    node = document
    for token in (_unescape(t) for t in pointer.split("/")[1:] if pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False, None
    return True, node


# -- conversions ----------------------------------------------------------------------------

#: The downloads, by name: (file name ending, needs valid data).
DOWNLOADS = {"json": (".zip", False), "xlsx": (".xlsx", False), "csv": (".zip", True)}
DOWNLOADS["upgraded"] = (".zip", False)


def _zip_folder(folder: Path, target: Path) -> Path:
    """A zip of every file under ``folder`` (names relative to it), written atomically."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file() and not file.is_symlink():
                archive.write(file, file.relative_to(folder).as_posix())
    write_bytes(target, buffer.getvalue(), root=target.parent)
    return target


def make_download(outcome: Outcome, name: str, work: Path) -> Path:
    """Make the download ``name`` (a key of :data:`DOWNLOADS`) in ``work``; return its file.

    Raises :class:`Refused` with a plain reason when it cannot be made from
    this upload (an error the user can act on); ``work`` is the report's folder.
    """
    package = outcome.package
    if package is None:
        raise Refused(
            "conversions need a data package: a zipped package, a filled workbook or a zipped "
            "folder of CSV files"
        )
    base = re.sub(r"\.[A-Za-z]+\Z", "", outcome.display) or "data"
    suffix, needs_valid = DOWNLOADS[name]
    target = work / "downloads" / f"{base}-{name}{suffix}"
    target.parent.mkdir(exist_ok=True)
    scratch = work / f"scratch-{name}"
    shutil.rmtree(scratch, ignore_errors=True)
    if needs_valid and not outcome.report.valid:
        raise Refused("CSV tables need valid data: correct the errors first")
    try:
        if name == "json":
            if package.suffix == ".zip":
                write_bytes(target, package.read_bytes(), root=target.parent)
                return target
            return _zip_folder(package.parent, target)
        if name == "xlsx":
            write_template(target, package=package)
            return target
        if name == "csv":
            from .._export import write_csv_package
            from .._loader import load

            write_csv_package(load(package), scratch)
            return _zip_folder(scratch, target)
        from .._upgrade import upgrade

        result = upgrade(package, output=scratch, validate_result=False)
        if result.exit_code == 2:
            first = next(iter(result.issues), None)
            raise Refused(first.message if first is not None else "the upgrade could not be made")
        if not scratch.is_dir() or not any(scratch.iterdir()):
            raise Refused(
                f"the data already follows the newest version of the standard, "
                f"{result.target_version}: there is nothing to upgrade"
            )
        return _zip_folder(scratch, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# -- the records of a package, to explore ---------------------------------------------------


def package_records(package: Path) -> dict[str, list[dict[str, Any]]]:
    """Every record of a readable package, by type, read by the package reader."""
    with open_package(package, given=package.name) as read:
        if not read.readable:
            return {}
        records, _problems = read_records(read)
    return {kind: [r for r in found if isinstance(r, dict)] for kind, found in records.items()}


def severity_order(issue: Issue) -> tuple[int, str, str, tuple[str, int, int, str, str]]:
    """Errors before warnings, then by file, rule and place."""
    return (
        0 if issue.severity is Severity.ERROR else 1,
        issue.file or "",
        issue.rule,
        issue.sort_key(),
    )


def refusal_report(display: str, reason: str) -> Report:
    """A report of one unreadable issue: the upload is not a file the page can check."""
    issue = make_issue("input-usage", f"{display}: {reason}", file=display, unreadable=True)
    return Report(issues=(issue,), files=(display,))


def counts_by_type(records: Mapping[str, list[dict[str, Any]]]) -> dict[str, int]:
    return {kind: len(found) for kind, found in records.items() if found}
