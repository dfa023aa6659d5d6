"""Upgrading a data package from the version of the standard it follows to a newer one.

An upgrade is a chain of small steps, one per pair of consecutive versions
(1.0 -> 1.1, then 1.1 -> 1.2, ...). A step is a pure function of one record:
it returns the migrated record and the changes it made, and never touches
the record it was given. :func:`upgrade` reads the package through the one
package reader, runs the chain over every record, updates
``hsdata:version`` and each resource's ``jsonSchema``, and writes the
result (to another folder, or in place). Nothing is written unless every
file could be read and migrated. The upgraded package is then validated
against its new version, so the result says whether it is valid as well as
what changed.

What is not changed is kept byte for byte: each change is spliced into the
file's text at the place of the value that changed, written in the file's
own layout (indentation, line ends, separators), and every other character
stays as it was. Numbers are never written again from a parsed value: they
are read as :class:`JsonNumber`, which keeps the text it was written as.

An upgrade in place is all-or-nothing across files, and resumable: the new
files are first written beside their targets, a journal
(``.hsdata-upgrade.json``) lists them, then they are renamed over the old
ones, the descriptor last, and the journal is removed. A run that finds a
journal finishes the renames it lists (when every new file is complete) or
removes what an interrupted run left (when it stopped before its files were
complete), and says which in its report.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import signal
import stat
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from .._errors import HsdataError
from .._files import OutputError, reason_of, staged_folder, write_bytes
from .._package import (
    MAX_DOCUMENT_BYTES,
    SCHEMA_URL,
    Package,
    find_duplicate_keys,
    line_column,
    not_utf8,
    open_package,
)
from .._reporting import (
    ExitCode,
    Issue,
    Report,
    Rule,
    Severity,
    clean,
    exit_code_of,
    issue_dict,
    make_issue,
    register,
    shown,
)
from .._schemas import available_versions
from .._validator import validate

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
    "written: fix the file (validating the package says more) and upgrade again.",
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


RULE_WRITE = _rule(
    "upgrade-write",
    "The upgraded package could not be written",
    "A file of the upgraded package could not be written (the disk is full, the folder is "
    "read-only, a symbolic link is in the way...). Every file already written was put back, "
    "so the package is as it was: fix the cause and upgrade again.",
)
RULE_INTERRUPTED = _rule(
    "upgrade-interrupted",
    "An interrupted upgrade cannot be finished",
    "The package folder holds the journal of an upgrade in place that was interrupted "
    "(.hsdata-upgrade.json), and the files it lists are not the ones it wrote, or the upgrade "
    "was asked to write elsewhere. Run 'hsdata upgrade --in-place' on the package to finish "
    "it; if that fails, restore the package from a copy and remove the journal.",
)


def _refusal(
    rule: Rule,
    message: str,
    *,
    file: str | None = None,
    pointer: str | None = None,
    line: int | None = None,
    column: int | None = None,
) -> Issue:
    return make_issue(
        rule.id, message, file=file, pointer=pointer, line=line, column=column, unreadable=True
    )


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
#: Numbers in the record are :class:`JsonNumber` values; a step keeps the values it does
#: not change as the very same objects, so that they are written back untouched.
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
                f"posts[{index}].heldOn {_shown_value(post['heldOn'])} "
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


# -- JSON text edited in place -------------------------------------------------------------------


class JsonNumber(Decimal):
    """A number read from a file: compares as a number, and is written back as it was written.

    Steps see every number as one of these (a :class:`~decimal.Decimal`), so
    ``1e400``, ``-0``, ``1E2`` and ``12345678901234567890.5`` never pass
    through a float and come out of an upgrade exactly as they went in.

    >>> number = JsonNumber("1E2")
    >>> number == 100, number.text
    (True, '1E2')
    """

    __slots__ = ("text",)
    text: str

    def __new__(cls, text: str) -> JsonNumber:
        number = super().__new__(cls, text)
        number.text = text
        return number


def _shown_value(value: Any) -> str:
    """A value from a record for a change's message, made safe (numbers as written)."""
    if isinstance(value, JsonNumber):
        return clean(value.text)
    return shown(value)


class _Unreadable(Exception):
    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


