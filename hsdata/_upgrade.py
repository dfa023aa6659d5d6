"""Upgrading a data package from the version of the standard it follows to a newer one.

An upgrade is a chain of small steps, one per pair of consecutive versions
(1.0 -> 1.1, then 1.1 -> 1.2, ...). A step is a pure function of one record:
it returns the migrated record and the changes it made, and never touches
the record it was given. :func:`upgrade` reads the package, runs the chain
over every record, updates ``hsdata:version`` and each resource's
``jsonSchema``, and writes the result (to another folder, or in place),
keeping the order of fields and the two-space JSON layout. Nothing is
written unless every file could be read and migrated. The upgraded package
is then validated against its new version, so the result says whether it
is valid as well as what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._errors import HsdataError
from ._reporting import (
    ExitCode,
    Issue,
    Report,
    Rule,
    Severity,
    exit_code_of,
    issue_dict,
    make_issue,
    register,
)
from ._schemas import available_versions, camel_case
from ._validator import validate

__all__ = ["UpgradeChange", "UpgradeError", "UpgradeReport", "upgrade", "upgrade_record"]


class UpgradeError(HsdataError, ValueError):
    """The upgrade was asked for in a way that cannot work (not a data problem)."""


def _rule(rule_id: str, title: str, explanation: str) -> Rule:
    return register(Rule(rule_id, Severity.ERROR, "upgrade", title, explanation))


RULE_UNREADABLE = _rule(
    "upgrade-unreadable",
    "A file of the package cannot be read for upgrading",
    "The datapackage.json or one of its resources is missing, is not UTF-8 JSON (or JSON "
    "Lines), repeats a field in one object, or does not hold a list of records. Nothing was "
    "written: fix the file (hsdata validate says more) and upgrade again.",
)
RULE_VERSION = _rule(
    "upgrade-version",
    "The package cannot be upgraded to the version asked for",
    "The package does not declare the version of the standard it follows in 'hsdata:version', "
    "declares one this hsdata does not know, or the version asked for is older than the "
    "package's (hsdata upgrades, never downgrades) or not a published version. Nothing was "
    "written.",
)
RULE_UNSAFE = _rule(
    "upgrade-unsafe-path",
    "The upgrade would read or write outside its folders",
    "A resource path is absolute, a URL, leads out of the package folder (with '..' or through "
    "a symbolic link), or the output folder is inside the package or not empty. hsdata never "
    "follows a path out of the package and never writes over the data it reads. Nothing was "
    "written.",
)


def _refusal(
    rule: Rule, message: str, *, file: str | None = None, pointer: str | None = None
) -> Issue:
    return make_issue(rule.id, message, file=file, pointer=pointer, unreadable=True)


# -- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpgradeChange:
    """One change an upgrade made: its kind, a sentence, and where it was made.

    ``kind`` is a short stable name (``standard-version``, ``resource-schema``,
    ``post-attested-on``, ...); ``pointer`` is a JSON Pointer into ``file``
    (for JSON Lines, into the record on ``line``).
    """

    kind: str
    message: str
    file: str | None = None
    line: int | None = None
    record: str | None = None
    pointer: str | None = None


@dataclass(frozen=True)
class UpgradeReport:
    """What an upgrade did: the changes made, and the problems that stopped or followed it.

    ``issues`` holds the reasons nothing was written (exit code 2) or, once
    the package was written, what validating it against the new version
    found (errors give exit code 1; warnings are allowed).

    >>> report = UpgradeReport(source_version="1.0", target_version="1.1", changes=(
    ...     UpgradeChange("post-attested-on", "heldOn moved to attestedOn", "actors.json"),))
    >>> report.exit_code, report.counts()
    (<ExitCode.VALID: 0>, {'post-attested-on': 1})
    """

    source_version: str | None = None
    target_version: str | None = None
    steps: tuple[str, ...] = ()
    changes: tuple[UpgradeChange, ...] = ()
    issues: tuple[Issue, ...] = ()
    files: tuple[str, ...] = ()
    output: str | None = None
    written: bool = False

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def valid(self) -> bool:
        """True when the upgrade ran and its result has no errors."""
        return not self.errors

    @property
    def exit_code(self) -> ExitCode:
        """2 if the upgrade was refused, 1 if the upgraded package is invalid, else 0."""
        return exit_code_of(self.issues)

    def counts(self) -> dict[str, int]:
        """How many changes of each kind were made."""
        return dict(Counter(c.kind for c in self.changes))

    def __iter__(self) -> Iterator[UpgradeChange]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data (what ``--format json`` prints)."""
        return {
            "sourceVersion": self.source_version,
            "targetVersion": self.target_version,
            "steps": list(self.steps),
            "output": self.output,
            "written": self.written,
            "files": list(self.files),
            "exitCode": int(self.exit_code),
            "counts": self.counts(),
            "changes": [
                {k: v for k, v in vars(change).items() if v is not None} for change in self.changes
            ],
            "issues": [issue_dict(i) for i in self.issues],
        }


