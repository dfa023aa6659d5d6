"""Compiling a series of dated releases of one package into current records with their history.

A package whose descriptor gives ``hsdata:published`` is one **release**.
Releases of one namespace (``hsdata:namespace``), given oldest first, compile
into the current package and a history per record URI (design §6, the model
of OCDS records, with whole records as the unit):

- a record is named across releases by its URI, ``namespace + collection +
  "/" + id``, where the collection is the plural of its type's file name in
  the standard (``actors``, ``issue-areas``);
- the newest release that holds a record gives its current form: the
  publisher restates whole records, so nothing is merged field by field
  (records are statements of sources, not deltas); a record missing from a
  release after being in the one before is ``removed`` at that release, so
  the current records are those of the newest release;
- the history lists, per record URI, each release where the record was
  ``added``, ``changed`` (with the JSON Pointers of the fields that changed,
  found by :mod:`hsdata._diff`) or ``removed``. A release where a record did
  not change adds nothing to its history.

The compiled package is the newest release's descriptor and records (one
JSON file per record type, the source texts it holds copied) plus the
resource ``record-history`` (``record-history.json``, marked
``"hsdata:recordType": "recordHistory"``): a plain JSON resource, not a record
type, which readers of records pass over::

    {"namespace": "https://example.org/ns/",
     "releases": [{"published": "...", "version": "1.0.0", "name": "..."}, ...],
     "records": {"https://example.org/ns/actors/canada": [
         {"published": "...", "version": "1.0.0", "change": "added", "fields": []},
         {"published": "...", "version": "1.1.0", "change": "changed", "fields": ["/name/fr"]}]}}

Releases out of date order, of different namespaces, without a publication
date, or that cannot be read raise :class:`CompileError`, which names the
release and says why.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from os import PathLike, fspath
from pathlib import Path
from typing import Any, Literal

import orjson

from ._diff import compare_values, identical, keyed_records
from ._errors import HsdataError
from ._files import staged_folder, write_bytes
from ._package import open_package, plain_file_name, read_records, read_source_text
from ._reporting import clean, shown
from ._schemas import kebab_case

__all__ = [
    "HISTORY_FILE",
    "CompileError",
    "CompiledReleases",
    "HistoryEntry",
    "Release",
    "compile_releases",
    "record_uri",
]

#: The file (and, without its suffix, the resource name) of the history in a compiled package.
HISTORY_FILE = "record-history.json"
_HISTORY_RESOURCE = "record-history"
#: Resource fields that say how records are stored; a compiled resource gets its own.
_STORAGE_FIELDS = frozenset({"path", "data", "bytes", "hash", "format", "mediatype", "encoding"})


class CompileError(HsdataError):
    """The releases cannot be compiled: one cannot be read, or they are not one dated series."""


@dataclass(frozen=True)
class Release:
    """One release as the compilation saw it."""

    given: str
    """How the release was named on the command line or in the call."""
    name: str | None
    version: str | None
    published: str
    namespace: str


@dataclass(frozen=True)
class HistoryEntry:
    """What one release did to one record."""

    published: str
    version: str | None
    change: Literal["added", "changed", "removed"]
    fields: tuple[str, ...] = ()
    """The JSON Pointers of the fields that changed (empty when added or removed)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "published": self.published,
            "version": self.version,
            "change": self.change,
            "fields": list(self.fields),
        }


def collection_of(record_type: str) -> str:
    """The collection of a record type in record URIs: its file name in the standard, plural.

    >>> collection_of("issueArea"), collection_of("actor")
    ('issue-areas', 'actors')
    """
    return kebab_case(record_type) + "s"


def record_uri(namespace: str, record_type: str, record_id: str) -> str:
    """The URI of a record (design §2).

    >>> record_uri("https://w3id.org/hsdata/data/canonical/", "actor", "canada")
    'https://w3id.org/hsdata/data/canonical/actors/canada'
    """
    return f"{namespace}{collection_of(record_type)}/{record_id}"


