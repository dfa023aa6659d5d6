"""Comparing two releases of a data package: records added, removed and changed field by field.

Both packages are read through the package reader, so a folder, its
datapackage.json and a zip of the same data compare equal, and how records
are spread over files and resources never shows as a difference. Records are
matched by record type and ``id``; a record's changes are JSON Pointers into
the record with the old and the new value. Objects (language maps among
them) are compared key by key, lists item by item by position, numbers by
value (``1`` and ``1.0`` are the same number, ``true`` is not ``1``).

Packages that follow different versions of the standard are compared as
they are: :attr:`PackageDiff.versions` says so, and upgrading the older one
first (``hsdata upgrade``) compares like with like.

Invalid records are compared like valid ones (checking them is the
validator's work); a package that cannot be read raises :class:`DiffError`,
which carries the reader's issues.

>>> from hsdata import diff
>>> from hsdata._paths import canonical_data_dir
>>> result = diff(canonical_data_dir(), canonical_data_dir())
>>> result.differs, result.same_version
(False, True)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from os import PathLike, fspath
from pathlib import Path
from typing import Any, Literal

import orjson

from ._errors import HsdataError
from ._package import Package, open_package, read_records
from ._reporting import Issue, clean, make_issue, pointer_escape, shown

__all__ = ["DiffError", "FieldChange", "PackageDiff", "RecordChange", "ResourceChange", "diff"]

# Written out in each annotation rather than as an alias: the API reference shows it so.
KINDS: tuple[Literal["added", "removed", "changed"], ...] = ("added", "removed", "changed")

#: Resource fields that say how records are stored, not what they say: a resource split
#: into several files, or given a new digest, holds the same records.
STORAGE_FIELDS = frozenset({"path", "data", "bytes", "hash"})


class DiffError(HsdataError):
    """One of the two packages cannot be read (or the comparison was asked for wrongly).

    ``issues`` are the reader's issues that kept the package from being read
    (empty for a wrong request, such as an unknown record type).
    """

    def __init__(self, message: str, issues: Iterable[Issue] = ()) -> None:
        super().__init__(message)
        self.issues: tuple[Issue, ...] = tuple(issues)


@dataclass(frozen=True)
class FieldChange:
    """One value that differs, at a JSON Pointer into a record or descriptor.

    ``old`` is None for an added value and ``new`` None for a removed one
    (``kind`` tells an absent value from a JSON ``null``).
    """

    pointer: str
    kind: Literal["added", "removed", "changed"]
    old: Any = None
    new: Any = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``old`` is left out for an added value, ``new`` for a removed one."""
        out: dict[str, Any] = {"pointer": self.pointer, "kind": self.kind}
        if self.kind != "added":
            out["old"] = self.old
        if self.kind != "removed":
            out["new"] = self.new
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FieldChange:
        """The change :meth:`to_dict` gave."""
        return cls(data["pointer"], data["kind"], data.get("old"), data.get("new"))


