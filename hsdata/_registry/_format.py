"""The registry file: read strictly, checked against its schema, every problem located.

A registry is one JSON object (``schema/registry.json``) listing
publishers and their data sets. It is read with the package reader's strict
JSON input (duplicate keys, encodings, size), and every problem names the
file, the JSON Pointer and the line it is on.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from .._i18n import Message, tr
from .._package import LineIndex, display_path, max_document_bytes, parse_json, scan, too_large
from .._paths import schema_root
from .._reporting import Issue, clean, make_issue, shown

INVALID = "registry-invalid"

__all__ = [
    "INVALID",
    "Registry",
    "RegistryDataset",
    "RegistryPublisher",
    "display_name",
    "read_registry",
    "registry_schema",
    "registry_schema_path",
]


@dataclass(frozen=True)
class RegistryPublisher:
    """One publisher a registry lists."""

    id: str
    name: str | dict[str, str]
    identifier: str | None = None
    homepage: str | None = None


@dataclass(frozen=True)
class RegistryDataset:
    """One data set (one hsdata package) a registry lists."""

    id: str
    title: str | dict[str, str]
    publisher: str
    license: str
    modified: str
    pointer: str
    """Where the entry is in the registry file, such as ``/datasets/1``."""
    access_url: str | None = None
    download_url: str | None = None
    path: str | None = None
    dependencies: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Registry:
    """A registry file read and checked; paths in it are relative to :attr:`folder`."""

    file: Path
    shown: str
    """How reports name the registry file."""
    data: dict[str, Any]
    publishers: tuple[RegistryPublisher, ...]
    datasets: tuple[RegistryDataset, ...]

    @property
    def folder(self) -> Path:
        return self.file.parent

    def publisher(self, publisher_id: str) -> RegistryPublisher:
        return next(p for p in self.publishers if p.id == publisher_id)


def display_name(name: str | Mapping[str, str]) -> str:
    """A name to show: the string, else its English text, else its first text."""
    if isinstance(name, str):
        return name
    return name.get("en") or next(iter(name.values()), "")


def registry_schema_path() -> Path:
    """The JSON Schema of registry files."""
    return schema_root() / "registry.json"


@cache
def registry_schema() -> dict[str, Any]:
    """The registry schema, read once."""
    schema: dict[str, Any] = json.loads(registry_schema_path().read_text(encoding="utf-8"))
    return schema


# -- schema errors in words ----------------------------------------------------------------------


def _place(pointer: str) -> str:
    """Where a pointer is, in words that start a sentence: 'Data set 2', 'Publisher 1, its
    'name'', 'The registry'."""
    parts = pointer.split("/")[1:]
    if len(parts) >= 2 and parts[0] in ("datasets", "publishers") and parts[1].isdigit():
        number = int(parts[1]) + 1
        if parts[0] == "datasets":
            if len(parts) > 2:
                return tr("Data set {number}, its {field}", number=number, field=shown(parts[2]))
            return tr("Data set {number}", number=number)
        if len(parts) > 2:
            return tr("Publisher {number}, its {field}", number=number, field=shown(parts[2]))
        return tr("Publisher {number}", number=number)
    if parts:
        return tr("Its {field}", field=shown(parts[0]))
    return tr("The registry")


def described(description: str) -> str:
    """A description from the registry schema as a message, so that it is translated: the
    catalogue holds it as it is written here (lower-cased, without its full stop)."""
    return Message(description, description.replace("{", "{{").replace("}", "}}"), {})


def _problem(error: jsonschema.ValidationError, place: str) -> str:
    """What a schema error means, in a sentence about ``place`` that echoes input only
    through shown()."""
    keyword = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance: Any = error.instance
    wanted_value: Any = error.validator_value
    if keyword == "required":
        missing = [m for m in wanted_value if m not in instance]
        return tr(
            "{place} has no {field}, which it must give.",
            place=place,
            field=shown(missing[0] if missing else "?"),
        )
    if keyword == "additionalProperties":
        extra = sorted(set(instance) - set(schema.get("properties", {})))
        return tr(
            "{place} has {field}, which is not a field of the format.",
            place=place,
            field=shown(extra[0] if extra else "?"),
        )
    if keyword == "anyOf":  # the one anyOf of the format: a data set's path or downloadURL
        return tr(
            "{place} gives neither a local path nor a downloadURL, so its package cannot be found.",
            place=place,
        )
    if keyword == "type":
        if str(wanted_value) == "object":
            return tr(
                "{place} is {value}, but must be an object, written {{ ... }}.",
                place=place,
                value=shown(instance),
            )
        if str(wanted_value) == "array":
            return tr(
                "{place} is {value}, but must be a list, written [ ... ].",
                place=place,
                value=shown(instance),
            )
        return tr("{place} is {value}, but must be a string.", place=place, value=shown(instance))
    if keyword in ("pattern", "oneOf", "minLength"):
        wanted = str(schema.get("description") or "")
        wanted = wanted.rstrip(".")
        if not wanted:
            return tr(
                "{place} is {value}, which is not a value of the form the format gives.",
                place=place,
                value=shown(instance),
            )
        return tr(
            "{place} is {value}, which is not {wanted}.",
            place=place,
            value=shown(instance),
            wanted=described(wanted[0].lower() + wanted[1:]),
        )
    if keyword == "minItems":
        return tr("{place} is an empty list; it must list at least one.", place=place)
    return tr(
        "{place} breaks the format ({detail}).", place=place, detail=clean(error.message, 200)
    )


