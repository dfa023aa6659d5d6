"""The package reader: a datapackage.json and its resources, resolved once for everyone.

Everything in hsdata that reads a data package (the validator, the loader,
upgrades, spreadsheets, exports) goes through :func:`open_package` or
:func:`read_package`, so that a package is read one way: what validates
loads, with the same records.

Reading a package means:

* the descriptor, read strictly (duplicate keys, encodings, size, depth) and
  only when it is a regular file;
* the version of the standard it follows: ``hsdata:version``, else the
  version named by its resources' ``jsonSchema``, else the current one;
* the schema set of that version with the package's extensions applied;
* each resource's record type, by one rule: the type whose schema its
  ``jsonSchema`` names; failing that, its ``hsdata:recordType``; failing
  that, none (neither its name nor its file name decides);
* each resource path, by one rule for ``/`` and ``\\`` alike: relative,
  without ``..``, inside the package folder once links are followed, and a
  regular file (never a device, a FIFO or a folder);
* each file's format, by one rule: the resource's ``format`` when it says
  ``json``, ``jsonl`` or ``ndjson``; otherwise the file's suffix
  (``.jsonl`` and ``.ndjson`` are JSON Lines, anything else one JSON
  document).

Problems met on the way are :class:`~hsdata.Issue` objects in
:attr:`Package.issues`; a resource path that breaks a rule is left out of
:attr:`Resource.files`, so no caller can read it by mistake.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import signal
import stat
import threading
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import Any

from .._i18n import tr
from .._reporting import Issue, Report, clean, make_issue, shown
from .._schemas import SchemaError, SchemaSet, available_versions, camel_case, load_schema_set
from .._version import STANDARD_VERSION
from ._archive import ArchiveRefused, extract_package, relabel, temporary_folder
from ._input import read_json_lines, read_json_object, read_json_records

#: The address of a record schema of the standard; its version and file stem.
SCHEMA_URL = re.compile(r"^https://w3id\.org/hsdata/schema/([0-9]+\.[0-9]+)/([a-z][a-z-]*)\.json\Z")
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
#: What a resource's ``format`` may say, and whether it means JSON Lines.
FORMATS = {"json": False, "jsonl": True, "ndjson": True}
_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]+:|//)")
_ABSOLUTE = re.compile(r"^(?:[/\\]|[A-Za-z]:)")
_SEPARATORS = re.compile(r"[/\\]")


@dataclass(frozen=True)
class ResourceFile:
    """One file of a resource: safe to read, inside the package, a regular file."""

    path: Path
    """Where the file is on disk."""
    shown: str
    """How reports name the file."""
    relative: str
    """The path as the descriptor writes it, with ``\\`` read as ``/``."""
    pointer: str
    """The JSON Pointer of the path in the descriptor (``/resources/3/path``)."""
    json_lines: bool
    """True for a JSON Lines file (one record per line), by the format rule (see the module)."""


@dataclass(frozen=True)
class Resource:
    """One resource of the descriptor, resolved."""

    index: int
    descriptor: Mapping[str, Any]
    """The resource object as the descriptor writes it."""
    record_type: str | None
    """The type of its records, by the one rule (see the module), or None."""
    version: str | None
    """The version of the standard its ``jsonSchema`` names, or None."""
    files: tuple[ResourceFile, ...] = ()
    """Its files that are safe to read, in order."""
    refused: tuple[str, ...] = ()
    """The pointers of its paths that were refused (unsafe, missing, not a file)."""
    data: list[Any] | None = None
    """Records given inline in the descriptor (``data``), when it has no path."""

    @property
    def pointer(self) -> str:
        return f"/resources/{self.index}"

    @property
    def name(self) -> str | None:
        name = self.descriptor.get("name")
        return name if isinstance(name, str) else None


@dataclass(frozen=True)
class Package:
    """A data package read and resolved; see :func:`read_package`."""

    folder: Path
    descriptor_path: Path
    shown: str
    """How reports name the datapackage.json."""
    descriptor: dict[str, Any] | None
    """The descriptor, or None when it could not be read at all."""
    version: str | None = None
    schema_set: SchemaSet | None = None
    """The schemas of :attr:`version` with the package's extensions applied."""
    resources: tuple[Resource, ...] = ()
    issues: tuple[Issue, ...] = ()
    archive: str | None = field(default=None, compare=False)
    """For a package unpacked from a zip, how reports name the archive."""
    _unpacked: Path | None = field(default=None, compare=False, repr=False)

    @property
    def readable(self) -> bool:
        """False when the descriptor, its version or its schemas could not be read at all."""
        return self.descriptor is not None and self.schema_set is not None

    @property
    def blocking_issues(self) -> tuple[Issue, ...]:
        """The issues that keep records from being read: an unreadable descriptor or file,
        and every refused resource path (its records would be left out)."""
        refused = {pointer for resource in self.resources for pointer in resource.refused}
        return tuple(
            issue
            for issue in self.issues
            if issue.unreadable or (issue.pointer in refused and issue.severity.value == "error")
        )

    def records_of(self) -> Iterator[tuple[Resource, str]]:
        """Each resource that holds records of a known type, with that type."""
        for resource in self.resources:
            if resource.record_type is not None:
                yield resource, resource.record_type

    def relabel(self, report: Report) -> Report:
        """The report with an unpacked zip's temporary folder named as the archive."""
        if self._unpacked is None or self.archive is None:
            return report
        return relabel(report, self._unpacked, self.archive)


