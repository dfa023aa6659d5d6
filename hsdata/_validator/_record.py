"""Checking one record on its own: a pure function of the record and the schemas.

:func:`check_record` runs every check that needs nothing but the record
itself: its JSON Schema, its codelist values, its dates, and the rules of
the standard that speak of one record (a bilateral partnership has two
parties; only persons have posts; a count's minimum is not above its
maximum), and its free text. It returns issues whose pointers are relative
to the record, so that it can be mapped over records in any order, in any
process (a Dask bag or a Spark job can call it per partition), and the
caller places the issues in their file.

A new check is one function declared with :func:`check`: the record types
it applies to, and how the usual-record shortcut (:meth:`RecordChecker.usual`)
can settle it without running it, if it can. Which checks run for a record
type, and whether its records may take the shortcut, follow from the
declarations alone.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .._dates import PartialDate, partial_date_or_none
from .._i18n import Message, tr
from .._reporting import Issue, field_name, make_issue, pointer_escape, shown
from .._schemas import Codelist, CodelistField, FieldPath, SchemaSet, _walk
from ._languages import (
    compile_all_registered,
    compile_tag_walk,
    is_registered,
    tag_paths,
    tag_patterns,
    unknown_tag_issue,
    unknown_tag_message,
    well_formed,
)
from ._schema_check import CompiledSchemas, ecma_regex, schema_issues
from ._subtags import registered_tag_pattern
from ._text import CONTROL_NAMES, controls_in, is_blank, is_free_text, is_free_text_map
from ._walks import (
    _MISSING,
    Found,
    compile_dates_in_order,
    compile_values_at,
    plain_values_at,
    schema_along,
    values_at,
)


@dataclass
class RecordChecker:
    """Everything needed to check records of one :class:`~hsdata.SchemaSet`, built once.

    Building one compiles nothing yet; each record type's validators are
    compiled on first use and kept. Build one per process (a worker of a Dask
    bag or a Spark executor) and pass it to every :func:`~hsdata.check_record`
    call there.
    """

    schema_set: SchemaSet
    compiled: CompiledSchemas = field(init=False)
    _date_paths: dict[str, tuple[FieldPath, ...]] = field(default_factory=dict)
    _period_paths: dict[str, tuple[FieldPath, ...]] = field(default_factory=dict)
    _codelist_fields: dict[str, tuple[CodelistField, ...]] = field(default_factory=dict)
    _walks: dict[tuple[str, str], Callable[[dict[str, Any]], Found]] = field(default_factory=dict)
    _checks: dict[str, tuple[Check, ...]] = field(default_factory=dict)
    _usual: dict[str, Any] = field(default_factory=dict)
    _text_walks: dict[str, Callable[[dict[str, Any]], list[tuple[str, str]]]] = field(
        default_factory=dict
    )
    _language_paths: dict[str, tuple[tuple[FieldPath, ...], tuple[FieldPath, ...]]] = field(
        default_factory=dict
    )
    _fragments: dict[str, tuple[tuple[Check, dict[str, Any]], ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.compiled = CompiledSchemas(self.schema_set, fragments_of=self.schema_fragments)

    def schema_fragments(self, record_type: str) -> tuple[dict[str, Any], ...]:
        """What the checks of a record type that can say so in JSON Schema say
        (the ``in_schema`` of their declaration): the compiled current-codes validator
        checks these too, so its yes settles those checks."""
        return tuple(fragment for _, fragment in self._fragments_of(record_type))

    def settled_in_schema(self, record_type: str) -> tuple[Check, ...]:
        """The checks of a record type that the current-codes validator's yes settles
        through :meth:`schema_fragments`."""
        return tuple(declared for declared, _ in self._fragments_of(record_type))

    def _fragments_of(self, record_type: str) -> tuple[tuple[Check, dict[str, Any]], ...]:
        found = self._fragments.get(record_type)
        if found is None:
            pairs = []
            for declared in self.checks_for(record_type):
                if declared.in_schema is None or declared.settled_by_validator:
                    continue
                fragment = declared.in_schema(self, record_type)
                if fragment is not None:
                    pairs.append((declared, fragment))
            found = self._fragments[record_type] = tuple(pairs)
        return found

    @cached_property
    def _common_defs(self) -> dict[str, Any]:
        common = self.schema_set.schemas.get(
            f"https://w3id.org/hsdata/schema/{self.schema_set.version}/common.json", {}
        )
        defs = common.get("$defs", {})
        return defs if isinstance(defs, dict) else {}

    def _paths_of_def(self, record_type: str, name: str) -> tuple[FieldPath, ...]:
        definition = self._common_defs.get(name)
        if definition is None:
            return ()
        schema_id = self.schema_set.schema_id(record_type)
        found: list[FieldPath] = []
        for path, subschema in _walk(
            self.schema_set.record_schema(record_type), (), schema_id, self.schema_set.registry
        ):
            if subschema == definition and path not in found:
                found.append(path)
        return tuple(found)

    def codelist_fields(self, record_type: str) -> tuple[CodelistField, ...]:
        """The fields of a record type that take a codelist (worked out once)."""
        found = self._codelist_fields.get(record_type)
        if found is None:
            found = self._codelist_fields[record_type] = self.schema_set.codelist_fields_of(
                record_type
            )
        return found

    def date_paths(self, record_type: str) -> tuple[FieldPath, ...]:
        """The fields of a record type that hold a partial date."""
        if record_type not in self._date_paths:
            self._date_paths[record_type] = self._paths_of_def(record_type, "PartialDate")
        return self._date_paths[record_type]

    def date_walk(self, record_type: str) -> Callable[[dict[str, Any]], Found]:
        """(pointer, path number, text) of every date of a record, compiled once."""
        walk = self._walks.get(("date", record_type))
        if walk is None:
            paths = self.date_paths(record_type)
            walk = compile_values_at(
                tuple((path, str(number)) for number, path in enumerate(paths)), text_only=True
            )
            self._walks[("date", record_type)] = walk
        return walk

    def period_walk(self, record_type: str) -> Callable[[dict[str, Any]], Found]:
        """(pointer, '', value) of every period of a record, compiled once."""
        walk = self._walks.get(("period", record_type))
        if walk is None:
            paths = self.period_paths(record_type)
            walk = compile_values_at(tuple((path, "") for path in paths), text_only=False)
            self._walks[("period", record_type)] = walk
        return walk

    def period_paths(self, record_type: str) -> tuple[FieldPath, ...]:
        """The fields of a record type that hold a period (start and end)."""
        if record_type not in self._period_paths:
            self._period_paths[record_type] = self._paths_of_def(record_type, "Period")
        return self._period_paths[record_type]

    def checks_for(self, record_type: str) -> tuple[Check, ...]:
        """The checks that apply to a record type, in order: from their declarations."""
        checks = self._checks.get(record_type)
        if checks is None:
            checks = self._checks[record_type] = tuple(
                check for check in CHECKS if check.applies_to(record_type, self)
            )
        return checks

    def text_walk(self, record_type: str) -> Callable[[dict[str, Any]], list[tuple[str, str]]]:
        """(pointer, text) of every free-text value of a record: the strings its schema
        leaves open, such as the values of a language map or a citation's quote."""
        walk = self._text_walks.get(record_type)
        if walk is None:
            walk = self._text_walks[record_type] = self._compile_text_walk(record_type)
        return walk

    def _compile_text_walk(
        self, record_type: str
    ) -> Callable[[dict[str, Any]], list[tuple[str, str]]]:
        strings: list[FieldPath] = []
        maps: list[FieldPath] = []
        schema_id = self.schema_set.schema_id(record_type)
        for path, subschema in _walk(
            self.schema_set.record_schema(record_type), (), schema_id, self.schema_set.registry
        ):
            if is_free_text(subschema) and path not in strings:
                strings.append(path)
            elif is_free_text_map(subschema) and path not in maps:
                maps.append(path)
        string_walk = compile_values_at(tuple((path, "") for path in strings), text_only=True)
        map_walk = compile_values_at(tuple((path, "") for path in maps), text_only=False)

        def walk(record: dict[str, Any]) -> list[tuple[str, str]]:
            found = [(pointer, text) for pointer, _, text in string_walk(record)]
            for pointer, _, texts in map_walk(record):
                if isinstance(texts, dict):
                    found.extend(
                        (f"{pointer}/{pointer_escape(key)}", text)
                        for key, text in texts.items()
                        if isinstance(text, str)
                    )
            return found

        return walk

    def language_tag_paths(
        self, record_type: str
    ) -> tuple[tuple[FieldPath, ...], tuple[FieldPath, ...]]:
        """(fields holding a language tag, language maps keyed by tags) of a record type."""
        found = self._language_paths.get(record_type)
        if found is None:
            found = self._language_paths[record_type] = tag_paths(
                self.schema_set, record_type, tag_patterns(self._common_defs)
            )
        return found

    @cached_property
    def language_tag_well_formed(self) -> Callable[[str], bool]:
        return well_formed(tag_patterns(self._common_defs))

    def usual(self, record_type: str) -> Callable[[Any], bool] | None:
        """A function answering True for a record :func:`check_record` finds nothing in.

        It asks the compiled validator (schema and current codes in one call)
        and then whether every date is real and every period in order, without
        :func:`check_record`'s other steps. False means only that
        :func:`check_record` must be called. None when a check that applies
        to the record type declares no quick test (partnerships, actors,
        deprecated fields): then :func:`check_record` is always called.
        """
        found = self._usual.get(record_type, _MISSING)
        if found is _MISSING:
            found = self._usual[record_type] = self._compile_usual(record_type)
        usual: Callable[[Any], bool] | None = found
        return usual

    def usual_knowing(
        self, record_type: str, references: Mapping[str, Sequence[str]]
    ) -> Callable[[Any], bool] | None:
        """Like :meth:`usual`, also saying that every reference to a type in
        ``references`` names one of the ids given there (compiled on each call)."""
        return self._compile_usual(
            record_type, self.compiled.accepts_known(record_type, references)
        )

    def _compile_usual(
        self, record_type: str, accepts: Callable[[Any], bool] | None = None
    ) -> Callable[[Any], bool] | None:
        accepts = accepts or self.compiled.accepts_usual(record_type)
        if accepts is None:
            return None
        quick_tests: list[Callable[[Any], bool]] = []
        in_schema = self.settled_in_schema(record_type)
        for check in self.checks_for(record_type):
            if check.settled_by_validator or check in in_schema:
                continue
            if check.quick is None:
                return None  # this check must run on every record of the type
            quick_tests.append(check.quick(self, record_type))
        if len(quick_tests) == 1:
            (quick,) = quick_tests

            def usual(record: Any) -> bool:
                # answer()'s test written inline: this runs once per record.
                try:
                    return bool(accepts(record)) and quick(record)
                except (UnicodeEncodeError, ValueError, OverflowError):
                    return False

            return usual

        # The tests written out one after the other, as generated code: a loop over
        # them (all() of a generator) costs more than some of the tests themselves.
        names = {f"quick_{number}": quick for number, quick in enumerate(quick_tests)}
        tests = "".join(f" and {name}(record)" for name in names)
        source = (
            "def usual_with_any(record):\n"
            "    try:\n"
            f"        return bool(accepts(record)){tests}\n"
            "    except (UnicodeEncodeError, ValueError, OverflowError):\n"
            "        return False\n"
        )
        namespace: dict[str, Any] = {"accepts": accepts, **names}
        exec(source, namespace)  # names of our own making only
        usual_with_any: Callable[[Any], bool] = namespace["usual_with_any"]
        return usual_with_any

    @cached_property
    def date_pattern(self) -> re.Pattern[str] | None:
        pattern = self._common_defs.get("PartialDate", {}).get("pattern")
        return ecma_regex(pattern) if isinstance(pattern, str) else None


