"""Walking a record along the field paths of its schema, as generated code.

The record checks and the cross-record rules look at the values at known
field paths (``("participants", "*", "actor")``, ``*`` for every list item)
of millions of records. :func:`values_at` walks one path generically;
``compile_*`` write the walks of a record type's paths out as plain Python
with ``dict.get`` calls, compiled once, which over millions of records costs
a fraction of the generic walk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from .._reporting import pointer_escape
from .._schemas import FieldPath


@lru_cache(maxsize=1024)
def _split(path: FieldPath) -> tuple[FieldPath, str, FieldPath | None, str]:
    """(keys before the first '*', their pointer, keys after it or None, their pointer)."""
    if "*" not in path:
        return path, "".join("/" + pointer_escape(k) for k in path), None, ""
    star = path.index("*")
    head, tail = path[:star], path[star + 1 :]
    return (
        head,
        "".join("/" + pointer_escape(k) for k in head),
        tail,
        "".join("/" + pointer_escape(k) for k in tail) if "*" not in tail else "",
    )


def _walk_keys(node: Any, keys: FieldPath) -> Any:
    for key in keys:
        if not isinstance(node, dict):
            return _MISSING
        node = node.get(key, _MISSING)
        if node is _MISSING:
            return _MISSING
    return node


def values_at(node: Any, path: FieldPath, pointer: str = "") -> list[tuple[str, Any]]:
    """(pointer, value) for every value at ``path`` in ``node`` ('*' = every list item).

    >>> values_at({"a": [{"b": 1}, {"b": 2}, {}]}, ("a", "*", "b"))
    [('/a/0/b', 1), ('/a/1/b', 2)]
    """
    head, head_pointer, tail, tail_pointer = _split(path)
    node = _walk_keys(node, head)
    if node is _MISSING:
        return []
    if tail is None:
        return [(pointer + head_pointer, node)]
    if not isinstance(node, list):
        return []
    base = pointer + head_pointer
    found: list[tuple[str, Any]] = []
    if "*" in tail:
        for index, item in enumerate(node):
            found.extend(values_at(item, tail, f"{base}/{index}"))
        return found
    for index, item in enumerate(node):
        value = _walk_keys(item, tail)
        if value is not _MISSING:
            found.append((f"{base}/{index}{tail_pointer}", value))
    return found


def plain_values_at(node: Any, path: FieldPath) -> list[Any]:
    """The values at ``path`` in ``node``, without their pointers (the fast way)."""
    head, _, tail, _ = _split(path)
    node = _walk_keys(node, head)
    if node is _MISSING:
        return []
    if tail is None:
        return [node]
    if not isinstance(node, list):
        return []
    if "*" in tail:
        return [v for item in node for v in plain_values_at(item, tail)]
    found = []
    for item in node:
        value = _walk_keys(item, tail)
        if value is not _MISSING:
            found.append(value)
    return found


_MISSING = object()


#: (pointer, label, value) for each value found by a compiled walk.
Found = list[tuple[str, str, Any]]
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")


def _walker_lines(
    path: FieldPath,
    node: str,
    pointer: str,
    *,
    label: str,
    depth: int,
    indent: str,
    keep: str,
    node_is_dict: bool = False,
    action: str | None = None,
) -> list[str]:
    """Source lines appending (pointer, label, value) for each value at ``path`` that
    passes ``keep``, or running ``action`` for it instead."""
    if not path:
        test = keep.replace("{}", node)
        action = action or f"found.append((f'{pointer}', {label!r}, {node}))"
        return [f"{indent}if {test}: {action}"]
    key, rest = path[0], path[1:]
    if key == "*":
        index, item = f"i{depth}", f"n{depth}"
        return [
            f"{indent}if isinstance({node}, list):",
            f"{indent}    for {index}, {item} in enumerate({node}):",
            *_walker_lines(
                rest,
                item,
                f"{pointer}/{{{index}}}",
                label=label,
                depth=depth + 1,
                indent=indent + " " * 8,
                keep=keep,
                action=action,
            ),
        ]
    value = f"v{depth}"
    if node_is_dict:  # known to the caller: no test needed
        return [
            f"{indent}{value} = {node}.get({key!r}, _MISSING)",
            *_walker_lines(
                rest,
                value,
                f"{pointer}/{key}",
                label=label,
                depth=depth + 1,
                indent=indent,
                keep=keep,
                action=action,
            ),
        ]
    return [
        f"{indent}if isinstance({node}, dict):",
        f"{indent}    {value} = {node}.get({key!r}, _MISSING)",
        *_walker_lines(
            rest,
            value,
            f"{pointer}/{key}",
            label=label,
            depth=depth + 1,
            indent=indent + "    ",
            keep=keep,
            action=action,
        ),
    ]


def _from_record(path: FieldPath, label: str, keep: str, action: str | None = None) -> list[str]:
    """Source lines of a walk along ``path`` from ``record``, known to be an object."""
    return _walker_lines(
        path,
        "record",
        "",
        label=label,
        depth=0,
        indent="    ",
        keep=keep,
        node_is_dict=True,
        action=action,
    )


def _plain(paths: Iterable[FieldPath]) -> bool:
    """True when every field name can be written into generated source as it is."""
    return all(_PLAIN_KEY.match(key) for path in paths for key in path if key != "*")


def compile_values_at(
    bindings: tuple[tuple[FieldPath, str], ...], *, text_only: bool
) -> Callable[[dict[str, Any]], Found]:
    """A function giving (pointer, label, value) for the values at each path, in order.

    The same as calling :func:`values_at` path after path (keeping only text
    when ``text_only``), but each walk is written out as plain Python with
    ``dict.get`` calls: over millions of records, walking paths generically
    costs more than the rest of a record's checks.

    >>> walk = compile_values_at(((("a", "*", "b"), "x"), (("c",), "y")), text_only=True)
    >>> walk({"a": [{"b": "1"}, {"b": 2}, {}], "c": "3"})
    [('/a/0/b', 'x', '1'), ('/c', 'y', '3')]
    """
    if not _plain(path for path, _ in bindings):

        def generic(record: dict[str, Any]) -> Found:
            return [
                (pointer, label, value)
                for path, label in bindings
                for pointer, value in values_at(record, path)
                if not text_only or isinstance(value, str)
            ]

        return generic
    # The test is written inline: a function call per value would cost more than the walk.
    keep = "isinstance({}, str)" if text_only else "{} is not _MISSING"
    # One test that the record is an object, rather than one per path.
    lines = [
        "def walk(record):",
        "    found = []",
        "    if not isinstance(record, dict):",
        "        return found",
    ]
    for path, label in bindings:
        lines.extend(_from_record(path, label, keep))
    lines.append("    return found")
    walker: Callable[[dict[str, Any]], Found] = _compiled(lines)
    return walker


def _compiled(lines: list[str], **names: Any) -> Any:
    namespace: dict[str, Any] = {"_MISSING": _MISSING, **names}
    exec("\n".join(lines), namespace)  # written from the schema's field names, checked first
    return namespace["walk"]


#: Identifiers already known, by record type (the label of a reference binding).
Known = dict[str, Any]


def compile_unknown_at(
    bindings: tuple[tuple[FieldPath, str], ...],
) -> Callable[[dict[str, Any], Known], Found]:
    """Like :func:`compile_values_at` (text only), skipping values found in ``known[label]``.

    Most references point at records already seen: leaving them out inside
    the walk spares building a pointer for each of them.

    >>> walk = compile_unknown_at(((("a", "*"), "actor"), (("c",), "event")))
    >>> walk({"a": ["x", "y", 3], "c": "z"}, {"actor": {"x": 1}})
    [('/a/1', 'actor', 'y'), ('/c', 'event', 'z')]
    """
    if not _plain(path for path, _ in bindings):
        plain = compile_values_at(bindings, text_only=True)

        def generic(record: dict[str, Any], known: Known) -> Found:
            return [
                (pointer, label, value)
                for pointer, label, value in plain(record)
                if value not in known.get(label, ())
            ]

        return generic
    labels = list(dict.fromkeys(label for _, label in bindings))
    lines = ["def walk(record, known):", "    found = []"]
    lines += ["    if not isinstance(record, dict):", "        return found"]
    lines.extend(f"    k{number} = known.get({label!r}, ())" for number, label in enumerate(labels))
    for path, label in bindings:
        keep = f"isinstance({{}}, str) and {{}} not in k{labels.index(label)}"
        lines.extend(_from_record(path, label, keep))
    lines.append("    return found")
    walker: Callable[[dict[str, Any], Known], Found] = _compiled(lines)
    return walker


#: A date that may be unreal: a day after the 28th (checked against its month) or year 0000.
# A character is compared before a slice is made: most days are before the 20th and no
# year starts with 0, so most dates are cleared without making a new string.
_DATE_SUSPECT = (
    "isinstance({}, str) and ((len({}) == 10 and {}[8] >= '2' and {}[8:] > '28')"
    " or ({}[:1] == '0' and {}[:4] == '0000'))"
)
#: A period that may be out of order: both ends given, not two texts of one length in order
#: (two dates of one precision compare as text; any other pair is left to check_dates).
# Written inline, with no call: a call per period costs more than the test.
_PERIOD_SUSPECT = (
    "isinstance({}, dict) and (_start := {}.get('start')) is not None"
    " and (_end := {}.get('end')) is not None and not (isinstance(_start, str)"
    " and isinstance(_end, str) and len(_start) == len(_end) and _end >= _start)"
)


def compile_dates_in_order(
    date_paths: tuple[FieldPath, ...], period_paths: tuple[FieldPath, ...]
) -> Callable[[dict[str, Any]], bool]:
    """A function telling, for most records at once, that :func:`check_dates` finds nothing.

    True means every date is certainly real (no day after the 28th, no year
    0000) and every period certainly in order; False means only that
    :func:`check_dates` must look.

    >>> quick = compile_dates_in_order((("date", "start"), ("date", "end")), (("date",),))
    >>> quick({"date": {"start": "1999-02-01", "end": "1999-02-03"}}), quick({"date": {}})
    (True, True)
    >>> quick({"date": {"start": "1999-02-30"}}), quick({"date": {"start": "1999", "end": "1998"}})
    (False, False)
    """
    if not _plain(date_paths + period_paths):
        return lambda record: False
    lines = ["def walk(record):", "    if not isinstance(record, dict):", "        return False"]
    for path in date_paths:
        lines.extend(_from_record(path, "", _DATE_SUSPECT, action="return False"))
    for path in period_paths:
        lines.extend(_from_record(path, "", _PERIOD_SUSPECT, action="return False"))
    lines.append("    return True")
    walker: Callable[[dict[str, Any]], bool] = _compiled(lines)
    return walker


def schema_along(paths: Iterable[FieldPath], leaf: dict[str, Any]) -> dict[str, Any] | None:
    """A JSON Schema applying ``leaf`` to every value :func:`values_at` finds at each of
    ``paths``, and to nothing else (None when there is no path).

    ``properties`` and ``items`` pass over values of other kinds, as the walks do,
    so a record satisfies it exactly when every value found satisfies ``leaf``.

    >>> schema_along([("a", "*", "b")], {"pattern": "^x"})
    {'properties': {'a': {'items': {'properties': {'b': {'pattern': '^x'}}}}}}
    """
    along: list[dict[str, Any]] = []
    for path in paths:
        node = leaf
        for step in reversed(path):
            node = {"items": node} if step == "*" else {"properties": {step: node}}
        along.append(node)
    if not along:
        return None
    return along[0] if len(along) == 1 else {"allOf": along}