# -- where a package is ---------------------------------------------------------------------------


def display_path(path: Path) -> str:
    """A path as shown in reports: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
    return str(path) if relative.startswith("..") else relative


def join_shown(folder: str, name: str) -> str:
    """A name inside a folder as reports show it."""
    return name if folder in ("", ".") else f"{folder.rstrip('/')}/{name}"


def is_descriptor(path: Path) -> bool:
    """True for a file named like a package descriptor (``datapackage.json``)."""
    return path.name.lower().endswith("datapackage.json")


def is_archive(path: Path) -> bool:
    """True for a zip file (a zipped package)."""
    return path.suffix.lower() == ".zip" and path.is_file()


def descriptor_of(path: Path) -> Path | None:
    """The datapackage.json a folder or descriptor path names, or None for anything else.

    A folder names its datapackage.json even when there is none; reading it then
    says the folder is not a package.
    """
    if path.is_dir():
        return path / "datapackage.json"
    return path if is_descriptor(path) else None


# -- reading --------------------------------------------------------------------------------------


def schema_version_of(resource: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(version, record type) named by a resource's ``jsonSchema``, or (None, None)."""
    url = resource.get("jsonSchema")
    return _parse_schema_url(url) if isinstance(url, str) else (None, None)


def resource_record_type(resource: Mapping[str, Any]) -> str | None:
    """The record type a resource declares, by the reader's rule, without a schema set to check it.

    For a package already read (a loaded data set's descriptor): the type its
    ``jsonSchema`` names, else its ``hsdata:recordType``.
    """
    from_schema = schema_version_of(resource)[1]
    declared = resource.get("hsdata:recordType")
    return from_schema or (declared if isinstance(declared, str) else None)


@functools.lru_cache(maxsize=1024)
def _parse_schema_url(url: str) -> tuple[str | None, str | None]:
    # Remembered: a package names the same few schemas for thousands of resources.
    match = SCHEMA_URL.match(url)
    if match is None:
        return None, None
    return match.group(1), camel_case(match.group(2))