# -- checks that need only the record ----------------------------------------------------------

RecordCheck = Callable[[dict[str, Any], str, RecordChecker], list[Issue]]
#: Builds, for a record type, a test answering True for records a check finds nothing in.
QuickTest = Callable[[RecordChecker, str], Callable[[Any], bool]]
#: Builds, for a record type, a JSON Schema that only records a check finds nothing in
#: satisfy (None: the check cannot be said so for that type).
SchemaFragment = Callable[[RecordChecker, str], dict[str, Any] | None]


@dataclass(frozen=True)
class Check:
    """A check of one record alone, with what it declares about itself (see :func:`check`)."""

    run: RecordCheck
    #: the record types it applies to; empty: every record type
    record_types: frozenset[str]
    #: a further condition read from the schemas, such as "the type has deprecated fields"
    when: Callable[[RecordChecker, str], bool] | None
    #: its findings are settled by the compiled validators' yes (the stricter copies of
    #: the schemas in _schema_check): codes, free text
    settled_by_validator: bool
    #: how the usual-record shortcut settles it without running it; None: it cannot, and
    #: records of the types it applies to always go through check_record
    quick: QuickTest | None
    #: the check said in JSON Schema, which the compiled validator then checks with the
    #: rest (see RecordChecker.schema_fragments); its quick test is then not needed
    in_schema: SchemaFragment | None = None

    def applies_to(self, record_type: str, checker: RecordChecker) -> bool:
        if self.record_types and record_type not in self.record_types:
            return False
        return self.when is None or self.when(checker, record_type)


