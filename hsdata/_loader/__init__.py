"""Loading an hsdata data package into typed records: :func:`load`.

Loading validates first (with the same validator as ``hsdata validate``) and
refuses invalid data with one :class:`hsdata.InvalidDataError` that carries
the whole report. Loaded data sets are cached by where they came from and
the size and modification time of every file they were read from, so
loading the same unchanged package again neither re-reads nor re-validates
it; the :class:`Dataset` is immutable, so sharing it is safe.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import orjson

from .._errors import InvalidDataError
from .._package._archive import ArchiveRefused, extract_package, relabel, temporary_folder
from .._paths import canonical_data_dir
from .._reporting import Report, clean, shown
from .._schemas import camel_case, load_schema_set
from .._version import STANDARD_VERSION
from ._dataset import (
    Dataset,
    IssueAreaDigest,
    ParsedOnDemand,
    RangeMode,
    RecordCollection,
    adopt_index,
)

__all__ = ["Dataset", "IssueAreaDigest", "RangeMode", "RecordCollection", "clear_cache", "load"]

#: How many loaded data sets the cache keeps.
_CACHE_SIZE = 4
_cache: OrderedDict[tuple[Any, ...], Dataset] = OrderedDict()
_cache_lock = threading.Lock()

_JSON_LINES = (".jsonl", ".ndjson")
#: The validator reads a file that starts with a byte order mark (with a warning); so must the
#: loader, which orjson alone would refuse.
_UTF8_BOM = b"\xef\xbb\xbf"
#: Issues listed in the message of an InvalidDataError (the report has them all).
_ISSUES_IN_MESSAGE = 10


def clear_cache() -> None:
    """Forget every data set loaded so far (the next :func:`load` reads and validates again)."""
    with _cache_lock:
        _cache.clear()


def _stat_key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return (str(path), stat.st_size, stat.st_mtime_ns)


def _descriptor_of(path: Path) -> Path:
    """The datapackage.json named by a folder or file path.

    A folder gives its datapackage.json even when there is none: the
    validator then reports that the folder is not a package.
    """
    if path.is_dir():
        return path / "datapackage.json"
    if not path.name.lower().endswith("datapackage.json"):
        raise ValueError(
            f"{path} is not a data package: hsdata.load() reads a package folder, its "
            "datapackage.json, or a .zip of the package (hsdata.validate() also checks "
            "loose files of records)"
        )
    return path


def _read_descriptor(descriptor: Path) -> dict[str, Any]:
    from .._package import _input

    if descriptor.stat().st_size > _input.MAX_DOCUMENT_BYTES:
        # Too large to read whole: the validator refuses it (json-too-large), unread.
        raise ValueError(f"{descriptor} is too large to read")
    data = orjson.loads(descriptor.read_bytes().removeprefix(_UTF8_BOM))
    if not isinstance(data, dict):
        raise ValueError(f"{descriptor} does not hold a JSON object")
    return data


def _resource_files(
    descriptor: Path, data: Mapping[str, Any]
) -> list[tuple[Path, Mapping[str, Any]]]:
    """The local files of the package's resources, in order.

    Validation refuses packages whose paths leave the folder; this check
    repeats it so that the loader never reads outside the package even if
    called on its own.
    """
    root = descriptor.parent.resolve()
    files: list[tuple[Path, Mapping[str, Any]]] = []
    for resource in data.get("resources", ()):
        if not isinstance(resource, dict):
            continue
        paths = resource.get("path")
        for relative in paths if isinstance(paths, list) else [paths]:
            if not isinstance(relative, str) or "://" in relative:
                continue
            path = (root / relative).resolve()
            if path.is_relative_to(root):
                files.append((path, resource))
    return files


def _record_type_of(resource: Mapping[str, Any], record_types: tuple[str, ...]) -> str | None:
    declared = resource.get("hsdata:recordType")
    if isinstance(declared, str) and declared in record_types:
        return declared
    name = resource.get("name")
    if isinstance(name, str):
        singular = camel_case(name[:-1] if name.endswith("s") else name)
        if singular in record_types:
            return singular
    return None


def _read_records(path: Path, resource: Mapping[str, Any]) -> list[Any]:
    """The records of a resource: parsed objects, or for JSON Lines the lines themselves.

    A line of JSON Lines is kept as bytes and parsed again when its record
    is asked for: a parsed record takes about ten times the memory of its
    text, and most uses of a large data set touch few of its records.
    """
    if path.suffix.lower() in _JSON_LINES or resource.get("format") in ("jsonl", "ndjson"):
        # Line by line, as the validator reads it: never the whole file and its lines at once.
        with path.open("rb") as handle:
            lines = [line.rstrip(b"\r\n") for line in handle if line.strip()]
        if lines:
            lines[0] = lines[0].removeprefix(_UTF8_BOM)
        return lines if not lines or lines[0].strip() else lines[1:]
    raw = path.read_bytes().removeprefix(_UTF8_BOM)
    records = orjson.loads(raw)
    if not isinstance(records, list):
        raise ValueError(f"{path} does not hold a JSON array of records")
    return records


def _message(location: str, report: Report) -> str:
    """The first errors, one per line, each part escaped so that no input can forge a line."""
    errors = report.errors
    lines = [f"{clean(location, 300)} is not valid hsdata: {len(errors)} error(s)"]
    for issue in errors[:_ISSUES_IN_MESSAGE]:
        where = clean(issue.location, 300)
        if issue.pointer:
            where += f" {clean(issue.pointer, 200)}"
        if issue.record:
            where += f" (record {shown(issue.record)})"
        lines.append(f"  {where}: [{issue.rule}] {clean(issue.message, 1000)}")
    if len(errors) > _ISSUES_IN_MESSAGE:
        lines.append(f"  ... and {len(errors) - _ISSUES_IN_MESSAGE} more (see the report)")
    return "\n".join(lines)


def _validate(
    descriptor: Path,
    progress: Callable[[int], None] | None,
    identifiers: dict[str, dict[str, int]] | None = None,
) -> Report:
    # Imported here: the validator is a sibling subsystem and loading it is not free.
    from .._validator import validate
    from .._validator._packages import validate_package

    if identifiers is not None and descriptor.is_file():
        return validate_package(descriptor, progress=progress, identifiers=identifiers)
    return validate(descriptor, progress=progress)


def _relabel(report: Report, folder: Path, archive: Path) -> Report:
    """Show files unpacked from an archive as 'archive.zip!/name', not as temporary paths."""
    return relabel(report, folder, str(archive))


def _load_descriptor(
    descriptor: Path,
    location: str,
    progress: Callable[[int], None] | None,
    archive: Path | None = None,
) -> Dataset:
    identifiers: dict[str, dict[str, int]] = {}
    report = _validate(descriptor, progress, identifiers)
    if archive is not None:
        report = _relabel(report, descriptor.parent, archive)
    if not report.valid:
        raise InvalidDataError(_message(location, report), report)
    data = _read_descriptor(descriptor)
    version = data.get("hsdata:version") or report.schema_version or STANDARD_VERSION
    schema_set = load_schema_set(str(version))
    declared = data.get("hsdata:extensions")
    if declared:
        # The same extended schemas the validator used, so that references an
        # extension adds are navigable too.
        from .._extensions import apply_extensions

        schema_set = apply_extensions(schema_set, descriptor.parent, declared)
    records: dict[str, list[Any]] = {}
    starts: dict[str, list[int]] = {}  # where each file's records start, by record type
    for path, resource in _resource_files(descriptor, data):
        record_type = _record_type_of(resource, schema_set.record_types)
        if record_type is not None:
            items = records.setdefault(record_type, [])
            starts.setdefault(record_type, []).append(len(items))
            items.extend(_read_records(path, resource))
    dataset = Dataset(
        {record_type: ParsedOnDemand(items) for record_type, items in records.items()},
        schema_set=schema_set,
        descriptor=data,
        location=location,
        report=report,
    )
    for record_type, ordered in identifiers.items():
        if record_type in records:
            adopt_index(dataset.records(record_type), ordered, starts[record_type])
    return dataset


def load(
    path: str | os.PathLike[str] | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> Dataset:
    """Load and validate an hsdata data package; give back its typed records.

    ``path`` is a package folder, its ``datapackage.json``, or a ``.zip`` of
    the package; leave it out for the canonical data set bundled with hsdata.
    A zip is unpacked into a private temporary folder, entry by entry, after
    checking that no entry is absolute, climbs out with '..' or is a link,
    and that it does not inflate beyond 2 GiB or 200 times its size.

    The package is validated first. Invalid data (or an unsafe or unreadable
    zip, or a folder with no datapackage.json) raises
    :class:`hsdata.InvalidDataError`, whose message lists the first errors
    and whose ``report`` holds them all (``report.exit_code`` is 2 when
    something could not be read at all, else 1). A path that does not exist
    raises :class:`FileNotFoundError`; a file that is neither a
    datapackage.json nor a zip raises :class:`ValueError`.

    Loading the same unchanged files again gives back the same
    :class:`Dataset` without reading or validating anything. ``progress``,
    if given, is called now and then with the number of records validated.

    A worked example with the canonical data set:

    >>> import hsdata
    >>> ds = hsdata.load()
    >>> lysoen = ds.partnerships["lysoen-partnership"]
    >>> str(lysoen.name), lysoen.name.get("fr")
    ('Lysøen Partnership', 'Partenariat de Lysøen')
    >>> [(m.actor.id, m.role, str(m.joined)) for m in lysoen.members]
    [('canada', 'party', '1998-05-11'), ('norway', 'party', '1998-05-11')]
    >>> [p.id for p in ds.actors["norway"].partnerships]
    ['lysoen-partnership', 'extended-human-security-partnership', 'human-security-network']
    >>> retreat = ds.events["lysoen-ministerial-retreat-1999"]
    >>> retreat.date.start.precision, retreat.earliest, retreat.latest
    (<Precision.MONTH: 'month'>, datetime.date(1999, 2, 1), datetime.date(1999, 2, 28))
    >>> [(e.id, str(e.date)) for e in lysoen.timeline()]  # doctest: +NORMALIZE_WHITESPACE
    [('lysoen-declaration-signing-1998', '1998-05-11'),
     ('lysoen-senior-officials-meeting-1998', '1998-12'),
     ('lysoen-ministerial-retreat-1999', '1999-02')]
    >>> retreat.citations[0].source.id
    'human-security-concept-and-action'
    >>> hsdata.load() is ds   # unchanged files: nothing is read or validated again
    True
    """
    given = canonical_data_dir() if path is None else Path(os.fspath(path))
    resolved = given.resolve()
    location = str(given)
    if not resolved.exists():
        raise FileNotFoundError(f"no such file or folder: {given}")
    if resolved.is_file() and resolved.suffix.lower() == ".zip":
        key: tuple[Any, ...] = ("zip", _stat_key(resolved))
        cached = _cached(key)
        if cached is not None:
            return cached
        with temporary_folder() as folder:
            try:
                descriptor = extract_package(resolved, Path(folder))
            except ArchiveRefused as refused:
                raise InvalidDataError(_message(location, refused.report), refused.report) from None
            dataset = _load_descriptor(descriptor, location, progress, archive=given)
        return _store(key, dataset)

    descriptor = _descriptor_of(resolved)
    try:
        data = _read_descriptor(descriptor)
        stats = [_stat_key(descriptor)] + [
            _stat_key(p) for p, _ in _resource_files(descriptor, data) if p.is_file()
        ]
    except (OSError, ValueError):
        # Not readable as a package: the validator says exactly why.
        stats = None
    if stats is not None:
        key = ("package", *stats)
        cached = _cached(key)
        if cached is not None:
            return cached
    dataset = _load_descriptor(descriptor, location, progress)
    return dataset if stats is None else _store(("package", *stats), dataset)


def _cached(key: tuple[Any, ...]) -> Dataset | None:
    with _cache_lock:
        dataset = _cache.get(key)
        if dataset is not None:
            _cache.move_to_end(key)
        return dataset


def _store(key: tuple[Any, ...], dataset: Dataset) -> Dataset:
    with _cache_lock:
        _cache[key] = dataset
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return dataset
