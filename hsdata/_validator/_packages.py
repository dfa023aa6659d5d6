"""The validator's package stage and its public entry point.

:func:`validate` decides what it was given (a package, a zipped package,
files of records, JSON Lines, nothing = the canonical package) and returns
one :class:`Report`; :func:`validate_package` checks a package's
``datapackage.json``, its resources and their records.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from .._package._input import RecordItem, read_json_object, read_json_records
from .._paths import canonical_data_dir
from .._reporting import Issue, Report, clean, make_issue, shown
from .._schemas import SchemaError, SchemaSet, available_versions, camel_case, load_schema_set
from .._version import STANDARD_VERSION
from ._parallel import default_workers
from ._locate import JSON_LINES_SUFFIXES as _JSON_LINES_SUFFIXES
from ._locate import locate as _locate
from ._record_files import validate_files
from ._run import Progress, _display, _join_display, _Run

_SCHEMA_URL = re.compile(
    r"^https://w3id\.org/hsdata/schema/([0-9]+\.[0-9]+)/([a-z][a-z-]*)\.json\Z"
)
_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]+:|//)")
_ABSOLUTE = re.compile(r"^(?:[/\\]|[A-Za-z]:)")

# -- packages ------------------------------------------------------------------------------------


def _schema_version_arg(schema_version: str | None) -> str | None:
    if schema_version is not None and schema_version not in available_versions():
        raise SchemaError(
            f"hsdata {schema_version} is not a published version of the standard; "
            f"bundled versions: {', '.join(available_versions())}"
        )
    return schema_version


def _unsafe_path_issue(path: object, package_dir: Path, where: dict[str, Any]) -> Issue | None:
    """An issue if a resource path may lead outside the package; None if it is safe."""
    if not isinstance(path, str) or not path:
        return make_issue(
            "package-descriptor-invalid",
            f"a resource path must be a non-empty text; found {shown(path)}",
            **where,
        )
    if _URL.match(path) and not _ABSOLUTE.match(path):
        return make_issue(
            "package-path-url",
            f"the resource path {shown(path)} is a web address; hsdata packages hold their "
            "data in files inside the package folder, and the validator never downloads",
            **where,
        )
    if _ABSOLUTE.match(path):
        return make_issue(
            "package-path-absolute",
            f"the resource path {shown(path)} is absolute; give it relative to the package "
            "folder, such as 'events.json'",
            **where,
        )
    parts = re.split(r"[/\\]", path)
    if ".." in parts:
        return make_issue(
            "package-path-outside",
            f"the resource path {shown(path)} uses '..' to leave the package folder; the "
            "validator reads only files inside the package",
            **where,
        )
    root = package_dir.resolve()
    target = package_dir.joinpath(*[p for p in parts if p not in ("", ".")])
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError, ValueError):  # a link loop, a NUL in the name
        resolved = Path(os.path.abspath(target))
    if not resolved.is_relative_to(root):
        return make_issue(
            "package-path-symlink",
            f"the resource path {shown(path)} is a symbolic link (or passes through one) "
            "that leads outside the package folder; the validator does not follow it",
            **where,
        )
    try:
        regular = target.is_file()
        present = regular or target.exists()
    except (OSError, ValueError) as exc:  # a name too long, a NUL character...
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return make_issue(
            "package-resource-missing",
            f"the resource file {shown(path)} cannot be opened: {clean(reason)}",
            unreadable=True,
            **where,
        )
    if not regular:
        what = "is not a regular file" if present else "does not exist"
        return make_issue(
            "package-resource-missing",
            f"the resource file {shown(path)} {what} in the package folder",
            unreadable=True,
            **where,
        )
    return None


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
                    f"{display} has {size:,} bytes, but the datapackage.json declares "
                    f"{declared_bytes:,}",
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
                    f"the hash algorithm {shown(algorithm)} is not one of md5, sha1, sha256, "
                    "sha512",
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
                        f"the {algorithm} checksum of {display} is {digest.hexdigest()}, but "
                        f"the datapackage.json declares {shown(expected)}",
                        **{**where, "pointer": where["pointer"] + "/hash"},
                    )
                )
    return issues


def _frictionless_issues(descriptor: dict[str, Any], display: str) -> list[Issue]:
    """The Data Package specification's own checks, by frictionless (descriptor only)."""
    import frictionless

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            report = frictionless.Package.validate_descriptor(descriptor)
        except Exception as exc:  # frictionless raises many kinds; none may escape
            return [
                make_issue(
                    "package-descriptor-invalid",
                    f"the datapackage.json could not be checked: {clean(str(exc), 300)}",
                    file=display,
                    pointer="",
                )
            ]
    issues = []
    for error in report.errors:
        note = getattr(error, "note", "") or getattr(error, "message", "")
        if "is not safe" in note:
            continue  # our own path checks report these, more precisely
        issues.append(
            make_issue(
                "package-descriptor-invalid",
                f"the datapackage.json is not a valid Data Package: {clean(note, 300)}",
                file=display,
                pointer="",
            )
        )
    return issues