#: Every record check, in the order they run, as declared with :func:`check`.
CHECKS: list[Check] = []


def check(
    *record_types: str,
    when: Callable[[RecordChecker, str], bool] | None = None,
    settled_by_validator: bool = False,
    quick: QuickTest | None = None,
    in_schema: SchemaFragment | None = None,
) -> Callable[[RecordCheck], RecordCheck]:
    """Declare a record check: the record types it applies to (none named: every
    type), and how the usual-record shortcut can settle it, if it can.

    The checks run in the order they are declared. The shortcut is used for a
    record type only when every check that applies to it is settled by the
    compiled validators or has a quick test, so a check declared for one
    record type never slows down the others. A check that can be said in JSON
    Schema (``in_schema``) is best: the compiled validator then settles it in
    the same call as the schema, and its quick test is only a fallback.
    """

    def declare(run: RecordCheck) -> RecordCheck:
        CHECKS.append(
            Check(run, frozenset(record_types), when, settled_by_validator, quick, in_schema)
        )
        return run

    return declare


def _codelist_name(file_name: str) -> str:
    return file_name.removesuffix(".csv")


@check(settled_by_validator=True)
def check_codelists(
    record: dict[str, Any], record_type: str, checker: RecordChecker
) -> list[Issue]:
    """Codes against their codelists: closed -> error, open unknown -> warning, deprecated."""
    issues: list[Issue] = []
    for binding in checker.codelist_fields(record_type):
        codelist = checker.schema_set.codelists.get(binding.codelist)
        if codelist is None:
            continue
        if all(
            not isinstance(value, str) or (value in codelist and value not in codelist.deprecated)
            for value in plain_values_at(record, binding.path)
        ):
            continue  # the usual case: every code is listed and current
        for pointer, value in values_at(record, binding.path):
            if isinstance(value, str):  # the schema reports a value of the wrong kind
                issues.extend(
                    _code_issues(value, pointer, binding.open, codelist, binding.codelist)
                )
    return issues