class _Duplicate(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _Duplicate(key)
        found[key] = value
    return found


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


#: Reads values for steps: numbers keep their text, a key written twice is refused.
_STRICT = json.JSONDecoder(
    object_pairs_hook=_no_duplicates,
    parse_float=JsonNumber,
    parse_int=JsonNumber,
    parse_constant=_no_constants,
)
#: Finds where values end, in text the strict decoder has already read: (value, end).
_scan: Callable[[str, int], tuple[Any, int]] = vars(json.JSONDecoder())["scan_once"]
_SPACE = re.compile(r"[ \t\n\r]*")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_INDENT = re.compile(r"\n([ \t]+)[^ \t\r\n]")


def _skip(text: str, position: int) -> int:
    if position >= len(text) or text[position] not in " \t\n\r":
        return position
    match = _SPACE.match(text, position)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _parse(text: str, start: int, display: str, line: int | None = None) -> tuple[Any, int, int]:
    """(value, start, end) of the one JSON value in ``text`` from ``start`` (whitespace around it
    allowed); refuses anything else, naming the file and the place. ``line`` is the number of
    a JSON Lines line (the text is that line)."""

    def refuse(message: str, offset: int | None = None) -> _Unreadable:
        at_line, column = line_column(text, offset) if offset is not None else (None, None)
        if line is not None:
            at_line = line
        where = f" (line {at_line}, column {column})" if column else ""
        where = where or (f" (line {at_line})" if at_line else "")
        return _Unreadable(
            _refusal(RULE_UNREADABLE, message + where, file=display, line=at_line, column=column)
        )

    begin = _skip(text, start)
    try:
        value, end = _STRICT.raw_decode(text, begin)
    except json.JSONDecodeError as exc:
        raise refuse(f"not valid JSON: {clean(exc.msg)}", exc.pos) from None
    except _Duplicate as exc:
        found = find_duplicate_keys(text[begin:])
        raise refuse(
            f"the field {shown(exc.key)} appears twice in one object; "
            "only one value can be kept, so remove one",
            begin + found[0].offset if found else None,
        ) from None
    except ValueError as exc:
        raise refuse(clean(str(exc))) from None
    except RecursionError:
        raise refuse("objects and lists are nested too deeply to be read") from None
    rest = _skip(text, end)
    if rest < len(text):
        raise refuse("not valid JSON: more text follows the JSON value", rest)
    return value, begin, end


def _same(old: Any, new: Any) -> bool:
    """True when ``new`` would be written exactly as ``old`` is (same types, same number text)."""
    if old is new:
        return True
    if type(old) is not type(new):
        return False
    if isinstance(old, dict):
        return list(old) == list(new) and all(_same(old[k], new[k]) for k in old)
    if isinstance(old, list):
        return len(old) == len(new) and all(map(_same, old, new))
    if isinstance(old, JsonNumber):
        return bool(old.text == new.text)
    equal: bool = old == new
    return equal


@dataclass
class _Layout:
    """How a file writes JSON, learned from its text, for the values an upgrade writes anew."""

    newline: str = "\n"
    unit: str | None = None  # one level of indentation; None: written on one line
    key_separator: str = ": "
    item_separator: str = ", "  # between items written on one line
    learned: bool = False

    @classmethod
    def of(cls, text: str) -> _Layout:
        found = text.find("\n")
        newline = "\r\n" if found > 0 and text[found - 1] == "\r" else "\n"
        indent = _INDENT.search(text)
        return cls(newline, indent.group(1) if indent else None)


# A key and its colon, with the whitespace around them; then what follows a value.
_KEY = re.compile(r'[ \t\n\r]*("(?:[^"\\]|\\.)*")[ \t\n\r]*:[ \t\n\r]*', re.DOTALL)
_AFTER = re.compile(r"[ \t\n\r]*([,}\]])[ \t\n\r]*")
_EMPTY = re.compile(r"[ \t\n\r]*[}\]]")


def _members(text: str, start: int) -> list[tuple[str, int, int, int, int]]:
    """(key, key start, key end, value start, value end) of each member of the object at
    ``start`` (text already read by the strict decoder, so every match below succeeds)."""
    found: list[tuple[str, int, int, int, int]] = []
    if _EMPTY.match(text, start + 1):
        return found
    position = start + 1
    while True:
        key = _KEY.match(text, position)
        assert key is not None
        raw = key.group(1)
        name = raw[1:-1] if "\\" not in raw else _scan(raw, 0)[0]
        value_end = _scan(text, key.end())[1]
        found.append((name, key.start(1), key.end(1), key.end(), value_end))
        after = _AFTER.match(text, value_end)
        assert after is not None
        if after.group(1) != ",":
            return found
        position = after.end()


def _items(text: str, start: int) -> list[tuple[int, int]]:
    """(start, end) of each item of the list at ``start``."""
    found: list[tuple[int, int]] = []
    if _EMPTY.match(text, start + 1):
        return found
    position = _skip(text, start + 1)
    while True:
        end = _scan(text, position)[1]
        found.append((position, end))
        after = _AFTER.match(text, end)
        assert after is not None
        if after.group(1) != ",":
            return found
        position = after.end()


def _line_indent(text: str, position: int) -> str | None:
    """The whitespace before ``position`` on its line, or None if something else comes first."""
    head = text[text.rfind("\n", 0, position) + 1 : position]
    return head if not head.strip(" \t") else None


def _json_string(value: str) -> str:
    # A lone surrogate is valid in JSON only as an escape: it cannot be written as UTF-8.
    return _SURROGATE.sub(
        lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False)
    )


