"""Loading an hsdata data package into typed records: :func:`load`.

Loading validates first (with the same validator as ``hsdata validate``) and
refuses invalid data with one :class:`hsdata.InvalidDataError` that carries
the whole report. Loaded data sets are cached by where they came from and
the size and modification time of every file they were read from, so
loading the same unchanged package again neither re-reads nor re-validates
it; the :class:`Dataset` is immutable, so sharing it is safe.
"""

from __future__ import annotations

import contextvars
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import orjson

from .._errors import InvalidDataError
from .._i18n import tr, translated
from .._package import (
    UTF8_BOM,
    Package,
    ResourceFile,
    declared_dependencies,
    descriptor_of,
    is_archive,
    open_dependencies,
    open_package,
)
from .._paths import canonical_data_dir
from .._reporting import Report, clean, shown
from .._validator import check_package
from ._dataset import (
    Dataset,
    IssueAreaDigest,
    ParsedOnDemand,
    RangeMode,
    RecordCollection,
    adopt_index,
)
from ._exporters import (
    Exporter,
    conversion,
    exporters,
    find_exporter,
    register_conversion,
    register_exporter,
)

__all__ = [
    "Dataset",
    "Exporter",
    "IssueAreaDigest",
    "RangeMode",
    "RecordCollection",
    "clear_cache",
    "conversion",
    "exporters",
    "find_exporter",
    "load",
    "register_conversion",
    "register_exporter",
]

#: How many loaded data sets the cache keeps.
_CACHE_SIZE = 4
_cache: OrderedDict[tuple[Any, ...], Dataset] = OrderedDict()
_cache_lock = threading.Lock()

#: Issues listed in the message of an InvalidDataError (the report has them all).
_ISSUES_IN_MESSAGE = 10


def clear_cache() -> None:
    """Forget every data set loaded so far (the next :func:`load` reads and validates again)."""
    with _cache_lock:
        _cache.clear()


def _stat_key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return (str(path), stat.st_size, stat.st_mtime_ns)


def _read_records(file: ResourceFile) -> list[Any]:
    """The records of a resource file: parsed objects, or for JSON Lines the lines themselves.

    A line of JSON Lines is kept as bytes and parsed again when its record
    is asked for: a parsed record takes about ten times the memory of its
    text, and most uses of a large data set touch few of its records. The
    file has been validated, so it parses.
    """
    if file.json_lines:
        # Line by line, as the validator reads it: never the whole file and its lines at once.
        with file.path.open("rb") as handle:
            lines = [line.rstrip(b"\r\n") for line in handle if line.strip()]
        if lines:
            lines[0] = lines[0].removeprefix(UTF8_BOM)
        return lines if not lines or lines[0].strip() else lines[1:]
    records = orjson.loads(file.path.read_bytes().removeprefix(UTF8_BOM))
    assert isinstance(records, list)
    return records


def _message(location: str, report: Report) -> str:
    """The first errors, one per line, each part escaped so that no input can forge a line."""
    errors = report.errors
    lines: list[str] = [
        tr(
            "{location} is not valid hsdata: {count} error(s)",
            location=clean(location, 300),
            count=len(errors),
        )
    ]
    for issue in errors[:_ISSUES_IN_MESSAGE]:
        where = clean(issue.location, 300)
        if issue.pointer:
            where += f" {clean(issue.pointer, 200)}"
        if issue.record:
            where += " " + translated(tr("(record {id})", id=shown(issue.record)))
        lines.append(f"  {where}: [{issue.rule}] {clean(translated(issue.message), 1000)}")
    if len(errors) > _ISSUES_IN_MESSAGE:
        more = len(errors) - _ISSUES_IN_MESSAGE
        lines.append("  " + translated(tr("... and {count} more (see the report)", count=more)))
    # In the language of the run: an exception's text is read as it is.
    return "\n".join(translated(line) for line in lines)


#: The packages being loaded, outermost first: a dependency already among them (a cycle
#: of dependencies) is not loaded again, and references into it are not followed.
_loading: contextvars.ContextVar[tuple[Path, ...]] = contextvars.ContextVar(
    "hsdata_loading", default=()
)


