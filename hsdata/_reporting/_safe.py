"""Showing values from untrusted input safely inside messages.

Anything the validator echoes back (a field name, a code, a file name) may
hold control characters that rewrite a terminal, break a GitHub annotation
or fake a line of output, or may be megabytes long. Every such value passes
through :func:`shown` (quoted) or :func:`clean` (bare) before it enters a
message.
"""

from __future__ import annotations

import re

from .._i18n import tr

#: The longest piece of input shown in a message, in characters.
MAX_SHOWN = 80

# C0 and C1 control characters, DEL, the Unicode line/paragraph separators and
# bidirectional overrides that can disguise text, and lone surrogates (which no
# UTF-8 output can hold).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    return _NAMED.get(char) or f"\\u{ord(char):04x}"


def clean(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` with control characters escaped and cut to about ``limit`` characters.

    >>> clean("abc\\n")
    'abc\\\\n'
    >>> clean("x" * 100, limit=10)
    'xxxxxxxxx…'
    """
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _UNSAFE.sub(_escape, text)


def shown(value: object, limit: int = MAX_SHOWN) -> str:
    """A value from the input, quoted and made safe for a message.

    >>> shown("1998-13")
    "'1998-13'"
    >>> shown(12)
    '12'
    >>> shown(None), shown(True), shown([1, 2])
    ('null', 'true', 'a list')
    """
    if isinstance(value, str):
        return "'" + clean(value, limit) + "'"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return clean(repr(value), limit)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return clean(repr(value), limit)


def kind_of(value: object) -> str:
    """The JSON kind of a value in plain words ('text', 'a number', 'a list', ...)."""
    if isinstance(value, str):
        return tr("text")
    if isinstance(value, bool):
        return tr("true/false")
    if isinstance(value, int):
        return tr("a whole number")
    if isinstance(value, float):
        return tr("a number")
    if value is None:
        return "null"
    if isinstance(value, list):
        return tr("a list")
    if isinstance(value, dict):
        return tr("an object")
    return type(value).__name__


def pointer_escape(token: str) -> str:
    """One JSON Pointer reference token, escaped as RFC 6901 requires."""
    return token.replace("~", "~0").replace("/", "~1")


def pointer_of(parts: object) -> str:
    """A JSON Pointer from a sequence of keys and indexes."""
    assert isinstance(parts, (list, tuple))
    return "".join("/" + pointer_escape(str(p)) for p in parts)


def field_name(pointer: str) -> str:
    """A pointer shown as a field path for people: '/members/0/role' -> 'members[0].role'."""
    out = ""
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if token.isdigit():
            out += f"[{token}]"
        else:
            out += ("." if out else "") + token
    return clean(out) if out else tr("the record")