@dataclass
class CompiledReleases:
    """Releases compiled: the current package and each record's history; see the module."""

    releases: tuple[Release, ...]
    descriptor: dict[str, Any]
    """The newest release's descriptor, as it is written (resources included)."""
    records: dict[str, list[Any]]
    """The current records by type: those of the newest release."""
    history: dict[str, list[HistoryEntry]]
    """Per record URI, in URI order, what each release did to the record."""
    texts: dict[str, bytes] = field(default_factory=dict)
    """The source texts the newest release holds, by file name, copied into the package."""

    @property
    def namespace(self) -> str:
        return self.releases[-1].namespace

    def history_document(self) -> dict[str, Any]:
        """The content of ``record-history.json``."""
        return {
            "namespace": self.namespace,
            "releases": [
                {"published": r.published, "version": r.version, "name": r.name}
                for r in self.releases
            ],
            "records": {
                uri: [entry.to_dict() for entry in entries] for uri, entries in self.history.items()
            },
        }

    def write(self, output: str | PathLike[str], *, force: bool = False) -> Path:
        """Write the compiled package into the folder ``output``, all at once (atomically).

        An existing folder that holds files is refused unless ``force``. Raises
        :class:`hsdata.OutputError` when it cannot be written.
        """
        target = Path(fspath(output))
        with staged_folder(target, force=force) as folder:
            for name, data in self.texts.items():
                write_bytes(folder / name, data, root=folder)
            for resource in self.descriptor["resources"]:
                path = resource["path"]
                if path == HISTORY_FILE:
                    content: Any = self.history_document()
                else:
                    content = self.records[resource["hsdata:recordType"]]
                write_bytes(folder / path, _json(content), root=folder)
            write_bytes(folder / "datapackage.json", _json(self.descriptor), root=folder)
        return target


