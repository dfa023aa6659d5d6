"""Hierarchies between records of one type must not go round in a circle (rule hierarchy-cycle).

An actor's ``parent`` and an issue area's ``broader`` issue areas each
build a hierarchy: following them upwards from any record must end, never
lead back to where it started (a record being its own parent included).
What a hierarchy is written here; :class:`~._integrity.IntegrityIndex`
gathers the links while records stream past and asks :func:`find_cycles`
at the end, when every record has been seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from .._reporting import shown

#: The field of each record type that points up its hierarchy (one id, or a list of ids).
HIERARCHY_FIELDS: dict[str, str] = {"actor": "parent", "issueArea": "broader"}

#: How the records of a hierarchy are named in a message, in the plural.
_PLURALS = {"actor": "actors", "issueArea": "issue areas"}


def uppers_of(record: Mapping[str, Any], record_type: str) -> tuple[str, ...]:
    """The ids a record points up to in its type's hierarchy (none for other types).

    >>> uppers_of({"id": "unsc", "parent": "un"}, "actor")
    ('un',)
    >>> uppers_of({"id": "child-soldiers", "broader": ["children", 3]}, "issueArea")
    ('children',)
    """
    name = HIERARCHY_FIELDS.get(record_type)
    value = record.get(name) if name is not None else None
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def find_cycles(
    links: Mapping[str, Sequence[str]], first_met: Callable[[str], int]
) -> list[list[str]]:
    """Every cycle of the links, once each, starting at the record of the cycle met first.

    ``first_met`` orders the records (their place in the files). Cycles come
    in the order their first record was met; a cycle sharing records with one
    already found but going another way round is a cycle of its own.

    >>> order = {"a": 0, "b": 1, "c": 2, "d": 3}.__getitem__
    >>> find_cycles({"b": ["c"], "c": ["a", "b"], "a": ["b"], "d": ["d"]}, order)
    [['a', 'b', 'c'], ['b', 'c'], ['d']]
    """
    found: set[tuple[str, ...]] = set()
    cycles: list[list[str]] = []
    done: set[str] = set()
    for root in sorted(links, key=first_met):
        if root in done:
            continue
        for cycle in _cycles_from(root, links, done):
            start = min(range(len(cycle)), key=lambda i: first_met(cycle[i]))
            rotated = cycle[start:] + cycle[:start]
            if tuple(rotated) not in found:
                found.add(tuple(rotated))
                cycles.append(rotated)
    cycles.sort(key=lambda c: first_met(c[0]))
    return cycles


def _cycles_from(
    root: str, links: Mapping[str, Sequence[str]], done: set[str]
) -> Iterator[list[str]]:
    """The cycles met walking up from ``root`` depth first, without recursion."""
    path: list[str] = [root]
    on_path = {root}
    stack: list[Iterator[str]] = [iter(links.get(root, ()))]
    while stack:
        upper = next(stack[-1], None)
        if upper is None:
            stack.pop()
            node = path.pop()
            on_path.discard(node)
            done.add(node)
            continue
        if upper in on_path:
            yield path[path.index(upper) :]
        elif upper not in done and upper in links:
            path.append(upper)
            on_path.add(upper)
            stack.append(iter(links[upper]))


def cycle_message(record_type: str, cycle: Sequence[str]) -> str:
    """The sentence of a hierarchy-cycle issue, listing the chain back to its start.

    >>> cycle_message("actor", ["unsc", "un"])
    "the actors' 'parent' links go round in a circle: 'unsc' → 'un' → 'unsc'"
    >>> cycle_message("issueArea", ["landmines"])
    "the issue area 'landmines' names itself in 'broader': it cannot be above itself"
    """
    name = HIERARCHY_FIELDS.get(record_type, "parent")
    if len(cycle) == 1:
        noun = _PLURALS.get(record_type, record_type + "s")[:-1]
        return (
            f"the {noun} {shown(cycle[0])} names itself in {shown(name)}: it cannot be above itself"
        )
    chain = " → ".join(shown(c) for c in [*cycle, cycle[0]])
    plural = _PLURALS.get(record_type, record_type + "s")
    return f"the {plural}' {shown(name)} links go round in a circle: {chain}"