def _record_type(
    resource: Mapping[str, Any],
    from_schema: str | None,
    schema_set: SchemaSet,
    pointer: str,
    file: str,
) -> tuple[str | None, list[Issue]]:
    """The one rule: the type ``jsonSchema`` names, else ``hsdata:recordType``, else none."""
    declared = resource.get("hsdata:recordType")
    if declared in ("recordHistory", "mergeProvenance") and "jsonSchema" not in resource:
        return None, []  # a compiled package's record history (hsdata compile): no records
    if from_schema is not None and from_schema not in schema_set.record_types:
        from_schema = None
    if from_schema is None:
        issue = make_issue(
            "package-resource-schema",
            tr(
                "the resource does not name the schema of its records in 'jsonSchema', such as "
                "'https://w3id.org/hsdata/schema/{version}/event.json'; found {found}",
                version=schema_set.version,
                found=shown(resource.get("jsonSchema")),
            ),
            file=file,
            pointer=pointer + ("/jsonSchema" if "jsonSchema" in resource else ""),
        )
        if isinstance(declared, str) and declared in schema_set.record_types:
            return declared, [issue]
        return None, [issue]
    if declared is not None and declared != from_schema:
        return from_schema, [
            make_issue(
                "package-record-type-mismatch",
                tr(
                    "'hsdata:recordType' is {declared} but 'jsonSchema' is the schema of "
                    "{record_type} records",
                    declared=shown(declared),
                    record_type=shown(from_schema),
                ),
                file=file,
                pointer=pointer + "/hsdata:recordType",
            )
        ]
    return from_schema, []


def path_problem(path: object, folder: Path, root: Path, file: str, pointer: str) -> Issue | None:
    """An issue if a resource path may not be read; None if it is safe.

    ``root`` is ``folder`` with its links resolved (worked out once per package).
    """
    where: dict[str, Any] = {"file": file, "pointer": pointer}
    if not isinstance(path, str) or not path:
        return make_issue(
            "package-descriptor-invalid",
            tr("a resource path must be a non-empty text; found {found}", found=shown(path)),
            **where,
        )
    if _URL.match(path) and not _ABSOLUTE.match(path):
        return make_issue(
            "package-path-url",
            tr(
                "the resource path {path} is a web address; hsdata packages hold their "
                "data in files inside the package folder, and the validator never downloads",
                path=shown(path),
            ),
            **where,
        )
    if _ABSOLUTE.match(path):
        return make_issue(
            "package-path-absolute",
            tr(
                "the resource path {path} is absolute; give it relative to the package "
                "folder, such as 'events.json'",
                path=shown(path),
            ),
            **where,
        )
    parts = _SEPARATORS.split(path)
    if ".." in parts:
        return make_issue(
            "package-path-outside",
            tr(
                "the resource path {path} uses '..' to leave the package folder; the "
                "validator reads only files inside the package",
                path=shown(path),
            ),
            **where,
        )
    inside = [p for p in parts if p not in ("", ".")]
    try:
        mode = _mode_without_links(str(root), inside)
        if mode == _LINKED:
            mode = _mode_through_links(folder.joinpath(*inside), root)
    except FileNotFoundError:
        mode = None
    except (OSError, ValueError) as exc:  # a name too long, a NUL character, a link loop...
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return make_issue(
            "package-resource-missing",
            tr(
                "the resource file {path} cannot be opened: {reason}",
                path=shown(path),
                reason=clean(reason),
            ),
            unreadable=True,
            **where,
        )
    if mode == _OUTSIDE:
        return make_issue(
            "package-path-symlink",
            tr(
                "the resource path {path} is a symbolic link (or passes through one) "
                "that leads outside the package folder; the validator does not follow it",
                path=shown(path),
            ),
            **where,
        )
    if mode is None or not stat.S_ISREG(mode):
        return make_issue(
            "package-resource-missing",
            tr(
                "the resource file {path} is not a regular file in the package folder",
                path=shown(path),
            )
            if mode is not None
            else tr(
                "the resource file {path} does not exist in the package folder", path=shown(path)
            ),
            unreadable=True,
            **where,
        )
    return None


