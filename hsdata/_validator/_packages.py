"""The validator's package stage and its public entry point.

:func:`validate` decides what it was given (a package, a zipped package,
files of records, JSON Lines, nothing = the canonical package) and returns
one :class:`Report`. A package is read by the one package reader
(:mod:`hsdata._package`); :func:`check_package` then checks what the reader
could not: the Data Package specification (by frictionless), declared sizes
and hashes, every record of every resource, and citations against the source
texts the package holds (:mod:`._citations`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from .._cache import cached, digest_of
from .._i18n import tr
from .._package import (
    Package,
    RecordItem,
    display_path,
    is_archive,
    is_descriptor,
    open_dependencies,
    open_package,
    read_json_records,
)
from .._paths import canonical_data_dir
from .._reporting import Issue, Report, clean, make_issue, shown
from .._schemas import SchemaError, SchemaSet, available_versions
from ._citations import citation_issues
from ._dependencies import dependency_issues, dependency_resolver
from ._descriptor import descriptor_issues
from ._identifiers import prefixed_verdict  # also registers its record check
from ._locate import locate as _locate
from ._parallel import default_workers
from ._record_1_2 import check_english_text  # noqa: F401 (registers the checks 1.2 adds)
from ._record_files import validate_files
from ._run import Progress, _Run

#: What stands in for a refused resource path in the descriptor handed to frictionless.
_REMOVED_PATH = "removed-unsafe-path.json"


def _schema_version_arg(schema_version: str | None) -> str | None:
    if schema_version is not None and schema_version not in available_versions():
        raise SchemaError(
            tr(
                "hsdata {version} is not a published version of the standard; "
                "bundled versions: {versions}",
                version=schema_version,
                versions=", ".join(available_versions()),
            )
        )
    return schema_version


def _check_size_and_hash(
    resource: dict[str, Any], path: Path, display: str, where: dict[str, Any]
) -> list[Issue]:
    issues = []
    declared_bytes = resource.get("bytes")
    if isinstance(declared_bytes, int) and not isinstance(declared_bytes, bool):
        size = path.stat().st_size
        if size != declared_bytes:
            issues.append(
                make_issue(
                    "package-resource-bytes",
                    tr(
                        "{file} has {size:,} bytes, but the datapackage.json declares {declared:,}",
                        file=display,
                        size=size,
                        declared=declared_bytes,
                    ),
                    **{**where, "pointer": where["pointer"] + "/bytes"},
                )
            )
    declared_hash = resource.get("hash")
    if isinstance(declared_hash, str):
        algorithm, _, expected = declared_hash.rpartition(":")
        algorithm = (algorithm or "md5").lower()
        if algorithm not in ("md5", "sha1", "sha256", "sha512"):
            issues.append(
                make_issue(
                    "package-resource-hash",
                    tr(
                        "the hash algorithm {algorithm} is not one of md5, sha1, sha256, sha512",
                        algorithm=shown(algorithm),
                    ),
                    **{**where, "pointer": where["pointer"] + "/hash"},
                )
            )
        else:
            digest = hashlib.new(algorithm)
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            if digest.hexdigest() != expected.lower():
                issues.append(
                    make_issue(
                        "package-resource-hash",
                        tr(
                            "the {algorithm} checksum of {file} is {digest}, but the "
                            "datapackage.json declares {declared}",
                            algorithm=algorithm,
                            file=display,
                            digest=digest.hexdigest(),
                            declared=shown(expected),
                        ),
                        **{**where, "pointer": where["pointer"] + "/hash"},
                    )
                )
    return issues


def _frictionless_issues(descriptor: dict[str, Any], display: str) -> list[Issue]:
    """The Data Package specification's own checks, by frictionless (descriptor only).

    frictionless's answer depends on the descriptor and its own version alone, and
    importing and running it is most of a small package's run, so the answer is kept
    in hsdata's cache (see :mod:`hsdata._cache`) and frictionless is not even imported
    when the same descriptor was checked before.
    """
    try:
        key = digest_of(
            orjson.dumps(descriptor, option=orjson.OPT_SORT_KEYS),
            _frictionless_release(),
            "notes",  # the cache keeps frictionless's notes, the sentences are made here
        )
        notes = cached("frictionless-descriptor", key, lambda: _frictionless_messages(descriptor))
    except TypeError:  # a value orjson cannot write (a very large integer): not kept
        try:
            notes = _frictionless_messages(descriptor)
        except _Unchecked as unchecked:
            return [_unchecked_issue(unchecked, display)]
    except _Unchecked as unchecked:
        return [_unchecked_issue(unchecked, display)]
    return [
        make_issue(
            "package-descriptor-invalid",
            tr("the datapackage.json is not a valid Data Package: {note}", note=note),
            file=display,
            pointer="",
        )
        for note in notes
    ]


def _unchecked_issue(unchecked: _Unchecked, display: str) -> Issue:
    return make_issue(
        "package-descriptor-invalid",
        tr("the datapackage.json could not be checked: {error}", error=unchecked.args[0]),
        file=display,
        pointer="",
    )


class _Unchecked(Exception):
    """frictionless failed: its message (the argument) is reported, and never kept in the
    cache."""


def _frictionless_release() -> str:
    """Which frictionless is installed, told without importing it (that takes a second)."""
    spec = importlib.util.find_spec("frictionless")
    if spec is None or spec.origin is None:
        return "none"
    try:
        status = os.stat(spec.origin)
    except OSError:
        return spec.origin
    return f"{spec.origin} {status.st_size} {status.st_mtime_ns}"


def _frictionless_messages(descriptor: dict[str, Any]) -> list[str]:
    """What frictionless says is wrong with the descriptor, in its words (cleaned)."""
    import frictionless

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            report = frictionless.Package.validate_descriptor(descriptor)
        except Exception as exc:  # frictionless raises many kinds; none may escape
            raise _Unchecked(clean(str(exc), 300)) from exc
    notes = []
    for error in report.errors:
        note = getattr(error, "note", "") or getattr(error, "message", "")
        if "is not safe" in note:
            continue  # our own path checks report these, more precisely
        notes.append(clean(note, 300))
    return notes


@dataclass
class PackageCheck:
    """What checking a package gives: its report, the schemas it was checked against
    (extensions applied) and the identifiers of its records, by type, in reading order."""

    report: Report
    schema_set: SchemaSet | None
    identifiers: dict[str, dict[str, int]] = field(default_factory=dict)


def _for_frictionless(package: Package) -> dict[str, Any]:
    """The descriptor as frictionless should see it: refused paths replaced, one resource a shape.

    frictionless takes about a millisecond per resource, so a descriptor of
    100,000 resources would take minutes; but its checks of a resource look at
    the resource alone, and the names only for their uniqueness. So it is
    shown one resource of each shape (the resource with its name and path
    reduced to their kinds and the path's suffix), and every resource whose
    name another already has.
    """
    assert package.descriptor is not None
    refused = {r.index for r in package.resources if r.refused}
    listed = package.descriptor.get("resources")
    if not isinstance(listed, list):
        return package.descriptor
    shapes: set[str] = set()
    first_of_name: dict[str, int] = {}
    chosen: set[int] = set()
    for number, written in enumerate(listed):
        if not isinstance(written, dict):
            chosen.add(number)
            continue
        name = written.get("name")
        if isinstance(name, str):
            first = first_of_name.setdefault(name, number)
            if first != number:  # a repeated name: frictionless must see both holders
                chosen.update((first, number))
        shape = _shape_of(written)
        if shape not in shapes:
            shapes.add(shape)
            chosen.add(number)
    shown = [
        {**listed[n], "path": _REMOVED_PATH} if n in refused else listed[n] for n in sorted(chosen)
    ]
    if len(shown) == len(listed) and not refused:
        return package.descriptor
    return {**package.descriptor, "resources": shown}


def _shape_of(resource: dict[str, Any]) -> str:
    """A resource with its name and path reduced to their kinds (and the path's suffix)."""

    def kind(value: Any) -> Any:
        if isinstance(value, str):
            return ["text", Path(value).suffix.lower()]
        if isinstance(value, list):
            return [kind(v) for v in value]
        return value

    reduced = {**resource, "name": kind(resource.get("name")), "path": kind(resource.get("path"))}
    return json.dumps(reduced, sort_keys=True, default=str)


def check_package(
    package: Package,
    *,
    progress: Progress | None = None,
    workers: int | None = None,
    dependencies: Mapping[str, str | os.PathLike[str]] | None = None,
    allow_network: bool = False,
) -> PackageCheck:
    """Check a package the reader has resolved: descriptor, resources and every record.

    ``dependencies`` supplies local copies of declared dependencies by prefix, used
    when a declaration's own ``path`` holds none (see :mod:`._dependencies`).
    """
    if not package.readable:
        issues = list(package.issues)
        if package.descriptor is not None:  # read, but its version is not one hsdata has
            issues = _locate(issues, {package.shown: package.descriptor_path})
        return PackageCheck(Report(issues=tuple(issues), files=(package.shown,)), None)
    schema_set = package.schema_set
    assert schema_set is not None
    run = _Run(schema_set, progress, workers=workers or default_workers())
    run.add_file(package.shown, package.descriptor_path)
    for issue in package.issues:
        run._add(issue)
    for resource, record_type in package.records_of():
        if resource.refused:
            # Some of its records were not read: references to them cannot be judged.
            run.unreadable_types.add(record_type)
    for issue in _frictionless_issues(_for_frictionless(package), package.shown):
        run._add(issue)
    if package.descriptor is not None:
        for issue in descriptor_issues(package.descriptor, schema_set, package.shown):
            run._add(issue)
        # References 'prefix:id' to records of declared dependencies (1.2) are looked up
        # in the dependencies' local copies, read here once.
        with open_dependencies(package, dependencies, allow_network=allow_network) as opened:
            for issue in dependency_issues(opened, package.shown, allow_network=allow_network):
                run._add(issue)
        run.index.prefixed = prefixed_verdict(dependency_resolver(package.descriptor, opened))
    for resource, record_type in package.records_of():
        where = {"file": package.shown, "pointer": resource.pointer}
        for file in resource.files:
            run.add_file(file.shown, file.path, json_lines=file.json_lines)
            for issue in _check_size_and_hash(
                dict(resource.descriptor), file.path, file.shown, where
            ):
                run._add(issue)
            if file.json_lines:
                run.check_json_lines(file.path, file.shown, record_type)
            else:
                run.check_items(read_json_records(file.path, file.shown), file.shown, record_type)
        if resource.data is not None and not resource.files:
            data_pointer = f"{resource.pointer}/data"
            run.check_items(
                (
                    RecordItem(f"{data_pointer}/{i}", None, v, i, data_pointer)
                    for i, v in enumerate(resource.data)
                ),
                package.shown,
                record_type,
            )
    for issue in citation_issues(package):
        run._add(issue)
    return PackageCheck(run.finish(), schema_set, run.index.ids)


def validate_package(
    descriptor_path: Path,
    *,
    schema_version: str | None = None,
    schema_set: SchemaSet | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    allow_network: bool = False,
    shown_as: str | None = None,
) -> Report:
    """Validate a data package: its datapackage.json, its resources and their records.

    ``shown_as``, if given, is how reports name the package folder (such as
    ``pkg.zip!`` for a package unpacked from a zip); ``allow_network`` lets
    extensions declared by URL be fetched.
    """
    from .._package import read_package

    package = read_package(
        descriptor_path,
        schema_version=schema_version,
        schema_set=schema_set,
        allow_network=allow_network,
        shown_as=shown_as,
    )
    return check_package(package, progress=progress, workers=workers).report


def _not_found(display: str, shown_as: str) -> Report:
    return Report(
        issues=(
            make_issue(
                "input-not-found",
                tr("there is no file or folder {path}", path=shown(shown_as, 300)),
                file=display,
                unreadable=True,
            ),
        ),
        files=(display,),
    )


def validate(
    source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
    *,
    schema_version: str | None = None,
    record_type: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    allow_network: bool = False,
    dependencies: Mapping[str, str | os.PathLike[str]] | None = None,
) -> Report:
    """Validate hsdata data and return a :class:`~hsdata.Report`; never prints.

    ``source`` is a data package (its folder, its ``datapackage.json``, or a
    ``.zip`` holding it), a JSON file holding a list of records of one type, a JSON Lines file (one
    record per line, ``.jsonl`` or ``.ndjson``), a list of any of these, or
    None for the canonical package bundled with hsdata. The type of the
    records in a file comes from ``record_type`` or the file's name
    (``events.json``, ``issue-areas.jsonl``). Files given together are
    checked as one data set; each package is checked on its own.

    Every issue names its file, its JSON Pointer and, where the input is
    JSON, its line and column (found only for files that have issues). In a
    JSON Lines file, ``line`` is the record's line and ``pointer`` points
    into that record.

    A zipped package is unpacked into a private temporary folder, removed
    afterwards, once every entry has been checked (no absolute names, no
    '..', no links, no entry twice, no "zip bomb"); an archive refused or
    unreadable is an unreadable issue (``package-archive-unsafe``,
    ``package-archive-unreadable``). Its files are named as
    ``pkg.zip!/events.json``.

    A package may refer to records of the packages it declares in
    ``hsdata:dependencies`` (``hsca:canada``); each is read from a local
    copy: the declaration's ``path``, else ``dependencies[prefix]`` (a
    folder, datapackage.json or .zip).

    Nothing is fetched over the network unless ``allow_network`` is true,
    and then only the extensions a package declares by URL and the
    dependencies it declares by URL that have no local copy.

    ``schema_version`` chooses the version of the standard to check
    against; by default, the version the package declares (or, for files
    of records, the current version). Invalid data, even an unreadable file,
    is reported in the report (its ``exit_code`` is 2 when some input could
    not be read). Only an unknown ``schema_version`` argument raises
    :class:`~hsdata.SchemaError`, because nothing can be checked against it.

    A large JSON Lines file (4 MiB or more) is checked on ``workers``
    processes, by default the ``HSDATA_WORKERS`` environment variable or
    the number of cores; the report is the same whatever their number.
    ``progress``, if given, is called now and then with the number of
    records checked so far.

    >>> from hsdata import STANDARD_VERSION
    >>> report = validate()
    >>> report.valid, report.exit_code, report.schema_version == STANDARD_VERSION
    (True, <ExitCode.VALID: 0>, True)
    """
    version = _schema_version_arg(schema_version)
    if source is None:
        sources: list[Path] = [canonical_data_dir()]
        given = [display_path(sources[0])]
    elif isinstance(source, (str, os.PathLike)):
        sources = [Path(source)]
        given = [os.fspath(source)]
    else:
        sources = [Path(s) for s in source]
        given = [os.fspath(s) for s in source]
    reports: list[Report] = []
    loose: list[tuple[Path, str]] = []
    for path, shown_as in zip(sources, given, strict=True):
        display = clean(shown_as, 500)
        if not path.exists():
            reports.append(_not_found(display, shown_as))
        elif path.is_dir() or is_descriptor(path) or is_archive(path):
            with open_package(
                path, schema_version=version, allow_network=allow_network, given=shown_as
            ) as package:
                checked = check_package(
                    package,
                    progress=progress,
                    workers=workers,
                    dependencies=dependencies,
                    allow_network=allow_network,
                )
                reports.append(package.relabel(checked.report))
        else:
            loose.append((path, display))
    if loose:
        reports.append(
            validate_files(
                loose,
                record_type=record_type,
                schema_version=version,
                progress=progress,
                workers=workers,
            )
        )
    if len(reports) == 1:
        return reports[0]
    return Report.merge(reports)