def _code_issues(
    value: str, pointer: str, is_open: bool, codelist: Codelist, file_name: str
) -> list[Issue]:
    name = field_name(pointer)
    listed = _codelist_name(file_name)
    if value in codelist:
        if value not in codelist.deprecated:
            return []
        return [
            make_issue(
                "codelist-deprecated",
                tr(
                    "{name} uses the deprecated code {value} of the {codelist} codelist: {note}",
                    name=name,
                    value=shown(value),
                    codelist=listed,
                    note=shown(codelist.deprecated[value], 200)[1:-1],
                ),
                pointer=pointer,
            )
        ]
    close = difflib.get_close_matches(value, list(codelist.codes), n=1, cutoff=0.6)
    hint = tr(": did you mean {suggestion}?", suggestion=shown(close[0])) if close else ""
    if is_open:
        return [
            make_issue(
                "codelist-open-unknown",
                tr(
                    "{name} is {value}, which is not in the open {codelist} codelist{hint}",
                    name=name,
                    value=shown(value),
                    codelist=listed,
                    hint=hint,
                ),
                pointer=pointer,
            )
        ]
    codes = list(codelist.codes)
    allowed = (
        f" ({', '.join(codes)})" if len(codes) <= 12 else tr(" ({count} codes)", count=len(codes))
    )
    return [
        make_issue(
            "codelist-closed",
            tr(
                "{name} must be a code from the {codelist} codelist{allowed}; found {value}{hint}",
                name=name,
                codelist=listed,
                allowed=allowed,
                value=shown(value),
                hint=hint,
            ),
            pointer=pointer,
        )
    ]


def _parse_date(value: Any, checker: RecordChecker) -> PartialDate | None:
    """The partial date, or None if it is not one (the schema or date check reports it)."""
    if not isinstance(value, str):
        return None
    pattern = checker.date_pattern
    if pattern is not None and not pattern.search(value):
        return None
    return partial_date_or_none(value)