# -- steps ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordChange:
    """A change a step made to one record; ``pointer`` is relative to the record."""

    kind: str
    pointer: str
    message: str


#: A step's work on one record: (record type, record) -> (migrated record, its changes).
RecordMigration = Callable[[str, dict[str, Any]], tuple[dict[str, Any], tuple[RecordChange, ...]]]


@dataclass(frozen=True)
class Step:
    """The migration from one version of the standard to the next."""

    source: str
    target: str
    summary: str
    migrate: RecordMigration


#: Every registered step, by (from version, to version).
STEPS: dict[tuple[str, str], Step] = {}


def step(source: str, target: str, summary: str) -> Callable[[RecordMigration], RecordMigration]:
    """Register a record migration as the step from ``source`` to ``target``."""

    def register_step(migrate: RecordMigration) -> RecordMigration:
        if (source, target) in STEPS:
            raise ValueError(f"two upgrade steps from {source} to {target}")
        STEPS[(source, target)] = Step(source, target, summary, migrate)
        return migrate

    return register_step


@step("1.0", "1.1", "a post's heldOn date becomes the list attestedOn")
def _from_1_0_to_1_1(
    record_type: str, record: dict[str, Any]
) -> tuple[dict[str, Any], tuple[RecordChange, ...]]:
    """1.1 records a post's dates in ``attestedOn`` (a list); 1.0's single ``heldOn`` moves there.

    >>> record = {"id": "x", "posts": [{"organization": "canada", "heldOn": "1997-12-03"}]}
    >>> migrated, changes = _from_1_0_to_1_1("actor", record)
    >>> migrated["posts"]
    [{'organization': 'canada', 'attestedOn': ['1997-12-03']}]
    >>> [c.pointer for c in changes], record["posts"][0]["heldOn"]
    (['/posts/0/attestedOn'], '1997-12-03')
    """
    posts = record.get("posts")
    if record_type != "actor" or not isinstance(posts, list):
        return record, ()
    changes: list[RecordChange] = []
    new_posts: list[Any] = []
    for index, post in enumerate(posts):
        moved = _held_on_to_attested_on(post)
        if moved is None:
            new_posts.append(post)
            continue
        new_posts.append(moved)
        changes.append(
            RecordChange(
                "post-attested-on",
                f"/posts/{index}/attestedOn",
                f"posts[{index}].heldOn {json.dumps(post['heldOn'], ensure_ascii=False)} "
                f"moved into posts[{index}].attestedOn",
            )
        )
    if not changes:
        return record, ()
    return {**record, "posts": new_posts}, tuple(changes)