def _serialise(value: Any, indent: str | None, layout: _Layout, known: Mapping[int, str]) -> str:
    """A value an upgrade writes anew, in the file's layout; ``indent`` is the indentation of
    the line it starts on (None: on one line). Strings moved from elsewhere in the same
    object keep their text (``known``, by identity); numbers always do."""
    if isinstance(value, JsonNumber):
        return value.text
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, str):
        return known.get(id(value)) or _json_string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        if not math.isfinite(value):
            raise ValueError(f"an upgrade step made a number JSON cannot hold: {value}")
        return json.dumps(value) if isinstance(value, float) else str(value)
    if isinstance(value, dict):
        parts = [
            _json_string(str(k))
            + layout.key_separator
            + _serialise(v, _deeper(indent, layout), layout, known)
            for k, v in value.items()
        ]
        return _bracketed("{", parts, "}", indent, layout)
    if isinstance(value, (list, tuple)):
        parts = [_serialise(v, _deeper(indent, layout), layout, known) for v in value]
        return _bracketed("[", parts, "]", indent, layout)
    raise TypeError(f"an upgrade step made a value JSON cannot hold: {type(value).__name__}")


def _deeper(indent: str | None, layout: _Layout) -> str | None:
    return None if indent is None or layout.unit is None else indent + layout.unit


def _bracketed(
    opening: str, parts: list[str], closing: str, indent: str | None, layout: _Layout
) -> str:
    if not parts:
        return opening + closing
    if indent is None or layout.unit is None:
        return opening + layout.item_separator.join(parts) + closing
    inner = layout.newline + indent + layout.unit
    return opening + inner + ("," + inner).join(parts) + layout.newline + indent + closing


