"""Identity across packages (standard 1.2): prefixed references and external identifiers.

From 1.2 a field that refers to another record holds either a local
identifier (``canada``) or ``prefix:identifier`` (``hsca:canada``), a record
of the package declared under that prefix in the descriptor's
``hsdata:dependencies``. The cross-record walk settles local references as
before and hands each prefixed one to a :data:`DependencyResolver`: a function
from a prefix to a lookup of the records of that dependency, or None when no
dependency declares the prefix. Until dependencies are read,
:func:`declared_only` stands in: a declared prefix's references are not
judged, an undeclared one is reported.

Records also carry identifiers from other registers (``{"scheme":
"wikidata", "id": "Q16"}``); :func:`check_identifier_schemes` checks the
form of those whose scheme has one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .._i18n import tr
from .._reporting import Issue, field_name, make_issue, shown
from .._schemas import FieldPath, SchemaSet, _walk
from ._record import RecordChecker, check
from ._walks import compile_values_at, schema_along

#: Whether a record of a type ('actor') with an identifier exists in one dependency.
RecordLookup = Callable[[str, str], bool]
#: The seam for dependency resolution: a prefix -> the lookup of the records of the
#: dependency declared under it, or None when no dependency declares the prefix.
DependencyResolver = Callable[[str], RecordLookup | None]
#: What the integrity index asks of a prefixed reference (target type, 'prefix:id'):
#: None when it resolves or cannot be judged, else (rule id, the reason in words).
PrefixedVerdict = Callable[[str, str], tuple[str, str] | None]


def split_reference(value: str) -> tuple[str | None, str]:
    """(prefix or None, identifier) of a reference.

    >>> split_reference("hsca:canada"), split_reference("canada")
    (('hsca', 'canada'), (None, 'canada'))
    """
    prefix, separator, record_id = value.partition(":")
    return (prefix, record_id) if separator else (None, value)


def declared_prefixes(descriptor: Mapping[str, Any] | None) -> frozenset[str]:
    """The prefixes the descriptor's ``hsdata:dependencies`` declare (malformed entries,
    which the descriptor check reports, are left out).

    >>> sorted(declared_prefixes({"hsdata:dependencies": [{"prefix": "hsca"}, "x", {}]}))
    ['hsca']
    """
    declared = (descriptor or {}).get("hsdata:dependencies")
    if not isinstance(declared, list):
        return frozenset()
    return frozenset(
        entry["prefix"]
        for entry in declared
        if isinstance(entry, dict) and isinstance(entry.get("prefix"), str)
    )


def _not_judged(target: str, record_id: str) -> bool:
    """A dependency whose records are not read: its references are taken as they are."""
    return True


def declared_only(descriptor: Mapping[str, Any] | None) -> DependencyResolver:
    """The resolver used when a dependency's records are not at hand: a declared prefix's
    references are taken as they are, a prefix no dependency declares is None.

    >>> resolve = declared_only({"hsdata:dependencies": [{"prefix": "hsca"}]})
    >>> resolve("hsca") is not None, resolve("other")
    (True, None)
    """
    prefixes = declared_prefixes(descriptor)

    def resolve(prefix: str) -> RecordLookup | None:
        return _not_judged if prefix in prefixes else None

    return resolve


def prefixed_verdict(resolver: DependencyResolver) -> PrefixedVerdict:
    """What to say of a reference 'prefix:id' that no local record settles.

    >>> judge = prefixed_verdict(declared_only({}))
    >>> judge("actor", "hsca:canada")[0]
    'dependency-undeclared'
    """

    def judge(target: str, value: str) -> tuple[str, str] | None:
        prefix, record_id = split_reference(value)
        if prefix is None:
            return None
        lookup = resolver(prefix)
        if lookup is None:
            return (
                "dependency-undeclared",
                tr(
                    "no dependency in the descriptor's hsdata:dependencies has the prefix "
                    "{prefix}; declare the package it refers to there, or correct the prefix",
                    prefix=shown(prefix),
                ),
            )
        if lookup(target, record_id):
            return None
        return (
            "ref-unresolved",
            tr(
                "the package declared under the prefix {prefix} has no {target} with the "
                "identifier {value}",
                prefix=shown(prefix),
                target=target,
                value=shown(record_id),
            ),
        )

    return judge


# -- external identifiers ---------------------------------------------------------------------

#: The form of an identifier under the schemes whose form is known, beside the words
#: that say it. iso3166-1 is checked against the country codelist instead.
_FORMS: Mapping[str, tuple[re.Pattern[str], str]] = {
    "wikidata": (re.compile(r"Q[1-9][0-9]*\Z"), "Q followed by digits, such as 'Q16'"),
    "m49": (re.compile(r"[0-9]{3}\Z"), "three digits, such as '419'"),
    "iso3166-2": (
        re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}\Z"),
        "a country code, a hyphen and up to three capital letters or digits, such as 'CA-ON'",
    ),
}
_COUNTRY_WORDS = "a known ISO 3166-1 alpha-2 country code, such as 'CA'"


def _identifier_paths(schema_set: SchemaSet, record_type: str) -> tuple[FieldPath, ...]:
    """The paths of a record type's fields that hold one external identifier."""
    common = schema_set.schemas.get(
        f"https://w3id.org/hsdata/schema/{schema_set.version}/common.json", {}
    )
    definition = common.get("$defs", {}).get("ExternalIdentifier")
    if definition is None:
        return ()
    schema_id = schema_set.schema_id(record_type)
    found: list[FieldPath] = []
    for path, subschema in _walk(
        schema_set.record_schema(record_type), (), schema_id, schema_set.registry
    ):
        if subschema == definition and path not in found:
            found.append(path)
    return tuple(found)


