"""Reading a package and migrating every record in memory: the plan of what to write.

:func:`_plan_upgrade` takes the package from the one package reader, checks
the version it declares and the version asked for, reads each resource file
(JSON or JSON Lines) strictly, runs the chain of steps over every record,
and edits the text of each file whose records changed. The descriptor gets
the new ``hsdata:version``, each resource's ``jsonSchema`` URL of the new
version, and true ``bytes`` and ``hash`` for the files that changed. Nothing
is written here: any file that cannot be read or migrated refuses the
whole upgrade.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._files import reason_of
from .._i18n import listed, tr
from .._package import MAX_DOCUMENT_BYTES, SCHEMA_URL, Package, not_utf8
from .._reporting import Issue, clean
from .._schemas import available_versions
from ._json_text import _parse, _same, _shown_value, edit_json_text
from ._results import (
    RULE_DETAILS,
    RULE_UNREADABLE,
    RULE_UNSAFE,
    RULE_VERSION,
    UpgradeChange,
    _refusal,
    _Unreadable,
)
from ._steps import ReleaseDetails, Step, _version_key, upgrade_path

_UTF8_BOM = "\ufeff"


@dataclass
class _File:
    """A file of the package, read and migrated in memory: its bytes before and after."""

    path: Path  # on disk (safe: inside the package, a regular file)
    relative: str  # inside the package folder, '/'-separated
    shown: str
    data: bytes
    new_data: bytes | None = None


@dataclass
class _Plan:
    """Everything read and migrated, ready to write."""

    package: Package
    source_version: str
    target_version: str
    chain: tuple[Step, ...]
    descriptor: _File
    files: list[_File] = field(default_factory=list)
    changes: list[UpgradeChange] = field(default_factory=list)
    extension_folders: list[str] = field(default_factory=list)


def _read_bytes(path: Path, display: str) -> bytes:
    """The file's bytes, within the size the package reader reads whole."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise _Unreadable(
            _refusal(
                RULE_UNREADABLE,
                tr("cannot read the file: {reason}", reason=reason_of(exc)),
                file=display,
            )
        ) from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _Unreadable(
            _refusal(
                RULE_UNREADABLE,
                tr(
                    "the file holds more than {count:,} bytes, more than an upgrade reads whole",
                    count=MAX_DOCUMENT_BYTES,
                ),
                file=display,
            )
        )
    return data