class _Editor:
    """Rewrites values of one JSON text: members and items that stay keep their text and the
    separators around them; only what changed is written anew, in the file's layout."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.layout = _Layout.of(text)

    def rewrite(
        self,
        span: tuple[int, int],
        old: Any,
        new: Any,
        indent: str | None,
        known: Mapping[int, str],
    ) -> str | None:
        """The new text of the value at ``span`` (``old``, now ``new``), or None if it stays."""
        if _same(old, new):
            return None
        if isinstance(old, dict) and isinstance(new, dict) and old and new:
            return self._object(span, old, new)
        if isinstance(old, list) and isinstance(new, list) and old and new:
            return self._list(span, old, new)
        return _serialise(new, indent, self.layout, known)

    def _joined(
        self,
        span: tuple[int, int],
        spans: list[tuple[int, int]],
        pieces: list[tuple[int | None, str]],
    ) -> str:
        """A container rebuilt from ``pieces`` (the old child each stands for, or None, and its
        text); between two pieces goes the separator the file had at that place."""
        text = self.text
        separators = [text[spans[i - 1][1] : spans[i][0]] for i in range(1, len(spans))]
        out = [text[span[0] : spans[0][0]]]
        for number, (old, piece) in enumerate(pieces):
            if number:
                before = pieces[number - 1][0]
                if before is not None and before + 1 < len(spans):
                    out.append(separators[before])
                elif old is not None and old >= 1:
                    out.append(separators[old - 1])
                else:
                    out.append(self._separator(span[0], spans))
            out.append(piece)
        out.append(text[spans[-1][1] : span[1]])
        return "".join(out)

    def _separator(self, start: int, spans: list[tuple[int, int]]) -> str:
        """The separator for a container that had one child: by its layout."""
        text = self.text
        indent = _line_indent(text, spans[0][0])
        if "\n" in text[start : spans[0][0]] and indent is not None:
            return "," + self.layout.newline + indent
        return self.layout.item_separator

    def _learn(self, key_end: int, value_start: int, separator: str | None) -> None:
        """Take the file's own separators for the values written anew on one line."""
        layout = self.layout
        if layout.learned:
            return
        layout.key_separator = self.text[key_end:value_start]
        if separator is not None and "\n" not in separator:
            layout.item_separator = separator
        layout.learned = True

    def _object(self, span: tuple[int, int], old: dict[str, Any], new: dict[str, Any]) -> str:
        text = self.text
        members = _members(text, span[0])
        spans = [(m[1], m[4]) for m in members]
        multiline = "\n" in text[span[0] : members[0][1]]
        self._learn(
            members[0][2],
            members[0][3],
            text[members[0][4] : members[1][1]] if len(members) > 1 else None,
        )
        where = {key: number for number, (key, *_) in enumerate(members)}
        # Strings that may have moved within the object keep their text (see _serialise).
        known = (
            {}
            if new.keys() == old.keys()
            else {
                id(old[key]): text[value_start:value_end]
                for key, _, _, value_start, value_end in members
                if isinstance(old[key], str)
            }
        )
        indent = _line_indent(text, members[0][1]) if multiline else None
        key_separator = text[members[0][2] : members[0][3]]
        pieces: list[tuple[int | None, str]] = []
        for key, value in new.items():
            number = where.get(key)
            if number is None:
                written = _serialise(value, indent, self.layout, known)
                pieces.append((None, _json_string(key) + key_separator + written))
                continue
            _, key_start, _, value_start, value_end = members[number]
            if old[key] is value:
                pieces.append((number, text[key_start:value_end]))
                continue
            member_indent = _line_indent(text, key_start) if multiline else None
            changed = self.rewrite((value_start, value_end), old[key], value, member_indent, known)
            kept = text[key_start:value_end]
            pieces.append(
                (number, kept if changed is None else text[key_start:value_start] + changed)
            )
        return self._joined(span, spans, pieces) if pieces else "{}"

    def _list(self, span: tuple[int, int], old: list[Any], new: list[Any]) -> str:
        text = self.text
        spans = _items(text, span[0])
        multiline = "\n" in text[span[0] : spans[0][0]]
        known = (
            {}
            if len(old) == len(new)
            else {
                id(value): text[a:b]
                for value, (a, b) in zip(old, spans, strict=True)
                if isinstance(value, str)
            }
        )
        # Items kept at the start and at the end stay; those between are paired when as many
        # remain on both sides (each then rewritten in place), else written anew.
        shortest = min(len(old), len(new))
        head = 0
        while head < shortest and _same(old[head], new[head]):
            head += 1
        tail = 0
        while tail < shortest - head and _same(old[-1 - tail], new[-1 - tail]):
            tail += 1
        paired = len(old) == len(new)
        pieces: list[tuple[int | None, str]] = []
        for number, value in enumerate(new):
            was: int | None = None
            if number < head or paired:
                was = number
            elif number >= len(new) - tail:
                was = len(old) - (len(new) - number)
            if was is not None and old[was] is value:
                pieces.append((was, text[spans[was][0] : spans[was][1]]))
                continue
            indent = None
            if multiline:
                indent = _line_indent(text, spans[0 if was is None else was][0])
            if was is None:
                pieces.append((None, _serialise(value, indent, self.layout, known)))
                continue
            a, b = spans[was]
            changed = self.rewrite((a, b), old[was], value, indent, known)
            pieces.append((was, text[a:b] if changed is None else changed))
        return self._joined(span, spans, pieces) if pieces else "[]"


def edit_json_text(text: str, old: Any, new: Any, start: int, end: int) -> str:
    r"""``text`` with the value at ``text[start:end]`` (``old``) changed to ``new``, every
    character outside what changed kept.

    >>> text = '{"a": 1E2,"b": ["\\u00e9"]}'
    >>> old = json.loads(text)
    >>> edit_json_text(text, old, {**old, "b": [*old["b"], "x"], "c": True}, 0, len(text))
    '{"a": 1E2,"b": ["\\u00e9","x"],"c": true}'
    """
    indent = _line_indent(text, start) if "\n" in text[start:end] else None
    changed = _Editor(text).rewrite((start, end), old, new, indent, {})
    return text if changed is None else text[:start] + changed + text[end:]


# -- reading and migrating a package ---------------------------------------------------------------

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
            _refusal(RULE_UNREADABLE, f"cannot read the file: {reason_of(exc)}", file=display)
        ) from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _Unreadable(
            _refusal(
                RULE_UNREADABLE,
                f"the file holds more than {MAX_DOCUMENT_BYTES:,} bytes, more than an upgrade "
                "reads whole",
                file=display,
            )
        )
    return data


