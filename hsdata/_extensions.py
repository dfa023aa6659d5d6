"""Extensions: fields and codes an adopter adds without forking the standard.

An extension is a folder holding:

``extension.json``
    The descriptor: ``name`` and ``description`` (language maps with at least
    English), ``version``, ``compatibility`` (the versions of the standard it
    works with, such as ``["1.0"]``), ``schemas`` (the patch files it holds)
    and ``codelists`` (the codelist files it holds).
``<record-type>-schema.json``
    A JSON Merge Patch (RFC 7386) of a record type's schema, such as
    ``partnership-schema.json``; ``common-schema.json`` patches the shared
    definitions.
``codelists/``
    ``+name.csv`` adds codes to the codelist ``name.csv``, ``-name.csv``
    removes codes from it, and a plain ``name.csv`` is a new codelist.

The merged schemas are exactly the standard's schemas with each patch applied
by JSON Merge Patch, in the order the extensions are declared, and then one
step: the ``enum`` of every field bound to a closed codelist that a ``+`` or
``-`` file changed becomes the changed codelist's codes, in order. Nothing
else is added, so a field a patch binds to a new closed codelist carries its
``enum`` in the patch; an ``enum`` that is missing or differs from its closed
codelist's codes makes the extension invalid (``extension-patch``).

A data package declares the extensions it uses in ``hsdata:extensions``: a
path relative to the package (to the folder or its ``extension.json``), the
name of an extension bundled with hsdata (``"funding"``), or a URL, which is
refused unless the caller allows the network, and then fetched within the
limits of :mod:`hsdata._fetch`. Files on disk are read within limits of size,
depth, rows and cells, as regular files inside the extension's folder only.
Applying extensions never changes the :class:`~hsdata.SchemaSet` it is given;
it returns a new one.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import re
import stat
import urllib.parse
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

import orjson
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from ._fetch import FetchError, fetch
from ._i18n import tr
from ._paths import extensions_root
from ._reporting import Issue, Report, Rule, Severity, clean, make_issue, register, shown
from ._schemas import (
    Codelist,
    SchemaError,
    SchemaSet,
    assemble_schema_set,
    codelist_from_rows,
    kebab_case,
)

__all__ = [
    "Extension",
    "ExtensionError",
    "apply_extensions",
    "bundled_extensions",
    "check_extension",
    "load_extension",
    "merge_patch",
]

_DESCRIPTOR = "extension.json"
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")
_CODELIST_FILE = re.compile(r"^([+-]?)([a-z][A-Za-z0-9]*\.csv)\Z")
_PATCH_FILE = re.compile(r"^([a-z][a-z0-9]*(?:-[a-z0-9]+)*)-schema\.json\Z")
_VERSION = re.compile(r"^[0-9]+\.[0-9]+(\.[0-9]+)?\Z")
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")

#: The largest extension file read (extension.json, a schema patch, a codelist): a few
#: kilobytes in practice; the limit keeps a stray huge file from being read into memory.
MAX_EXTENSION_FILE_BYTES = 8 * 1024 * 1024
#: The deepest nesting of objects and lists in an extension's JSON. The schemas of the
#: standard nest 6 levels; patches are merged and checked recursively, so a bound well
#: below Python's recursion limit keeps every later step safe.
MAX_EXTENSION_DEPTH = 32
#: The most rows a codelist file may hold, and the longest text of one of its cells
#: (a spreadsheet cell holds at most 32,767 characters).
MAX_CODELIST_ROWS = 10_000
MAX_CODELIST_CELL = 10_000
#: The most files and folders looked at in an extension's folder.
MAX_EXTENSION_ENTRIES = 10_000


def _rule(rule_id: str, title: str, explanation: str) -> Rule:
    return register(Rule(rule_id, Severity.ERROR, "extensions", title, explanation))


RULE_NOT_FOUND = _rule(
    "extension-not-found",
    "Declared extension not found",
    "A data package names an extension in 'hsdata:extensions' that is neither a folder inside "
    "the package, nor an extension bundled with hsdata, nor a URL the user allowed hsdata to "
    "fetch.",
)
RULE_NETWORK = _rule(
    "extension-network-refused",
    "Extension URL needs the network",
    "The package declares an extension by URL, and hsdata only fetches from the network when "
    "the user allows it. Copy the extension into the package and declare its relative path, "
    "or allow the network.",
)
RULE_UNREADABLE = _rule(
    "extension-unreadable",
    "Extension file cannot be read",
    "A file of the extension is missing, is not UTF-8, or is not valid JSON or CSV; or it "
    "cannot be read within hsdata's limits: a URL that cannot be fetched (or is refused), "
    "a file that is not a regular file, lies outside the extension's folder, or is too large "
    "or too deeply nested.",
)
RULE_DESCRIPTOR = _rule(
    "extension-descriptor",
    "Extension descriptor is incomplete",
    "extension.json must give the extension's name and description in English at least, its "
    "version, the versions of the standard it is compatible with, and list the schema patches "
    "and codelists the extension holds.",
)
RULE_INCOMPATIBLE = _rule(
    "extension-incompatible",
    "Extension does not support this version",
    "The extension's 'compatibility' list does not include the version of the standard the "
    "data is validated against.",
)
RULE_PATCH = _rule(
    "extension-patch",
    "Extension schema patch is invalid",
    "A schema patch must be a JSON object naming a schema of the standard (such as "
    "partnership-schema.json), must not change the schema's $id, and the patched schema must "
    "still satisfy the hsdata meta-schema, with every $ref resolving and every codelist it "
    "names present. A field bound to a closed codelist lists the codelist's codes, in order, "
    "as its enum.",
)
RULE_CODELIST = _rule(
    "extension-codelist",
    "Extension codelist is invalid",
    "A codelist file needs the columns code and title (and should have title_fr and "
    "description), unique codes, and must add only new codes (+name.csv), remove only "
    "existing ones (-name.csv), or create a codelist that does not exist yet (name.csv).",
)


RULE_UNDOCUMENTED = register(
    Rule(
        "extension-field-undocumented",
        Severity.WARNING,
        "extensions",
        "Extension field without title or description",
        "Every field of the standard has a title and a description, which the documentation "
        "and the spreadsheet templates show; a field an extension adds should have them too.",
    )
)


def _undocumented(patch: Any, result: Any, pointer: str) -> Iterator[str]:
    """Pointers to the properties a patch adds or changes that lack a title or description."""
    if not isinstance(patch, dict) or not isinstance(result, dict):
        return
    for key, value in patch.items():
        here = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
        if key == "properties" and isinstance(value, dict):
            for name, field in value.items():
                target = result.get("properties", {}).get(name)
                place = f"{here}/{name.replace('~', '~0').replace('/', '~1')}"
                if field is not None and isinstance(target, dict):
                    if not (target.get("title") and target.get("description")):
                        yield place
                    yield from _undocumented(field, target, place)
        else:
            yield from _undocumented(value, result.get(key), here)


class ExtensionError(SchemaError):
    """An extension could not be loaded or applied; ``issues`` says where and why."""

    def __init__(self, message: str, issues: Sequence[Issue]) -> None:
        super().__init__(message)
        self.issues: tuple[Issue, ...] = tuple(issues)


@dataclass(frozen=True)
class Extension:
    """An extension read from its folder (or URL): descriptor, patches and codelists.

    ``patches`` maps a schema file stem (``partnership``, ``common``) to its
    merge patch; ``codelists`` maps a codelist file name, with its ``+`` or
    ``-`` prefix, to its rows.
    """

    name: str
    location: str
    title: Mapping[str, str]
    description: Mapping[str, str]
    version: str
    compatibility: tuple[str, ...]
    patches: Mapping[str, dict[str, Any]]
    codelists: Mapping[str, tuple[dict[str, str], ...]]
    descriptor: Mapping[str, Any]


# -- JSON Merge Patch ---------------------------------------------------------------------------


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply a JSON Merge Patch (RFC 7386) to ``target``; neither argument is changed.

    >>> merge_patch({"a": 1, "b": {"c": 2}}, {"b": {"c": None, "d": 3}, "e": [4]})
    {'a': 1, 'b': {'d': 3}, 'e': [4]}
    """
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