def _held_on_to_attested_on(post: Any) -> dict[str, Any] | None:
    """The post with heldOn moved into attestedOn (at heldOn's place), or None if nothing to do.

    A post that already has attestedOn keeps it, with the heldOn date added
    when it is not there yet; one whose attestedOn is not a list is left as
    it is, so that no value is lost (the validator then reports it).
    """
    if not isinstance(post, dict) or "heldOn" not in post:
        return None
    held_on = post["heldOn"]
    existing = post.get("attestedOn")
    if "attestedOn" in post and not isinstance(existing, list):
        return None
    migrated: dict[str, Any] = {}
    for key, value in post.items():
        if key == "heldOn":
            if existing is None:
                migrated["attestedOn"] = [held_on]
        elif key == "attestedOn":
            migrated[key] = value if held_on in value else [*value, held_on]
        else:
            migrated[key] = value
    return migrated


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def upgrade_path(source: str, target: str) -> tuple[Step, ...] | None:
    """The steps that lead from ``source`` to ``target``, or None if there is no such chain.

    >>> [f"{s.source}->{s.target}" for s in upgrade_path("1.0", "1.1") or ()]
    ['1.0->1.1']
    """
    chain: list[Step] = []
    current = source
    while current != target:
        following = [s for (start, _), s in STEPS.items() if start == current]
        following = [s for s in following if _version_key(s.target) <= _version_key(target)]
        if not following:
            return None
        current = max(following, key=lambda s: _version_key(s.target)).target
        chain.append(next(s for s in following if s.target == current))
    return tuple(chain)


def upgrade_record(
    record: dict[str, Any], record_type: str, source: str, target: str | None = None
) -> tuple[dict[str, Any], tuple[RecordChange, ...]]:
    """One record migrated from version ``source`` to ``target`` (default: the newest).

    The record given is not modified.

    >>> post = {"organization": "icrc", "heldOn": "1997-12-03"}
    >>> upgrade_record({"id": "p", "type": "person", "posts": [post]}, "actor", "1.0")[0]
    {'id': 'p', 'type': 'person', 'posts': [{'organization': 'icrc', 'attestedOn': ['1997-12-03']}]}
    """
    target = target or available_versions()[-1]
    chain = upgrade_path(source, target)
    if chain is None:
        raise UpgradeError(f"there is no upgrade from hsdata {source} to {target}")
    changes: list[RecordChange] = []
    for each in chain:
        record, made = each.migrate(record_type, record)
        changes.extend(made)
    return record, tuple(changes)


# -- reading and writing packages ------------------------------------------------------------------

_JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
_SCHEMA_URL = re.compile(
    r"^https://w3id\.org/hsdata/schema/(?P<version>[0-9]+\.[0-9]+)/(?P<file>[^/]+)\Z"
)


class _Unreadable(Exception):
    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"the field {key!r} appears twice in one object")
        found[key] = value
    return found


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _parse(text: str, display: str, line: int | None = None) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        where = f"line {line}" if line else f"line {exc.lineno}, column {exc.colno}"
        raise _Unreadable(
            _refusal(
                RULE_UNREADABLE, f"{display}: not valid JSON at {where}: {exc.msg}", file=display
            )
        ) from None
    except (ValueError, RecursionError) as exc:
        where = f" (line {line})" if line else ""
        raise _Unreadable(
            _refusal(RULE_UNREADABLE, f"{display}{where}: {exc}", file=display)
        ) from None


def _read_text(path: Path, display: str) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise _Unreadable(
            _refusal(RULE_UNREADABLE, f"{display}: the file is not UTF-8 text", file=display)
        ) from None
    except OSError as exc:
        raise _Unreadable(
            _refusal(
                RULE_UNREADABLE, f"{display}: cannot be read ({exc.strerror or exc})", file=display
            )
        ) from None


def _dump(document: Any, text: str) -> str:
    """The document as two-space JSON, ending in a newline when the original text did."""
    out = json.dumps(document, indent=2, ensure_ascii=False)
    return out + "\n" if text.endswith("\n") or not text else out


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


@dataclass
class _Resource:
    """A resource file of the package, read and migrated in memory."""

    index: int
    part: int | None
    relative: str
    source: Path
    record_type: str
    text: str
    new_text: str | None = None


