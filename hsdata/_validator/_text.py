"""What counts as free text, and which of its characters no reader sees.

Free text is a string field the schemas leave open: no pattern, code, enum
or reference constrains it (a language map's values, a citation's quote,
page and section). Two record checks read it (see :mod:`._record`): text
made only of invisible characters is empty in all but name, and
bidirectional controls or NUL can make text display in another order than
it is stored, or end it early in other programs. The same characters are
written into a pattern that the compiled validators of the usual-record
shortcut apply to every free-text field (see :mod:`._schema_check`), so
that their yes also says these checks find nothing.
"""

from __future__ import annotations

import re
from typing import Any

#: Characters that show nothing: whitespace, controls, and the format characters
#: (zero-width spaces and joiners, soft hyphen, byte order mark, bidirectional marks
#: and controls, variation selectors, tags, Hangul fillers), as regex class ranges.
_INVISIBLE = (
    "\u0000-\u0020\u007f-\u00a0\u00ad\u034f\u061c\u115f\u1160\u1680\u17b4\u17b5"
    "\u180b-\u180f\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufe00-\ufe0f"
    "\ufeff\uffa0\U0001d173-\U0001d17a\U000e0000-\U000e007f\U000e0100-\U000e01ef"
)
#: NUL and the bidirectional controls (marks, embeddings, overrides, isolates).
_CONTROLS = "\u0000\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"

#: Names of the characters of :data:`_CONTROLS`, for messages.
CONTROL_NAMES = {
    "\u0000": "NUL",
    "\u061c": "ARABIC LETTER MARK",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
}

#: An ECMA-262 pattern matching text with a visible character and no control of
#: :data:`_CONTROLS` (written for jsonschema_rs, where ``$`` ends the text).
CLEAN_TEXT_PATTERN = f"^[^{_CONTROLS}]*[^{_INVISIBLE}][^{_CONTROLS}]*$"

_VISIBLE = re.compile(f"[^{_INVISIBLE}]")
_CONTROL = re.compile(f"[{_CONTROLS}]")

#: Keywords that make a string field something other than free text.
_CONSTRAINING = ("pattern", "enum", "const", "codelist", "recordRef", "format")


def is_free_text(node: Any) -> bool:
    """True for the subschema of a free-text string field."""
    return (
        isinstance(node, dict)
        and node.get("type") == "string"
        and not any(keyword in node for keyword in _CONSTRAINING)
    )


def is_free_text_map(node: Any) -> bool:
    """True for the subschema of an object whose values are free text (a language map)."""
    return (
        isinstance(node, dict)
        and node.get("type") == "object"
        and is_free_text(node.get("additionalProperties"))
    )


def is_blank(text: str) -> bool:
    """True for text that is not empty but shows nothing.

    >>> is_blank("\\u200b\\u200d"), is_blank(" "), is_blank(""), is_blank("\\u200bA")
    (True, True, False, False)
    """
    return bool(text) and _VISIBLE.search(text) is None


def controls_in(text: str) -> list[str]:
    """The distinct controls of :data:`_CONTROLS` in ``text``, in order of appearance.

    >>> controls_in("a\\u202eb\\u202ec\\x00")
    ['\\u202e', '\\x00']
    """
    return list(dict.fromkeys(_CONTROL.findall(text)))