# -- reading an extension -----------------------------------------------------------------------


class _Unreadable(Exception):
    """A file of an extension that cannot be read, and why, in plain words.

    ``blocked`` marks what stops the file being read at all (a fetch that failed, a
    file that is not a regular file, too large, or outside the extension folder):
    such issues make the command exit 2, as unreadable input does.
    """

    def __init__(self, reason: str, *, blocked: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.blocked = blocked


_FILE_KINDS = (
    (stat.S_ISDIR, tr("it is a folder, not a regular file, and hsdata reads regular files only")),
    (
        stat.S_ISFIFO,
        tr("it is a named pipe, not a regular file, and hsdata reads regular files only"),
    ),
    (stat.S_ISCHR, tr("it is a device, not a regular file, and hsdata reads regular files only")),
    (stat.S_ISBLK, tr("it is a device, not a regular file, and hsdata reads regular files only")),
    (stat.S_ISSOCK, tr("it is a socket, not a regular file, and hsdata reads regular files only")),
)


def _too_large(size: int) -> _Unreadable:
    return _Unreadable(
        tr(
            "it holds {size:,} bytes or more, more than the {most:,} an extension file may hold",
            size=size,
            most=MAX_EXTENSION_FILE_BYTES,
        ),
        blocked=True,
    )


def _read_local(folder: Path, name: str) -> bytes:
    """The bytes of a regular file inside ``folder``, within the size limit."""
    try:
        inside = folder.resolve(strict=True)
        real = (folder / name).resolve(strict=True)
    except FileNotFoundError:
        raise _Unreadable(tr("the file does not exist"), blocked=False) from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of symbolic links
        raise _Unreadable(
            tr("its path cannot be followed ({reason})", reason=clean(str(exc))), blocked=True
        ) from None
    if not real.is_relative_to(inside):
        # a symbolic link must not make hsdata read outside the extension's folder
        raise _Unreadable(
            tr(
                "it is a symbolic link to {target}, outside the extension folder, which hsdata "
                "does not read",
                target=clean(str(real), 200),
            ),
            blocked=True,
        )
    # O_NONBLOCK: opening a named pipe must not wait for a writer; it is refused below.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(real, flags)
    except OSError as exc:
        raise _Unreadable(clean(exc.strerror or str(exc)).lower(), blocked=False) from None
    info = os.fstat(handle)
    problem: _Unreadable | None = None
    if not stat.S_ISREG(info.st_mode):
        reason = next(
            (why for test, why in _FILE_KINDS if test(info.st_mode)),
            tr("it is not a file, not a regular file, and hsdata reads regular files only"),
        )
        problem = _Unreadable(reason, blocked=True)
    elif info.st_size > MAX_EXTENSION_FILE_BYTES:
        problem = _too_large(info.st_size)
    if problem is not None:
        os.close(handle)
        raise problem
    with os.fdopen(handle, "rb") as stream:
        raw = stream.read(MAX_EXTENSION_FILE_BYTES + 1)
    if len(raw) > MAX_EXTENSION_FILE_BYTES:
        raise _too_large(len(raw))
    return raw


def _entries(folder: Path) -> tuple[list[Path], bool]:
    """The files and folders inside ``folder`` (links not followed), and whether there were
    more than :data:`MAX_EXTENSION_ENTRIES`, which are not looked at."""
    found: list[Path] = []
    for here, folders, files in os.walk(folder, followlinks=False):
        for name in (*sorted(folders), *sorted(files)):
            if len(found) >= MAX_EXTENSION_ENTRIES:
                return found, True
            found.append(Path(here) / name)
    return found, False


class _Source:
    """Reads the files of one extension, from a folder or (when allowed) a URL."""

    def __init__(
        self,
        location: str,
        folder: Path | None,
        base_url: str | None,
        allow_hosts: Collection[str] = (),
    ) -> None:
        self.location = location
        self.folder = folder
        self.base_url = base_url
        self.allow_hosts = allow_hosts

    def describe(self, name: str) -> str:
        if self.folder is not None:
            return str(self.folder / name)
        return urllib.parse.urljoin(self.base_url or "", name)

    def read_bytes(self, name: str) -> bytes:
        """The file's bytes, within the limits; raises _Unreadable."""
        if self.folder is not None:
            return _read_local(self.folder, name)
        url = urllib.parse.urljoin(self.base_url or "", urllib.parse.quote(name))
        try:
            return fetch(url, allow_hosts=self.allow_hosts, max_bytes=MAX_EXTENSION_FILE_BYTES)
        except FetchError as exc:
            raise _Unreadable(exc.args[0], blocked=True) from None

    def listing(self) -> tuple[tuple[str, ...], bool]:
        """Every file of a local extension, relative to it (none for a URL), and whether
        the folder held more entries than were looked at."""
        if self.folder is None:
            return (), False
        entries, more = _entries(self.folder)
        names = sorted(
            path.relative_to(self.folder).as_posix()
            for path in entries
            if path.is_file() and not path.name.startswith(".")
        )
        return tuple(names), more


def _issue(
    rule: Rule, message: str, file: str, pointer: str | None = None, line: int | None = None
) -> Issue:
    return make_issue(rule.id, message, file=file, line=line, pointer=pointer)


def _language_map_problem(value: Any, key: str) -> str | None:
    if not isinstance(value, dict) or not value:
        return tr(
            '{key} must be an object of texts by language, such as {{"en": ..., "fr": ...}}',
            key=key,
        )
    if not isinstance(value.get("en"), str) or not value["en"].strip():
        return tr("{key} must give an English text ('en')", key=key)
    if not all(isinstance(text, str) and text.strip() for text in value.values()):
        return tr("{key} must hold non-empty texts only", key=key)
    return None


def _check_descriptor(descriptor: Any, file: str) -> list[Issue]:
    if not isinstance(descriptor, dict):
        return [_issue(RULE_DESCRIPTOR, tr("extension.json must hold a JSON object"), file, "")]
    issues: list[Issue] = []
    for key in ("name", "description"):
        problem = _language_map_problem(descriptor.get(key), f"'{key}'")
        if problem:
            issues.append(_issue(RULE_DESCRIPTOR, problem, file, f"/{key}"))
    version = descriptor.get("version")
    if not isinstance(version, str) or not _VERSION.match(version):
        issues.append(
            _issue(
                RULE_DESCRIPTOR,
                tr(
                    "'version' must be a version number such as \"1.0.0\", not {value}",
                    value=repr(version),
                ),
                file,
                "/version",
            )
        )
    compatibility = descriptor.get("compatibility")
    if (
        not isinstance(compatibility, list)
        or not compatibility
        or not all(isinstance(v, str) and re.match(r"^[0-9]+\.[0-9]+\Z", v) for v in compatibility)
    ):
        issues.append(
            _issue(
                RULE_DESCRIPTOR,
                tr(
                    "'compatibility' must list the versions of the standard the extension "
                    'works with, such as ["1.0"]'
                ),
                file,
                "/compatibility",
            )
        )
    for key, pattern, example in (
        ("schemas", _PATCH_FILE, "partnership-schema.json"),
        ("codelists", _CODELIST_FILE, "+memberRole.csv"),
    ):
        names = descriptor.get(key, [])
        if not isinstance(names, list):
            issues.append(
                _issue(
                    RULE_DESCRIPTOR,
                    tr("{key} must be a list of file names", key=f"'{key}'"),
                    file,
                    f"/{key}",
                )
            )
            continue
        for index, name in enumerate(names):
            if not isinstance(name, str) or not pattern.match(name):
                issues.append(
                    _issue(
                        RULE_DESCRIPTOR,
                        tr(
                            "{name} in {key} is not a file name like {example}",
                            name=repr(name),
                            key=f"'{key}'",
                            example=repr(example),
                        ),
                        file,
                        f"/{key}/{index}",
                    )
                )
        if len(set(map(str, names))) != len(names):
            issues.append(
                _issue(
                    RULE_DESCRIPTOR, tr("{key} lists a file twice", key=f"'{key}'"), file, f"/{key}"
                )
            )
    if not descriptor.get("schemas") and not descriptor.get("codelists"):
        issues.append(
            _issue(
                RULE_DESCRIPTOR,
                tr("the extension lists no schema patch and no codelist, so it changes nothing"),
                file,
                "",
            )
        )
    return issues


def _unreadable(name: str, file: str, problem: _Unreadable) -> Issue:
    return make_issue(
        RULE_UNREADABLE.id,
        tr("cannot read {name}: {reason}", name=name, reason=problem.reason),
        file=file,
        unreadable=problem.blocked,
    )


def _depth_over(value: Any, limit: int) -> bool:
    """True when objects and lists nest deeper than ``limit`` levels (found without recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _duplicate_keys(raw: bytes) -> list[str]:
    """The keys written twice in one object (JSON already parsed, its depth bounded)."""
    repeated: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in items]
        if len(set(keys)) != len(keys):
            repeated.extend(key for index, key in enumerate(keys) if key in keys[:index])
        return dict(items)

    json.loads(raw, object_pairs_hook=pairs)
    return repeated


def _parse_json(raw: bytes, name: str, file: str) -> tuple[Any, list[Issue]]:
    """One JSON text read strictly: no NaN, no duplicate key, a bounded depth."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if "depth" in exc.msg or "recursion" in exc.msg:
            return None, [_issue_too_deep(name, file)]
        return None, [
            _issue(
                RULE_UNREADABLE,
                tr(
                    "{name} is not valid JSON: {reason} (line {line}, column {column})",
                    name=name,
                    reason=clean(exc.msg),
                    line=exc.lineno,
                    column=exc.colno,
                ),
                file,
                line=exc.lineno,
            )
        ]
    if isinstance(value, (dict, list)) and _depth_over(value, MAX_EXTENSION_DEPTH):
        return None, [_issue_too_deep(name, file)]
    repeated = _duplicate_keys(raw)
    if repeated:
        return None, [
            _issue(
                RULE_UNREADABLE,
                tr(
                    "{name} writes the field {key} twice in the same object; only one value "
                    "can be kept, so remove one",
                    name=name,
                    key=shown(key),
                ),
                file,
            )
            for key in dict.fromkeys(repeated)
        ]
    return value, []


def _issue_too_deep(name: str, file: str) -> Issue:
    return make_issue(
        RULE_UNREADABLE.id,
        tr(
            "{name} nests objects and lists more than {most} levels deep, more than an "
            "extension file may",
            name=name,
            most=MAX_EXTENSION_DEPTH,
        ),
        file=file,
        unreadable=True,
    )


def _read_json(source: _Source, name: str) -> tuple[Any, list[Issue]]:
    file = source.describe(name)
    try:
        raw = source.read_bytes(name)
    except _Unreadable as problem:
        return None, [_unreadable(name, file, problem)]
    return _parse_json(raw, name, file)


def _cells(row: Mapping[Any, Any]) -> Iterator[str]:
    """Every cell of a CSV row, those past the header's columns included."""
    for value in row.values():
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            yield from (cell for cell in value if isinstance(cell, str))


def _csv_rows(
    text: str, name: str, file: str
) -> tuple[list[str], list[tuple[int, dict[Any, Any]]], list[Issue]]:
    """The header and rows (with their record numbers) of a codelist file, within the limits."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows: list[tuple[int, dict[Any, Any]]] = []
    try:
        fields = list(reader.fieldnames or [])
        for line, row in enumerate(reader, start=2):
            if len(rows) >= MAX_CODELIST_ROWS:
                return (
                    fields,
                    rows,
                    [
                        _issue(
                            RULE_CODELIST,
                            tr(
                                "{name} holds more than {most:,} codes, more than a codelist may",
                                name=name,
                                most=MAX_CODELIST_ROWS,
                            ),
                            file,
                            line=line,
                        )
                    ],
                )
            if any(len(cell) > MAX_CODELIST_CELL for cell in _cells(row)):
                return fields, rows, [_issue_long_cell(name, file, line)]
            rows.append((line, row))
    except csv.Error as exc:
        return (
            [],
            [],
            [
                _issue(
                    RULE_CODELIST,
                    tr(
                        "{name} cannot be read as CSV near line {line}: {reason}",
                        name=name,
                        line=reader.line_num,
                        reason=clean(str(exc)),
                    ),
                    file,
                    line=reader.line_num or None,
                )
            ],
        )
    return fields, rows, []


def _issue_long_cell(name: str, file: str, line: int) -> Issue:
    return _issue(
        RULE_CODELIST,
        tr(
            "row {line} of {name} has a cell longer than {most:,} characters, more than a "
            "codelist may hold",
            line=line,
            name=name,
            most=MAX_CODELIST_CELL,
        ),
        file,
        line=line,
    )


def _read_csv(source: _Source, name: str) -> tuple[tuple[dict[str, str], ...], list[Issue]]:
    file = source.describe(name)
    try:
        text = source.read_bytes(name).decode("utf-8")
    except _Unreadable as problem:
        return (), [_unreadable(name, file, problem)]
    except UnicodeDecodeError as exc:
        return (), [
            _issue(
                RULE_UNREADABLE,
                tr(
                    "cannot read {name}: byte {byte} is not UTF-8 text; save the file as UTF-8",
                    name=name,
                    byte=exc.start + 1,
                ),
                file,
            )
        ]
    fields, read, issues = _csv_rows(text, name, file)
    if issues:
        return (), issues
    missing = [column for column in ("code", "title") if column not in fields]
    if missing:
        header = ", ".join(shown(field) for field in fields[:10])
        columns = {"name": name, "column": missing[0], "header": header}
        if len(missing) > 1:
            message = (
                tr("{name} has no column code or title (its header is {header})", **columns)
                if header
                else tr("{name} has no column code or title (its header is empty)", **columns)
            )
        else:
            message = (
                tr("{name} has no column {column} (its header is {header})", **columns)
                if header
                else tr("{name} has no column {column} (its header is empty)", **columns)
            )
        return (), [_issue(RULE_CODELIST, message, file)]
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for line, row in read:
        code = (row.get("code") or "").strip()
        if not code or code != row.get("code"):
            issues.append(
                _issue(
                    RULE_CODELIST,
                    tr(
                        "row {line} of {name} has an empty code or spaces around it",
                        line=line,
                        name=name,
                    ),
                    file,
                    line=line,
                )
            )
            continue
        if code in seen:
            issues.append(
                _issue(
                    RULE_CODELIST,
                    tr("code {code} appears twice in {name}", code=shown(code), name=name),
                    file,
                    line=line,
                )
            )
        seen.add(code)
        rows.append({key: value or "" for key, value in row.items() if key is not None})
    return tuple(rows), issues


def _read_extension(source: _Source, name: str) -> tuple[Extension | None, list[Issue]]:
    descriptor, issues = _read_json(source, _DESCRIPTOR)
    if issues:
        return None, issues
    descriptor_file = source.describe(_DESCRIPTOR)
    issues = _check_descriptor(descriptor, descriptor_file)
    if issues:
        return None, issues
    patches: dict[str, dict[str, Any]] = {}
    for file_name in descriptor.get("schemas", []):
        patch, problems = _read_json(source, file_name)
        issues.extend(problems)
        if problems:
            continue
        if not isinstance(patch, dict):
            issues.append(
                _issue(
                    RULE_PATCH,
                    tr(
                        "{name} must hold a JSON object (a merge patch of a schema)",
                        name=file_name,
                    ),
                    source.describe(file_name),
                    "",
                )
            )
            continue
        match = _PATCH_FILE.match(file_name)
        assert match is not None  # checked with the descriptor
        patches[match.group(1)] = patch
    codelists: dict[str, tuple[dict[str, str], ...]] = {}
    for file_name in descriptor.get("codelists", []):
        rows, problems = _read_csv(source, f"codelists/{file_name}")
        issues.extend(problems)
        codelists[file_name] = rows
    listed = {
        *descriptor.get("schemas", []),
        *(f"codelists/{c}" for c in descriptor.get("codelists", [])),
    }
    present_files, more = source.listing()
    if more:
        issues.append(
            _issue(
                RULE_UNREADABLE,
                tr(
                    "the extension folder holds more than {most:,} files and folders; hsdata "
                    "looked no further",
                    most=MAX_EXTENSION_ENTRIES,
                ),
                source.describe(""),
            )
        )
    for present in present_files:
        looks_used = present.endswith("-schema.json") or (
            present.startswith("codelists/") and present.endswith(".csv")
        )
        if looks_used and present not in listed:
            issues.append(
                _issue(
                    RULE_DESCRIPTOR,
                    tr(
                        "{name} is in the extension but extension.json does not list it, so it "
                        "is not applied",
                        name=clean(present),
                    ),
                    descriptor_file,
                    "/schemas" if present.endswith(".json") else "/codelists",
                )
            )
    extension = Extension(
        name=name,
        location=source.location,
        title=dict(descriptor["name"]),
        description=dict(descriptor["description"]),
        version=descriptor["version"],
        compatibility=tuple(descriptor["compatibility"]),
        patches=patches,
        codelists=codelists,
        descriptor=descriptor,
    )
    return extension, issues


def bundled_extensions() -> tuple[str, ...]:
    """The names of the extensions shipped with hsdata.

    >>> "funding" in bundled_extensions()
    True
    """
    root = extensions_root()
    if root is None:
        return ()
    return tuple(
        sorted(p.name for p in root.iterdir() if p.is_dir() and (p / _DESCRIPTOR).is_file())
    )


def _escapes(path: Path, inside: Path) -> bool:
    """True when ``path`` resolves outside ``inside`` (or cannot be resolved: a link loop)."""
    try:
        return not path.resolve().is_relative_to(inside)
    except (OSError, RuntimeError):
        return True


def _locate(
    entry: str,
    package_dir: Path | None,
    allow_network: bool,
    where: str,
    allow_hosts: Collection[str] = (),
) -> tuple[_Source | None, str, list[Issue]]:
    """Find a declared extension: a path inside the package, a bundled name or a URL."""
    if _URL.match(entry):
        if not allow_network:
            return (
                None,
                entry,
                [
                    _issue(
                        RULE_NETWORK,
                        tr(
                            "the extension {entry} is a URL and hsdata does not use the network "
                            "unless allowed; copy the extension into the package and declare "
                            "its relative path instead",
                            entry=clean(entry, 200),
                        ),
                        where,
                    )
                ],
            )
        if not entry.startswith(("https://", "http://")):
            return (
                None,
                entry,
                [
                    _issue(
                        RULE_NOT_FOUND,
                        tr("{entry} is not an http(s) URL", entry=clean(entry, 200)),
                        where,
                    )
                ],
            )
        base = entry if entry.endswith("/") else entry + "/"
        if entry.endswith("/" + _DESCRIPTOR):
            base = entry[: -len(_DESCRIPTOR)]
        name = PurePosixPath(urllib.parse.urlsplit(base).path.rstrip("/")).name or entry
        return _Source(entry, None, base, allow_hosts), name, []
    if package_dir is not None:
        relative = PurePosixPath(entry)
        if relative.is_absolute() or ".." in relative.parts or "\\" in entry:
            return (
                None,
                entry,
                [
                    _issue(
                        RULE_NOT_FOUND,
                        tr(
                            "the extension path {entry} must be relative and stay inside the "
                            "package folder",
                            entry=shown(entry),
                        ),
                        where,
                    )
                ],
            )
        candidate = package_dir / relative
        if candidate.is_file() and candidate.name == _DESCRIPTOR:
            candidate = candidate.parent
        if (candidate / _DESCRIPTOR).is_file():
            inside = package_dir.resolve()
            entries, _ = _entries(candidate)
            escapes = [path for path in (candidate, *entries) if _escapes(path, inside)]
            if escapes:
                # a symbolic link must not make hsdata read files outside the package
                return (
                    None,
                    entry,
                    [
                        _issue(
                            RULE_NOT_FOUND,
                            tr(
                                "the extension {entry} links to files outside the package "
                                "({target}), which hsdata does not read",
                                entry=shown(entry),
                                target=clean(str(escapes[0]), 200),
                            ),
                            where,
                        )
                    ],
                )
            return _Source(entry, candidate, None), candidate.name, []
    root = extensions_root()
    if _NAME.match(entry) and root is not None and (root / entry / _DESCRIPTOR).is_file():
        return _Source(entry, root / entry, None), entry, []
    known = ", ".join(bundled_extensions())
    return (
        None,
        entry,
        [
            _issue(
                RULE_NOT_FOUND,
                tr(
                    "no extension {entry}: it is not a folder holding extension.json inside the "
                    "package, nor a bundled extension (bundled: {known})",
                    entry=shown(entry),
                    known=known,
                )
                if known
                else tr(
                    "no extension {entry}: it is not a folder holding extension.json inside the "
                    "package, nor a bundled extension (bundled: none)",
                    entry=shown(entry),
                ),
                where,
            )
        ],
    )


def load_extension(
    location: str | Path, *, allow_network: bool = False, allow_hosts: Collection[str] = ()
) -> Extension:
    """Read an extension from a folder, a bundled name or (when allowed) a URL.

    A URL is fetched through :func:`hsdata._fetch.fetch`, whose limits apply;
    ``allow_hosts`` names hosts it may reach although their addresses are not
    public (a test server, a CI mirror). Raises :class:`ExtensionError`
    listing every problem found in the extension's files.

    >>> load_extension("funding").compatibility
    ('1.0', '1.1', '1.2')
    """
    text = str(location)
    if isinstance(location, Path) or (not _URL.match(text) and Path(text).exists()):
        folder = Path(text)
        if folder.is_file() and folder.name == _DESCRIPTOR:
            folder = folder.parent
        source: _Source | None = _Source(text, folder, None)
        name = folder.resolve().name
        issues: list[Issue] = []
        if not (folder / _DESCRIPTOR).is_file():
            issues.append(
                _issue(
                    RULE_NOT_FOUND,
                    tr("{folder} holds no extension.json", folder=clean(str(folder), 200)),
                    text,
                )
            )
            source = None
    else:
        source, name, issues = _locate(text, None, allow_network, text, allow_hosts)
    if source is None:
        raise ExtensionError(_summary(text, issues), issues)
    extension, issues = _read_extension(source, name)
    if extension is None or any(i.severity is Severity.ERROR for i in issues):
        raise ExtensionError(_summary(text, issues), issues)
    return extension


def _summary(what: str, issues: Sequence[Issue]) -> str:
    summary: str = tr("the extension {name} cannot be used:", name=clean(what, 300))
    for issue in issues:
        # one line per issue, each translated with the summary
        line = tr("  {place}: {message}", place=issue.location, message=issue.message)
        summary = tr("{first}\n{rest}", first=summary, rest=line)
    return summary


# -- applying extensions ------------------------------------------------------------------------


def _codelist_rows(codelist: Codelist) -> list[dict[str, str]]:
    return [
        {
            "code": code,
            "title": codelist.titles[code]["en"],
            "title_fr": codelist.titles[code]["fr"],
            "description": codelist.descriptions.get(code, ""),
            "deprecated": codelist.deprecated.get(code, ""),
        }
        for code in codelist.codes
    ]


def _apply_codelists(
    codelists: dict[str, Codelist], extension: Extension, changed: set[str]
) -> list[Issue]:
    issues: list[Issue] = []
    for file_name, rows in extension.codelists.items():
        match = _CODELIST_FILE.match(file_name)
        assert match is not None  # checked with the descriptor
        sign, target = match.groups()
        file = f"{extension.location}/codelists/{file_name}"
        codes = [row["code"] for row in rows]
        if sign == "":
            if target in codelists:
                issues.append(
                    _issue(
                        RULE_CODELIST,
                        tr(
                            "{target} already exists in the standard; name the file +{target} "
                            "to add codes or -{target} to remove them",
                            target=target,
                        ),
                        file,
                    )
                )
                continue
            codelists[target] = codelist_from_rows(target, rows)
        elif target not in codelists:
            issues.append(
                _issue(
                    RULE_CODELIST,
                    tr(
                        "{name} changes the codelist {target}, which does not exist "
                        "(known: {known})",
                        name=file_name,
                        target=target,
                        known=", ".join(sorted(codelists)),
                    ),
                    file,
                )
            )
            continue
        elif sign == "+":
            already = [code for code in codes if code in codelists[target]]
            if already:
                issues.append(
                    _issue(
                        RULE_CODELIST,
                        tr(
                            "{name} adds codes {target} already has: {codes}",
                            name=file_name,
                            target=target,
                            codes=", ".join(shown(code) for code in already[:20]),
                        ),
                        file,
                    )
                )
                continue
            merged = _codelist_rows(codelists[target]) + [dict(row) for row in rows]
            codelists[target] = codelist_from_rows(target, merged)
        else:
            unknown = [code for code in codes if code not in codelists[target]]
            if unknown:
                issues.append(
                    _issue(
                        RULE_CODELIST,
                        tr(
                            "{name} removes codes {target} does not have: {codes}",
                            name=file_name,
                            target=target,
                            codes=", ".join(shown(code) for code in unknown[:20]),
                        ),
                        file,
                    )
                )
                continue
            kept = [row for row in _codelist_rows(codelists[target]) if row["code"] not in codes]
            codelists[target] = codelist_from_rows(target, kept)
        if sign:  # a new codelist changes no field of the standard: its patch gives the enum
            changed.add(target)
    return issues


def _subschemas_at(node: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(JSON pointer, object) for every object inside a schema document, the document included."""
    if isinstance(node, dict):
        yield pointer, node
        for key, value in node.items():
            yield from _subschemas_at(
                value, f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
            )
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _subschemas_at(value, f"{pointer}/{index}")


def _enum_problem(enum: Any, codes: Sequence[str]) -> str | None:
    """What is wrong with a closed-codelist field's ``enum``, said for people, or None.

    >>> _enum_problem(["a", "b"], ["a", "b"]) is None
    True
    >>> _enum_problem(["a", "x"], ["a", "b", "c"])
    "its enum lacks 2 of the codelist's codes ('b', 'c') and lists 1 it does not have ('x')"
    """
    if enum is None:
        return tr(
            "it has no enum: write one listing the codelist's {count} codes, in order",
            count=len(codes),
        )
    if not isinstance(enum, list) or list(enum) == list(codes):
        return None  # the meta-schema reports an enum that is not a list
    listed = set(codes)
    missing = [code for code in codes if code not in enum]
    extra = [value for value in enum if value not in listed]
    counts = {
        "missing": len(missing),
        "missing_codes": _some(missing),
        "extra": len(extra),
        "extra_codes": _some(extra),
    }
    if missing and extra:
        return tr(
            "its enum lacks {missing} of the codelist's codes ({missing_codes}) and lists "
            "{extra} it does not have ({extra_codes})",
            **counts,
        )
    if missing:
        return tr(
            "its enum lacks {missing} of the codelist's codes ({missing_codes})",
            missing=counts["missing"],
            missing_codes=counts["missing_codes"],
        )
    if extra:
        return tr(
            "its enum lists {extra} it does not have ({extra_codes})",
            extra=counts["extra"],
            extra_codes=counts["extra_codes"],
        )
    return tr("its enum lists the codelist's codes in another order, or some twice")


def _some(values: Sequence[Any]) -> str:
    return ", ".join(shown(value) for value in values[:10]) + (" ..." if len(values) > 10 else "")


def _subschemas(node: Any) -> Iterator[dict[str, Any]]:
    """Every object inside a schema document, the document included."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _subschemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _subschemas(value)


def _schema_id(version: str, stem: str) -> str:
    return f"https://w3id.org/hsdata/schema/{version}/{stem}.json"


def _check_patched(
    schemas: Mapping[str, dict[str, Any]],
    codelists: Mapping[str, Codelist],
    base: SchemaSet,
    patched: Mapping[str, str],
) -> list[Issue]:
    """Check every schema an extension touched against the meta-schema and the codelists."""
    issues: list[Issue] = []
    meta_id = _schema_id(base.version, "meta-schema")
    meta = schemas.get(meta_id)
    validator = Draft202012Validator(meta, registry=base.registry) if meta is not None else None
    for schema_id, file in patched.items():
        schema = schemas[schema_id]
        if validator is not None:
            for error in validator.iter_errors(schema):
                best = best_match([error])
                pointer = "/" + "/".join(
                    str(p).replace("~", "~0").replace("/", "~1") for p in best.absolute_path
                )
                issues.append(
                    _issue(
                        RULE_PATCH,
                        tr(
                            "after the patch, the schema breaks the hsdata meta-schema at "
                            "{pointer}: {reason}",
                            pointer=pointer,
                            reason=best.message,
                        )
                        if pointer != "/"
                        else tr(
                            "after the patch, the schema breaks the hsdata meta-schema at its "
                            "top level: {reason}",
                            reason=best.message,
                        ),
                        file,
                        pointer if pointer != "/" else "",
                    )
                )
        for pointer, subschema in _subschemas_at(schema):
            name = subschema.get("codelist")
            if isinstance(name, str) and name not in codelists:
                issues.append(
                    _issue(
                        RULE_PATCH,
                        tr(
                            "the patched schema names the codelist {name}, which neither the "
                            "standard nor the extension provides",
                            name=name,
                        ),
                        file,
                    )
                )
            elif isinstance(name, str) and subschema.get("openCodelist") is False:
                problem = _enum_problem(subschema.get("enum"), codelists[name].codes)
                if problem is not None:
                    issues.append(
                        _issue(
                            RULE_PATCH,
                            tr(
                                "the field at {pointer} takes codes from the closed codelist "
                                "{name}, and {problem}; the merged schema keeps the patch's "
                                "enum unless a +/- codelist file changes the codelist",
                                pointer=pointer,
                                name=name,
                                problem=problem,
                            ),
                            file,
                            pointer,
                        )
                    )
    return issues


def _sync_closed_enums(
    schemas: dict[str, dict[str, Any]], codelists: Mapping[str, Codelist], changed: set[str]
) -> None:
    """The merge rule's one step after the patches: every field bound to a closed codelist
    a ``+``/``-`` file changed gets the changed codelist's codes, in order, as ``enum``."""
    for schema in schemas.values():
        for subschema in _subschemas(schema):
            name = subschema.get("codelist")
            if (
                isinstance(name, str)
                and subschema.get("openCodelist") is False
                and name in changed
                and name in codelists
            ):
                subschema["enum"] = list(codelists[name].codes)


def _apply(
    base: SchemaSet, extensions: Sequence[Extension]
) -> tuple[SchemaSet | None, list[Issue]]:
    issues: list[Issue] = []
    schemas = {schema_id: copy.deepcopy(schema) for schema_id, schema in base.schemas.items()}
    codelists = dict(base.codelists)
    changed: set[str] = set()
    patched: dict[str, str] = {}
    stems = {kebab_case(t) for t in base.record_types} | {"common"}
    for extension in extensions:
        descriptor_file = f"{extension.location}/{_DESCRIPTOR}"
        if base.version not in extension.compatibility:
            issues.append(
                _issue(
                    RULE_INCOMPATIBLE,
                    tr(
                        "the extension {name} {version} works with hsdata {versions}, not {base}",
                        name=extension.name,
                        version=extension.version,
                        versions=", ".join(extension.compatibility),
                        base=base.version,
                    ),
                    descriptor_file,
                    "/compatibility",
                )
            )
            continue
        issues.extend(_apply_codelists(codelists, extension, changed))
        for stem, patch in extension.patches.items():
            file = f"{extension.location}/{stem}-schema.json"
            if stem not in stems:
                issues.append(
                    _issue(
                        RULE_PATCH,
                        tr(
                            "{name} patches no schema of hsdata {version}: record types are "
                            "{types}",
                            name=f"{stem}-schema.json",
                            version=base.version,
                            types=", ".join(sorted(stems - {"common"})),
                        ),
                        file,
                    )
                )
                continue
            schema_id = _schema_id(base.version, stem)
            if "$id" in patch and patch["$id"] != schema_id:
                issues.append(
                    _issue(RULE_PATCH, tr("a patch must not change the schema's $id"), file, "/$id")
                )
                continue
            result = merge_patch(schemas[schema_id], patch)
            schemas[schema_id] = result
            patched[schema_id] = file
    if issues:
        return None, issues
    _sync_closed_enums(schemas, codelists, changed)
    issues = _check_patched(schemas, codelists, base, patched)
    if issues:
        return None, issues
    try:
        extended = assemble_schema_set(base.version, base.directory, schemas, codelists)
    except SchemaError as exc:
        files = ", ".join(patched.values()) or ", ".join(e.location for e in extensions)
        return None, [
            _issue(
                RULE_PATCH,
                tr("the patched schemas cannot be used: {reason}", reason=str(exc)),
                files,
            )
        ]
    return extended, []


def apply_extensions(
    schema_set: SchemaSet,
    package_dir: Path | None,
    declared: Sequence[str],
    *,
    allow_network: bool = False,
    allow_hosts: Collection[str] = (),
) -> SchemaSet:
    """The schemas and codelists of ``schema_set`` with the declared extensions applied.

    ``declared`` is the package's ``hsdata:extensions`` list: paths relative to
    ``package_dir``, names of bundled extensions, or URLs (refused unless
    ``allow_network``; see :func:`load_extension` for ``allow_hosts``).
    Extensions apply in the order declared. ``schema_set`` is left unchanged.
    Raises :class:`ExtensionError`, whose ``issues`` name the file and place of
    every problem, when an extension cannot be applied.

    >>> from hsdata import load_schema_set
    >>> extended = apply_extensions(load_schema_set("1.0"), None, ["funding"])
    >>> "currency.csv" in extended.codelists, "currency.csv" in load_schema_set("1.0").codelists
    (True, False)
    """
    where = str(package_dir / "datapackage.json") if package_dir is not None else "<package>"
    if isinstance(declared, str) or not all(isinstance(entry, str) for entry in declared):
        issue = _issue(
            RULE_NOT_FOUND,
            tr("'hsdata:extensions' must be a list of extension paths, names or URLs"),
            where,
            "/hsdata:extensions",
        )
        raise ExtensionError(issue.message, [issue])
    issues: list[Issue] = []
    extensions: list[Extension] = []
    for index, entry in enumerate(declared):
        source, name, problems = _locate(entry, package_dir, allow_network, where, allow_hosts)
        problems = [replace(p, pointer=f"/hsdata:extensions/{index}") for p in problems]
        issues.extend(problems)
        if source is None:
            continue
        extension, problems = _read_extension(source, name)
        issues.extend(problems)
        if extension is not None:
            extensions.append(extension)
    if not any(i.severity is Severity.ERROR for i in issues):
        extended, problems = _apply(schema_set, extensions)
        issues.extend(problems)
        if extended is not None and not issues:
            return extended
    raise ExtensionError(_summary(", ".join(declared), issues), issues)


def check_extension(
    location: str | Path,
    schema_set: SchemaSet | None = None,
    *,
    allow_network: bool = False,
    allow_hosts: Collection[str] = (),
) -> Report:
    """Check an extension on its own: its descriptor, files, patches and codelists.

    The extension is applied to ``schema_set`` (by default the bundled schemas
    of the newest version it declares compatible) and the patched schemas are
    checked against the meta-schema. Problems are issues in the report; a
    field the extension adds without a title and a description is a warning,
    as the standard documents every field.

    >>> check_extension("funding").valid
    True
    """
    from ._schemas import available_versions, load_schema_set

    try:
        extension = load_extension(location, allow_network=allow_network, allow_hosts=allow_hosts)
    except ExtensionError as exc:
        return Report(issues=exc.issues, files=(str(location),))
    if schema_set is None:
        versions = [v for v in extension.compatibility if v in available_versions()]
        if not versions:
            issue = _issue(
                RULE_INCOMPATIBLE,
                tr(
                    "the extension works with hsdata {versions}, and this hsdata bundles {bundled}",
                    versions=", ".join(extension.compatibility),
                    bundled=", ".join(available_versions()),
                ),
                f"{extension.location}/{_DESCRIPTOR}",
                "/compatibility",
            )
            return Report(issues=(issue,), files=(str(location),))
        schema_set = load_schema_set(versions[-1])
    extended, issues = _apply(schema_set, [extension])
    if extended is not None:
        for stem, patch in extension.patches.items():
            schema_id = _schema_id(schema_set.version, stem)
            for pointer in _undocumented(patch, extended.schemas[schema_id], ""):
                issues.append(
                    _issue(
                        RULE_UNDOCUMENTED,
                        tr(
                            "the field at {pointer} has no title or no description", pointer=pointer
                        ),
                        f"{extension.location}/{stem}-schema.json",
                        pointer,
                    )
                )
    return Report(
        issues=tuple(sorted(issues, key=Issue.sort_key)),
        files=(str(location),),
        schema_version=schema_set.version,
    )