@dataclass
class _Plan:
    """Everything read and migrated, ready to write."""

    package_dir: Path
    descriptor_path: Path
    descriptor_text: str
    descriptor: dict[str, Any]
    source_version: str
    target_version: str
    chain: tuple[Step, ...]
    resources: list[_Resource] = field(default_factory=list)
    changes: list[UpgradeChange] = field(default_factory=list)
    extension_dirs: list[str] = field(default_factory=list)


def _locate(path: Path) -> tuple[Path, Path]:
    """(package folder, datapackage.json) for a folder or a descriptor file."""
    if path.is_dir():
        return path.resolve(), path.resolve() / "datapackage.json"
    # The folder is the one the descriptor is named in, not where a link to it points.
    return path.absolute().parent.resolve(), path.absolute().parent.resolve() / path.name


def _record_type_of(resource: dict[str, Any], path: str) -> str | None:
    declared = resource.get("hsdata:recordType")
    if isinstance(declared, str):
        return declared
    schema_url = resource.get("jsonSchema")
    if isinstance(schema_url, str) and (match := _SCHEMA_URL.match(schema_url)):
        return camel_case(match["file"].removesuffix(".json"))
    stem = Path(path).name.split(".")[0]
    name = camel_case(stem)
    return name[:-1] if name.endswith("s") else name


def _resource_file(package_dir: Path, relative: Any, display: str) -> Path:
    """The resource file, refusing anything that would lead out of the package."""
    if not isinstance(relative, str) or not relative:
        raise _Unreadable(
            _refusal(RULE_UNREADABLE, f"{display}: a resource path must be a text", file=display)
        )
    if (
        re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", relative)
        or relative.startswith(("/", "\\"))
        or (len(relative) > 1 and relative[1] == ":")
    ):
        raise _Unreadable(
            _refusal(
                RULE_UNSAFE,
                f"{display}: the resource path {relative!r} is not a path inside the package; "
                "only local files inside the package folder are upgraded",
                file=display,
            )
        )
    candidate = package_dir / relative
    resolved = candidate.resolve()
    if not _inside(resolved, package_dir):
        how = (
            "through a symbolic link" if _inside(candidate.absolute(), package_dir) else "with '..'"
        )
        raise _Unreadable(
            _refusal(
                RULE_UNSAFE,
                f"{display}: the resource path {relative!r} leads out of the package folder {how}",
                file=display,
            )
        )
    return resolved