def _identifier_walk(
    checker: RecordChecker, record_type: str
) -> Callable[[dict[str, Any]], list[tuple[str, str, Any]]]:
    key = ("externalIdentifier", record_type)
    walk = checker._walks.get(key)
    if walk is None:
        paths = _identifier_paths(checker.schema_set, record_type)
        walk = compile_values_at(tuple((path, "") for path in paths), text_only=False)
        checker._walks[key] = walk
    return walk


def _has_identifiers(checker: RecordChecker, record_type: str) -> bool:
    return bool(_identifier_paths(checker.schema_set, record_type))


def identifier_problem(scheme: str, value: str, countries: frozenset[str]) -> str | None:
    """What an identifier of ``scheme`` must be, when ``value`` is not that; None when it
    has the form (or the scheme's form is not known).

    >>> none = frozenset()
    >>> identifier_problem("wikidata", "Q16", none), identifier_problem("m49", "19", none)
    (None, "three digits, such as '419'")
    >>> identifier_problem("iso3166-1", "XX", frozenset({"CA"}))
    "a known ISO 3166-1 alpha-2 country code, such as 'CA'"
    """
    if scheme == "iso3166-1":
        return None if value in countries else _COUNTRY_WORDS
    form = _FORMS.get(scheme)
    if form is None:
        return None
    pattern, words = form
    if not pattern.match(value):
        return words
    if scheme == "iso3166-2" and countries and value[:2] not in countries:
        return f"{words}, whose first two letters are a known country code"
    return None


def _countries(checker: RecordChecker) -> frozenset[str]:
    codelist = checker.schema_set.codelists.get("country.csv")
    return frozenset(codelist.codes) if codelist is not None else frozenset()


def _identifiers_usual(checker: RecordChecker, record_type: str) -> Callable[[Any], bool]:
    walk = _identifier_walk(checker, record_type)
    countries = _countries(checker)

    def usual(record: Any) -> bool:
        if not isinstance(record, dict):
            return True
        for _, _, found in walk(record):
            if isinstance(found, dict):
                scheme, value = found.get("scheme"), found.get("id")
                if (
                    isinstance(scheme, str)
                    and isinstance(value, str)
                    and identifier_problem(scheme, value, countries) is not None
                ):
                    return False
        return True

    return usual


#: The forms of _FORMS in the syntax of the compiled validator's patterns (ECMA-262, where
#: '$' is the end of the text), without the country check of ISO 3166-2 codes.
_SCHEMA_FORMS = {"wikidata": "^Q[1-9][0-9]*$", "m49": "^[0-9]{3}$"}


def _identifiers_in_schema(checker: RecordChecker, record_type: str) -> dict[str, Any] | None:
    """Every identifier has the form of its scheme, in JSON Schema."""
    countries = sorted(_countries(checker))
    subdivision = f"^(?:{'|'.join(countries)})-[A-Z0-9]{{1,3}}$" if countries else None
    forms: dict[str, dict[str, Any]] = {
        "iso3166-1": {"enum": countries},
        "iso3166-2": {"pattern": subdivision or "^[A-Z]{2}-[A-Z0-9]{1,3}$"},
        **{scheme: {"pattern": pattern} for scheme, pattern in _SCHEMA_FORMS.items()},
    }
    return schema_along(
        _identifier_paths(checker.schema_set, record_type),
        {
            "allOf": [
                {
                    "if": {"properties": {"scheme": {"const": scheme}}, "required": ["scheme"]},
                    "then": {"properties": {"id": form}},
                }
                for scheme, form in forms.items()
            ]
        },
    )


@check(when=_has_identifiers, quick=_identifiers_usual, in_schema=_identifiers_in_schema)
def check_identifier_schemes(
    record: dict[str, Any], record_type: str, checker: RecordChecker
) -> list[Issue]:
    """External identifiers that do not have the form of their scheme."""
    issues = []
    countries = _countries(checker)
    for pointer, _, found in _identifier_walk(checker, record_type)(record):
        if not isinstance(found, dict):
            continue  # the JSON Schema stage reports it
        scheme, value = found.get("scheme"), found.get("id")
        if not isinstance(scheme, str) or not isinstance(value, str):
            continue
        problem = identifier_problem(scheme, value, countries)
        if problem is not None:
            issues.append(
                make_issue(
                    "identifier-scheme-format",
                    f"{field_name(pointer + '/id')} is {shown(value)}, but an identifier of "
                    f"the scheme {shown(scheme)} must be {problem}",
                    pointer=pointer + "/id",
                )
            )
    return issues
