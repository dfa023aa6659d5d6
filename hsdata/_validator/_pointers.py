"""A citation's ``supports`` must point at fields the record has (rule citation-pointer-missing).

A citation may say which fields of its record it supports, as JSON Pointers
relative to the record (``"/name/en"``, ``"/members/0"``). A pointer that
leads nowhere (a misspelt name, a language the record lacks, a position past
the end of a list) leaves the claim it meant without its source.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._reporting import Issue, field_name, make_issue, shown
from ._record import RecordChecker, check
from ._walks import schema_along

_NOTHING: Any = object()


def missing_step(record: Any, pointer: str) -> tuple[str, str] | None:
    """Where a JSON Pointer stops leading anywhere in ``record``: (the pointer to the last
    value it reached, the step it could not take); None when it leads to a value.

    >>> record = {"name": {"en": "Canada"}, "members": [{"actor": "canada"}]}
    >>> missing_step(record, "/name/en") is None, missing_step(record, "") is None
    (True, True)
    >>> missing_step(record, "/name/fr")
    ('/name', 'fr')
    >>> missing_step(record, "/members/1/actor")
    ('/members', '1')
    >>> missing_step(record, "/members/01")
    ('/members', '01')
    """
    if pointer == "":
        return None
    node = record
    reached = ""
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(token, _NOTHING)
        elif isinstance(node, list) and _is_index(token) and int(token) < len(node):
            node = node[int(token)]
        else:
            node = _NOTHING
        if node is _NOTHING:
            return reached, token
        reached += "/" + raw
    return None


def _what_is_missing(record: Any, record_type: str, reached: str, step: str) -> str:
    """Why the pointer leads nowhere, in words: 'name has no field 'fr''."""
    node = record
    for raw in reached.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    whose = field_name(reached) if reached else f"this {record_type}"
    if isinstance(node, list):
        count = len(node)
        return f"{whose} holds {count} {'entry' if count == 1 else 'entries'}, counted from 0"
    if isinstance(node, dict):
        return f"{whose} has no field {shown(step)}"
    return f"{whose} is a single value, with no {shown(step)} inside"


def _is_index(token: str) -> bool:
    """A list position as JSON Pointer writes it: digits, no leading zero."""
    return token.isascii() and token.isdigit() and (token == "0" or not token.startswith("0"))


def _no_supports_test(checker: RecordChecker, record_type: str) -> Callable[[Any], bool]:
    """For the usual-record shortcut: True for a record none of whose citations says
    which fields it supports (nearly all), which this check has nothing to say about."""

    def no_supports(record: Any) -> bool:
        citations = record.get("citations") if isinstance(record, dict) else None
        if not isinstance(citations, list):
            return True
        return not any(isinstance(c, dict) and "supports" in c for c in citations)

    return no_supports


def _no_supports_in_schema(checker: RecordChecker, record_type: str) -> dict[str, Any] | None:
    """No citation says which fields it supports, in JSON Schema."""
    return schema_along([("citations", "*")], {"not": {"required": ["supports"]}})


@check(quick=_no_supports_test, in_schema=_no_supports_in_schema)
def check_citation_pointers(
    record: dict[str, Any], record_type: str, checker: RecordChecker
) -> list[Issue]:
    """Every pointer of a citation's 'supports' leads to a field of the record."""
    citations = record.get("citations")
    if not isinstance(citations, list):
        return []
    issues = []
    for number, citation in enumerate(citations):
        supports = citation.get("supports") if isinstance(citation, dict) else None
        if not isinstance(supports, list):
            continue
        for place, pointer in enumerate(supports):
            if not isinstance(pointer, str) or not (pointer == "" or pointer.startswith("/")):
                continue  # not a JSON Pointer: the JSON Schema stage says so
            stop = missing_step(record, pointer)
            if stop is None:
                continue
            issues.append(
                make_issue(
                    "citation-pointer-missing",
                    f"citation {number + 1} says it supports {shown(pointer)}, but "
                    + _what_is_missing(record, record_type, *stop),
                    pointer=f"/citations/{number}/supports/{place}",
                )
            )
    return issues