def _plan(path: Path, target: str | None) -> _Plan:
    package_dir, descriptor_path = _locate(path)
    shown_descriptor = str(path if path.suffix == ".json" else path / "datapackage.json")
    if descriptor_path.is_symlink() and not _inside(descriptor_path.resolve(), package_dir):
        raise _Unreadable(
            _refusal(
                RULE_UNSAFE,
                f"{shown_descriptor}: the descriptor is a symbolic link out of the package folder",
                file=shown_descriptor,
            )
        )
    text = _read_text(descriptor_path, shown_descriptor)
    descriptor = _parse(text, shown_descriptor)
    if not isinstance(descriptor, dict):
        raise _Unreadable(
            _refusal(
                RULE_UNREADABLE,
                f"{shown_descriptor}: a datapackage.json holds an object",
                file=shown_descriptor,
            )
        )
    bundled = available_versions()
    declared = descriptor.get("hsdata:version")
    if not isinstance(declared, str) or declared not in bundled:
        said = (
            "does not declare 'hsdata:version'"
            if declared is None
            else f"declares hsdata:version {declared!r}, which this hsdata does not know"
        )
        raise _Unreadable(
            _refusal(
                RULE_VERSION,
                f"{shown_descriptor}: the package {said} (bundled versions: {', '.join(bundled)})",
                file=shown_descriptor,
                pointer="/hsdata:version",
            )
        )
    target = target or bundled[-1]
    if target not in bundled:
        raise _Unreadable(
            _refusal(
                RULE_VERSION,
                f"hsdata {target} is not a published version of the standard; "
                f"bundled versions: {', '.join(bundled)}",
            )
        )
    if _version_key(target) < _version_key(declared):
        raise _Unreadable(
            _refusal(
                RULE_VERSION,
                f"{shown_descriptor}: the package follows hsdata {declared}, newer than {target}; "
                "hsdata upgrades data but never downgrades it",
                file=shown_descriptor,
                pointer="/hsdata:version",
            )
        )
    chain = upgrade_path(declared, target)
    if chain is None:
        raise _Unreadable(
            _refusal(RULE_VERSION, f"there is no upgrade from hsdata {declared} to {target}")
        )
    plan = _Plan(package_dir, descriptor_path, text, descriptor, declared, target, chain)
    base = shown_descriptor.removesuffix(descriptor_path.name).rstrip("/\\") or "."
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        raise _Unreadable(
            _refusal(
                RULE_UNREADABLE,
                f"{shown_descriptor}: 'resources' must be a list",
                file=shown_descriptor,
            )
        )
    new_resources: list[Any] = []
    for index, resource in enumerate(resources):
        if not isinstance(resource, dict):
            new_resources.append(resource)
            continue
        new_resources.append(_plan_resource(plan, index, resource, base, shown_descriptor))
    if chain:
        plan.descriptor = _with_version(plan, new_resources, shown_descriptor)
    extensions = descriptor.get("hsdata:extensions")
    if isinstance(extensions, list):
        for entry in extensions:
            if isinstance(entry, str) and (package_dir / entry).is_dir():
                _resource_file(package_dir, entry, shown_descriptor)
                plan.extension_dirs.append(entry)
    return plan


def _plan_resource(
    plan: _Plan, index: int, resource: dict[str, Any], base: str, shown_descriptor: str
) -> dict[str, Any]:
    """Read and migrate one resource; return its descriptor entry (jsonSchema updated)."""
    paths = resource.get("path")
    parts = paths if isinstance(paths, list) else [paths]
    record_type_path = (
        parts[0] if parts and isinstance(parts[0], str) else str(resource.get("name", ""))
    )
    record_type = _record_type_of(resource, record_type_path)
    if "data" in resource and paths is None:
        records = resource["data"]
        if isinstance(records, list) and record_type:
            migrated = _migrate_records(
                plan, records, record_type, shown_descriptor, f"/resources/{index}/data"
            )
            resource = {**resource, "data": migrated}
    else:
        for part_index, relative in enumerate(parts):
            display = f"{base}/{relative}" if isinstance(relative, str) else shown_descriptor
            source = _resource_file(plan.package_dir, relative, shown_descriptor)
            if not source.is_file():
                raise _Unreadable(
                    _refusal(
                        RULE_UNREADABLE,
                        f"{display}: the resource file does not exist",
                        file=display,
                    )
                )
            text = _read_text(source, display)
            item = _Resource(
                index,
                part_index if isinstance(paths, list) else None,
                str(relative),
                source,
                record_type or "",
                text,
            )
            item.new_text = _migrate_file(plan, item, display)
            plan.resources.append(item)
    return resource


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
        for each in plan.chain:
            new_record, made = each.migrate(record_type, new_record)
            record_id = record.get("id") if isinstance(record.get("id"), str) else None
            for change in made:
                pointer = f"{prefix}/{position}{change.pointer}" if line is None else change.pointer
                plan.changes.append(
                    UpgradeChange(change.kind, change.message, display, line, record_id, pointer)
                )
        migrated.append(new_record)
    return migrated


