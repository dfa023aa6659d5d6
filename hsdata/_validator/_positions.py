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
from collections.abc import Collection
from dataclasses import dataclass, field

from ._safe import pointer_escape

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


def scan(text: str, wanted: Collection[str] | None = None, *, base: str = "") -> Scan:
    """Scan ``text`` for the offsets of ``wanted`` pointers (all if None) and duplicate keys.

    ``base`` is prefixed to every pointer (for a record inside a larger
    document). The scan stops quietly at the first token it cannot place:
    it runs only on text that a strict parser has already read, or to
    locate problems in text that it could not.

    >>> found = scan('{"a": 1, "b": [true, {"a": 2, "a": 3}]}')
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
