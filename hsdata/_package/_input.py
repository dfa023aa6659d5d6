"""Reading input files strictly: JSON documents and JSON Lines, with every problem an Issue.

JSON is parsed with orjson, which refuses NaN/Infinity, numbers beyond the
range of a double, invalid UTF-8 and nesting deeper than 1,024 levels. What
orjson cannot say, this module adds:

- duplicate keys (orjson, like Python's json, silently keeps the last one);
- where a problem is (line and column), found by a second scan only for
  text that has a problem (:mod:`._positions`);
- a UTF-8 byte order mark is reported as a warning and the file is read
  anyway: it changes no value, and Windows editors often add it;
- UTF-16/UTF-32 and other non-UTF-8 text is refused.

Nothing here raises for bad input; everything becomes an :class:`Issue`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from .._i18n import tr
from .._reporting import Issue, clean, kind_of, make_issue, shown
from ._positions import find_duplicate_keys, line_column

UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# A key is always followed by '"', optional whitespace and ':'. Counting these
# in the raw text gives an upper bound on the number of keys written.
_KEY_END = re.compile(rb'"[ \t\n\r]*:')
_SPACED_KEY_END = re.compile(rb'"[ \t\n\r]+:')
_NOT_A_NUMBER = re.compile(r"-?(NaN|Infinity)\b")

#: The largest JSON text read whole: a file of records, a datapackage.json, or one line
#: of a JSON Lines file. Parsed JSON takes several times its size in memory, so larger
#: texts are refused (JSON Lines files of any size are read line by line).
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024


def max_document_bytes() -> int:
    """:data:`MAX_DOCUMENT_BYTES` as it is now (tests lower it; worker processes ask again)."""
    return MAX_DOCUMENT_BYTES


_SKIP_CHUNK = 1024 * 1024


def not_utf8(head: bytes) -> bool:
    """True when the first bytes of a file show UTF-16 or UTF-32: a byte order mark of
    theirs, or a zero byte in the first two (JSON text starts with an ASCII character)."""
    return head.startswith(_UTF16_BOMS) or (len(head) >= 2 and (head[0] == 0 or head[1] == 0))


def encoding_issue(file: str) -> Issue:
    """The file is not UTF-8 (see :func:`not_utf8`): nothing in it can be read."""
    return make_issue(
        "json-encoding",
        tr("the file is in UTF-16 or UTF-32, not UTF-8: save it as UTF-8"),
        file=file,
        line=1,
        column=1,
        unreadable=True,
    )


def bom_issue(file: str) -> Issue:
    """The file starts with a UTF-8 byte order mark (read anyway)."""
    return make_issue(
        "json-bom",
        tr(
            "the file starts with a UTF-8 byte order mark; it was read anyway, "
            "but other tools may refuse it"
        ),
        file=file,
        line=1,
        column=1,
    )


def as_readable(issue: Issue) -> Issue:
    """The issue, not marking its file unreadable: one bad line of JSON Lines leaves the
    other lines to be checked, and is an error of the data."""
    return replace(issue, unreadable=False) if issue.unreadable else issue


@dataclass(frozen=True)
class Parsed:
    """The outcome of reading one JSON text: its value (if any) and the issues found."""

    value: Any
    issues: tuple[Issue, ...]
    readable: bool


def _count_keys(value: Any) -> int:
    """How many keys the parsed value holds, counted without recursion."""
    count = 0
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            count += len(node)
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return count


def _count_key_ends(raw: bytes) -> int:
    """How many times '"' + optional whitespace + ':' occurs (plain count when no whitespace)."""
    if _SPACED_KEY_END.search(raw) is None:
        return raw.count(b'":')
    return len(_KEY_END.findall(raw))


def may_have_duplicate_keys(raw: bytes, value: Any) -> bool:
    """False when ``raw`` certainly has no duplicate key; True when it must be checked.

    Every key written in ``raw`` is followed by one ':', and the only other
    colons are inside strings. Serialising the parsed value again writes one
    colon per key the parser kept and the same colons inside strings, as long
    as ``raw`` writes no character as a \\u00XX escape (which could hide a
    colon). So the two texts hold as many colons exactly when no key was
    dropped, that is when none was duplicated: two byte counts at C speed.
    Otherwise the keys are counted: '"' + optional whitespace + ':' occurs
    at least once per key written.
    """
    if b"\\" not in raw or b"\\u00" not in raw:  # the first test is the faster
        try:
            return raw.count(b":") != orjson.dumps(value).count(b":")
        except TypeError:  # orjson writes at most 255 levels; count the slow way
            pass
    written = _count_key_ends(raw)
    return bool(written) and written != _count_keys(value)


def _decode_error(raw: bytes, file: str, line_base: int | None) -> Issue:
    """An Issue for bytes orjson refused, located and classified."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = line_column(raw[: exc.start].decode("utf-8", "replace"), exc.start)
        return _issue_at(
            "json-encoding",
            tr(
                "the file is not UTF-8 text: byte {position} ({byte}) cannot be read; "
                "save the file as UTF-8",
                position=exc.start + 1,
                byte=f"0x{raw[exc.start]:02x}",
            ),
            file,
            line,
            column,
            line_base=line_base,
        )
    try:
        orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        offset = exc.pos
        message = exc.msg
    else:  # pragma: no cover - called only after orjson failed
        offset, message = 0, "unknown error"
    if offset > 0 and text[offset - 1] == "-" and text.startswith("Infinity", offset):
        offset -= 1
    line, column = line_column(text, offset)
    found = _NOT_A_NUMBER.match(text, offset)
    if found:
        return _issue_at(
            "json-not-a-number",
            tr(
                "{value} is not a JSON value: write a number, or leave the field out",
                value=found.group(0),
            ),
            file,
            line,
            column,
            line_base=line_base,
        )
    if "infinity" in message:
        return _issue_at(
            "json-number-range",
            tr(
                "this number is too large to be stored as a decimal number "
                "(more than about 1.8e308)"
            ),
            file,
            line,
            column,
            line_base=line_base,
        )
    if "depth limit" in message or "recursion" in message:
        return _issue_at(
            "json-too-deep",
            tr("objects and lists are nested more than 1,024 levels deep here"),
            file,
            line,
            column,
            line_base=line_base,
        )
    if offset >= len(text.rstrip()):
        message = tr(
            "the JSON text ends too early: it was cut off, or a closing bracket is missing"
        )
    else:
        near = clean(text[offset : offset + 20].split("\n", 1)[0], 20)
        message = tr("not valid JSON: {reason} (near '{near}')", reason=clean(message), near=near)
    return _issue_at("json-syntax", message, file, line, column, line_base=line_base)