def _migrate_file(plan: _Plan, item: _Resource, display: str) -> str | None:
    """The file's new text, or None when no record changed."""
    if not item.record_type:
        return None
    if item.relative.lower().endswith(_JSON_LINES_SUFFIXES):
        lines = item.text.splitlines(keepends=True)
        changed = False
        out: list[str] = []
        for number, raw in enumerate(lines, start=1):
            body = raw.rstrip("\r\n")
            if not body.strip():
                out.append(raw)
                continue
            record = _parse(body, display, line=number)
            before = len(plan.changes)
            [new_record] = _migrate_records(
                plan, [record], item.record_type, display, "", line=number
            )
            if len(plan.changes) == before:
                out.append(raw)
                continue
            changed = True
            out.append(json.dumps(new_record, ensure_ascii=False) + raw[len(body) :])
        return "".join(out) if changed else None
    document = _parse(item.text, display)
    if not isinstance(document, list):
        raise _Unreadable(
            _refusal(
                RULE_UNREADABLE,
                f"{display}: a resource file holds a JSON list of records",
                file=display,
            )
        )
    before = len(plan.changes)
    migrated = _migrate_records(plan, document, item.record_type, display, "")
    return _dump(migrated, item.text) if len(plan.changes) > before else None


def _with_version(plan: _Plan, resources: list[Any], shown: str) -> dict[str, Any]:
    """The descriptor with the new hsdata:version and resource jsonSchema URLs."""
    target = plan.target_version
    descriptor = {**plan.descriptor, "hsdata:version": target, "resources": resources}
    plan.changes.append(
        UpgradeChange(
            "standard-version",
            f"hsdata:version {plan.source_version} -> {target}",
            shown,
            pointer="/hsdata:version",
        )
    )
    new_resources: list[Any] = []
    for index, resource in enumerate(resources):
        url = resource.get("jsonSchema") if isinstance(resource, dict) else None
        match = _SCHEMA_URL.match(url) if isinstance(url, str) else None
        if match and match["version"] == plan.source_version:
            new_url = f"https://w3id.org/hsdata/schema/{target}/{match['file']}"
            new_resources.append({**resource, "jsonSchema": new_url})
            plan.changes.append(
                UpgradeChange(
                    "resource-schema",
                    f"jsonSchema -> {new_url}",
                    shown,
                    pointer=f"/resources/{index}/jsonSchema",
                )
            )
        else:
            new_resources.append(resource)
    descriptor["resources"] = new_resources
    return descriptor


def _refresh_integrity(plan: _Plan, shown: str) -> None:
    """Keep a resource's declared size and hash true to the file once its records changed."""
    resources = plan.descriptor.get("resources")
    if not isinstance(resources, list):
        return
    for item in plan.resources:
        resource = resources[item.index]
        if item.new_text is None or item.part is not None or not isinstance(resource, dict):
            continue
        data = item.new_text.encode("utf-8")
        updated = dict(resource)
        if "bytes" in resource:
            updated["bytes"] = len(data)
        declared_hash = resource.get("hash")
        if isinstance(declared_hash, str):
            algorithm, _, _ = declared_hash.rpartition(":")
            try:
                digest = hashlib.new(algorithm or "md5", data).hexdigest()
            except ValueError:
                digest = None
            if digest is not None:
                updated["hash"] = f"{algorithm}:{digest}" if algorithm else digest
        if updated != resource:
            resources[item.index] = updated
            plan.changes.append(
                UpgradeChange(
                    "resource-integrity",
                    "bytes and hash updated for the new file",
                    shown,
                    pointer=f"/resources/{item.index}",
                )
            )