def _dates_in_order_test(checker: RecordChecker, record_type: str) -> Callable[[Any], bool]:
    return compile_dates_in_order(
        checker.date_paths(record_type), checker.period_paths(record_type)
    )


@check(quick=_dates_in_order_test)
def check_dates(record: dict[str, Any], record_type: str, checker: RecordChecker) -> list[Issue]:
    """Dates that have the right form but do not exist ('1999-02-30'), and periods in order."""
    issues = []
    pattern = checker.date_pattern
    dates = checker.date_walk(record_type)(record)
    # The pattern already rules out month 13; only a day or year 0000 can be unreal, so
    # the dates of a field are parsed only when one of them has such a day or year.
    suspects: set[str] = set()
    for _, path_number, value in dates:
        if (len(value) == 10 and value[8:10] > "28") or value.startswith("0000"):
            suspects.add(path_number)
    for pointer, path_number, value in dates if suspects else ():
        if path_number in suspects:
            if pattern is not None and not pattern.search(value):
                continue  # the JSON Schema stage reports the form
            try:
                PartialDate.parse(value)
            except ValueError as exc:
                issues.append(
                    make_issue(
                        "date-invalid",
                        tr(
                            "{name}: {reason}",
                            name=field_name(pointer),
                            # A Message of _dates echoes only a date-shaped text; else clean it.
                            reason=exc.args[0]
                            if exc.args and isinstance(exc.args[0], Message)
                            else shown(str(exc), 200)[1:-1],
                        ),
                        pointer=pointer,
                    )
                )
    for pointer, _, period in checker.period_walk(record_type)(record):
        if isinstance(period, dict):
            issues.extend(
                _order(
                    period,
                    "start",
                    "end",
                    pointer=pointer,
                    checker=checker,
                    what="the period ends ({end}) before it starts ({start})",
                )
            )
    return issues


@check("partnership")
def check_member_order(
    record: dict[str, Any], record_type: str, checker: RecordChecker
) -> list[Issue]:
    """A member of a partnership does not leave before it joins."""
    issues = []
    for pointer, member in values_at(record, ("members", "*")):
        if isinstance(member, dict):
            issues.extend(
                _order(
                    member,
                    "joined",
                    "left",
                    pointer=pointer,
                    checker=checker,
                    what="the member left ({end}) before it joined ({start})",
                )
            )
    return issues


def _order(
    node: dict[str, Any], first: str, last: str, *, pointer: str, checker: RecordChecker, what: str
) -> list[Issue]:
    if last not in node or first not in node:
        return []
    start_text, end_text = node[first], node[last]
    if (
        isinstance(start_text, str)
        and isinstance(end_text, str)
        and len(start_text) == len(end_text) == 10
        and end_text >= start_text
    ):
        # Two full dates (YYYY-MM-DD) compare as text: in order, or one is not a date.
        return []
    start = _parse_date(start_text, checker)
    end = _parse_date(end_text, checker)
    if start is None or end is None or not end < start:
        return []
    return [
        make_issue(
            "date-order",
            # ``what`` is one of the two literal templates above (both in the French catalogue).
            tr(what, end=shown(str(end)), start=shown(str(start))),
            pointer=f"{pointer}/{last}",
        )
    ]


@check("partnership")
def check_partnership(
    record: dict[str, Any], record_type: str, checker: RecordChecker
) -> list[Issue]:
    """A bilateral partnership has exactly two parties; a count's minimum <= maximum."""
    issues = []
    members = record.get("members")
    if record.get("type") == "bilateral" and isinstance(members, list):
        parties = [
            m.get("actor") for m in members if isinstance(m, dict) and m.get("role") == "party"
        ]
        if len(parties) != 2:
            message = (
                tr(
                    "a bilateral partnership must have exactly two members with the role "
                    "'party'; it has {count} ({named})",
                    count=len(parties),
                    named=", ".join(shown(p) for p in parties[:5]),
                )
                if parties
                else tr(
                    "a bilateral partnership must have exactly two members with the role "
                    "'party'; it has {count} (none)",
                    count=0,
                )
            )
            issues.append(make_issue("partnership-bilateral-parties", message, pointer="/members"))
    count = record.get("reportedMemberCount")
    if isinstance(count, dict):
        low, high = count.get("minimum"), count.get("maximum")
        if (
            isinstance(low, int)
            and isinstance(high, int)
            and not isinstance(low, bool)
            and not isinstance(high, bool)
            and low > high
        ):
            issues.append(
                make_issue(
                    "partnership-member-count",
                    tr(
                        "the reported member count's minimum ({low}) is larger than its "
                        "maximum ({high})",
                        low=low,
                        high=high,
                    ),
                    pointer="/reportedMemberCount",
                )
            )
    return issues


