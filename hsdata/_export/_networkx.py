"""The data set as a networkx graph of actors, partnerships, memberships and events.

Nodes are keyed ``(record_type, id)`` and carry ``record_type``, ``label``
(the English name) and ``record`` (the typed record). Edges are directed and
typed by their ``relation`` attribute:

* ``member`` -- actor to partnership, with ``role``, ``joined`` and ``left``;
* ``seat`` -- actor to organisation (a membership), with ``role``,
  ``start``, ``end`` and ``membership`` (its id);
* ``participant`` -- actor to event, with ``role`` (and ``on_behalf_of``);
* ``part_of`` -- actor to its parent actor;
* ``event_of`` -- event to its partnership; ``held_in`` -- event to its body;
* ``related`` -- partnership to partnership, with the ``kind`` of relation;
* ``founded_at`` -- partnership to its founding event.

A record type the standard's core does not have (one an extension or a
later version adds) joins the graph from its schema alone: each of its
records is a node, with an edge to every record it refers to (through the
schemas' ``recordRef`` fields), whose ``relation`` is the field's path
('committedBy', 'issueAreas').

Dates are kept as their text ('1998-12'), never padded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .._loader import Dataset, register_conversion
from .._records import Record
from ._optional import require

if TYPE_CHECKING:
    import networkx


def _key(record: Record) -> tuple[str, str]:
    return (record.record_type, record.id)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


#: The record types whose nodes and edges the rules above lay out.
_LAID_OUT = frozenset(
    {"actor", "partnership", "event", "membership", "issueArea", "document", "source"}
)


def _referenced(value: Any, path: tuple[str, ...]) -> Iterator[Any]:
    """Every value at ``path`` in a JSON record ('*' = each item of a list)."""
    if not path:
        yield value
    elif path[0] == "*":
        if isinstance(value, list):
            for item in value:
                yield from _referenced(item, path[1:])
    elif isinstance(value, dict) and path[0] in value:
        yield from _referenced(value[path[0]], path[1:])


def _add_other_types(graph: Any, dataset: Dataset) -> None:
    """Nodes and reference edges for record types the rules above do not know."""
    for record_type in dataset.record_types:
        if record_type in _LAID_OUT:
            continue
        references = dataset.schema_set.reference_fields_of(record_type)
        collection = dataset.records(record_type)
        for record in collection.records():
            graph.add_node(
                _key(record), record_type=record.record_type, label=str(record), record=record
            )
            data = collection.json(record.id)
            for reference in references:
                relation = ".".join(p for p in reference.path if p != "*")
                for target in _referenced(data, reference.path):
                    if not isinstance(target, str):
                        continue
                    node = (reference.target, target)
                    if node not in graph and target in dataset.records(reference.target):
                        other = dataset.records(reference.target)[target]
                        graph.add_node(
                            node, record_type=reference.target, label=str(other), record=other
                        )
                    graph.add_edge(_key(record), node, relation=relation)


def to_networkx(dataset: Dataset) -> networkx.MultiDiGraph:
    """See :meth:`hsdata.Dataset.to_networkx`."""
    nx: Any = require("networkx", "graph", "Dataset.to_networkx()")
    graph = nx.MultiDiGraph(name=str(dataset.descriptor.get("name", "hsdata")))
    for record in (
        *dataset.actors.records(),
        *dataset.partnerships.records(),
        *dataset.events.records(),
    ):
        graph.add_node(
            _key(record), record_type=record.record_type, label=str(record), record=record
        )
    for actor in dataset.actors.records():
        if actor.parent_id is not None:
            graph.add_edge(_key(actor), ("actor", actor.parent_id), relation="part_of")
    for partnership in dataset.partnerships.records():
        for member in partnership.members:
            graph.add_edge(
                ("actor", member.actor_id),
                _key(partnership),
                relation="member",
                role=member.role,
                joined=_text(member.joined),
                left=_text(member.left),
            )
        for link in partnership.related_partnerships:
            graph.add_edge(
                _key(partnership),
                ("partnership", link.partnership_id),
                relation="related",
                kind=link.relation,
            )
        if partnership.founding_event_id is not None:
            graph.add_edge(
                _key(partnership), ("event", partnership.founding_event_id), relation="founded_at"
            )
    for membership in dataset.memberships.records():
        period = membership.period
        graph.add_edge(
            ("actor", membership.member_id),
            ("actor", membership.organization_id),
            relation="seat",
            role=membership.role,
            membership=membership.id,
            start=_text(period.start if period else None),
            end=_text(period.end if period else None),
        )
    for event in dataset.events.records():
        for participant in event.participants:
            graph.add_edge(
                ("actor", participant.actor_id),
                _key(event),
                relation="participant",
                role=participant.role,
                on_behalf_of=participant.on_behalf_of_id,
            )
        if event.partnership_id is not None:
            graph.add_edge(_key(event), ("partnership", event.partnership_id), relation="event_of")
        if event.body_id is not None:
            graph.add_edge(_key(event), ("actor", event.body_id), relation="held_in")
    _add_other_types(graph, dataset)
    return graph


register_conversion("networkx", to_networkx)