def _resource_version_and_type(
    resource: dict[str, Any],
) -> tuple[str | None, str | None]:
    url = resource.get("jsonSchema")
    if not isinstance(url, str):
        return None, None
    match = _SCHEMA_URL.match(url)
    if match is None:
        return None, None
    return match.group(1), camel_case(match.group(2))


def _extension_issues(
    descriptor: dict[str, Any],
    package_dir: Path,
    schema_set: SchemaSet,
    display: str,
    allow_network: bool = False,
) -> tuple[SchemaSet, list[Issue]]:
    declared = descriptor.get("hsdata:extensions")
    if declared is None:
        return schema_set, []
    if importlib.util.find_spec("hsdata._extensions") is None:
        return schema_set, [
            make_issue(
                "package-extensions-unsupported",
                "the package declares extensions, which this validator does not apply yet; "
                "its records were checked against the standard alone",
                file=display,
                pointer="/hsdata:extensions",
            )
        ]
    from .. import _extensions

    try:
        extended = _extensions.apply_extensions(
            schema_set, package_dir, declared, allow_network=allow_network
        )
        return extended, []
    except SchemaError as exc:
        issues = list(getattr(exc, "issues", ()))
        if not issues:
            issues = [
                make_issue(
                    "package-extensions-unsupported",
                    f"the package's extensions could not be applied: {clean(str(exc), 300)}",
                    file=display,
                    pointer="/hsdata:extensions",
                )
            ]
        return schema_set, issues