def _issue_at(
    rule: str, message: str, file: str, line: int, column: int, *, line_base: int | None
) -> Issue:
    if line_base is not None:  # a line of a JSON Lines file
        line = line_base
    return make_issue(rule, message, file=file, line=line, column=column, unreadable=True)


def duplicate_key_issues(
    text: str, file: str, *, base: str = "", line: int | None = None
) -> list[Issue]:
    """One issue per duplicate key in ``text`` (already known to be valid JSON)."""
    issues = []
    for dup in find_duplicate_keys(text):
        first_line, first_column = line_column(text, dup.first_offset)
        at_line, at_column = line_column(text, dup.offset)
        if line is not None:
            first_line, at_line = line, line
        issues.append(
            make_issue(
                "json-duplicate-key",
                tr(
                    "the field {field} is written twice in the same object "
                    "(first at line {line}, column {column}); "
                    "only one value can be kept, so remove one",
                    field=shown(dup.key),
                    line=first_line,
                    column=first_column,
                ),
                file=file,
                line=at_line,
                column=at_column,
                pointer=base + dup.pointer,
            )
        )
    return issues


def parse_json(raw: bytes, file: str, *, line: int | None = None, base: str = "") -> Parsed:
    """Read one JSON text strictly. ``line`` is set for one line of a JSON Lines file."""
    issues: list[Issue] = []
    if line is None:
        if not_utf8(raw):
            return Parsed(None, (encoding_issue(file),), False)
        if raw.startswith(UTF8_BOM):
            raw = raw[len(UTF8_BOM) :]
            issues.append(bom_issue(file))
        if not raw.strip():
            issues.append(
                make_issue(
                    "json-empty",
                    tr("the file is empty: a file of records holds at least []"),
                    file=file,
                    unreadable=True,
                )
            )
            return Parsed(None, tuple(issues), False)
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        issues.append(_decode_error(raw, file, line))
        return Parsed(None, tuple(issues), False)
    if may_have_duplicate_keys(raw, value):
        issues.extend(duplicate_key_issues(raw.decode("utf-8"), file, base=base, line=line))
    return Parsed(value, tuple(issues), True)


@dataclass(frozen=True)
class RecordItem:
    """One record read from a file: where it is, and its value."""

    pointer: str  # of the record in its file ('/3' in a JSON array, '' in JSON Lines)
    line: int | None  # the line of a JSON Lines record
    value: Any
    index: int = 0  # the record's position in its list (JSON arrays)
    prefix: str = ""  # the pointer of the list holding the record, if not the whole file