def _decoded(data: bytes, display: str, line: int | None = None) -> str:
    if line is None and not_utf8(data[:4]):
        raise _Unreadable(
            _refusal(RULE_UNREADABLE, "the file is in UTF-16 or UTF-32, not UTF-8", file=display)
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = f"line {line}" if line else f"byte {exc.start + 1}"
        raise _Unreadable(
            _refusal(
                RULE_UNREADABLE,
                f"the file is not UTF-8 text ({where} cannot be read)",
                file=display,
            )
        ) from None


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
            "does not declare 'hsdata:version'"
            if declared is None
            else f"declares hsdata:version {_shown_value(declared)}, unknown to this hsdata"
        )
        raise _Unreadable(
            _refusal(
                RULE_VERSION,
                f"the package {said} (bundled versions: {', '.join(bundled)})",
                file=shown_descriptor,
                pointer="/hsdata:version",
            )
        )
    target = target or bundled[-1]
    if target not in bundled:
        raise _Unreadable(
            _refusal(
                RULE_VERSION,
                f"hsdata {clean(target)} is not a published version of the standard; "
                f"bundled versions: {', '.join(bundled)}",
            )
        )
    if _version_key(target) < _version_key(declared):
        raise _Unreadable(
            _refusal(
                RULE_VERSION,
                f"the package follows hsdata {declared}, newer than {target}; "
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
    return declared, target, chain


def _relative(path: Path, folder: Path) -> str:
    return path.absolute().relative_to(folder.absolute()).as_posix()


def _plan(package: Package, target: str | None) -> _Plan:
    descriptor_path = package.descriptor_path
    if descriptor_path.is_symlink() and not _inside(
        descriptor_path.resolve(), package.folder.resolve()
    ):
        raise _Unreadable(
            _refusal(
                RULE_UNSAFE,
                "the descriptor is a symbolic link out of the package folder; hsdata never "
                "follows a path out of the package",
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
                "a datapackage.json holds an object with a list of 'resources'",
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
                "a resource file holds a JSON list of records, written [ {...}, {...} ]",
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
                            f"a line holds more than {MAX_DOCUMENT_BYTES:,} bytes, more than "
                            "one record may take",
                            file=display,
                        )
                    )
                yield raw
    except OSError as exc:
        raise _Unreadable(
            _refusal(RULE_UNREADABLE, f"cannot read the file: {reason_of(exc)}", file=display)
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


# -- writing ---------------------------------------------------------------------------------------

#: The journal of an upgrade in place, in the package folder while its files are replaced.
JOURNAL_NAME = ".hsdata-upgrade.json"
_NEW_SUFFIX = ".hsdata-upgrade-new"
_JOURNAL_FORMAT = "hsdata-upgrade-journal/1"

# Fault injection for the tests (tests/hostile/test_upgrade_faults.py), never set in use: when
# the environment variable below holds N, the process kills itself (SIGKILL) at the N-th point
# of an upgrade in place, counted from 1: each journal write, each new file half written and
# then whole, each rename, the journal's removal. The tests kill at every point in turn.
_KILL_AT_VARIABLE = "HSDATA_TEST_UPGRADE_KILL_AT"
_points = [0]


def _point() -> None:
    wanted = os.environ.get(_KILL_AT_VARIABLE)
    if not wanted:
        return
    _points[0] += 1
    if str(_points[0]) == wanted:
        os.kill(os.getpid(), signal.SIGKILL)


class _WriteFailed(Exception):
    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def _write_failure(
    error: OSError | OutputError, path: Path, shown_as: str, after: str
) -> _WriteFailed:
    message = (
        str(error)
        if isinstance(error, OutputError)
        else (f"Could not write {path}: {reason_of(error)}.")
    )
    return _WriteFailed(_refusal(RULE_WRITE, f"{message.rstrip('.')}; {after}", file=shown_as))


def _new_file_of(path: Path) -> Path:
    """Where the new text of ``path`` waits to be renamed over it."""
    return path.with_name(f".{path.name}{_NEW_SUFFIX}")


def _write_new_file(path: Path, data: bytes, mode: int) -> None:
    """Write a file that must not exist as a link, flushed to disk, with ``mode``."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        half = len(data) // 2
        for part in (data[:half], data[half:]):
            view = memoryview(part)
            while view:
                view = view[os.write(handle, view) :]
            os.fsync(handle)
            _point()
        os.fchmod(handle, mode)
    finally:
        os.close(handle)


def _sync_folders(folders: set[Path]) -> None:
    for folder in folders:
        with contextlib.suppress(OSError):
            handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            try:
                os.fsync(handle)
            finally:
                os.close(handle)


def _journal(state: str, plan: _Plan, files: list[_File]) -> bytes:
    entries = [
        {
            "file": item.relative,
            "new": _relative(_new_file_of(item.path), plan.package.folder),
            "sha256": hashlib.sha256(item.new_data or b"").hexdigest(),
        }
        for item in files
    ]
    document = {
        "format": _JOURNAL_FORMAT,
        "state": state,
        "from": plan.source_version,
        "to": plan.target_version,
        "files": entries,
    }
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def _write_in_place(plan: _Plan) -> list[str]:
    """Replace the changed files all together or not at all (see the module's docstring)."""
    changed = [item for item in plan.files if item.new_data is not None]
    if plan.descriptor.new_data is not None:
        changed.append(plan.descriptor)  # last: the package says its new version only at the end
    if not changed:
        return []
    folder = plan.package.folder
    journal = folder / JOURNAL_NAME
    folders = {folder, *(item.path.parent for item in changed)}
    root = folder.resolve()
    for item in changed:
        parts = item.relative.split("/")
        if item.path.is_symlink() or item.path.parent.resolve() != root.joinpath(*parts[:-1]):
            raise _WriteFailed(
                _refusal(
                    RULE_UNSAFE,
                    "the file is, or is reached through, a symbolic link, and an upgrade in "
                    "place never writes through one; upgrade with --output instead",
                    file=item.shown,
                )
            )
    written: list[_File] = []
    current: _File | None = None
    try:
        write_bytes(journal, _journal("staging", plan, changed), root=folder)
        _point()
        for item in changed:
            current = item
            assert item.new_data is not None
            _write_new_file(
                _new_file_of(item.path), item.new_data, stat.S_IMODE(item.path.stat().st_mode)
            )
        current = None
        _sync_folders(folders)
        write_bytes(journal, _journal("committing", plan, changed), root=folder)
        _point()
    except (OSError, OutputError) as error:
        _remove_new_files(changed, journal)
        where = current or plan.descriptor
        raise _write_failure(
            error,
            current.path if current else journal,
            where.shown,
            "the package was left as it was",
        ) from None
    try:
        for item in changed:
            os.replace(_new_file_of(item.path), item.path)
            written.append(item)
            _point()
    except OSError as error:
        failed = changed[len(written)]
        try:
            for item in reversed(written):
                write_bytes(item.path, item.data, root=folder)
            _remove_new_files(changed, journal)
        except (OSError, OutputError):
            after = "putting back the files already replaced failed too: restore the package"
        else:
            after = "the package was left as it was"
        raise _write_failure(error, failed.path, failed.shown, after) from None
    _sync_folders(folders)
    # Every file is in place: a journal that cannot be removed only makes the next run finish
    # an upgrade that is already complete.
    with contextlib.suppress(OSError):
        journal.unlink()
        _sync_folders({folder})
    _point()
    return [str(item.path) for item in changed]


def _remove_new_files(files: list[_File], journal: Path) -> None:
    for item in files:
        with contextlib.suppress(FileNotFoundError):
            _new_file_of(item.path).unlink()
    with contextlib.suppress(FileNotFoundError):
        journal.unlink()


def _journal_files(folder: Path, journal: Path) -> tuple[str, list[tuple[Path, Path, str]]]:
    """The state a journal records and its (file, new file, digest) triples, each checked to be
    a place inside the package an upgrade writes (a journal is input like any other)."""
    shown_journal = clean(str(journal))

    def refuse(why: str) -> _Unreadable:
        return _Unreadable(
            _refusal(
                RULE_INTERRUPTED,
                f"the journal of an interrupted upgrade {why}; restore the package from a copy "
                "and remove the journal",
                file=shown_journal,
            )
        )

    try:
        if not stat.S_ISREG(journal.lstat().st_mode):
            raise refuse("is not a regular file")
        document = json.loads(_read_bytes(journal, shown_journal))
    except (OSError, ValueError):
        raise refuse("cannot be read") from None
    root = folder.resolve()
    files = document.get("files") if isinstance(document, dict) else None
    state = document.get("state") if isinstance(document, dict) else None
    if (
        not isinstance(document, dict)
        or document.get("format") != _JOURNAL_FORMAT
        or state not in ("staging", "committing")
        or not isinstance(files, list)
    ):
        raise refuse("is not one hsdata wrote")
    found: list[tuple[Path, Path, str]] = []
    for entry in files:
        relative = entry.get("file") if isinstance(entry, dict) else None
        digest = entry.get("sha256") if isinstance(entry, dict) else None
        parts = PurePosixPath(relative).parts if isinstance(relative, str) else ()
        if (
            not parts
            or any(p in ("..", ".", "") for p in parts)
            or relative.startswith("/")  # type: ignore[union-attr]
            or not isinstance(digest, str)
        ):
            raise refuse("names a file outside the package")
        target = folder.joinpath(*parts)
        if target.parent.resolve() != root.joinpath(*parts[:-1]):
            raise refuse("names a file through a symbolic link")
        if entry.get("new") != _relative(_new_file_of(target), folder):
            raise refuse("names a new file hsdata would not write")
        found.append((target, _new_file_of(target), digest))
    return str(state), found


def _digest_of(path: Path) -> str | None:
    """The SHA-256 of a regular file (never read through a link), or None if there is none."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _recover(folder: Path) -> tuple[UpgradeChange, list[str]] | None:
    """Finish or undo an upgrade in place that was interrupted, if its journal is there."""
    journal = folder / JOURNAL_NAME
    # A journal being written when the process stopped leaves its temporary file (named by
    # hsdata._files.write_bytes); the journal itself was not there yet, or is the older one.
    for stray in folder.glob(f".{JOURNAL_NAME}.*.tmp"):
        with contextlib.suppress(OSError):
            if stat.S_ISREG(stray.lstat().st_mode):
                stray.unlink()
    if not os.path.lexists(journal):
        return None
    state, files = _journal_files(folder, journal)
    shown_journal = clean(str(journal))
    if state == "staging":
        # Stopped before every new file was whole: nothing was replaced yet.
        for _, new_file, _ in files:
            with contextlib.suppress(FileNotFoundError):
                new_file.unlink()
        journal.unlink()
        _sync_folders({folder})
        return (
            UpgradeChange(
                "interrupted-upgrade-undone",
                "an earlier upgrade in place stopped before it had replaced any file; the new "
                "files it had begun were removed, and the package was upgraded from its old files",
                shown_journal,
            ),
            [],
        )
    pending: list[tuple[Path, Path]] = []
    for target, new_file, digest in files:
        if os.path.lexists(new_file):
            if _digest_of(new_file) != digest:
                raise _Unreadable(
                    _refusal(
                        RULE_INTERRUPTED,
                        f"the new file {clean(str(new_file))} of an interrupted upgrade is not "
                        "the one it wrote, so the upgrade cannot be finished; restore the "
                        "package from a copy and remove the journal",
                        file=shown_journal,
                    )
                )
            pending.append((new_file, target))
        elif _digest_of(target) != digest:
            raise _Unreadable(
                _refusal(
                    RULE_INTERRUPTED,
                    f"{clean(str(target))} changed after an interrupted upgrade had replaced it, "
                    "so the upgrade cannot be finished; restore the package from a copy and "
                    "remove the journal",
                    file=shown_journal,
                )
            )
    for new_file, target in pending:
        os.replace(new_file, target)
    _sync_folders({folder, *(target.parent for target, _, _ in files)})
    journal.unlink()
    _sync_folders({folder})
    return (
        UpgradeChange(
            "interrupted-upgrade-finished",
            f"an earlier upgrade in place was interrupted while it replaced the package's files; "
            f"it was finished ({len(pending)} of {len(files)} file(s) replaced now)",
            shown_journal,
        ),
        [str(target) for _, target in pending],
    )


def _check_output(output: Path, package_dir: Path) -> Issue | None:
    resolved = output.resolve()
    if _inside(resolved, package_dir.resolve()):
        return _refusal(
            RULE_UNSAFE,
            f"the output folder {clean(str(output))} is inside the package folder "
            f"{clean(str(package_dir))}; choose a folder elsewhere, or upgrade in place",
        )
    if resolved.exists() and (not resolved.is_dir() or any(resolved.iterdir())):
        return _refusal(
            RULE_UNSAFE,
            f"the output folder {clean(str(output))} already exists and is not empty; "
            "name a new folder",
        )
    return None


def _write_output(plan: _Plan, output: Path) -> list[str]:
    """Write the whole package into a folder filled beside ``output`` and swapped in at the end."""
    written: list[str] = []
    current = plan.descriptor
    try:
        with staged_folder(output, force=False) as staging:
            for item in [plan.descriptor, *plan.files]:
                current = item
                _copy_into(staging, item.relative, item.new_data or item.data, item.path)
                written.append(str(output.resolve() / item.relative))
            for entry in plan.extension_folders:
                source_folder = plan.package.folder / entry
                for source in sorted(source_folder.rglob("*")):
                    if source.is_symlink() or not source.is_file():
                        continue  # never followed, even inside the package
                    relative = f"{entry}/{source.relative_to(source_folder).as_posix()}"
                    current = _File(source, relative, relative, b"")
                    _copy_into(staging, relative, source.read_bytes(), source)
                    written.append(str(output.resolve() / relative))
    except (OSError, OutputError) as error:
        raise _write_failure(
            error,
            output / current.relative,
            clean(str(output / current.relative)),
            f"nothing was left in {clean(str(output))}",
        ) from None
    return written


def _copy_into(staging: Path, relative: str, data: bytes, source: Path) -> None:
    destination = staging.joinpath(*relative.split("/"))
    destination.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(destination, data, root=staging)
    with contextlib.suppress(OSError):
        os.chmod(destination, stat.S_IMODE(source.stat().st_mode))  # the file keeps its mode


def upgrade(
    path: str | os.PathLike[str] = ".",
    to: str | None = None,
    *,
    output: str | os.PathLike[str] | None = None,
    in_place: bool = False,
    validate_result: bool = True,
) -> UpgradeReport:
    """Upgrade the data package at ``path`` to version ``to`` of the standard (default: the newest).

    ``path`` is a package folder, its ``datapackage.json`` or (with
    ``output``) a zip of the package. Give exactly one of ``output`` (a new
    or empty folder outside the package, which receives the upgraded
    datapackage.json, its resource files and its local extension folders,
    all at once) or ``in_place=True`` (all changed files replaced together,
    resumable after an interruption). Problems with the data become issues
    in the returned :class:`UpgradeReport`; nothing is written when any file
    cannot be read or migrated, and a write that fails leaves the package as
    it was (exit code 2). Only asking for both or neither of ``output`` and
    ``in_place`` raises :class:`UpgradeError`.

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
    shown_output = str(output) if output is not None else None
    folder = given if given.is_dir() else given.absolute().parent
    recovered: tuple[UpgradeChange, list[str]] | None = None
    try:
        if in_place and given.suffix.lower() == ".zip":
            raise _Unreadable(
                _refusal(
                    RULE_UNSAFE,
                    "a zipped package cannot be upgraded in place; give --output OUTDIR",
                    file=clean(str(given)),
                )
            )
        if in_place:
            recovered = _recover(folder)
        elif os.path.lexists(folder / JOURNAL_NAME):
            raise _Unreadable(
                _refusal(
                    RULE_INTERRUPTED,
                    "an upgrade in place of this package was interrupted; upgrade it in place "
                    "again to finish it before writing it elsewhere",
                    file=clean(str(folder / JOURNAL_NAME)),
                )
            )
    except _Unreadable as refused:
        return UpgradeReport(issues=(refused.issue,), output=shown_output)
    except OSError as error:
        issue = _refusal(
            RULE_INTERRUPTED,
            f"an interrupted upgrade could not be finished: {reason_of(error)}",
            file=clean(str(folder / JOURNAL_NAME)),
        )
        return UpgradeReport(issues=(issue,), output=shown_output)
    done = (recovered[0],) if recovered else ()
    done_files = tuple(recovered[1]) if recovered else ()
    with open_package(given) as package:
        try:
            plan = _plan(package, to)
        except _Unreadable as refused:
            return UpgradeReport(
                changes=done,
                issues=(refused.issue,),
                files=done_files,
                output=shown_output,
                written=bool(done_files),
            )
        summary = UpgradeReport(
            source_version=plan.source_version,
            target_version=plan.target_version,
            steps=tuple(f"{s.source} -> {s.target}: {s.summary}" for s in plan.chain),
            changes=done + tuple(plan.changes),
            output=shown_output,
        )
        target_dir = plan.package.folder
        if output is not None:
            refusal = _check_output(Path(output), plan.package.folder)
            if refusal is not None:
                return replace(summary, changes=(), issues=(refusal,))
            target_dir = Path(output).resolve()
        try:
            if output is not None:
                written = _write_output(plan, Path(output))
            else:
                written = _write_in_place(plan)
        except _WriteFailed as failed:
            # Nothing was upgraded: the report lists no step (it would read as done).
            return replace(
                summary, steps=(), changes=done, issues=(failed.issue,), files=done_files
            )
        descriptor_name = plan.package.descriptor_path.name
    issues: tuple[Issue, ...] = ()
    if validate_result:
        checked: Report = validate(target_dir / descriptor_name)
        # The upgrade was made: a file its result cannot read (a number too large, kept as it
        # was written) makes the result invalid (exit 1), not the upgrade refused (exit 2).
        issues = tuple(replace(i, unreadable=False) for i in checked.issues)
    files = done_files + tuple(written)
    return replace(summary, issues=issues, files=files, output=str(target_dir), written=bool(files))