def validate_package(
    descriptor_path: Path,
    *,
    schema_version: str | None = None,
    schema_set: SchemaSet | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    allow_network: bool = False,
    shown_as: str | None = None,
    identifiers: dict[str, dict[str, int]] | None = None,
) -> Report:
    """Validate a data package: its datapackage.json, its resources and their records.

    ``shown_as``, if given, is how reports name the package folder (such as
    ``pkg.zip!`` for a package unpacked from a zip); ``allow_network`` lets
    extensions declared by URL be fetched. ``identifiers``, if given, is
    filled with the identifiers seen, by record type, each in the order
    the records were read (the loader's index, without parsing them again).
    """
    package_dir = descriptor_path.parent
    folder = _display(package_dir) if shown_as is None else shown_as
    display = (
        _display(descriptor_path)
        if shown_as is None
        else _join_display(folder, descriptor_path.name)
    )
    descriptor, issues = read_json_object(descriptor_path, display)
    if descriptor is None:
        return Report(issues=tuple(issues), files=(display,))

    resources = descriptor.get("resources")
    resources = resources if isinstance(resources, list) else []
    declared = descriptor.get("hsdata:version")
    versions = {
        i: v
        for i, r in enumerate(resources)
        if isinstance(r, dict)
        for v in [_resource_version_and_type(r)[0]]
        if v
    }
    version = schema_version or (declared if isinstance(declared, str) else None)
    version = version or next(iter(versions.values()), None) or STANDARD_VERSION
    if schema_set is None:
        if version not in available_versions():
            issues.append(
                make_issue(
                    "input-schema-version-unknown",
                    f"the package follows hsdata {shown(version)}, which this copy of hsdata "
                    f"does not include (bundled: {', '.join(available_versions())})",
                    file=display,
                    pointer="/hsdata:version",
                    unreadable=True,
                )
            )
            return Report(
                issues=tuple(_locate(issues, {display: descriptor_path})), files=(display,)
            )
        schema_set = load_schema_set(version)
    schema_set, extension_issues = _extension_issues(
        descriptor, package_dir, schema_set, display, allow_network
    )
    issues.extend(extension_issues)

    run = _Run(schema_set, progress, workers=workers or default_workers())
    run.add_file(display, descriptor_path)
    run.issues.extend(issues)
    if declared is not None and not isinstance(declared, str):
        run.issues.append(
            make_issue(
                "package-descriptor-invalid",
                "'hsdata:version' must be a version such as '1.0'",
                file=display,
                pointer="/hsdata:version",
            )
        )
    package_version = declared if isinstance(declared, str) else None
    if package_version is None and versions:
        package_version = next(iter(versions.values()))
    for index, resource_version in versions.items():
        if resource_version != package_version:
            run.issues.append(
                make_issue(
                    "package-version-mismatch",
                    f"this resource follows hsdata {resource_version}, but the package "
                    f"follows hsdata {shown(package_version)}; a package follows one version",
                    file=display,
                    pointer=f"/resources/{index}/jsonSchema",
                )
            )

    safe_descriptor = dict(descriptor)
    safe_resources: list[Any] = []
    plan: list[tuple[dict[str, Any], str, list[tuple[Path, str]], str]] = []
    for index, resource in enumerate(
        descriptor.get("resources", []) if isinstance(descriptor.get("resources"), list) else []
    ):
        if not isinstance(resource, dict):
            safe_resources.append(resource)
            continue
        where = {"file": display, "pointer": f"/resources/{index}"}
        record_type = _resource_record_type(resource, schema_set, run, where)
        paths = resource.get("path")
        path_list = paths if isinstance(paths, list) else [paths] if paths is not None else []
        safe_copy = dict(resource)
        usable: list[tuple[Path, str]] = []
        for part, path in enumerate(path_list):
            part_where = {
                "file": display,
                "pointer": f"/resources/{index}/path"
                + (f"/{part}" if isinstance(paths, list) else ""),
            }
            problem = _unsafe_path_issue(path, package_dir, part_where)
            if problem is not None:
                run.issues.append(problem)
                safe_copy["path"] = "removed-unsafe-path.json"
                if record_type is not None:
                    # Its records were not read: references to them cannot be judged.
                    run.unreadable_types.add(record_type)
                continue
            assert isinstance(path, str)
            full = package_dir.joinpath(
                *[p for p in re.split(r"[/\\]", path) if p not in ("", ".")]
            )
            usable.append(
                (full, _join_display(folder, PurePosixPath(path.replace("\\", "/")).as_posix()))
            )
        safe_resources.append(safe_copy)
        if record_type is not None:
            plan.append((resource, f"/resources/{index}", usable, record_type))
    safe_descriptor["resources"] = safe_resources
    run.issues.extend(_frictionless_issues(safe_descriptor, display))

    for resource, pointer, usable, record_type in plan:
        for full, shown_name in usable:
            run.add_file(shown_name, full)
            where = {"file": display, "pointer": pointer}
            run.issues.extend(_check_size_and_hash(resource, full, shown_name, where))
            if full.suffix.lower() in _JSON_LINES_SUFFIXES:
                run.check_json_lines(full, shown_name, record_type)
            else:
                run.check_items(read_json_records(full, shown_name), shown_name, record_type)
        data = resource.get("data")
        if isinstance(data, list) and not usable:
            run.check_items(
                (
                    RecordItem(f"{pointer}/data/{i}", None, v, i, f"{pointer}/data")
                    for i, v in enumerate(data)
                ),
                display,
                record_type,
            )
    report = run.finish()
    if identifiers is not None:
        identifiers.update(run.index.ids)
    return report