@dataclass(frozen=True)
class RecordChange:
    """A record added, removed or changed, identified by its type and ``id``.

    An added or removed record has one field change at the pointer ``""``
    holding the whole record. ``id`` is None for records without a text
    ``id``, matched in the order they come; ``occurrence`` counts records
    that share an id (invalid data), matched in order too: 0 is the first.
    """

    record_type: str
    id: str | None
    kind: Literal["added", "removed", "changed"]
    fields: tuple[FieldChange, ...]
    occurrence: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; ``occurrence`` only when it is not 0."""
        out: dict[str, Any] = {"recordType": self.record_type, "id": self.id, "kind": self.kind}
        if self.occurrence:
            out["occurrence"] = self.occurrence
        out["fields"] = [change.to_dict() for change in self.fields]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RecordChange:
        """The change :meth:`to_dict` gave."""
        fields = tuple(FieldChange.from_dict(change) for change in data["fields"])
        return cls(data["recordType"], data["id"], data["kind"], fields, data.get("occurrence", 0))


@dataclass(frozen=True)
class ResourceChange:
    """A resource of the descriptor added, removed or changed, matched by name.

    Pointers are into the resource object; the fields that only say how
    records are stored (``path``, ``data``, ``bytes``, ``hash``) are not compared.
    """

    name: str
    kind: Literal["added", "removed", "changed"]
    fields: tuple[FieldChange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "name": self.name,
            "kind": self.kind,
            "fields": [change.to_dict() for change in self.fields],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ResourceChange:
        """The change :meth:`to_dict` gave."""
        fields = tuple(FieldChange.from_dict(change) for change in data["fields"])
        return cls(data["name"], data["kind"], fields)


@dataclass(frozen=True)
class PackageDiff:
    """What differs between an old and a new release of a package; see :func:`diff`.

    Everything is in a fixed order: descriptor changes by pointer, resources
    by name, records by type, id and pointer.
    """

    old: str
    """The old package as it was named."""
    new: str
    """The new package as it was named."""
    versions: tuple[str | None, str | None]
    """The versions of the standard the old and new package follow."""
    descriptor: tuple[FieldChange, ...] = ()
    """Changes to the descriptor's own fields (everything but ``resources``)."""
    resources: tuple[ResourceChange, ...] = ()
    records: tuple[RecordChange, ...] = ()
    record_types: tuple[str, ...] | None = field(default=None)
    """The record types compared when the comparison was narrowed to some; else None."""

    @property
    def differs(self) -> bool:
        """True when anything differs (the command's exit code 1)."""
        return bool(self.descriptor or self.resources or self.records)

    @property
    def same_version(self) -> bool:
        return self.versions[0] == self.versions[1]

    def of_kind(self, kind: Literal["added", "removed", "changed"]) -> tuple[RecordChange, ...]:
        """The records added, removed or changed."""
        return tuple(change for change in self.records if change.kind == kind)

    @property
    def added(self) -> tuple[RecordChange, ...]:
        return self.of_kind("added")

    @property
    def removed(self) -> tuple[RecordChange, ...]:
        return self.of_kind("removed")

    @property
    def changed(self) -> tuple[RecordChange, ...]:
        return self.of_kind("changed")

    def counts(self) -> dict[str, dict[str, int]]:
        """Records added, removed and changed, by record type (types in order)."""
        counted = Counter((change.record_type, change.kind) for change in self.records)
        types = sorted({record_type for record_type, _ in counted})
        return {t: {kind: counted[t, kind] for kind in KINDS} for t in types}

    def to_dict(self) -> dict[str, Any]:
        """The whole comparison, JSON-ready (:meth:`from_dict` reads it back)."""
        return {
            "old": {"package": self.old, "version": self.versions[0]},
            "new": {"package": self.new, "version": self.versions[1]},
            "differs": self.differs,
            "recordTypes": None if self.record_types is None else list(self.record_types),
            "counts": self.counts(),
            "descriptor": [change.to_dict() for change in self.descriptor],
            "resources": [change.to_dict() for change in self.resources],
            "records": [change.to_dict() for change in self.records],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PackageDiff:
        """The comparison :meth:`to_dict` gave (as read back from ``hsdata diff --format json``)."""
        narrowed = data.get("recordTypes")
        return cls(
            old=data["old"]["package"],
            new=data["new"]["package"],
            versions=(data["old"]["version"], data["new"]["version"]),
            descriptor=tuple(FieldChange.from_dict(c) for c in data["descriptor"]),
            resources=tuple(ResourceChange.from_dict(c) for c in data["resources"]),
            records=tuple(RecordChange.from_dict(c) for c in data["records"]),
            record_types=None if narrowed is None else tuple(narrowed),
        )


# -- comparing values -----------------------------------------------------------------------------


def same_value(old: Any, new: Any) -> bool:
    """True when two JSON values are the same: numbers by value, but ``true`` is not ``1``.

    >>> same_value(1, 1.0), same_value(True, 1), same_value({"a": [1]}, {"a": [1.0]})
    (True, False, True)
    """
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return old == new
    if type(old) is not type(new):
        return False
    if isinstance(old, dict):
        return old.keys() == new.keys() and all(same_value(old[k], new[k]) for k in old)
    if isinstance(old, list):
        return len(old) == len(new) and all(same_value(a, b) for a, b in zip(old, new, strict=True))
    return bool(old == new)


def identical(old: Any, new: Any) -> bool:
    """True when two values are certainly the same (a fast check in C, for whole records).

    False may still mean "the same" (``1`` and ``1.0``): :func:`compare_values` then decides.
    """
    if old != new:  # Python's == is looser than same_value (True == 1): unequal is different
        return False
    try:
        sort = orjson.OPT_SORT_KEYS
        return orjson.dumps(old, option=sort) == orjson.dumps(new, option=sort)
    except (TypeError, orjson.JSONEncodeError):  # a whole number beyond 64 bits
        return same_value(old, new)


def compare_values(old: Any, new: Any, pointer: str = "") -> list[FieldChange]:
    """Every difference between two JSON values, as changes at pointers below ``pointer``.

    Objects are compared key by key (in key order), lists item by item by
    position; anything else, or values of different kinds, changes whole.

    >>> old, new = {"name": {"en": "A"}}, {"name": {"en": "A", "fr": "B"}}
    >>> [c.to_dict() for c in compare_values(old, new)]
    [{'pointer': '/name/fr', 'kind': 'added', 'new': 'B'}]
    >>> [(c.pointer, c.kind) for c in compare_values([1, 2], [1, 3, 4])]
    [('/1', 'changed'), ('/2', 'added')]
    """
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[FieldChange] = []
        for key in sorted(old.keys() | new.keys()):
            below = f"{pointer}/{pointer_escape(key)}"
            changes.extend(_compare_member(old, new, key, below))
        return changes
    if isinstance(old, list) and isinstance(new, list):
        changes = []
        for index in range(max(len(old), len(new))):
            changes.extend(_compare_member(old, new, index, f"{pointer}/{index}"))
        return changes
    return [] if same_value(old, new) else [FieldChange(pointer, "changed", old, new)]


def _compare_member(old: Any, new: Any, key: Any, pointer: str) -> list[FieldChange]:
    """The changes of one key of two objects, or one index of two lists."""
    in_old = key in old if isinstance(old, dict) else key < len(old)
    in_new = key in new if isinstance(new, dict) else key < len(new)
    if not in_new:
        return [FieldChange(pointer, "removed", old=old[key])]
    if not in_old:
        return [FieldChange(pointer, "added", new=new[key])]
    return compare_values(old[key], new[key], pointer)


# -- comparing records ----------------------------------------------------------------------------

RecordKey = tuple[str | None, int]


def keyed_records(records: Iterable[Any]) -> dict[RecordKey, Any]:
    """Records by (id, occurrence): the n-th record with an id (or without one) is occurrence n."""
    seen: Counter[str | None] = Counter()
    keyed: dict[RecordKey, Any] = {}
    for record in records:
        found = record.get("id") if isinstance(record, dict) else None
        record_id = found if isinstance(found, str) else None
        keyed[record_id, seen[record_id]] = record
        seen[record_id] += 1
    return keyed


def _key_order(key: RecordKey) -> tuple[bool, str, int]:
    # Records without an id come after the others.
    return key[0] is None, key[0] or "", key[1]


def compare_records(record_type: str, old: Iterable[Any], new: Iterable[Any]) -> list[RecordChange]:
    """The records of one type added, removed and changed, in order of id."""
    old_keyed, new_keyed = keyed_records(old), keyed_records(new)
    changes: list[RecordChange] = []
    for key in sorted(old_keyed.keys() | new_keyed.keys(), key=_key_order):
        record_id, occurrence = key
        if key not in new_keyed:
            removed = (FieldChange("", "removed", old=old_keyed[key]),)
            changes.append(RecordChange(record_type, record_id, "removed", removed, occurrence))
        elif key not in old_keyed:
            added = (FieldChange("", "added", new=new_keyed[key]),)
            changes.append(RecordChange(record_type, record_id, "added", added, occurrence))
        elif not identical(old_keyed[key], new_keyed[key]):
            fields = compare_values(old_keyed[key], new_keyed[key])
            if fields:
                changes.append(
                    RecordChange(record_type, record_id, "changed", tuple(fields), occurrence)
                )
    return changes


def _resources_by_name(package: Package) -> dict[str, dict[str, Any]]:
    """Each resource's descriptor without its storage fields, by name (``#N`` when unnamed)."""
    return {
        resource.name if resource.name is not None else f"#{resource.index}": {
            key: value for key, value in resource.descriptor.items() if key not in STORAGE_FIELDS
        }
        for resource in package.resources
    }


# -- reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Release:
    """What the comparison needs of one package, read while it is open."""

    version: str | None
    descriptor: dict[str, Any]
    resources: dict[str, dict[str, Any]]
    records: dict[str, list[Any]]
    record_types: frozenset[str]


def _unreadable(role: str, issues: list[Issue] | tuple[Issue, ...], given: str) -> DiffError:
    """The error for a package that cannot be read, in one line naming its first problem."""
    if not issues:  # the reader always says why; this only keeps the message whole
        return DiffError(f"cannot read the {role} package {shown(given, 300)}")
    first = issues[0]
    where = first.location + (f" {clean(first.pointer, 200)}" if first.pointer else "")
    more = f" (and {len(issues) - 1} more problems)" if len(issues) > 1 else ""
    return DiffError(
        f"cannot read the {role} package: {where}: {clean(first.message, 500)}{more}", issues
    )


def _read(source: str | PathLike[str], role: str, allow_network: bool) -> _Release:
    given = fspath(source)
    path = Path(given)
    if not path.exists():
        issue = make_issue(
            "input-not-found",
            f"there is no file or folder {shown(given, 300)}",
            file=clean(given, 300),
            unreadable=True,
        )
        raise _unreadable(role, [issue], given)
    with open_package(path, given=given, allow_network=allow_network) as package:
        if not package.readable or package.descriptor is None or package.schema_set is None:
            unreadable = [issue for issue in package.issues if issue.unreadable] or list(
                package.issues
            )
            raise _unreadable(role, unreadable, given)
        records, problems = read_records(package)
        if problems:
            raise _unreadable(role, problems, given)
        descriptor = {k: v for k, v in package.descriptor.items() if k != "resources"}
        return _Release(
            package.version,
            descriptor,
            _resources_by_name(package),
            records,
            frozenset(package.schema_set.record_types),
        )


def diff(
    old: str | PathLike[str],
    new: str | PathLike[str],
    *,
    record_types: Iterable[str] | None = None,
    allow_network: bool = False,
) -> PackageDiff:
    """Compare two releases of a data package: a folder, its datapackage.json or a .zip each.

    Records are matched by type and ``id``; the result lists the records
    added, removed and changed (each change a JSON Pointer with the old and
    new value), the descriptor's changed fields and the resources added,
    removed or changed. ``record_types`` narrows the comparison to records
    of those types (and leaves the descriptor and resources out). Packages
    of different versions are compared as they are (see
    :attr:`PackageDiff.versions`); nothing is upgraded.

    Raises :class:`DiffError` when a package cannot be read (a missing
    folder, a descriptor or file that does not parse, a refused resource
    path), naming the file and place; its ``issues`` say why. Nothing is
    fetched unless ``allow_network`` (extensions declared by URL).

    >>> import json, shutil, tempfile
    >>> from hsdata._paths import canonical_data_dir
    >>> new = shutil.copytree(canonical_data_dir(), tempfile.mkdtemp() + "/new")
    >>> with open(new + "/actors.json", encoding="utf-8") as file:
    ...     actors = json.load(file)
    >>> actors[0]["id"], actors[0]["name"]["en"]
    ('canada', 'Canada')
    >>> actors[0]["name"]["fr"] = "Le Canada"
    >>> with open(new + "/actors.json", "w", encoding="utf-8") as file:
    ...     json.dump(actors, file)
    >>> result = diff(canonical_data_dir(), new)
    >>> result.counts()
    {'actor': {'added': 0, 'removed': 0, 'changed': 1}}
    >>> [(c.record_type, c.id) for c in result.changed]
    [('actor', 'canada')]
    >>> result.changed[0].fields
    (FieldChange(pointer='/name/fr', kind='changed', old='Canada', new='Le Canada'),)
    """
    old_release = _read(old, "old", allow_network)
    new_release = _read(new, "new", allow_network)
    narrowed = None if record_types is None else tuple(sorted(set(record_types)))
    known = old_release.record_types | new_release.record_types
    if narrowed is not None:
        unknown = [t for t in narrowed if t not in known]
        if unknown:
            raise DiffError(
                f"there is no record type {shown(unknown[0])} in these versions of the "
                f"standard; the record types are {', '.join(sorted(known))}"
            )
    types = sorted(old_release.records.keys() | new_release.records.keys())
    records = [
        change
        for record_type in types
        if narrowed is None or record_type in narrowed
        for change in compare_records(
            record_type,
            old_release.records.get(record_type, []),
            new_release.records.get(record_type, []),
        )
    ]
    descriptor: list[FieldChange] = []
    resources: list[ResourceChange] = []
    if narrowed is None:
        descriptor = compare_values(old_release.descriptor, new_release.descriptor)
        resources = _compare_named(old_release.resources, new_release.resources)
    return PackageDiff(
        old=fspath(old),
        new=fspath(new),
        versions=(old_release.version, new_release.version),
        descriptor=tuple(descriptor),
        resources=tuple(resources),
        records=tuple(records),
        record_types=narrowed,
    )


def _compare_named(
    old: Mapping[str, dict[str, Any]], new: Mapping[str, dict[str, Any]]
) -> list[ResourceChange]:
    """Resources added, removed or changed (storage fields aside), matched by name."""
    changes: list[ResourceChange] = []
    for name in sorted(old.keys() | new.keys()):
        if name not in new:
            changes.append(ResourceChange(name, "removed"))
        elif name not in old:
            changes.append(ResourceChange(name, "added"))
        else:
            fields = compare_values(old[name], new[name])
            if fields:
                changes.append(ResourceChange(name, "changed", tuple(fields)))
    return changes
