"""Finding and opening the local copy of a package's dependencies (standard 1.2).

A 1.2 package may refer to records of other published packages, each
declared in its descriptor's ``hsdata:dependencies`` under a prefix
(``hsca:canada``). This module reads those declarations and finds each
dependency's copy, offline, in this order:

1. the declaration's ``path``, relative to the package (a folder, a
   datapackage.json or a .zip), when something is there;
2. the copy the caller supplies for the prefix (``--dependency PREFIX=PATH``,
   ``dependencies={prefix: path}``);
3. only when the network is allowed, the declaration's ``url`` (a .zip of the
   package, or its datapackage.json and the files it lists), fetched through
   :mod:`hsdata._fetch` into a private temporary folder.

A copy is opened with :func:`open_package`, so a zip is unpacked with every
safety check a zipped package gets. What is found is told as facts
(:class:`OpenedDependency`); the validator turns them into issues.

A package unpacked from a zip may only name copies inside the archive: a
path out of it would let an uploaded archive look at files of the machine.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._fetch import FetchError
from .._i18n import tr
from .._reporting import Issue, shown
from ._archive import temporary_folder
from ._download import download_package
from ._reader import Package, descriptor_of, is_archive, open_package, read_records

__all__ = [
    "Dependency",
    "OpenedDependency",
    "declared_dependencies",
    "descriptor_digest",
    "open_dependencies",
]

#: Most resource files fetched for one dependency (each within the fetch's own size limit).
_MOST_FETCHED_FILES = 64


@dataclass(frozen=True)
class Dependency:
    """One entry of ``hsdata:dependencies``, as declared (a value of the wrong kind is None)."""

    index: int
    prefix: str
    name: str | None = None
    version: str | None = None
    namespace: str | None = None
    url: str | None = None
    path: str | None = None
    sha256: str | None = None

    @property
    def pointer(self) -> str:
        """The declaration's JSON Pointer in the datapackage.json."""
        return f"/hsdata:dependencies/{self.index}"

    @property
    def title(self) -> str:
        """How messages name it: the prefix, then the package's name and version if declared."""
        named = " ".join(shown(part) for part in (self.name, self.version) if part is not None)
        return f"{shown(self.prefix)}" + (f" ({named})" if named else "")


def _text(entry: Mapping[str, Any], key: str) -> str | None:
    value = entry.get(key)
    return value if isinstance(value, str) else None


def declared_dependencies(descriptor: Mapping[str, Any] | None) -> tuple[Dependency, ...]:
    """The dependencies a descriptor declares; entries without a text prefix are left out
    (the descriptor check reports them).

    >>> found = declared_dependencies(
    ...     {"hsdata:dependencies": [{"prefix": "hsca", "path": "../data"}, {"name": "x"}]}
    ... )
    >>> [(d.prefix, d.path, d.pointer) for d in found]
    [('hsca', '../data', '/hsdata:dependencies/0')]
    """
    listed = (descriptor or {}).get("hsdata:dependencies")
    if not isinstance(listed, list):
        return ()
    found = []
    for index, entry in enumerate(listed):
        if not isinstance(entry, dict) or not isinstance(entry.get("prefix"), str):
            continue
        found.append(
            Dependency(
                index,
                entry["prefix"],
                *(
                    _text(entry, key)
                    for key in ("name", "version", "namespace", "url", "path", "sha256")
                ),
            )
        )
    return tuple(found)


def descriptor_digest(package: Package) -> str | None:
    """The sha256 of a package's datapackage.json bytes, in lower-case hex (None if unreadable)."""
    try:
        return hashlib.sha256(package.descriptor_path.read_bytes()).hexdigest()
    except OSError:
        return None