def _decoded(data: bytes, display: str, line: int | None = None) -> str:
    if line is None and not_utf8(data[:4]):
        raise _Unreadable(
            _refusal(
                RULE_UNREADABLE, tr("the file is in UTF-16 or UTF-32, not UTF-8"), file=display
            )
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = (
            tr("the file is not UTF-8 text (line {line} cannot be read)", line=line)
            if line
            else tr("the file is not UTF-8 text (byte {byte} cannot be read)", byte=exc.start + 1)
        )
        raise _Unreadable(_refusal(RULE_UNREADABLE, message, file=display)) from None


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _refused_by_reader(package: Package) -> Issue | None:
    """The first problem the reader met that stops an upgrade: the descriptor, or a resource
    file it could not read safely (the upgrade would lose or leave out its records)."""
    for issue in package.blocking_issues:
        rule = RULE_UNSAFE if issue.rule.startswith("package-path") else RULE_UNREADABLE
        return _refusal(
            rule,
            issue.message,
            file=issue.file,
            pointer=issue.pointer,
            line=issue.line,
            column=issue.column,
        )
    return None


def _declared_version(package: Package, target: str | None) -> tuple[str, str, tuple[Step, ...]]:
    descriptor = package.descriptor or {}
    shown_descriptor = package.shown
    bundled = available_versions()
    declared = descriptor.get("hsdata:version")
    if not isinstance(declared, str) or declared not in bundled:
        said = (
            tr("does not declare 'hsdata:version'")
            if declared is None
            else tr(
                "declares hsdata:version {value}, unknown to this hsdata",
                value=_shown_value(declared),
            )
        )
        raise _Unreadable(
            _refusal(
                RULE_VERSION,
                tr(
                    "the package {said} (bundled versions: {bundled})",
                    said=said,
                    bundled=", ".join(bundled),
                ),
                file=shown_descriptor,
                pointer="/hsdata:version",
            )
        )
    target = target or bundled[-1]
    if target not in bundled:
        raise _Unreadable(
            _refusal(
                RULE_VERSION,
                tr(
                    "hsdata {target} is not a published version of the standard; "
                    "bundled versions: {bundled}",
                    target=clean(target),
                    bundled=", ".join(bundled),
                ),
            )
        )
    if _version_key(target) < _version_key(declared):
        raise _Unreadable(
            _refusal(
                RULE_VERSION,
                tr(
                    "the package follows hsdata {declared}, newer than {target}; "
                    "hsdata upgrades data but never downgrades it",
                    declared=declared,
                    target=target,
                ),
                file=shown_descriptor,
                pointer="/hsdata:version",
            )
        )
    chain = upgrade_path(declared, target)
    if chain is None:
        raise _Unreadable(
            _refusal(
                RULE_VERSION,
                tr(
                    "there is no upgrade from hsdata {declared} to {target}",
                    declared=declared,
                    target=target,
                ),
            )
        )
    return declared, target, chain


def _relative(path: Path, folder: Path) -> str:
    return path.absolute().relative_to(folder.absolute()).as_posix()


def _plan_upgrade(
    package: Package, target: str | None, details: ReleaseDetails | None = None
) -> _Plan:
    descriptor_path = package.descriptor_path
    if descriptor_path.is_symlink() and not _inside(
        descriptor_path.resolve(), package.folder.resolve()
    ):
        raise _Unreadable(
            _refusal(
                RULE_UNSAFE,
                tr(
                    "the descriptor is a symbolic link out of the package folder; hsdata never "
                    "follows a path out of the package"
                ),
                file=package.shown,
            )
        )
    if package.descriptor is None:
        refusal = _refused_by_reader(package)
        assert refusal is not None  # the reader says why it has no descriptor
        raise _Unreadable(refusal)
    source, target, chain = _declared_version(package, target)
    refusal = _refused_by_reader(package)
    if refusal is not None:
        raise _Unreadable(refusal)
    data = _read_bytes(package.descriptor_path, package.shown)
    descriptor = _File(package.descriptor_path, package.descriptor_path.name, package.shown, data)
    plan = _Plan(package, source, target, chain, descriptor)
    text = _decoded(data, package.shown)
    bom = 1 if text.startswith(_UTF8_BOM) else 0
    old, start, end = _parse(text, bom, package.shown)
    if not isinstance(old, dict) or not isinstance(old.get("resources"), list):
        raise _Unreadable(
            _refusal(
                RULE_UNREADABLE,
                tr("a datapackage.json holds an object with a list of 'resources'"),
                file=package.shown,
            )
        )
    new = dict(old)
    resources = list(old["resources"])
    for resource in package.resources:
        record_type = resource.record_type
        entry = resources[resource.index]
        if resource.data is not None and record_type and isinstance(entry, dict):
            migrated = _migrate_records(
                plan,
                entry["data"],
                record_type,
                package.shown,
                f"/resources/{resource.index}/data",
            )
            resources[resource.index] = {**entry, "data": migrated}
        for file in resource.files:
            if any(planned.path == file.path for planned in plan.files):
                continue  # a file two resources name is migrated once
            item = _File(file.path, _relative(file.path, package.folder), file.shown, b"")
            if file.json_lines:
                if not_utf8(_head(file.path)):
                    _decoded(b"\x00\x00", file.shown)  # refused: UTF-16 or UTF-32
                if record_type:
                    _migrate_json_lines(plan, item, record_type)
                else:
                    item.data = b"".join(_lines(file.path, file.shown))
            else:
                item.data = _read_bytes(file.path, file.shown)
                if record_type:
                    _migrate_file(plan, item, record_type)
            plan.files.append(item)
    new["resources"] = resources
    if chain:
        new = _migrate_descriptor(plan, new, details or ReleaseDetails())
        _with_version(plan, new)
    _refresh_integrity(plan, new)
    edited = edit_json_text(text, old, new, start, end)
    if edited != text:
        descriptor.new_data = edited.encode("utf-8")
    plan.extension_folders = _extension_folders(package)
    return plan


def _extension_folders(package: Package) -> list[str]:
    """The package's own extension folders (copied with --output), never one outside it."""
    listed = (package.descriptor or {}).get("hsdata:extensions")
    folders: list[str] = []
    root = package.folder.resolve()
    for entry in listed if isinstance(listed, list) else []:
        if not isinstance(entry, str) or re.match(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|[/\\])", entry):
            continue
        parts = [p for p in re.split(r"[/\\]", entry) if p not in ("", ".")]
        if not parts or ".." in parts:
            continue
        folder = package.folder.joinpath(*parts)
        if folder.is_dir() and not folder.is_symlink() and _inside(folder.resolve(), root):
            folders.append("/".join(parts))
    return folders


def _migrate_records(
    plan: _Plan,
    records: list[Any],
    record_type: str,
    display: str,
    prefix: str,
    *,
    line: int | None = None,
) -> list[Any]:
    migrated: list[Any] = []
    for position, record in enumerate(records):
        if not isinstance(record, dict):
            migrated.append(record)
            continue
        new_record = record
        record_id = clean(record["id"]) if isinstance(record.get("id"), str) else None
        for each in plan.chain:
            new_record, made = each.migrate(record_type, new_record)
            for change in made:
                pointer = f"{prefix}/{position}{change.pointer}" if line is None else change.pointer
                plan.changes.append(
                    UpgradeChange(change.kind, change.message, display, line, record_id, pointer)
                )
        migrated.append(new_record)
    return migrated


def _migrate_file(plan: _Plan, item: _File, record_type: str) -> None:
    """Migrate the records of a JSON file; ``item.new_data`` is set if any changed."""
    text = _decoded(item.data, item.shown)
    bom = 1 if text.startswith(_UTF8_BOM) else 0
    old, start, end = _parse(text, bom, item.shown)
    if not isinstance(old, list):
        raise _Unreadable(
            _refusal(
                RULE_UNREADABLE,
                tr("a resource file holds a JSON list of records, written [ {{...}}, {{...}} ]"),
                file=item.shown,
            )
        )
    before = len(plan.changes)
    new = _migrate_records(plan, old, record_type, item.shown, "")
    if len(plan.changes) > before:
        item.new_data = edit_json_text(text, old, new, start, end).encode("utf-8")


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(4)
    except OSError:
        return b""


def _lines(path: Path, display: str) -> Iterator[bytes]:
    """The lines of a JSON Lines file, split at '\\n' only (U+2028 and the like are text)."""
    try:
        with path.open("rb") as handle:
            while raw := handle.readline(MAX_DOCUMENT_BYTES + 1):
                if len(raw) > MAX_DOCUMENT_BYTES:
                    raise _Unreadable(
                        _refusal(
                            RULE_UNREADABLE,
                            tr(
                                "a line holds more than {count:,} bytes, more than one record "
                                "may take",
                                count=MAX_DOCUMENT_BYTES,
                            ),
                            file=display,
                        )
                    )
                yield raw
    except OSError as exc:
        raise _Unreadable(
            _refusal(
                RULE_UNREADABLE,
                tr("cannot read the file: {reason}", reason=reason_of(exc)),
                file=display,
            )
        ) from None


def _migrate_json_lines(plan: _Plan, item: _File, record_type: str) -> None:
    """Migrate a JSON Lines file line by line; only the lines whose record changed are edited."""
    original: list[bytes] = []
    out: list[bytes] = []
    for number, raw in enumerate(_lines(item.path, item.shown), start=1):
        original.append(raw)
        text = _decoded(raw, item.shown, line=number)
        start = 1 if number == 1 and text.startswith(_UTF8_BOM) else 0
        if not text[start:].strip(" \t\r\n"):
            out.append(raw)
            continue
        old, value_start, value_end = _parse(text, start, item.shown, line=number)
        before = len(plan.changes)
        [new] = _migrate_records(plan, [old], record_type, item.shown, "", line=number)
        if len(plan.changes) == before:
            out.append(raw)
        else:
            out.append(edit_json_text(text, old, new, value_start, value_end).encode("utf-8"))
    item.data = b"".join(original)
    if out != original:
        item.new_data = b"".join(out)


def _migrate_descriptor(
    plan: _Plan, descriptor: dict[str, Any], details: ReleaseDetails
) -> dict[str, Any]:
    """The descriptor through each step's descriptor migration; refused, naming every option
    still needed, when a step lacks a fact only the publisher can give."""
    problems: list[str] = []
    for each in plan.chain:
        if each.migrate_descriptor is None:
            continue
        descriptor, made, stopped = each.migrate_descriptor(descriptor, details)
        problems.extend(stopped)
        for change in made:
            plan.changes.append(
                UpgradeChange(
                    change.kind, change.message, plan.package.shown, pointer=change.pointer
                )
            )
    if problems:
        raise _Unreadable(
            _refusal(
                RULE_DETAILS,
                tr(
                    "the package cannot be upgraded to hsdata {target} without facts about its "
                    "publisher that it does not state; give {problems}",
                    target=plan.target_version,
                    problems=listed(problems),
                ),
                file=plan.package.shown,
            )
        )
    return descriptor


def _with_version(plan: _Plan, descriptor: dict[str, Any]) -> None:
    """Set the new hsdata:version and the version of each resource's jsonSchema URL."""
    target = plan.target_version
    shown_descriptor = plan.package.shown
    descriptor["hsdata:version"] = target
    plan.changes.append(
        UpgradeChange(
            "standard-version",
            f"hsdata:version {plan.source_version} -> {target}",
            shown_descriptor,
            pointer="/hsdata:version",
        )
    )
    resources = descriptor["resources"]
    for index, resource in enumerate(resources):
        url = resource.get("jsonSchema") if isinstance(resource, dict) else None
        match = SCHEMA_URL.match(url) if isinstance(url, str) else None
        if match and match.group(1) == plan.source_version:
            new_url = f"https://w3id.org/hsdata/schema/{target}/{match.group(2)}.json"
            resources[index] = {**resource, "jsonSchema": new_url}
            plan.changes.append(
                UpgradeChange(
                    "resource-schema",
                    f"jsonSchema -> {clean(new_url)}",
                    shown_descriptor,
                    pointer=f"/resources/{index}/jsonSchema",
                )
            )


def _refresh_integrity(plan: _Plan, descriptor: dict[str, Any]) -> None:
    """Keep a resource's declared size and hash true to its file once its records changed."""
    resources = descriptor["resources"]
    by_path = {item.path: item for item in plan.files}
    for resource in plan.package.resources:
        if len(resource.files) != 1 or isinstance(resource.descriptor.get("path"), list):
            continue
        item = by_path.get(resource.files[0].path)
        entry = resources[resource.index]
        if item is None or item.new_data is None or not isinstance(entry, dict):
            continue
        updated = dict(entry)
        if "bytes" in entry:
            updated["bytes"] = len(item.new_data)
        declared_hash = entry.get("hash")
        if isinstance(declared_hash, str):
            algorithm, _, _ = declared_hash.rpartition(":")
            try:
                digest = hashlib.new(algorithm or "md5", item.new_data).hexdigest()
            except ValueError:
                digest = None
            if digest is not None:
                updated["hash"] = f"{algorithm}:{digest}" if algorithm else digest
        if not _same(updated, entry):
            resources[resource.index] = updated
            plan.changes.append(
                UpgradeChange(
                    "resource-integrity",
                    "bytes and hash updated for the new file",
                    plan.package.shown,
                    pointer=f"/resources/{resource.index}",
                )
            )