#: What the two mode finders below give for "a link is on the way" and "it leads outside".
_LINKED = -1
_OUTSIDE = -2


def _mode_without_links(root: str, parts: list[str]) -> int:
    """The mode of ``root/parts``, found with one lstat per part; ``_LINKED`` at the first link.

    Most packages have no links at all, and following each path through
    ``Path.resolve`` costs a system call per folder from the file system's
    root: this walks only the parts inside the package.
    """
    current, mode = root, stat.S_IFDIR
    for part in parts:
        current = os.path.join(current, part)
        mode = os.lstat(current).st_mode
        if stat.S_ISLNK(mode):
            return _LINKED
    return mode


#: Names Windows keeps for devices, whatever the extension (aux.json is AUX): the
#: digits include the superscripts ¹ ² ³, which Windows also reserves.
_RESERVED_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"{device}{digit}" for device in ("COM", "LPT") for digit in "0123456789¹²³"]
)

#: Characters Windows refuses in a file name (besides control characters).
_WINDOWS_REFUSED = frozenset('<>:"|?*')


def portability_problems(path: str) -> list[str]:
    """Why a resource path would not load alike on every computer, in words (none: portable).

    >>> portability_problems("events/2024.json")
    []
    >>> portability_problems("data/aux.json")
    ["'aux.json' is a name Windows keeps for a device (AUX)"]
    >>> for problem in portability_problems("what?.json "):
    ...     print(problem)
    'what?.json ' holds '?', which Windows refuses in file names
    'what?.json ' ends in a space, which Windows drops
    """
    problems: list[str] = []
    for part in _SEPARATORS.split(path):
        if part in ("", ".", ".."):
            continue
        device = part.split(".", 1)[0].rstrip(" ").upper()
        if device in _RESERVED_NAMES:
            problems.append(
                tr(
                    "{name} is a name Windows keeps for a device ({device})",
                    name=shown(part),
                    device=device,
                )
            )
        refused = sorted({c for c in part if c in _WINDOWS_REFUSED})
        if refused:
            listed = ", ".join(shown(c) for c in refused)
            problems.append(
                tr(
                    "{name} holds {characters}, which Windows refuses in file names",
                    name=shown(part),
                    characters=listed,
                )
            )
        if any(ord(c) < 32 or ord(c) == 127 for c in part):
            problems.append(tr("{name} holds a control character", name=shown(part)))
        if part.endswith((".", " ")):
            problems.append(
                tr("{name} ends in a dot, which Windows drops", name=shown(part))
                if part.endswith(".")
                else tr("{name} ends in a space, which Windows drops", name=shown(part))
            )
    return problems


def portability_issues(paths: list[tuple[str, str]], file: str) -> list[Issue]:
    """Resource paths that would not load alike everywhere: ``paths`` holds (path, its
    pointer in the descriptor), in order.

    Two paths differing only in capital letters or in Unicode normalisation (NFC and
    NFD) are one file on Windows and macOS: an error (resource-path-collision), at the
    second. Every other problem is a warning (resource-path-not-portable).
    """
    issues = []
    first_of: dict[str, tuple[str, str]] = {}
    for path, pointer in paths:
        for problem in portability_problems(path):
            issues.append(
                make_issue(
                    "resource-path-not-portable",
                    tr(
                        "the resource path {path} would not load on every computer: "
                        "{problem}; rename the file",
                        path=shown(path),
                        problem=problem,
                    ),
                    file=file,
                    pointer=pointer,
                )
            )
        key = unicodedata.normalize("NFC", path).casefold()
        earlier = first_of.setdefault(key, (path, pointer))
        if earlier[0] == path:
            continue  # the same file named twice is not a clash of names
        names = {"path": shown(path), "other": shown(earlier[0]), "at": earlier[1]}
        issues.append(
            make_issue(
                "resource-path-collision",
                tr(
                    "the resource paths {path} and {other} (at {at}) differ only in capital "
                    "letters: Windows and macOS read them as the same file; rename one",
                    **names,
                )
                if unicodedata.normalize("NFC", earlier[0]) != unicodedata.normalize("NFC", path)
                else tr(
                    "the resource paths {path} and {other} (at {at}) differ only in how "
                    "accented letters are encoded (Unicode NFC and NFD): Windows and macOS "
                    "read them as the same file; rename one",
                    **names,
                ),
                file=file,
                pointer=pointer,
            )
        )
    return issues