def _dependency_datasets(
    package: Package,
    dependencies: Mapping[str, str | os.PathLike[str]] | None,
    allow_network: bool,
) -> dict[str, Dataset]:
    """The data sets of the packages ``package`` declares as dependencies, by prefix.

    Each is loaded (so validated) on its own; one that cannot be found was reported
    by the validator already and is left out.
    """
    if not declared_dependencies(package.descriptor):
        return {}
    datasets: dict[str, Dataset] = {}
    chain = _loading.get()
    with open_dependencies(package, dependencies, allow_network=allow_network) as opened:
        for prefix, found in opened.items():
            if found.source is None or not found.readable or found.package is None:
                continue
            if found.package.descriptor_path.resolve() in chain:
                continue
            datasets[prefix] = load(found.source, allow_network=allow_network)
    return datasets


def _load_package(
    package: Package,
    location: str,
    progress: Callable[[int], None] | None,
    dependencies: Mapping[str, str | os.PathLike[str]] | None = None,
    allow_network: bool = False,
) -> Dataset:
    """Validate a package the reader resolved, then read the very records the validator checked."""
    checked = check_package(
        package, progress=progress, dependencies=dependencies, allow_network=allow_network
    )
    report = package.relabel(checked.report)
    if not report.valid or checked.schema_set is None or package.descriptor is None:
        raise InvalidDataError(_message(location, report), report)
    records: dict[str, list[Any]] = {}
    starts: dict[str, list[int]] = {}  # where each file's records start, by record type
    for resource, record_type in package.records_of():
        items = records.setdefault(record_type, [])
        for file in resource.files:
            starts.setdefault(record_type, []).append(len(items))
            items.extend(_read_records(file))
        if resource.data is not None and not resource.files:
            starts.setdefault(record_type, []).append(len(items))
            items.extend(resource.data)
    token = _loading.set((*_loading.get(), package.descriptor_path.resolve()))
    try:
        linked = _dependency_datasets(package, dependencies, allow_network)
    finally:
        _loading.reset(token)
    dataset = Dataset(
        {record_type: ParsedOnDemand(items) for record_type, items in records.items()},
        schema_set=checked.schema_set,
        descriptor=package.descriptor,
        location=location,
        report=report,
        dependencies=linked,
    )
    for record_type, ordered in checked.identifiers.items():
        if record_type in records:
            adopt_index(dataset.records(record_type), ordered, starts[record_type])
    return dataset


def load(
    path: str | os.PathLike[str] | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    allow_network: bool = False,
    dependencies: Mapping[str, str | os.PathLike[str]] | None = None,
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

    A package that declares dependencies (``hsdata:dependencies``) is
    checked against their local copies, found as :func:`hsdata.validate`
    finds them (the declaration's ``path``, else ``dependencies[prefix]``),
    and each is loaded too: a reference ``prefix:id`` leads to the record
    in the dependency's data set (:attr:`Dataset.dependencies`).

    Nothing is fetched unless ``allow_network`` is true, and then only the
    extensions the package declares by URL, as :func:`hsdata.validate` does
    (and dependencies declared by URL that have no local copy).

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
    if is_archive(resolved):
        key: tuple[Any, ...] = ("zip", _stat_key(resolved))
        cached = _cached(key)
        if cached is not None:
            return cached
        with open_package(resolved, given=location, allow_network=allow_network) as package:
            dataset = _load_package(package, location, progress, dependencies, allow_network)
            # A data set linked to its dependencies is not kept: they may change on their own.
            return dataset if dataset.dependencies else _store(key, dataset)
    if descriptor_of(resolved) is None:
        raise ValueError(
            f"{given} is not a data package: hsdata.load() reads a package folder, its "
            "datapackage.json, or a .zip of the package (hsdata.validate() also checks "
            "loose files of records)"
        )
    with open_package(resolved, given=location, allow_network=allow_network) as package:
        stats: tuple[Any, ...] | None = None
        if package.readable:
            try:
                stats = (
                    "package",
                    _stat_key(package.descriptor_path),
                    *(_stat_key(f.path) for r, _ in package.records_of() for f in r.files),
                )
            except OSError:
                stats = None
        if declared_dependencies(package.descriptor):
            stats = None  # linked to its dependencies, which may change on their own
        if stats is not None and (cached := _cached(stats)) is not None:
            return cached
        dataset = _load_package(package, location, progress, dependencies, allow_network)
    return dataset if stats is None else _store(stats, dataset)


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