def _resource_record_type(
    resource: dict[str, Any], schema_set: SchemaSet, run: _Run, where: dict[str, Any]
) -> str | None:
    _, from_schema = _resource_version_and_type(resource)
    declared = resource.get("hsdata:recordType")
    if from_schema is not None and from_schema not in schema_set.record_types:
        from_schema = None
    if from_schema is None:
        run.issues.append(
            make_issue(
                "package-resource-schema",
                "the resource does not name the schema of its records in 'jsonSchema', such as "
                f"'https://w3id.org/hsdata/schema/{schema_set.version}/event.json'; found "
                f"{shown(resource.get('jsonSchema'))}",
                file=where["file"],
                pointer=where["pointer"] + ("/jsonSchema" if "jsonSchema" in resource else ""),
            )
        )
        if isinstance(declared, str) and declared in schema_set.record_types:
            return declared
        return None
    if declared is not None and declared != from_schema:
        run.issues.append(
            make_issue(
                "package-record-type-mismatch",
                f"'hsdata:recordType' is {shown(declared)} but 'jsonSchema' is the schema of "
                f"{shown(from_schema)} records",
                file=where["file"],
                pointer=where["pointer"] + "/hsdata:recordType",
            )
        )
    return from_schema


# -- the public entry point ------------------------------------------------------------------------


def _is_package_descriptor(path: Path) -> bool:
    return path.name.lower().endswith("datapackage.json")


def _is_archive(path: Path) -> bool:
    return path.suffix.lower() == ".zip" and path.is_file()


def _validate_archive(
    archive: Path,
    display: str,
    *,
    schema_version: str | None,
    progress: Progress | None,
    workers: int | None,
    allow_network: bool,
) -> Report:
    """Validate a zipped package, unpacked safely into a temporary folder removed afterwards."""
    # Imported here: only a zip needs the unpacking code, and the loader imports the validator.
    from .._package._archive import ArchiveRefused, extract_package, relabel, temporary_folder

    with temporary_folder() as unpacked:
        folder = Path(unpacked)
        try:
            descriptor = extract_package(archive, folder)
        except ArchiveRefused as refused:
            return refused.report
        inner = descriptor.parent.relative_to(folder).as_posix()
        report = validate_package(
            descriptor,
            schema_version=schema_version,
            progress=progress,
            workers=workers,
            allow_network=allow_network,
            shown_as=f"{display}!" if inner == "." else f"{display}!/{inner}",
        )
        return relabel(report, folder, display)


def validate(
    source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
    *,
    schema_version: str | None = None,
    record_type: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    allow_network: bool = False,
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

    Nothing is fetched over the network unless ``allow_network`` is true,
    and then only the extensions a package declares by URL.

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

    >>> report = validate()
    >>> report.valid, report.exit_code, report.schema_version == STANDARD_VERSION
    (True, <ExitCode.VALID: 0>, True)
    """
    version = _schema_version_arg(schema_version)
    if source is None:
        sources: list[Path] = [canonical_data_dir()]
        given = [_display(sources[0])]
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
            reports.append(
                Report(
                    issues=(
                        make_issue(
                            "input-not-found",
                            f"there is no file or folder {shown(shown_as, 300)}",
                            file=display,
                            unreadable=True,
                        ),
                    ),
                    files=(display,),
                )
            )
        elif path.is_dir():
            descriptor = path / "datapackage.json"
            if descriptor.is_file():
                reports.append(
                    validate_package(
                        descriptor,
                        schema_version=version,
                        progress=progress,
                        workers=workers,
                        allow_network=allow_network,
                    )
                )
            else:
                reports.append(
                    Report(
                        issues=(
                            make_issue(
                                "package-descriptor-missing",
                                "the folder has no datapackage.json, so it is not a data "
                                "package; give the files of records instead",
                                file=display,
                                unreadable=True,
                            ),
                        ),
                        files=(display,),
                    )
                )
        elif _is_package_descriptor(path):
            reports.append(
                validate_package(
                    path,
                    schema_version=version,
                    progress=progress,
                    workers=workers,
                    allow_network=allow_network,
                )
            )
        elif _is_archive(path):
            reports.append(
                _validate_archive(
                    path,
                    display,
                    schema_version=version,
                    progress=progress,
                    workers=workers,
                    allow_network=allow_network,
                )
            )
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
    merged = Report.merge(reports)
    return merged