def _mode_through_links(target: Path, root: Path) -> int:
    """The mode of a path that passes through a link; ``_OUTSIDE`` if it leads out of ``root``."""
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError, ValueError):  # a link loop, a NUL in the name
        resolved = Path(os.path.abspath(target))
    if not resolved.is_relative_to(root):
        return _OUTSIDE
    return target.stat().st_mode


def _resolve_resource(
    index: int,
    resource: dict[str, Any],
    package: tuple[Path, Path, str, str],
    schema_set: SchemaSet,
    issues: list[Issue],
) -> Resource:
    folder, root, file, folder_shown = package
    pointer = f"/resources/{index}"
    version, from_schema = schema_version_of(resource)
    record_type, found = _record_type(resource, from_schema, schema_set, pointer, file)
    issues.extend(found)
    paths = resource.get("path")
    listed = paths if isinstance(paths, list) else [paths] if paths is not None else []
    files: list[ResourceFile] = []
    refused: list[str] = []
    declared_format = resource.get("format")
    lines_by_format = (
        FORMATS.get(declared_format.lower()) if isinstance(declared_format, str) else None
    )
    for part, path in enumerate(listed):
        path_pointer = f"{pointer}/path" + (f"/{part}" if isinstance(paths, list) else "")
        problem = path_problem(path, folder, root, file, path_pointer)
        if problem is not None:
            issues.append(problem)
            refused.append(path_pointer)
            continue
        assert isinstance(path, str)
        inside = [p for p in _SEPARATORS.split(path) if p not in ("", ".")]
        relative = "/".join(inside)
        on_disk = folder.joinpath(relative)
        json_lines = (
            lines_by_format
            if lines_by_format is not None
            else on_disk.suffix.lower() in JSON_LINES_SUFFIXES
        )
        files.append(
            ResourceFile(
                on_disk, join_shown(folder_shown, relative), relative, path_pointer, json_lines
            )
        )
    data = resource.get("data")
    return Resource(
        index=index,
        descriptor=resource,
        record_type=record_type,
        version=version,
        files=tuple(files),
        refused=tuple(refused),
        data=data if isinstance(data, list) and not listed else None,
    )


def _extended(
    descriptor: dict[str, Any],
    folder: Path,
    schema_set: SchemaSet,
    file: str,
    allow_network: bool,
) -> tuple[SchemaSet, list[Issue]]:
    """The schema set with the package's declared extensions applied, and any problems."""
    declared = descriptor.get("hsdata:extensions")
    if declared is None:
        return schema_set, []
    from .. import _extensions  # below the reader; imported only for packages that need it

    try:
        return (
            _extensions.apply_extensions(schema_set, folder, declared, allow_network=allow_network),
            [],
        )
    except SchemaError as exc:
        issues = list(getattr(exc, "issues", ()))
        if not issues:
            issues = [
                make_issue(
                    "package-extensions-unsupported",
                    tr(
                        "the package's extensions could not be applied: {reason}",
                        reason=clean(str(exc), 300),
                    ),
                    file=file,
                    pointer="/hsdata:extensions",
                )
            ]
        return schema_set, issues


