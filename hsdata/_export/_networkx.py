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

Dates are kept as their text ('1998-12'), never padded.
"""

from __future__ import annotations

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
    return graph


register_conversion("networkx", to_networkx)