def _json(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"


# -- reading the releases -------------------------------------------------------------------------


@dataclass
class _Read:
    release: Release
    descriptor: dict[str, Any]
    resources: list[tuple[dict[str, Any], str]]
    records: dict[str, list[Any]]
    texts: dict[str, bytes]


def _published(value: Any, given: str) -> str:
    if not isinstance(value, str):
        raise CompileError(
            f"{shown(given, 300)} is not a release: its datapackage.json has no "
            "hsdata:published date (when the release was published, such as "
            "'2026-12-01T00:00:00Z')"
        )
    try:
        datetime.datetime.fromisoformat(value)
    except ValueError:
        raise CompileError(
            f"{shown(given, 300)} gives hsdata:published {shown(value)}, which is not a date "
            "and time such as '2026-12-01T00:00:00Z'"
        ) from None
    return value


def _moment(published: str) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(published)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def _read(source: str | PathLike[str], allow_network: bool) -> _Read:
    given = fspath(source)
    path = Path(given)
    if not path.exists():
        raise CompileError(f"there is no file or folder {shown(given, 300)}")
    with open_package(path, given=given, allow_network=allow_network) as package:
        problems = list(package.issues if not package.readable else ())
        if package.readable:
            records, problems = read_records(package)
        if problems or package.descriptor is None:
            first = problems[0] if problems else None
            why = (
                f"{clean(first.location, 300)}: {clean(first.message, 500)}"
                if first is not None
                else "its datapackage.json cannot be read"
            )
            raise CompileError(f"cannot read the release {shown(given, 300)}: {why}")
        descriptor = package.descriptor
        namespace = descriptor.get("hsdata:namespace")
        if not isinstance(namespace, str):
            raise CompileError(
                f"{shown(given, 300)} has no hsdata:namespace, so its records have no URIs "
                "to follow from release to release"
            )
        name, version = descriptor.get("name"), descriptor.get("version")
        release = Release(
            given,
            name if isinstance(name, str) else None,
            version if isinstance(version, str) else None,
            _published(descriptor.get("hsdata:published"), given),
            namespace,
        )
        resources = [(dict(r.descriptor), t) for r, t in package.records_of()]
        texts = {}
        for record in records.get("source", ()):
            file_name = record.get("fileName") if isinstance(record, dict) else None
            if not plain_file_name(file_name) or file_name in texts:
                continue
            assert isinstance(file_name, str)
            found = read_source_text(package.folder, package.folder.resolve(), file_name)
            if found is not None and found.text is not None:
                texts[file_name] = (package.folder / file_name).read_bytes()
        return _Read(release, descriptor, resources, records, texts)


def _check_series(releases: Sequence[Release]) -> None:
    first = releases[0]
    for release in releases[1:]:
        if release.namespace != first.namespace:
            raise CompileError(
                f"the releases are of different namespaces: {shown(first.given, 300)} names its "
                f"records under {shown(first.namespace)}, {shown(release.given, 300)} under "
                f"{shown(release.namespace)}; only releases of one package compile together"
            )
    for before, after in itertools.pairwise(releases):
        if _moment(after.published) <= _moment(before.published):
            raise CompileError(
                f"the releases are not in date order: {shown(after.given, 300)} (published "
                f"{shown(after.published)}) comes after {shown(before.given, 300)} (published "
                f"{shown(before.published)}); give them oldest first, each published later "
                "than the one before"
            )


# -- compiling ------------------------------------------------------------------------------------


def _history(reads: Sequence[_Read]) -> dict[str, list[HistoryEntry]]:
    """Per record URI, what each release did to it, compared with the release before."""
    history: dict[str, list[HistoryEntry]] = {}
    previous: dict[str, dict[tuple[str | None, int], Any]] = {}
    for read in reads:
        release = read.release
        types = sorted(previous.keys() | read.records.keys())
        current: dict[str, dict[tuple[str | None, int], Any]] = {}
        for record_type in types:
            keyed = current[record_type] = keyed_records(read.records.get(record_type, ()))
            before = previous.get(record_type, {})
            for key in sorted(before.keys() | keyed.keys(), key=lambda k: (str(k[0]), k[1])):
                record_id, occurrence = key
                if record_id is None or occurrence:
                    continue  # no URI (no id), or a repeated id: invalid data, not followed
                uri = record_uri(release.namespace, record_type, record_id)
                entry = _entry(
                    release, before.get(key), keyed.get(key), key in before, key in keyed
                )
                if entry is not None:
                    history.setdefault(uri, []).append(entry)
        previous = current
    return dict(sorted(history.items()))


def _entry(release: Release, old: Any, new: Any, in_old: bool, in_new: bool) -> HistoryEntry | None:
    if in_new and not in_old:
        return HistoryEntry(release.published, release.version, "added")
    if in_old and not in_new:
        return HistoryEntry(release.published, release.version, "removed")
    if identical(old, new):
        return None
    changed = tuple(change.pointer for change in compare_values(old, new))
    if not changed:
        return None
    return HistoryEntry(release.published, release.version, "changed", changed)


def _compiled_descriptor(newest: _Read) -> dict[str, Any]:
    """The newest descriptor with one JSON resource per record type and the history resource."""
    descriptor = {k: v for k, v in newest.descriptor.items() if k != "resources"}
    resources: list[dict[str, Any]] = []
    seen: set[str] = set()
    for written, record_type in newest.resources:
        if record_type in seen:
            continue  # the records of several resources of one type go into one file
        seen.add(record_type)
        kept = {k: v for k, v in written.items() if k not in _STORAGE_FIELDS}
        name = collection_of(record_type)
        resources.append(
            {
                **kept,
                "name": kept.get("name", name),
                "hsdata:recordType": record_type,
                "path": f"{name}.json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
            }
        )
    resources.append(
        {
            "name": _HISTORY_RESOURCE,
            "hsdata:recordType": "recordHistory",
            "path": HISTORY_FILE,
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            "title": "Record history",
            "description": "What each release did to each record, by record URI: added, "
            "changed (with the JSON Pointers of the changed fields) or removed. Compiled by "
            "'hsdata compile' from the releases listed under 'releases'; not a record type.",
        }
    )
    descriptor["resources"] = resources
    return descriptor


def compile_releases(
    paths: Iterable[str | PathLike[str]], *, allow_network: bool = False
) -> CompiledReleases:
    """Compile dated releases of one package, oldest first, into current records with history.

    Each path is a release: a package folder, its datapackage.json or a .zip,
    whose descriptor gives ``hsdata:published`` and ``hsdata:namespace``.
    Returns a :class:`CompiledReleases`; its :meth:`~CompiledReleases.write`
    writes the current package with ``record-history.json``. Raises
    :class:`CompileError` when a release cannot be read, has no publication
    date or namespace, or the releases are of different namespaces or not in
    date order. Nothing is fetched unless ``allow_network`` (extensions
    declared by URL).

    >>> from hsdata._paths import canonical_data_dir
    >>> compiled = compile_releases([canonical_data_dir()])
    >>> compiled.history["https://w3id.org/hsdata/data/canonical/actors/canada"][0].change
    'added'
    """
    given = list(paths)
    if not given:
        raise CompileError("no release to compile: name at least one package")
    reads = [_read(path, allow_network) for path in given]
    _check_series([read.release for read in reads])
    newest = reads[-1]
    return CompiledReleases(
        releases=tuple(read.release for read in reads),
        descriptor=_compiled_descriptor(newest),
        records={t: list(r) for t, r in newest.records.items()},
        history=_history(reads),
        texts=dict(newest.texts),
    )