def _pointer(path: list[Any]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _schema_issues(data: Any) -> list[tuple[str, str]]:
    """(pointer, message) for every schema error, in the order of the file."""
    validator = jsonschema.Draft202012Validator(registry_schema())
    found: list[tuple[str, str]] = []
    for error in validator.iter_errors(data):
        path = list(error.absolute_path)
        place = _place(_pointer(path))
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            # Point at the member that should not be there, not at its object.
            allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
            path += sorted(set(error.instance) - set(allowed))[:1]
        found.append((_pointer(path), _problem(error, place)))
    return sorted(set(found))


def _cross_issues(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Ids given twice, and data sets naming a publisher the registry does not list."""
    found: list[tuple[str, str]] = []
    for kind in ("publishers", "datasets"):
        seen: set[str] = set()
        for index, entry in enumerate(data[kind]):
            if entry["id"] in seen:
                said = {"number": index + 1, "id": shown(entry["id"])}
                found.append(
                    (
                        f"/{kind}/{index}/id",
                        tr(
                            "Publisher {number} has the id {id}, which an earlier publisher "
                            "already has.",
                            **said,
                        )
                        if kind == "publishers"
                        else tr(
                            "Data set {number} has the id {id}, which an earlier data set "
                            "already has.",
                            **said,
                        ),
                    )
                )
            seen.add(entry["id"])
    publishers = {p["id"] for p in data["publishers"]}
    for index, entry in enumerate(data["datasets"]):
        if entry["publisher"] not in publishers:
            found.append(
                (
                    f"/datasets/{index}/publisher",
                    tr(
                        "Data set {number} names the publisher {publisher}, which the "
                        "registry's publishers do not list.",
                        number=index + 1,
                        publisher=shown(entry["publisher"]),
                    ),
                )
            )
    return found


def _located(
    problems: list[tuple[str, str]], text: str, file: str, rule: str = INVALID
) -> list[Issue]:
    offsets = scan(text, {p for p, _ in problems}).offsets
    lines = LineIndex(text)
    issues = []
    for pointer, message in problems:
        offset = offsets.get(pointer)
        if offset is None:
            # A missing member: point at the object that should hold it.
            parent = pointer
            while parent and parent not in offsets:
                parent = parent.rsplit("/", 1)[0]
            offset = offsets.get(parent, 0)
        line, column = lines.position(offset)
        issues.append(
            make_issue(
                rule,
                message,
                file=file,
                line=line,
                column=column,
                pointer=pointer,
                unreadable=True,
            )
        )
    return issues


def _entries(registry_file: Path, shown_as: str, data: dict[str, Any]) -> Registry:
    publishers = tuple(
        RegistryPublisher(p["id"], p["name"], p.get("identifier"), p.get("homepage"))
        for p in data["publishers"]
    )
    datasets = tuple(
        RegistryDataset(
            id=d["id"],
            title=d["title"],
            publisher=d["publisher"],
            license=d["license"],
            modified=d["modified"],
            pointer=f"/datasets/{index}",
            access_url=d.get("accessURL"),
            download_url=d.get("downloadURL"),
            path=d.get("path"),
            dependencies=dict(d.get("dependencies", {})),
        )
        for index, d in enumerate(data["datasets"])
    )
    return Registry(registry_file, shown_as, data, publishers, datasets)


def read_registry(source: str | os.PathLike[str]) -> tuple[Registry | None, tuple[Issue, ...]]:
    """Read a registry file; None and the (unreadable) issues when it cannot be used.

    Raises OSError only when the file cannot be opened at all.
    """
    path = Path(os.fspath(source))
    file = display_path(path)
    with path.open("rb") as handle:
        raw = handle.read(max_document_bytes() + 1)
    if len(raw) > max_document_bytes():
        return None, (too_large(len(raw), file),)
    parsed = parse_json(raw, file)
    if not parsed.readable:
        return None, parsed.issues
    text = raw.decode("utf-8-sig")
    if any(issue.severity.value == "error" for issue in parsed.issues):
        # Duplicate keys: which value counts differs between readers, so none is used.
        return None, tuple(_as_unreadable(issue) for issue in parsed.issues)
    problems = _schema_issues(parsed.value)
    if not problems:
        problems = _cross_issues(parsed.value)
    if problems:
        return None, (*parsed.issues, *_located(problems, text, file))
    return _entries(path, file, parsed.value), parsed.issues


def _as_unreadable(issue: Issue) -> Issue:
    if issue.unreadable or issue.severity.value != "error":
        return issue
    return make_issue(
        issue.rule,
        issue.message,
        file=issue.file,
        line=issue.line,
        column=issue.column,
        pointer=issue.pointer,
        unreadable=True,
    )
