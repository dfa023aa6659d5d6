"""Record checks that standard 1.2 adds: English text, partnership roles, document lifecycles.

Each applies where the schemas have what it checks (language maps that may
leave English out, a partnership's ``roles``, a document's ``lifecycle`` and
``parties``), so data of 1.0 and 1.1 never meets them. Each is a check of one
record alone, declared with :func:`~._record.check` like the others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .._dates import PartialDate, date_in
from .._i18n import Message, tr
from .._reporting import Issue, field_name, make_issue, shown
from ._languages import english_missing_issues, english_optional, has_english
from ._record import RecordChecker, check
from ._walks import compile_values_at, schema_along

# -- English text ------------------------------------------------------------------------------


def _map_walk(
    checker: RecordChecker, record_type: str
) -> Callable[[dict[str, Any]], list[tuple[str, str, Any]]]:
    key = ("languageMap", record_type)
    walk = checker._walks.get(key)
    if walk is None:
        _, maps = checker.language_tag_paths(record_type)
        walk = compile_values_at(tuple((path, "") for path in maps), text_only=False)
        checker._walks[key] = walk
    return walk


def _english_optional(checker: RecordChecker, record_type: str) -> bool:
    return english_optional(checker._common_defs) and bool(
        checker.language_tag_paths(record_type)[1]
    )


def _every_map_has_english(checker: RecordChecker, record_type: str) -> Callable[[Any], bool]:
    walk = _map_walk(checker, record_type)

    def usual(record: Any) -> bool:
        if not isinstance(record, dict):
            return True
        return all(
            not isinstance(texts, dict) or not texts or has_english(texts)
            for _, _, texts in walk(record)
        )

    return usual


def _english_in_schema(checker: RecordChecker, record_type: str) -> dict[str, Any] | None:
    """Every language map with texts has one in English, in JSON Schema ('en' itself:
    a map with only a regional English, such as 'en-GB', is looked at by the check)."""
    _, maps = checker.language_tag_paths(record_type)
    english = {"anyOf": [{"not": {"type": "object"}}, {"maxProperties": 0}, {"required": ["en"]}]}
    return schema_along(maps, english)


@check(when=_english_optional, quick=_every_map_has_english, in_schema=_english_in_schema)
def check_english_text(
    record: dict[str, Any], record_type: str, checker: RecordChecker
) -> list[Issue]:
    """Multilingual texts without English, where the schemas allow that (1.2 on)."""
    return english_missing_issues(_map_walk(checker, record_type)(record))


# -- partnership roles -------------------------------------------------------------------------

#: Roles an outside body may hold (a treaty's depositary, a secretariat run by an
#: organisation), so their holders are not expected among the members.
OUTSIDE_ROLES = frozenset({"secretariat", "depositary"})


def _properties(checker: RecordChecker, record_type: str) -> Mapping[str, Any]:
    properties = checker.schema_set.record_schema(record_type).get("properties", {})
    return properties if isinstance(properties, dict) else {}


def _has_roles_and_members(checker: RecordChecker, record_type: str) -> bool:
    properties = _properties(checker, record_type)
    return "roles" in properties and "members" in properties


def roles_held_by_outsiders(record: Mapping[str, Any]) -> list[tuple[int, str, str]]:
    """(index, role, actor) of each role whose holder is not among the members.

    >>> roles_held_by_outsiders({"members": [{"actor": "canada"}],
    ...     "roles": [{"role": "chair", "actor": "canada"}, {"role": "host", "actor": "norway"},
    ...               {"role": "depositary", "actor": "un"}]})
    [(1, 'host', 'norway')]
    """
    roles = record.get("roles")
    if not isinstance(roles, list) or not roles:
        return []
    members = record.get("members")
    member_actors = {
        member.get("actor")
        for member in (members if isinstance(members, list) else [])
        if isinstance(member, dict)
    }
    found = []
    for index, role in enumerate(roles):
        if not isinstance(role, dict):
            continue
        kind, actor = role.get("role"), role.get("actor")
        if not isinstance(kind, str) or not isinstance(actor, str) or kind in OUTSIDE_ROLES:
            continue
        if actor not in member_actors:
            found.append((index, kind, actor))
    return found


def _roles_usual(checker: RecordChecker, record_type: str) -> Callable[[Any], bool]:
    def usual(record: Any) -> bool:
        return not isinstance(record, dict) or not roles_held_by_outsiders(record)

    return usual


@check(when=_has_roles_and_members, quick=_roles_usual)
def check_role_holders(
    record: dict[str, Any], record_type: str, checker: RecordChecker
) -> list[Issue]:
    """Partnership roles (chair, host, coordinator) held by an actor not among the members."""
    return [
        make_issue(
            "role-holder-not-member",
            tr(
                "{field} says {actor} was the {role} of the partnership, but {actor} is not "
                "among its members; add it to the members or check the role",
                field=f"roles[{index}]",
                actor=shown(actor),
                role=shown(kind),
            ),
            pointer=f"/roles/{index}/actor",
        )
        for index, kind, actor in roles_held_by_outsiders(record)
    ]


# -- document lifecycles -----------------------------------------------------------------------

#: The stages every document passes in this order (as far as it gets).
STAGE_SEQUENCE = (
    "drafted",
    "adopted",
    "openedForSignature",
    "signed",
    "ratified",
    "enteredIntoForce",
)
#: (stage, a stage that cannot come before it): every pair of the sequence, amendment
#: after drafting and adoption, and termination after everything else.
STAGE_ORDER: tuple[tuple[str, str], ...] = (
    *(
        (earlier, later)
        for number, earlier in enumerate(STAGE_SEQUENCE)
        for later in STAGE_SEQUENCE[number + 1 :]
    ),
    ("drafted", "amended"),
    ("adopted", "amended"),
    *((stage, "terminated") for stage in (*STAGE_SEQUENCE, "amended")),
)
#: What a stage of a later date says, as a clause to translate whole (``date`` shown).
_LATER_STAGE: dict[str, Callable[[str], Message]] = {
    "drafted": lambda date: tr("the document was drafted on {date}", date=date),
    "adopted": lambda date: tr("the document was adopted on {date}", date=date),
    "openedForSignature": lambda date: tr(
        "the document was opened for signature on {date}", date=date
    ),
    "signed": lambda date: tr("the document was signed on {date}", date=date),
    "ratified": lambda date: tr("the document was ratified on {date}", date=date),
    "enteredIntoForce": lambda date: tr("the document entered into force on {date}", date=date),
    "amended": lambda date: tr("the document was amended on {date}", date=date),
    "terminated": lambda date: tr("the document was terminated on {date}", date=date),
}
#: What a stage of an earlier date says, after the later one: a clause to translate whole.
_EARLIER_STAGE: dict[str, Callable[[str], Message]] = {
    "drafted": lambda date: tr("before it was drafted on {date}", date=date),
    "adopted": lambda date: tr("before it was adopted on {date}", date=date),
    "openedForSignature": lambda date: tr(
        "before it was opened for signature on {date}", date=date
    ),
    "signed": lambda date: tr("before it was signed on {date}", date=date),
    "ratified": lambda date: tr("before it was ratified on {date}", date=date),
    "enteredIntoForce": lambda date: tr("before it entered into force on {date}", date=date),
    "amended": lambda date: tr("before it was amended on {date}", date=date),
    "terminated": lambda date: tr("before it was terminated on {date}", date=date),
}
#: A party's acts in the order they happen, with the sentence of the rule that says so
#: (``field`` and ``value`` the later act, ``earlier`` and ``earlier_value`` the other).
PARTY_ORDER: tuple[tuple[str, str, Callable[..., Message]], ...] = (
    (
        "signed",
        "consented",
        lambda **p: tr(
            "{field} is {value}, before {earlier} ({earlier_value}): a party consents to be "
            "bound on or after the day it signs",
            **p,
        ),
    ),
    (
        "consented",
        "inForce",
        lambda **p: tr(
            "{field} is {value}, before {earlier} ({earlier_value}): a document comes into "
            "force for a party on or after the day it consents to be bound",
            **p,
        ),
    ),
    (
        "signed",
        "inForce",
        lambda **p: tr(
            "{field} is {value}, before {earlier} ({earlier_value}): a document comes into "
            "force for a party on or after the day it signs",
            **p,
        ),
    ),
)


def _has_lifecycle(checker: RecordChecker, record_type: str) -> bool:
    properties = _properties(checker, record_type)
    return "lifecycle" in properties or "parties" in properties


def lifecycle_problems(record: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(pointer, sentence) for each pair of lifecycle or party dates in an impossible order.

    >>> lifecycle_problems({"lifecycle": [{"stage": "adopted", "date": "1997-09-18"},
    ...                                   {"stage": "signed", "date": "1997-09"},
    ...                                   {"stage": "enteredIntoForce", "date": "1997-08"}]})
    ... # doctest: +NORMALIZE_WHITESPACE
    [('/lifecycle/2/date', "lifecycle[2].date says the document entered into force on '1997-08',
      before it was adopted on '1997-09-18' (lifecycle[0].date)"),
     ('/lifecycle/2/date', "lifecycle[2].date says the document entered into force on '1997-08',
      before it was signed on '1997-09' (lifecycle[1].date)")]
    """
    problems: list[tuple[str, str]] = []
    stages = record.get("lifecycle")
    dated: dict[str, list[tuple[str, str, PartialDate]]] = {}
    for index, stage in enumerate(stages if isinstance(stages, list) else []):
        if not isinstance(stage, dict) or not isinstance(stage.get("stage"), str):
            continue
        date = date_in(stage.get("date"))
        if date is not None:
            dated.setdefault(stage["stage"], []).append(
                (f"/lifecycle/{index}/date", stage["date"], date)
            )
    for earlier, later in STAGE_ORDER:
        for early_pointer, early_text, early in dated.get(earlier, ()):
            for late_pointer, late_text, late in dated.get(later, ()):
                if late < early:  # certainly before, whatever days they stand for
                    problems.append(
                        (
                            late_pointer,
                            tr(
                                "{field} says {later}, {earlier} ({where})",
                                field=field_name(late_pointer),
                                later=_LATER_STAGE[later](shown(late_text)),
                                earlier=_EARLIER_STAGE[earlier](shown(early_text)),
                                where=field_name(early_pointer),
                            ),
                        )
                    )
    parties = record.get("parties")
    for index, party in enumerate(parties if isinstance(parties, list) else []):
        if not isinstance(party, dict):
            continue
        for earlier, later, sentence in PARTY_ORDER:
            first, then = date_in(party.get(earlier)), date_in(party.get(later))
            if first is None or then is None or not then < first:
                continue
            pointer = f"/parties/{index}/{later}"
            problems.append(
                (
                    pointer,
                    sentence(
                        field=field_name(pointer),
                        value=shown(party[later]),
                        earlier=f"parties[{index}].{earlier}",
                        earlier_value=shown(party[earlier]),
                    ),
                )
            )
    return problems


def _lifecycle_usual(checker: RecordChecker, record_type: str) -> Callable[[Any], bool]:
    def usual(record: Any) -> bool:
        if not isinstance(record, dict):
            return True
        if "lifecycle" not in record and "parties" not in record:
            return True
        return not lifecycle_problems(record)

    return usual


@check(when=_has_lifecycle, quick=_lifecycle_usual)
def check_lifecycle_order(
    record: dict[str, Any], record_type: str, checker: RecordChecker
) -> list[Issue]:
    """A document's lifecycle stages, or a party's acts, dated in an impossible order."""
    return [
        make_issue("lifecycle-order", sentence, pointer=pointer)
        for pointer, sentence in lifecycle_problems(record)
    ]