@check("actor")
def check_actor(record: dict[str, Any], record_type: str, checker: RecordChecker) -> list[Issue]:
    """Only persons have posts."""
    if "posts" not in record:
        return []
    kind = record.get("type")
    if kind == "person" or not isinstance(kind, str):
        return []
    return [
        make_issue(
            "actor-posts-not-person",
            tr("only persons have posts, and this actor's type is {kind}", kind=shown(kind)),
            pointer="/posts",
        )
    ]


def _has_deprecated_fields(checker: RecordChecker, record_type: str) -> bool:
    return any(field.record_type == record_type for field in checker.schema_set.deprecated_fields)


#: The sentence for a deprecated field, by what its schema says: (since a version, a
#: replacement to use, the version removing it); each a whole sentence to translate.
_DEPRECATION_SENTENCES: dict[tuple[bool, bool, bool], Callable[..., Message]] = {
    (False, False, False): lambda **p: tr("the field {name} is deprecated", **p),
    (True, False, False): lambda **p: tr("the field {name} is deprecated since {since}", **p),
    (False, True, False): lambda **p: tr("the field {name} is deprecated: use {replacement}", **p),
    (True, True, False): lambda **p: tr(
        "the field {name} is deprecated since {since}: use {replacement}", **p
    ),
    (False, False, True): lambda **p: tr(
        "the field {name} is deprecated; it will be removed in {removal}", **p
    ),
    (True, False, True): lambda **p: tr(
        "the field {name} is deprecated since {since}; it will be removed in {removal}", **p
    ),
    (False, True, True): lambda **p: tr(
        "the field {name} is deprecated: use {replacement}; it will be removed in {removal}",
        **p,
    ),
    (True, True, True): lambda **p: tr(
        "the field {name} is deprecated since {since}: use {replacement}; "
        "it will be removed in {removal}",
        **p,
    ),
}


@check(when=_has_deprecated_fields)
def check_deprecated(
    record: dict[str, Any], record_type: str, checker: RecordChecker
) -> list[Issue]:
    """Fields whose schema says ``"deprecated": true``: valid, but due to be removed."""
    issues = []
    for deprecated in checker.schema_set.deprecated_fields:
        if deprecated.record_type != record_type or not plain_values_at(record, deprecated.path):
            continue
        say = _DEPRECATION_SENTENCES[
            (bool(deprecated.since), bool(deprecated.replacement), bool(deprecated.removal))
        ]
        for pointer, _value in values_at(record, deprecated.path):
            issues.append(
                make_issue(
                    "schema-deprecated-field",
                    say(
                        name=field_name(pointer),
                        since=deprecated.since,
                        replacement=deprecated.replacement,
                        removal=deprecated.removal,
                    ),
                    pointer=pointer,
                )
            )
    return issues


@check(settled_by_validator=True)
def check_blank_text(
    record: dict[str, Any], record_type: str, checker: RecordChecker
) -> list[Issue]:
    """Free text that shows nothing: only spaces, zero-width or other invisible characters."""
    return [
        make_issue(
            "text-blank",
            tr(
                "{name} shows nothing: it holds only invisible characters ({characters})",
                name=field_name(pointer),
                characters=_character_names(text),
            ),
            pointer=pointer,
        )
        for pointer, text in checker.text_walk(record_type)(record)
        if is_blank(text)
    ]


@check(settled_by_validator=True)
def check_text_controls(
    record: dict[str, Any], record_type: str, checker: RecordChecker
) -> list[Issue]:
    """Free text holding NUL or a bidirectional control character."""
    issues = []
    for pointer, text in checker.text_walk(record_type)(record):
        found = controls_in(text)
        if found:
            names = ", ".join(f"U+{ord(c):04X} {CONTROL_NAMES[c]}" for c in found)
            issues.append(
                make_issue(
                    "text-control-character",
                    tr(
                        "{name} holds {characters}, which can make the text display in another "
                        "order than it is stored, or cut it short in other programs",
                        name=field_name(pointer),
                        characters=names,
                    ),
                    pointer=pointer,
                )
            )
    return issues


