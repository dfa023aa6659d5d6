"""Language tags checked against the IANA language subtag registry.

The schemas say what a language tag looks like (two or three letters, then
subtags joined by hyphens), which ``sp`` and ``xx`` satisfy although no
language has them. The registry itself, as the ``langcodes`` library carries
it, decides whether each subtag exists. Which fields hold language tags is
read from the schemas: the keys of every language map (an object whose
``propertyNames`` take the shared language tag pattern of ``common.json``)
and every string field with that same pattern (a source's ``language``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any

from .._i18n import Message, tr
from .._reporting import Issue, Severity, clean, field_name, make_issue
from .._schemas import FieldPath, SchemaSet, _walk
from ._schema_check import ecma_regex
from ._subtags import registered_tag_pattern
from ._walks import _compiled, _from_record, _plain, compile_values_at

#: The names of the shared definitions in common.json that carry the language tag pattern.
_TAG_DEFINITIONS = ("LanguageMap", "LanguageTag")

#: The language most likely meant by an unregistered code that people write by mistake,
#: mostly a country's code ('jp' for Japan); langcodes names languages only with its
#: large language-data package, which the check does not need otherwise.
_LIKELY_MEANT = {
    "sp": ("Spanish", "es"),
    "jp": ("Japanese", "ja"),
    "cn": ("Chinese", "zh"),
    "dk": ("Danish", "da"),
    "gr": ("Greek", "el"),
    "cz": ("Czech", "cs"),
    "ua": ("Ukrainian", "uk"),
    "ir": ("Persian", "fa"),
    "il": ("Hebrew", "he"),
    "us": ("English", "en"),
    "gb": ("English", "en"),
}
#: The hint naming the code of a language of _LIKELY_MEANT, a clause to translate whole.
_CODE_OF: dict[str, Callable[[str], Message]] = {
    "Spanish": lambda code: tr("Spanish is {code}", code=code),
    "Japanese": lambda code: tr("Japanese is {code}", code=code),
    "Chinese": lambda code: tr("Chinese is {code}", code=code),
    "Danish": lambda code: tr("Danish is {code}", code=code),
    "Greek": lambda code: tr("Greek is {code}", code=code),
    "Czech": lambda code: tr("Czech is {code}", code=code),
    "Ukrainian": lambda code: tr("Ukrainian is {code}", code=code),
    "Persian": lambda code: tr("Persian is {code}", code=code),
    "Hebrew": lambda code: tr("Hebrew is {code}", code=code),
    "English": lambda code: tr("English is {code}", code=code),
}


@lru_cache(maxsize=1)
def _usual_tags() -> re.Pattern[str]:
    return re.compile(registered_tag_pattern())


@lru_cache(maxsize=4096)
def is_registered(tag: str) -> bool:
    """True when every subtag of ``tag`` is in the IANA registry (remembered per tag:
    a data set repeats the same few tags in every record).

    >>> is_registered("fr-CA"), is_registered("nb"), is_registered("sp"), is_registered("xx")
    (True, True, False, False)
    """
    if _usual_tags().fullmatch(tag):
        return True  # told by the cached pattern, without loading the registry
    import langcodes  # here: its data takes longer to import than a small run takes

    try:
        return bool(langcodes.tag_is_valid(tag))
    except (ValueError, LookupError):  # langcodes raises on some malformed tags
        return False


def unknown_tag_message(what: str, tag: str) -> Message:
    """The sentence for a language tag the registry does not have: ``what`` names
    the field and shows the tag (a clause made with :func:`~hsdata._i18n.tr`, such as
    ``tr("{name} is {tag}", ...)``, so that it is translated with the sentence).

    >>> unknown_tag_message("language is 'sp'", "sp")
    "language is 'sp', which is not a language tag in the IANA registry; Spanish is 'es'"
    """
    meant = _LIKELY_MEANT.get(tag.split("-", 1)[0].lower())
    if meant is not None:
        language, code = meant
        return tr(
            "{what}, which is not a language tag in the IANA registry; {hint}",
            what=what,
            hint=_CODE_OF[language](f"'{code}'"),
        )
    return tr(
        "{what}, which is not a language tag in the IANA registry; a tag starts with a "
        "language code such as 'en', 'fr' or 'es', and may add a script or region, "
        "as in 'fr-CA'",
        what=what,
    )


def tag_patterns(common_defs: Mapping[str, Any]) -> frozenset[str]:
    """The language tag patterns the shared definitions of ``common.json`` give."""
    found: set[str] = set()
    for name in _TAG_DEFINITIONS:
        definition = common_defs.get(name)
        if not isinstance(definition, dict):
            continue
        names = definition.get("propertyNames")
        pattern = names.get("pattern") if isinstance(names, dict) else definition.get("pattern")
        if isinstance(pattern, str):
            found.add(pattern)
    return frozenset(found)


def tag_paths(
    schema_set: SchemaSet, record_type: str, patterns: frozenset[str]
) -> tuple[tuple[FieldPath, ...], tuple[FieldPath, ...]]:
    """(paths of fields holding one tag, paths of language maps keyed by tags)."""
    values: list[FieldPath] = []
    maps: list[FieldPath] = []
    if not patterns:
        return (), ()
    schema_id = schema_set.schema_id(record_type)
    for path, subschema in _walk(
        schema_set.record_schema(record_type), (), schema_id, schema_set.registry
    ):
        names = subschema.get("propertyNames")
        if isinstance(names, dict) and names.get("pattern") in patterns:
            found = maps
        elif subschema.get("type") == "string" and subschema.get("pattern") in patterns:
            found = values
        else:
            continue
        if path not in found:
            found.append(path)
    return tuple(values), tuple(maps)


@lru_cache(maxsize=256)  # built once per record type, not once per record
def compile_tag_walk(
    values: tuple[FieldPath, ...], maps: tuple[FieldPath, ...]
) -> Callable[[dict[str, Any]], list[tuple[str, str, bool]]]:
    """A function giving (pointer, tag, is a map key) for every language tag of a record."""
    value_walk = compile_values_at(tuple((path, "") for path in values), text_only=True)
    map_walk = compile_values_at(tuple((path, "") for path in maps), text_only=False)

    def walk(record: dict[str, Any]) -> list[tuple[str, str, bool]]:
        found = [(pointer, tag, False) for pointer, _, tag in value_walk(record)]
        for pointer, _, keyed in map_walk(record):
            if isinstance(keyed, dict):
                found.extend((pointer, key, True) for key in keyed)
        return found

    return walk


#: Tags found registered, kept as a set so that the usual-record test can ask whether a
#: language map's keys are all known in one call; bounded, since a record may hold any
#: number of distinct registered tags (private-use subtags are unlimited).
_REGISTERED: set[str] = set()
_REGISTERED_LIMIT = 10_000
#: Something the schemas' tags hold in the usual-record test: a map of known keys, or a known tag.
_UNKNOWN_KEYS = "isinstance({}, dict) and not _known_keys({})"
_UNKNOWN_TAG = "isinstance({}, str) and {} not in _registered"


def _remember(tag: str) -> bool:
    registered = is_registered(tag)
    if registered and len(_REGISTERED) < _REGISTERED_LIMIT:
        _REGISTERED.add(tag)
    return registered


def compile_all_registered(
    values: tuple[FieldPath, ...], maps: tuple[FieldPath, ...]
) -> Callable[[Any], bool]:
    """The usual-record test: True when every language tag of a record is registered.

    The walk is written out as plain Python (as :func:`compile_values_at` does)
    and asks a set of tags already found registered, which holds the few tags
    a data set uses after its first records: the test runs once per record.

    >>> test = compile_all_registered((("language",),), (("title",),))
    >>> test({"language": "fr", "title": {"en": "A", "fr-CA": "B"}}), test({"title": {"sp": "C"}})
    (True, False)
    """
    walk = compile_tag_walk(values, maps)

    def all_registered(record: Any) -> bool:
        return all(_remember(tag) for _, tag, _ in walk(record))

    if not _plain(values + maps):
        return all_registered
    lines = ["def walk(record):", "    if not isinstance(record, dict):", "        return True"]
    for path in maps:
        lines.extend(_from_record(path, "", _UNKNOWN_KEYS, action="return _slow(record)"))
    for path in values:
        lines.extend(_from_record(path, "", _UNKNOWN_TAG, action="return _slow(record)"))
    lines.append("    return True")
    quick: Callable[[Any], bool] = _compiled(
        lines, _registered=_REGISTERED, _known_keys=_REGISTERED.issuperset, _slow=all_registered
    )
    return quick


def well_formed(patterns: frozenset[str]) -> Callable[[str], bool]:
    """True for a tag of the schemas' shape: only those are checked against the
    registry, since the JSON Schema stage reports the others."""
    compiled = [ecma_regex(pattern) for pattern in sorted(patterns)]

    def test(tag: str) -> bool:
        return any(pattern.search(tag) for pattern in compiled)

    return test


#: The first version of the standard in which an unregistered language tag is an error
#: (a warning before, since 1.0 and 1.1 accept any tag of the right shape).
UNREGISTERED_TAG_IS_ERROR_SINCE = (1, 2)


def _version_key(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return ()


def unknown_tag_issue(version: str, message: str, pointer: str) -> Issue:
    """The language-tag-unknown issue: an error for data of 1.2 and later, a warning before.

    >>> unknown_tag_issue("1.1", "m", "/name/sp").severity.value, unknown_tag_issue(
    ...     "1.2", "m", "/name/sp").severity.value
    ('warning', 'error')
    """
    issue = make_issue("language-tag-unknown", message, pointer=pointer)
    if _version_key(version) >= UNREGISTERED_TAG_IS_ERROR_SINCE:
        return replace(issue, severity=Severity.ERROR)
    return issue


def english_optional(common_defs: Mapping[str, Any]) -> bool:
    """Whether the schemas' language maps may leave English out (1.2 on): then a map
    without English is warned about instead of refused by the JSON Schema."""
    language_map = common_defs.get("LanguageMap")
    if not isinstance(language_map, dict):
        return False
    required = language_map.get("required", [])
    return isinstance(required, list) and "en" not in required


def has_english(texts: Mapping[str, Any]) -> bool:
    """Whether a language map has a text in English ('en' or a regional form, 'en-GB').

    >>> has_english({"en-GB": "Colour"}), has_english({"nb": "Norge", "eng": "x"})
    (True, False)
    """
    return any(tag == "en" or tag.startswith("en-") for tag in texts)


def english_missing_issues(maps: list[tuple[str, str, Any]]) -> list[Issue]:
    """A language-english-missing warning for each language map of ``maps`` ((pointer,
    label, value) as the compiled walks give them) that has texts but none in English."""
    issues = []
    for pointer, _, texts in maps:
        if not isinstance(texts, dict) or not texts or has_english(texts):
            continue
        languages = ", ".join(sorted(str(tag) for tag in texts)[:5])
        issues.append(
            make_issue(
                "language-english-missing",
                tr(
                    "{name} has no English text (only {languages}); English is recommended "
                    "so that every reader can read it",
                    name=field_name(pointer),
                    languages=clean(languages, 80),
                ),
                pointer=pointer,
            )
        )
    return issues