def _write(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, so a crash leaves the old file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _check_output(output: Path, package_dir: Path) -> Issue | None:
    resolved = output.resolve()
    if _inside(resolved, package_dir):
        return _refusal(
            RULE_UNSAFE,
            f"the output folder {output} is inside the package folder {package_dir}; "
            "choose a folder elsewhere, or upgrade in place",
        )
    if resolved.exists() and (not resolved.is_dir() or any(resolved.iterdir())):
        return _refusal(
            RULE_UNSAFE,
            f"the output folder {output} already exists and is not empty; name a new folder",
        )
    return None


def upgrade(
    path: str | os.PathLike[str] = ".",
    to: str | None = None,
    *,
    output: str | os.PathLike[str] | None = None,
    in_place: bool = False,
    validate_result: bool = True,
) -> UpgradeReport:
    """Upgrade the data package at ``path`` to version ``to`` of the standard (default: the newest).

    ``path`` is a package folder or its ``datapackage.json``. Give exactly
    one of ``output`` (a new or empty folder outside the package, which
    receives the upgraded datapackage.json, its resource files and its local
    extension folders) or ``in_place=True``. Problems with the data become
    issues in the returned :class:`UpgradeReport`; nothing is written when
    any file cannot be read or migrated. Only asking for both or neither of
    ``output`` and ``in_place`` raises :class:`UpgradeError`.

    >>> import tempfile, hsdata
    >>> from hsdata._paths import canonical_data_dir
    >>> out = tempfile.mkdtemp() + "/upgraded"
    >>> report = hsdata.upgrade(canonical_data_dir(), output=out)
    >>> report.exit_code, report.target_version == hsdata.available_versions()[-1]
    (<ExitCode.VALID: 0>, True)
    >>> hsdata.validate(out).schema_version == report.target_version
    True
    """
    if (output is None) == (not in_place):
        raise UpgradeError("give either an output folder or in_place=True (exactly one)")
    given = Path(path)
    shown = str(given if given.suffix == ".json" else given / "datapackage.json")
    try:
        plan = _plan(given, to)
    except _Unreadable as refused:
        return UpgradeReport(issues=(refused.issue,), output=str(output) if output else None)
    report = UpgradeReport(
        source_version=plan.source_version,
        target_version=plan.target_version,
        steps=tuple(f"{s.source} -> {s.target}: {s.summary}" for s in plan.chain),
    )
    target_dir = plan.package_dir
    if output is not None:
        refusal = _check_output(Path(output), plan.package_dir)
        if refusal is not None:
            return UpgradeReport(
                source_version=plan.source_version,
                target_version=plan.target_version,
                issues=(refusal,),
                output=str(output),
            )
        target_dir = Path(output).resolve()
    _refresh_integrity(plan, shown)
    written = _write_package(plan, target_dir, output is not None)
    issues: tuple[Issue, ...] = ()
    if validate_result:
        checked: Report = validate(target_dir / plan.descriptor_path.name)
        issues = checked.issues
    return UpgradeReport(
        source_version=report.source_version,
        target_version=report.target_version,
        steps=report.steps,
        changes=tuple(plan.changes),
        issues=issues,
        files=tuple(written),
        output=str(target_dir),
        written=bool(written),
    )


def _write_package(plan: _Plan, target_dir: Path, copy_all: bool) -> list[str]:
    """Write what changed (in place) or the whole package (to a new folder)."""
    written: list[str] = []
    descriptor_changed = plan.descriptor_text != _dump(plan.descriptor, plan.descriptor_text)
    if copy_all or descriptor_changed:
        target = target_dir / plan.descriptor_path.name
        _write(
            target,
            _dump(plan.descriptor, plan.descriptor_text)
            if descriptor_changed
            else plan.descriptor_text,
        )
        written.append(str(target))
    for item in plan.resources:
        if item.new_text is None and not copy_all:
            continue
        target = target_dir / item.relative if copy_all else item.source
        _write(target, item.new_text if item.new_text is not None else item.text)
        written.append(str(target))
    if copy_all:
        for entry in plan.extension_dirs:
            written.extend(
                _copy_folder(plan.package_dir / entry, target_dir / entry, plan.package_dir)
            )
    return written


def _copy_folder(source: Path, target: Path, package_dir: Path) -> Sequence[str]:
    """Copy an extension folder, skipping symbolic links (never followed out of the package)."""
    copied: list[str] = []
    for item in sorted(source.rglob("*")):
        if item.is_symlink() or not item.is_file() or not _inside(item.resolve(), package_dir):
            continue
        destination = target / item.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(item.read_bytes())
        copied.append(str(destination))
    return copied
