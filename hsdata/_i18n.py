"""Messages in the reader's language: English (the source) or French.

A message that may be shown in French is built with :func:`tr`: the English
template and its parameters. It is a :class:`Message`, a ``str`` holding the
English text, so every part of hsdata that handles messages as text keeps
working; a renderer asks :func:`translated` for the text in the chosen
language, which looks the template up in the French catalogue
(``hsdata/locale/fr/LC_MESSAGES/hsdata.po``) and fills in the parameters.

The catalogue is read from its ``.po`` file with the standard library, the
first time a French text is asked for: the ``.po`` file is the only copy, so
no compiled ``.mo`` file can drift from it, and English runs never read it.

The language is chosen once per process by the command line
(:func:`set_language`, from ``--lang``, ``HSDATA_LANG`` or the locale); the
library's default is English, whatever the locale, so a program's output does
not change with the machine it runs on.

>>> message = tr("The record {record} has no {field}.", record="ottawa-1997", field="name")
>>> message
'The record ottawa-1997 has no name.'
>>> translated(tr("{count} files", count=2), "en")
'2 files'
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

#: The languages hsdata speaks; English is the source of every text.
LANGUAGES = ("en", "fr")
SOURCE_LANGUAGE = "en"

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: The gettext domain of hsdata's messages.
DOMAIN = "hsdata"

#: The language chosen for this process (a one-item dict, so no global statement is needed).
_chosen = {"language": SOURCE_LANGUAGE}


class Message(str):
    """A message in English that remembers its template and parameters, to be translated."""

    __slots__ = ("params", "template")
    template: str
    params: Mapping[str, Any]

    def __new__(cls, text: str, template: str, params: Mapping[str, Any]) -> Message:
        message = super().__new__(cls, text)
        message.template = template
        message.params = params
        return message

    def __reduce__(self) -> tuple[Any, ...]:
        # Messages cross process boundaries in the parallel validator: keep the template.
        return (Message, (str(self), self.template, dict(self.params)))


def tr(template: str, /, **params: Any) -> Message:
    """The message ``template.format(**params)`` in English, translatable later.

    The template is the English sentence with ``{name}`` placeholders (format
    specifications such as ``{count:,}`` allowed); it is the key looked up in
    the French catalogue, so it must be a literal string at the call site.
    """
    return Message(template.format(**params), template, params)


def listed(items: Sequence[str], separator: str = "; ") -> str:
    """Several messages in one, each translated with it: separated by semicolons, or by
    commas with ``separator=", "``; a single item is itself, none is empty.

    Each item is a whole clause of its own (a message, or a name such as an
    option), so the list translates without English pieces in between.

    >>> listed([tr("no {field}", field="name"), "--namespace"])
    'no name; --namespace'
    >>> listed(["--publisher-name", "--reporting"], ", ")
    '--publisher-name, --reporting'
    """
    if not items:
        return ""
    message: str = items[-1]
    for item in reversed(items[:-1]):
        if separator == ", ":
            message = tr("{first}, {rest}", first=item, rest=message)
        elif separator == "; ":
            message = tr("{first}; {rest}", first=item, rest=message)
        else:
            raise ValueError(f"listed() separates by '; ' or ', ', not {separator!r}")
    return message


def _unquote(text: str) -> str:
    """The value of one quoted string of a .po file (C escapes, as Python reads them)."""
    value = ast.literal_eval(text)
    if not isinstance(value, str):
        raise ValueError(f"not a quoted string: {text!r}")
    return value


def parse_po(text: str) -> dict[str, str]:
    """The translations of a .po file: msgid -> msgstr, leaving out the header and the
    entries that are untranslated, fuzzy or plural. Entries are separated by blank lines.

    >>> parse_po('msgid "Yes"\\nmsgstr "Oui"\\n\\n#, fuzzy\\nmsgid "No"\\nmsgstr "Non"\\n')
    {'Yes': 'Oui'}
    """
    found: dict[str, str] = {}
    for block in re.split(r"\n[ \t]*\n", text):
        fields: dict[str, str] = {}
        key = None
        fuzzy = False
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith('"') and key is not None:
                fields[key] += _unquote(line)
            elif line and not line.startswith("#"):
                key, _, rest = line.partition(" ")
                fields[key] = _unquote(rest)
        msgid, msgstr = fields.get("msgid"), fields.get("msgstr")
        if msgid and msgstr and not fuzzy and "msgid_plural" not in fields:
            found[msgid] = msgstr
    return found


@cache
def catalogue(language: str) -> Mapping[str, str]:
    """The translations into ``language`` (empty for English), read once."""
    if language == SOURCE_LANGUAGE:
        return {}
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    return parse_po(path.read_text(encoding="utf-8"))


def supported(value: str | None) -> str | None:
    """The hsdata language named by a language tag or locale ('fr', 'fr_CA.UTF-8', 'en-GB'),
    or None when hsdata does not speak it.

    >>> supported("fr_CA.UTF-8"), supported("en-GB"), supported("C"), supported("de")
    ('fr', 'en', 'en', None)
    """
    if not value:
        return None
    if value in ("C", "POSIX") or value.startswith("C."):
        return SOURCE_LANGUAGE
    primary = value.replace("-", "_").split("_")[0].split(".")[0].split("@")[0].lower()
    return primary if primary in LANGUAGES else None


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language asked for by the environment: ``HSDATA_LANG``, then the locale
    variables in gettext's order (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``).

    The first variable set decides; a language hsdata does not speak means English.

    >>> language_from_environment({"LANG": "fr_CA.UTF-8"})
    'fr'
    >>> language_from_environment({"HSDATA_LANG": "en", "LANG": "fr_CA.UTF-8"})
    'en'
    """
    environ = os.environ if environ is None else environ
    if environ.get("HSDATA_LANG"):
        return supported(environ["HSDATA_LANG"]) or SOURCE_LANGUAGE
    languages = environ.get("LANGUAGE", "")
    if languages and environ.get("LC_ALL", environ.get("LANG", "")) not in ("C", "POSIX"):
        # LANGUAGE is a list of preferences; gettext ignores it under the C locale.
        for preference in languages.split(":"):
            if supported(preference):
                return supported(preference) or SOURCE_LANGUAGE
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            return supported(environ[name]) or SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def set_language(language: str) -> None:
    """Choose the language of messages, reports and templates for this process."""
    if language not in LANGUAGES:
        raise ValueError(f"hsdata speaks {', '.join(LANGUAGES)}, not {language!r}")
    _chosen["language"] = language


def current_language() -> str:
    """The language chosen with :func:`set_language` (English unless told)."""
    return _chosen["language"]


def _translated_value(value: Any, language: str) -> Any:
    return translated(value, language) if isinstance(value, Message) else value


def translated(text: str, language: str | None = None) -> str:
    """``text`` in ``language`` (the current language unless given).

    A :class:`Message` is translated by its template, its parameters filled in
    (a parameter that is itself a message is translated too); a plain text is
    looked up as it is. Without a translation the English text is given.
    """
    language = language or _chosen["language"]
    if language == SOURCE_LANGUAGE:
        return str(text)
    table = catalogue(language)
    if isinstance(text, Message):
        template = table.get(text.template)
        if template is None:
            return str(text)
        params = {name: _translated_value(value, language) for name, value in text.params.items()}
        if language == "fr":
            params = {name: _french_number(value) for name, value in params.items()}
            template = template.replace(":,}", "}")
        return template.format(**params)
    return table.get(text, str(text))


def _french_number(value: Any) -> Any:
    """Integers written the French way: thousands separated by a narrow no-break space."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return f"{value:,}".replace(",", "\u202f")
    return value
