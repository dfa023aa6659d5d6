"""Where things are in a JSON text: JSON Pointers to lines and columns, and duplicate keys.

The fast parser (orjson) keeps no positions, so positions are found only for
files that have issues, by a second, small scan of the text. The scan is a
loop over regular-expression tokens with an explicit stack (no recursion, so
any nesting depth is safe) and never builds the values themselves.

A member of an object is located at its key (where a person looks for a
field name); an item of a list at its first character.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from .._reporting import pointer_escape

_TOKEN = re.compile(
    r'[ \t\n\r]*(?:("(?:[^"\\]|\\.)*")|([{}\[\],:])|([^ \t\n\r{}\[\],:"]+))', re.DOTALL
)


@dataclass
class Duplicate:
    """A key written twice in one object."""

    pointer: str  # the pointer of the member, e.g. '/3/name'
    key: str
    offset: int  # of the second occurrence
    first_offset: int


@dataclass
class Scan:
    """What a scan found: offsets (in characters) of pointers, and duplicate keys."""

    offsets: dict[str, int] = field(default_factory=dict)
    duplicates: list[Duplicate] = field(default_factory=list)


def _decode_key(token: str) -> str:
    try:
        key = json.loads(token)
    except ValueError:
        return token[1:-1]
    return key if isinstance(key, str) else token[1:-1]


_DECODER = json.JSONDecoder()


def skip_value(text: str, start: int) -> int:
    """The offset just after the JSON value starting at ``start`` (-1 if it cannot be read)."""
    try:
        return _DECODER.raw_decode(text, start)[1]
    except (ValueError, RecursionError):
        return -1


def ancestors(pointer: str) -> Iterator[str]:
    while True:
        yield pointer
        if not pointer:
            return
        pointer = pointer.rsplit("/", 1)[0]


def scan(
    text: str,
    wanted: Collection[str] | None = None,
    *,
    base: str = "",
    find_duplicates: bool = False,
) -> Scan:
    """Scan ``text`` for the offsets of ``wanted`` pointers (all if None) and duplicate keys.

    Duplicate keys are found everywhere when ``find_duplicates`` is set or
    ``wanted`` is None; otherwise only inside the containers that hold a
    wanted pointer (the others are skipped whole).

    ``base`` is prefixed to every pointer (for a record inside a larger
    document). The scan stops quietly at the first token it cannot place:
    it runs only on text that a strict parser has already read, or to
    locate problems in text that it could not.

    >>> found = scan('{"a": 1, "b": [true, {"a": 2, "a": 3}]}', find_duplicates=True)
    >>> found.offsets["/b/1/a"], [d.pointer for d in found.duplicates]
    (22, ['/b/1/a'])
    """
    result = Scan()
    offsets = result.offsets
    # Each frame: [is_object, pointer, index or None, keys seen {key: offset}, expecting_key]
    stack: list[list[object]] = []
    next_pointer = base
    want_all = wanted is None
    wanted_set = set(wanted) if wanted is not None else set()
    # Containers that hold no wanted pointer are skipped whole, at C speed, unless
    # every pointer (or every duplicate key) is asked for.
    prune = not want_all and not find_duplicates
    inside = {a for w in wanted_set for a in ancestors(w)}
    pos = 0
    length = len(text)
    match = _TOKEN.match
    while pos < length:
        m = match(text, pos)
        if m is None or m.end() == pos:
            break
        start = m.start(m.lastindex or 0) if m.lastindex else m.end()
        pos = m.end()
        string, punct, literal = m.group(1), m.group(2), m.group(3)
        top = stack[-1] if stack else None
        if string is not None and top is not None and top[0] and top[4]:
            key = _decode_key(string)
            member = f"{top[1]}/{pointer_escape(key)}"
            keys = top[3]
            assert isinstance(keys, dict)
            if key in keys:
                result.duplicates.append(Duplicate(member, key, start, keys[key]))
            else:
                keys[key] = start
            if want_all or member in wanted_set:
                offsets.setdefault(member, start)
            top[4] = False
            next_pointer = member
            continue
        if punct is not None:
            if punct in "{[":
                if want_all or next_pointer in wanted_set:
                    offsets.setdefault(next_pointer, start)
                if prune and next_pointer not in inside:
                    end = skip_value(text, start)
                    if end > start:
                        pos = end
                        continue
                if punct == "{":
                    stack.append([True, next_pointer, None, {}, True])
                else:
                    stack.append([False, next_pointer, 0, None, False])
                    next_pointer = f"{next_pointer}/0"
            elif punct in "}]":
                if stack:
                    stack.pop()
            elif punct == "," and top is not None:
                if top[0]:
                    top[4] = True
                else:
                    index = top[2]
                    assert isinstance(index, int)
                    top[2] = index + 1
                    next_pointer = f"{top[1]}/{index + 1}"
            continue
        # A scalar value (string or literal).
        if want_all or next_pointer in wanted_set:
            offsets.setdefault(next_pointer, start)
        del literal
    return result


def find_duplicate_keys(text: str) -> list[Duplicate]:
    """Every duplicate key in ``text`` (valid JSON), scanning in detail only what has one.

    The items of a top-level list are first read at C speed with a hook that
    notices a repeated key; only those items are then scanned token by token.
    """
    stripped = len(text) - len(text.lstrip())
    if not text.startswith("[", stripped):
        return scan(text, (), find_duplicates=True).duplicates
    flagged = [False]

    def notice(pairs: list[tuple[str, object]]) -> dict[str, object]:
        if len({key for key, _ in pairs}) != len(pairs):
            flagged[0] = True
        return {}

    decoder = json.JSONDecoder(object_pairs_hook=notice)
    found: list[Duplicate] = []
    pos = stripped + 1
    index = 0
    length = len(text)
    while pos < length:
        while pos < length and text[pos] in " \t\n\r,":
            pos += 1
        if pos >= length or text[pos] == "]":
            break
        flagged[0] = False
        try:
            end = decoder.raw_decode(text, pos)[1]
        except (ValueError, RecursionError):
            return scan(text, (), find_duplicates=True).duplicates
        if flagged[0]:
            item = scan(text[pos:end], (), base=f"/{index}", find_duplicates=True)
            found.extend(
                Duplicate(d.pointer, d.key, d.offset + pos, d.first_offset + pos)
                for d in item.duplicates
            )
        pos = end
        index += 1
    return found


class LineIndex:
    """Turns character offsets in a text into 1-based (line, column) pairs."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


def line_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text``.

    >>> line_column("ab\\ncd", 4)
    (2, 2)
    """
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def nearest_offset(offsets: dict[str, int], pointer: str) -> int | None:
    """The offset of ``pointer``, or of its nearest located ancestor."""
    while True:
        if pointer in offsets:
            return offsets[pointer]
        if not pointer:
            return None
        pointer = pointer.rsplit("/", 1)[0]


def column_in_line(text: str, pointer: str) -> int | None:
    """The column (from 1) of ``pointer`` in one line holding one record, or of its nearest
    located ancestor; None if not even the record can be placed.

    >>> column_in_line('{"id": "a", "date": {"start": "1999-02-30"}}', "/date/start")
    22
    """
    offset = nearest_offset(scan(text, set(ancestors(pointer))).offsets, pointer)
    return None if offset is None else offset + 1