def _has_language_tags(checker: RecordChecker, record_type: str) -> bool:
    return any(checker.language_tag_paths(record_type))


def _all_tags_registered_test(checker: RecordChecker, record_type: str) -> Callable[[Any], bool]:
    return compile_all_registered(*checker.language_tag_paths(record_type))


def _tags_in_schema(checker: RecordChecker, record_type: str) -> dict[str, Any] | None:
    """Every tag certainly registered (see :mod:`._subtags`), in JSON Schema."""
    values, maps = checker.language_tag_paths(record_type)
    registered = {"pattern": registered_tag_pattern()}
    parts = [
        part
        for part in (
            schema_along(values, registered),
            schema_along(maps, {"propertyNames": registered}),
        )
        if part is not None
    ]
    return {"allOf": parts} if parts else None


@check(when=_has_language_tags, quick=_all_tags_registered_test, in_schema=_tags_in_schema)
def check_language_tags(
    record: dict[str, Any], record_type: str, checker: RecordChecker
) -> list[Issue]:
    """Language tags of the schemas' shape whose subtags are not in the IANA registry."""
    issues = []
    well_formed_tag = checker.language_tag_well_formed
    for pointer, tag, is_key in compile_tag_walk(*checker.language_tag_paths(record_type))(record):
        if is_registered(tag) or not well_formed_tag(tag):
            continue  # a tag of the wrong shape is the JSON Schema stage's to report
        if is_key:
            where = f"{pointer}/{pointer_escape(tag)}"
            what = tr(
                "{name} has a text in the language {tag}", name=field_name(pointer), tag=shown(tag)
            )
        else:
            where = pointer
            what = tr("{name} is {tag}", name=field_name(pointer), tag=shown(tag))
        issues.append(
            unknown_tag_issue(checker.schema_set.version, unknown_tag_message(what, tag), where)
        )
    return issues


def _character_names(text: str) -> str:
    """The code points of a short invisible text, such as 'U+200B, U+200D'."""
    points = list(dict.fromkeys(f"U+{ord(c):04X}" for c in text))
    if len(points) <= 5:
        return ", ".join(points)
    return tr("{points} and {count} more", points=", ".join(points[:5]), count=len(points) - 5)


def check_record(record: Any, record_type: str, checker: RecordChecker) -> list[Issue]:
    """Every issue of one record that needs no other record, pointers relative to it.

    A pure function: the same record and schemas always give the same issues,
    in any order and in any process, so it can be mapped over the partitions
    of a data set too large for one machine (see :doc:`/performance`). The
    issues carry no file, line or record id: the caller knows where the
    record came from and adds them (with ``dataclasses.replace``). The
    checks that need other records (unique ids, references) are made by an
    :class:`~hsdata.IntegrityIndex` fed with :func:`~hsdata.facts_of`.

    >>> import hsdata
    >>> checker = hsdata.RecordChecker(hsdata.load_schema_set("1.0"))
    >>> record = {"id": "dublin-summit", "type": "summit", "name": {"en": "Summit"},
    ...           "status": "planned", "date": {"start": "1999-02-30"},
    ...           "citations": [{"source": "a-report", "page": "12"}]}
    >>> for issue in hsdata.check_record(record, "event", checker):
    ...     print(issue.rule, issue.pointer)
    codelist-closed /status
    date-invalid /date/start
    >>> issue.message
    "date.start: '1999-02-30' is not a real date: February 1999 has 28 days"
    """
    if not isinstance(record, dict):
        return [
            make_issue(
                "json-record-not-object",
                tr(
                    "a record must be an object written {{ ... }}; this is {value}",
                    value=shown(record),
                ),
                pointer="",
            )
        ]
    if checker.compiled.valid_with_current_codes(record, record_type):
        issues: list[Issue] = []
        settled = True  # the usual record: one validator call settles schema, codes and text
    else:
        issues = schema_issues(record, record_type, checker.compiled)
        settled = not issues and checker.compiled.codes_current(record, record_type)
    in_schema = checker.settled_in_schema(record_type) if settled else ()
    for declared in checker.checks_for(record_type):
        if not (settled and (declared.settled_by_validator or declared in in_schema)):
            issues.extend(declared.run(record, record_type, checker))
    return issues