def _version_issues(
    descriptor: dict[str, Any], resources: tuple[Resource, ...], file: str
) -> list[Issue]:
    """A non-text ``hsdata:version``, and resources that follow another version than the package."""
    issues: list[Issue] = []
    declared = descriptor.get("hsdata:version")
    if declared is not None and not isinstance(declared, str):
        issues.append(
            make_issue(
                "package-descriptor-invalid",
                tr("'hsdata:version' must be a version such as '1.0'"),
                file=file,
                pointer="/hsdata:version",
            )
        )
    package_version = declared if isinstance(declared, str) else None
    if package_version is None:
        package_version = next((r.version for r in resources if r.version), None)
    for resource in resources:
        if resource.version and resource.version != package_version:
            issues.append(
                make_issue(
                    "package-version-mismatch",
                    tr(
                        "this resource follows hsdata {version}, but the package "
                        "follows hsdata {package_version}; a package follows one version",
                        version=resource.version,
                        package_version=shown(package_version),
                    ),
                    file=file,
                    pointer=f"{resource.pointer}/jsonSchema",
                )
            )
    return issues


def _not_a_regular_file(path: Path, file: str) -> Issue | None:
    """An issue when the descriptor is missing or not a regular file (a FIFO would block)."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return make_issue(
            "input-not-found",
            tr("there is no file {file}", file=shown(file, 300)),
            file=file,
            unreadable=True,
        )
    if not stat.S_ISREG(mode):
        return make_issue(
            "input-not-found",
            tr("cannot read the file: it is not a regular file"),
            file=file,
            unreadable=True,
        )
    return None


def read_package(
    descriptor_path: Path,
    *,
    schema_version: str | None = None,
    schema_set: SchemaSet | None = None,
    allow_network: bool = False,
    shown_as: str | None = None,
) -> Package:
    """Read a package's descriptor and resolve its version, schemas and resources.

    ``schema_version`` overrides the version the package declares;
    ``schema_set`` gives the schemas to use outright (extensions are still
    applied). ``shown_as`` is how reports name the package folder (such as
    ``pkg.zip!``). Nothing is fetched unless ``allow_network`` (and then
    only extensions the package declares by URL). Never raises for bad
    input: every problem is in :attr:`Package.issues`.
    """
    folder = descriptor_path.parent
    folder_shown = display_path(folder) if shown_as is None else shown_as
    file = (
        display_path(descriptor_path)
        if shown_as is None
        else join_shown(folder_shown, descriptor_path.name)
    )
    unreadable = _not_a_regular_file(descriptor_path, file)
    if unreadable is not None:
        return Package(folder, descriptor_path, file, None, issues=(unreadable,))
    descriptor, issues = read_json_object(descriptor_path, file)
    if descriptor is None:
        return Package(folder, descriptor_path, file, None, issues=tuple(issues))
    listed = descriptor.get("resources")
    raw_resources = listed if isinstance(listed, list) else []
    declared = descriptor.get("hsdata:version")
    version = schema_version or (declared if isinstance(declared, str) else None)
    if version is None:
        version = next(
            (
                v
                for r in raw_resources
                if isinstance(r, dict)
                for v in [schema_version_of(r)[0]]
                if v
            ),
            STANDARD_VERSION,
        )
    if schema_set is None:
        if version not in available_versions():
            issues.append(
                make_issue(
                    "input-schema-version-unknown",
                    tr(
                        "the package follows hsdata {version}, which this copy of hsdata "
                        "does not include (bundled: {bundled})",
                        version=shown(version),
                        bundled=", ".join(available_versions()),
                    ),
                    file=file,
                    pointer="/hsdata:version",
                    unreadable=True,
                )
            )
            return Package(folder, descriptor_path, file, descriptor, version, issues=tuple(issues))
        schema_set = load_schema_set(version)
    schema_set, extension_issues = _extended(descriptor, folder, schema_set, file, allow_network)
    issues.extend(extension_issues)
    root = folder.resolve()
    resources = tuple(
        _resolve_resource(index, resource, (folder, root, file, folder_shown), schema_set, issues)
        for index, resource in enumerate(raw_resources)
        if isinstance(resource, dict)
    )
    issues.extend(_version_issues(descriptor, resources, file))
    issues.extend(
        portability_issues([(f.relative, f.pointer) for r in resources for f in r.files], file)
    )
    return Package(
        folder,
        descriptor_path,
        file,
        descriptor,
        version,
        schema_set,
        resources,
        tuple(issues),
    )


# -- zipped packages ------------------------------------------------------------------------------


@contextlib.contextmanager
def _removed_on_termination() -> Iterator[None]:
    """Turn SIGTERM into SystemExit while a zip is unpacked, so its folder is removed.

    SIGINT already raises KeyboardInterrupt, which unwinds the same way. Signal
    handlers can only be set from the main thread; elsewhere nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def open_package(
    source: Path,
    *,
    schema_version: str | None = None,
    schema_set: SchemaSet | None = None,
    allow_network: bool = False,
    given: str | None = None,
) -> Iterator[Package]:
    """Read the package at ``source``: a folder, its datapackage.json, or a zip of the package.

    A zip is unpacked, after every entry is checked, into a private temporary
    folder that is removed when the block ends (also on Ctrl-C or SIGTERM);
    its files are shown as ``pkg.zip!/events.json``, where ``given`` (how
    the user wrote ``source``) names the archive. Read everything needed
    inside the block. A folder without a datapackage.json, a zip refused as
    unsafe or any other unreadable input gives a package whose
    :attr:`~Package.readable` is False and whose issues say why.
    """
    shown_source = clean(given if given is not None else str(source), 500)
    if is_archive(source):
        with _removed_on_termination(), temporary_folder() as unpacked:
            folder = Path(unpacked)
            try:
                descriptor_path = extract_package(source, folder)
            except ArchiveRefused as refused:
                yield Package(folder, folder, str(source), None, issues=refused.report.issues)
                return
            inner = descriptor_path.parent.relative_to(folder).as_posix()
            package = read_package(
                descriptor_path,
                schema_version=schema_version,
                schema_set=schema_set,
                allow_network=allow_network,
                shown_as=f"{shown_source}!" if inner == "." else f"{shown_source}!/{inner}",
            )
            yield replace(package, archive=shown_source, _unpacked=folder)
        return
    named = descriptor_of(source)
    if named is None or (source.is_dir() and not named.is_file()):
        yield Package(
            source,
            source,
            shown_source,
            None,
            issues=(
                make_issue(
                    "package-descriptor-missing",
                    tr(
                        "the folder has no datapackage.json, so it is not a data package; give "
                        "the files of records instead"
                    )
                    if source.is_dir()
                    else tr(
                        "this is not a data package: give a package folder, its "
                        "datapackage.json or a .zip of the package"
                    ),
                    file=shown_source,
                    unreadable=True,
                ),
            ),
        )
        return
    yield read_package(
        named,
        schema_version=schema_version,
        schema_set=schema_set,
        allow_network=allow_network,
    )


# -- records ---------------------------------------------------------------------------------------


def read_records(package: Package) -> tuple[dict[str, list[Any]], list[Issue]]:
    """Every record of a readable package by type, read strictly, in the order of its resources.

    The second value lists what kept some records from being read: the
    package's own unreadable issues, refused resource paths and files that
    cannot be parsed. Records that break the standard are read as they are
    (checking them is the validator's work).
    """
    problems = list(package.blocking_issues)
    records: dict[str, list[Any]] = {}
    for resource, record_type in package.records_of():
        found = records.setdefault(record_type, [])
        for file in resource.files:
            read = read_json_lines if file.json_lines else read_json_records
            for item in read(file.path, file.shown):
                if isinstance(item, Issue):
                    if item.unreadable or item.severity.value == "error":
                        problems.append(item)
                else:
                    found.append(item.value)
        if resource.data is not None and not resource.files:
            found.extend(resource.data)
    return records, problems