@dataclass
class OpenedDependency:
    """What was found for one declared dependency.

    ``package`` is the copy, opened (readable or not: its issues say why), or
    None when no copy was found; ``looked`` says where a copy was looked for,
    in words; ``how`` how the copy was found (``"path"``, ``"supplied"``,
    ``"network"``). ``records`` are the copy's records by type, read strictly,
    and ``unread`` what kept some of them from being read.
    """

    declaration: Dependency
    package: Package | None = None
    source: Path | None = None
    """What was opened: a folder, a datapackage.json or a zip (temporary when fetched)."""
    how: str | None = None
    looked: list[str] = field(default_factory=list)
    refused: str | None = None
    """Why a path was not even looked at (it leaves a zipped package), or None."""
    fetch_error: str | None = None
    records: dict[str, list[Any]] = field(default_factory=dict)
    unread: list[Issue] = field(default_factory=list)
    digest: str | None = None

    @property
    def readable(self) -> bool:
        return self.package is not None and self.package.readable

    def ids(self, record_type: str) -> frozenset[str]:
        """The identifiers of the copy's records of one type."""
        cached = self._ids.get(record_type)
        if cached is None:
            cached = self._ids[record_type] = frozenset(
                record["id"]
                for record in self.records.get(record_type, ())
                if isinstance(record, dict) and isinstance(record.get("id"), str)
            )
        return cached

    _ids: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def _is_package_source(path: Path) -> bool:
    """Something that may be opened as a package: a folder, a datapackage.json or a zip."""
    try:
        if path.is_dir():
            return True
        return path.is_file() and (is_archive(path) or descriptor_of(path) is not None)
    except OSError:
        return False


def _locate(
    declaration: Dependency,
    package: Package,
    supplied: Mapping[str, str | os.PathLike[str]],
    found: OpenedDependency,
) -> tuple[Path, str] | None:
    """Where the copy is on disk and how it was found, by the offline order (see the module)."""
    if declaration.path is not None:
        candidate = package.folder / declaration.path
        if package.archive is not None and not _inside(candidate, package.folder):
            found.refused = tr(
                "its path {path} leads out of the zipped package, where hsdata does not look",
                path=shown(declaration.path),
            )
        elif _is_package_source(candidate):
            return candidate, "path"
        else:
            found.looked.append(
                tr("its path {path} holds no package", path=shown(declaration.path))
            )
    given = supplied.get(declaration.prefix)
    if given is not None:
        candidate = Path(os.fspath(given))
        if _is_package_source(candidate):
            return candidate, "supplied"
        found.looked.append(
            tr(
                "the copy supplied for it, {path}, holds no package",
                path=shown(os.fspath(given)),
            )
        )
    return None


@contextlib.contextmanager
def open_dependencies(
    package: Package,
    supplied: Mapping[str, str | os.PathLike[str]] | None = None,
    *,
    allow_network: bool = False,
) -> Iterator[dict[str, OpenedDependency]]:
    """Open the copy of every dependency ``package`` declares, by prefix (the first
    declaration of a prefix wins). Read everything needed inside the block: zipped
    and fetched copies live in temporary folders removed when it ends.

    Never raises for bad input: what was not found or not readable is in each
    :class:`OpenedDependency`.
    """
    supplied = supplied or {}
    opened: dict[str, OpenedDependency] = {}
    with contextlib.ExitStack() as stack:
        for declaration in declared_dependencies(package.descriptor):
            if declaration.prefix in opened:
                continue
            found = opened[declaration.prefix] = OpenedDependency(declaration)
            located = _locate(declaration, package, supplied, found)
            if located is None and allow_network and declaration.url is not None:
                into = Path(stack.enter_context(temporary_folder()))
                try:
                    located = (
                        download_package(
                            declaration.url,
                            into,
                            max_files=_MOST_FETCHED_FILES,
                            zip_name="dependency.zip",
                        ),
                        "network",
                    )
                except (FetchError, OSError) as error:
                    found.fetch_error = str(error)
            if located is None:
                continue
            source, found.how = located
            found.source = source
            copy = stack.enter_context(
                open_package(source, allow_network=allow_network, given=os.fspath(source))
            )
            found.package = copy
            if copy.readable:
                found.digest = descriptor_digest(copy)
                found.records, found.unread = read_records(copy)
        yield opened