def too_large(size: int, file: str, *, line: int | None = None) -> Issue:
    if line is not None:
        return make_issue(
            "json-too-large",
            tr(
                "this line holds {size:,} bytes, more than the {limit:,} one record may take, "
                "so it was skipped; check that the records are separated by line breaks",
                size=size,
                limit=MAX_DOCUMENT_BYTES,
            ),
            file=file,
            line=line,
            column=1,
        )
    return make_issue(
        "json-too-large",
        f"the file holds {size:,} bytes or more, more than the {MAX_DOCUMENT_BYTES:,} read "
        "whole; write the records as JSON Lines (one record per line, in a .jsonl file), "
        "which is read line by line",
        file=file,
        unreadable=True,
    )


def _read_limited(path: Path, file: str) -> bytes | Issue:
    """The bytes of a file, or an issue if it cannot be read or is too large to read whole."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_DOCUMENT_BYTES:
                return too_large(size, file)
            # Read at most one byte past the limit: a device or pipe has no size to check first.
            raw = handle.read(MAX_DOCUMENT_BYTES + 1)
            if len(raw) > MAX_DOCUMENT_BYTES:
                return too_large(len(raw), file)
    except OSError as exc:
        return make_issue(
            "input-not-found",
            f"cannot read the file: {clean(exc.strerror or str(exc))}",
            file=file,
            unreadable=True,
        )
    return raw


def read_json_records(path: Path, file: str) -> Iterator[RecordItem | Issue]:
    """The records of a JSON file holding an array of objects, then any issues."""
    raw = _read_limited(path, file)
    if isinstance(raw, Issue):
        yield raw
        return
    parsed = parse_json(raw, file)
    yield from parsed.issues
    if not parsed.readable:
        return
    if not isinstance(parsed.value, list):
        yield make_issue(
            "json-top-level",
            "the file must hold a list of records, written [ {...}, {...} ]; "
            f"it holds {kind_of(parsed.value)}",
            file=file,
            pointer="",
            unreadable=True,
        )
        return
    for index, value in enumerate(parsed.value):
        yield RecordItem(f"/{index}", None, value, index)


def _limited_lines(handle: BinaryIO) -> Iterator[tuple[int, bytes | int]]:
    """Each line with its number, or the size of a line too long to hold in memory."""
    number = 0
    while raw := handle.readline(MAX_DOCUMENT_BYTES + 1):
        number += 1
        if len(raw) <= MAX_DOCUMENT_BYTES or raw.endswith(b"\n"):
            yield number, raw
            continue
        size = len(raw)
        del raw
        while rest := handle.readline(_SKIP_CHUNK):
            size += len(rest)
            if rest.endswith(b"\n"):
                break
        yield number, size


def read_json_lines(path: Path, file: str) -> Iterator[RecordItem | Issue]:
    """The records of a JSON Lines file, one line at a time (bounded memory)."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield make_issue(
            "input-not-found",
            f"cannot read the file: {clean(exc.strerror or str(exc))}",
            file=file,
            unreadable=True,
        )
        return
    with handle:
        head = handle.read(4)
        if not_utf8(head):
            yield encoding_issue(file)
            return
        handle.seek(0)
        seen_any = False
        for number, text_line in _limited_lines(handle):
            if isinstance(text_line, int):  # a line too long to read: skipped, reported
                seen_any = True
                yield too_large(text_line, file, line=number)
                continue
            raw_line = text_line
            if number == 1 and raw_line.startswith(UTF8_BOM):
                raw_line = raw_line[len(UTF8_BOM) :]
                yield bom_issue(file)
            if not raw_line.strip():
                continue
            seen_any = True
            # The usual line parses and has no duplicate key: parse_json, which says
            # what is wrong with a line, is called only for the others.
            try:
                value = orjson.loads(raw_line)
                usual = not may_have_duplicate_keys(raw_line, value)
            except orjson.JSONDecodeError:
                usual = False
            if usual:
                yield RecordItem("", number, value)
                continue
            parsed = parse_json(raw_line, file, line=number)
            for issue in parsed.issues:
                yield as_readable(issue)
            if not parsed.readable:
                continue
            yield RecordItem("", number, parsed.value)
        if not seen_any:
            yield make_issue(
                "json-empty",
                tr("the file is empty: a JSON Lines file holds one record per line"),
                file=file,
                unreadable=True,
            )


def read_json_object(path: Path, file: str) -> tuple[dict[str, Any] | None, list[Issue]]:
    """Read a JSON file that must hold one object (a datapackage.json)."""
    raw = _read_limited(path, file)
    if isinstance(raw, Issue):
        return None, [raw]
    parsed = parse_json(raw, file)
    issues = list(parsed.issues)
    if not parsed.readable:
        return None, issues
    if not isinstance(parsed.value, dict):
        issues.append(
            make_issue(
                "json-top-level",
                f"a datapackage.json must hold one object, written {{ ... }}; "
                f"it holds {kind_of(parsed.value)}",
                file=file,
                pointer="",
                unreadable=True,
            )
        )
        return None, issues
    return parsed.value, issues
