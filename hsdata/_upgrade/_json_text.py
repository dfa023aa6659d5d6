"""JSON text edited in place: what an upgrade does not change is kept byte for byte.

Each change is spliced into the file's text at the place of the value that
changed, written in the file's own layout (indentation, line ends,
separators), and every other character stays as it was. Numbers are never
written again from a parsed value: they are read as :class:`JsonNumber`,
which keeps the text it was written as. :func:`_parse` reads a value
strictly (a key written twice is refused) and :func:`edit_json_text` writes
the new one.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .._i18n import tr
from .._package import find_duplicate_keys, line_column
from .._reporting import clean, shown
from ._results import RULE_UNREADABLE, _refusal, _Unreadable


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
        if column:
            message = tr(
                "{message} (line {line}, column {column})",
                message=message,
                line=at_line,
                column=column,
            )
        elif at_line:
            message = tr("{message} (line {line})", message=message, line=at_line)
        return _Unreadable(
            _refusal(RULE_UNREADABLE, message, file=display, line=at_line, column=column)
        )

    begin = _skip(text, start)
    try:
        value, end = _STRICT.raw_decode(text, begin)
    except json.JSONDecodeError as exc:
        raise refuse(tr("not valid JSON: {reason}", reason=clean(exc.msg)), exc.pos) from None
    except _Duplicate as exc:
        found = find_duplicate_keys(text[begin:])
        raise refuse(
            tr(
                "the field {field} appears twice in one object; only one value can be kept, "
                "so remove one",
                field=shown(exc.key),
            ),
            begin + found[0].offset if found else None,
        ) from None
    except ValueError as exc:
        raise refuse(clean(str(exc))) from None
    except RecursionError:
        raise refuse(tr("objects and lists are nested too deeply to be read")) from None
    rest = _skip(text, end)
    if rest < len(text):
        raise refuse(tr("not valid JSON: more text follows the JSON value"), rest)
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
