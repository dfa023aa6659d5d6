"""Checks across records: unique ids, references, events against their partnership, hierarchies.

Records are reduced to :class:`RecordFacts` (by :func:`facts_of`, a pure
function) holding only what these checks need: the record's id, the ids it
refers to, a partnership's start, an event's partnership and last possible
day, an actor's parent, an issue area's broader areas. :class:`IntegrityIndex` folds facts in
one at a time and reports at :meth:`~IntegrityIndex.finish`, so records can
be streamed from JSON Lines in bounded memory:

- a reference to a record already seen is settled at once; only references
  forward are kept, and at most :data:`MAX_KEPT` places per missing id (the
  rest are counted);
- events are checked against their partnership at once when it is known,
  otherwise kept, at most :data:`MAX_KEPT` per partnership, the earliest
  first, with the others counted by day.

Each rule is written once. What a rule reads from a record is written in
:class:`CrossRecordRules` (the identifier, the references, and one reading
per record type: a partnership's start, an event's partnership and last
day, the records above it in its hierarchy), which hands it to a :class:`FactSink`;
what the rule does with it is written in :class:`IntegrityIndex`, the sink
of the one-process run. :func:`facts_of` hands the same readings to a sink
that keeps them as :class:`RecordFacts`, and the parallel workers
(:mod:`._parallel`) to one that settles what the index as it was before the
file can settle and passes the rest to the parent's index.

Places are packed into one integer (file number, and record index or line).
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from .._dates import PartialDate, date_in
from .._i18n import tr
from .._reporting import Issue, field_name, make_issue, shown
from .._schemas import SchemaSet
from ._hierarchy import HIERARCHY_FIELDS, cycle_message, find_cycles, uppers_of
from ._nouns import record_noun
from ._walks import Known, compile_unknown_at

#: The most places kept for one unresolved id, or one partnership's early events.
MAX_KEPT = 100

#: Where a record never met sorts among the places of records (after all of them).
_UNPLACED = 1 << 62


def _place_of(codes: dict[str, int], record_id: str) -> int:
    return codes.get(record_id, _UNPLACED)


@dataclass(frozen=True)
class RecordFacts:
    """What the cross-record checks need to know about one record (made by :func:`facts_of`).

    Small and picklable: a worker can send the facts of its records, rather
    than the records, to the process that folds them into an
    :class:`IntegrityIndex`.
    """

    record_type: str
    id: str | None
    #: (pointer in the record, target record type, identifier referred to)
    references: tuple[tuple[str, str, str], ...] = ()
    #: a partnership's period start
    start: PartialDate | None = None
    #: an event's partnership, and the last day the event can have taken place
    partnership: str | None = None
    last_day: PartialDate | None = None
    #: an issue area's broader issue areas
    broader: tuple[str, ...] = ()
    #: an actor's parent
    parent: str | None = None


def event_floor_in(
    floors: dict[str, str], starts: Mapping[str, PartialDate | None], partnership: str
) -> str | None:
    """A :meth:`FactSink.event_floor` answer from the partnerships' ``starts``: the first day
    of a known partnership's start as 'YYYY-MM-DD' ('' when it has none), kept in
    ``floors``; None for a partnership not in ``starts``."""
    floor = floors.get(partnership)
    if floor is None and partnership in starts:
        start = starts[partnership]
        floor = floors[partnership] = "" if start is None else start.earliest.isoformat()
    return floor


#: A place where a reference was found: (packed place, pointer in the record, the
#: referring record's id, its type).
ReferencePlace = tuple[int, str, str | None, str]


class FactSink(Protocol):
    """What takes in the readings of the cross-record rules, one record at a time."""

    def take_id(self, record_type: str, record_id: str, code: int) -> None:
        """A record's identifier, at the packed place ``code``."""

    def take_reference(self, target: str, value: str, place: ReferencePlace) -> None:
        """A reference to a record of type ``target`` not known to be among the ids seen."""

    def take_start(self, partnership: str | None, start: PartialDate | None) -> None:
        """A partnership and the start of its period (None when it has no id)."""

    def take_event(
        self,
        partnership: str | None,
        last_day: PartialDate | None,
        code: int,
        event_id: str | None,
    ) -> None:
        """An event's partnership and the last day it can have taken place."""

    def take_uppers(self, record_type: str, record_id: str | None, uppers: tuple[str, ...]) -> None:
        """The records above one in its type's hierarchy (its id None when it has none)."""

    def event_floor(self, partnership: str) -> str | None:
        """The first day of a partnership's start as 'YYYY-MM-DD' ('' when it has no
        start) when an event certainly not before it needs no :meth:`take_event` at
        all; None when every event must be taken."""


def _partnership_start(
    record: dict[str, Any], record_id: str | None, code: int, sink: FactSink
) -> None:
    """A partnership's start, which its events cannot precede."""
    period = record.get("period")
    sink.take_start(record_id, date_in(period.get("start")) if isinstance(period, dict) else None)


def _event_partnership(
    record: dict[str, Any], record_id: str | None, code: int, sink: FactSink
) -> None:
    """An event's partnership, and the last day the event can have taken place."""
    partnership = record.get("partnership")
    if isinstance(partnership, str):
        date = record.get("date")
        if isinstance(date, dict):
            end, start = date.get("end"), date.get("start")
            floor = sink.event_floor(partnership)
            if floor is not None and _not_before(end, floor) and _not_before(start, floor):
                # Told apart on the texts themselves: reading the dates costs more than
                # the rest of an event's cross-record checks.
                return
            last_day = date_in(end) or date_in(start)
        else:
            last_day = None
        sink.take_event(partnership, last_day, code, record_id)


#: What a partial date is padded with, by its length, so that its text compares with
#: a 'YYYY-MM-DD' day as its last possible day does ('1999' -> '1999-99-99').
_TO_LAST_DAY = {4: "-99-99", 7: "-99", 10: ""}


def _not_before(value: Any, floor: str) -> bool:
    """True when ``value``, if it is a real partial date, ends no earlier than the day
    ``floor``; False when that cannot be told from the text alone. A value that is not
    a date is never an event's last day, so it never makes the event early."""
    if not isinstance(value, str):
        return True
    pad = _TO_LAST_DAY.get(len(value))
    return pad is not None and value + pad >= floor


def _issue_area_broader(
    record: dict[str, Any], record_id: str | None, code: int, sink: FactSink
) -> None:
    """An issue area's broader issue areas, which must never lead back to it."""
    sink.take_uppers("issueArea", record_id, uppers_of(record, "issueArea"))


def _actor_parent(record: dict[str, Any], record_id: str | None, code: int, sink: FactSink) -> None:
    """An actor's parent, which must never lead back to it."""
    sink.take_uppers("actor", record_id, uppers_of(record, "actor"))


#: What the rules of one record type read beyond identifiers and references.
TypeReading = Callable[[dict[str, Any], str | None, int, FactSink], None]

#: The readings of the rules that concern one record type.
TYPE_READINGS: dict[str, TypeReading] = {
    "partnership": _partnership_start,  # event-before-partnership
    "event": _event_partnership,  # event-before-partnership
    "issueArea": _issue_area_broader,  # hierarchy-cycle
    "actor": _actor_parent,  # hierarchy-cycle
}


UnknownReferences = Callable[[dict[str, Any], Known], list[tuple[str, str, Any]]]


@dataclass(frozen=True)
class CrossRecordRules:
    """What the checks across records read from a record of one type, written once.

    :meth:`feed` hands a record's readings to a :class:`FactSink`: its id
    (id-duplicate, and every reference to it), its references to ids not in
    ``known`` (ref-unresolved, ref-wrong-type, citation-unknown-source) and
    the reading of its type (:data:`TYPE_READINGS`).
    """

    record_type: str
    #: the record's references to ids not among ``known[target]`` (compiled)
    unknown_references: UnknownReferences
    reading: TypeReading | None

    def feed(
        self,
        record: dict[str, Any],
        record_id: str | None,
        code: int,
        sink: FactSink,
        *,
        known: Known,
    ) -> None:
        """Hand one record's readings to ``sink``."""
        self.feeder(sink, known)(record, record_id, code, None)

    def feeder(self, sink: FactSink, known: Known, *, ids_taken: bool = False) -> Feed:
        """:meth:`feed` for many records, bound to one sink and the ids it knows.

        The function it gives takes a record, its id, its packed place, and
        optionally another walk of its references (for when some are known to
        be settled already). It runs once per record of a file. With
        ``ids_taken`` the caller hands the ids to the sink itself (a worker
        keeps them in its loop, sparing a call per record).
        """
        record_type = self.record_type
        take_reference = sink.take_reference
        walk, reading = self.unknown_references, self.reading

        take_id: Callable[[str, str, int], None] | None = None if ids_taken else sink.take_id

        def feed(
            record: dict[str, Any],
            record_id: str | None,
            code: int,
            references: UnknownReferences | None,
        ) -> None:
            if record_id is not None and take_id is not None:
                take_id(record_type, record_id, code)
            for pointer, target, value in (references or walk)(record, known):
                take_reference(target, value, (code, pointer, record_id, record_type))
            if reading is not None:
                reading(record, record_id, code, sink)

        return feed


#: A :meth:`CrossRecordRules.feeder`: (record, its id, its packed place, a walk or None).
Feed = Callable[[dict[str, Any], str | None, int, UnknownReferences | None], None]


_RULES: dict[tuple[int, str], tuple[SchemaSet, CrossRecordRules]] = {}


def cross_record_rules(schema_set: SchemaSet, record_type: str) -> CrossRecordRules:
    """The :class:`CrossRecordRules` of a record type, compiled once per schema set."""
    key = (id(schema_set), record_type)
    cached = _RULES.get(key)
    if cached is None or cached[0] is not schema_set:
        bindings = tuple((f.path, f.target) for f in schema_set.reference_fields_of(record_type))
        rules = CrossRecordRules(
            record_type, compile_unknown_at(bindings), TYPE_READINGS.get(record_type)
        )
        cached = _RULES[key] = (schema_set, rules)
    return cached[1]


def record_id_of(record: dict[str, Any]) -> str | None:
    """A record's id, if it is a text."""
    record_id = record.get("id")
    return record_id if isinstance(record_id, str) else None


@dataclass
class _FactsKept:
    """A sink that keeps one record's readings, to make its :class:`RecordFacts`."""

    references: list[tuple[str, str, str]] = field(default_factory=list)
    start: PartialDate | None = None
    partnership: str | None = None
    last_day: PartialDate | None = None
    broader: tuple[str, ...] = ()
    parent: str | None = None

    def take_id(self, record_type: str, record_id: str, code: int) -> None:
        pass  # the id is the record's own

    def take_reference(self, target: str, value: str, place: ReferencePlace) -> None:
        self.references.append((place[1], target, value))

    def take_start(self, partnership: str | None, start: PartialDate | None) -> None:
        self.start = start

    def take_event(
        self, partnership: str | None, last_day: PartialDate | None, code: int, event_id: str | None
    ) -> None:
        self.partnership, self.last_day = partnership, last_day

    def event_floor(self, partnership: str) -> str | None:
        return None  # the facts keep every event's last day

    def take_uppers(self, record_type: str, record_id: str | None, uppers: tuple[str, ...]) -> None:
        if record_type == "actor":
            self.parent = uppers[0] if uppers else None
        else:
            self.broader = uppers


def facts_of(record: Any, record_type: str, schema_set: SchemaSet) -> RecordFacts:
    """The facts of one record that the checks across records need (a pure function).

    >>> import hsdata
    >>> facts = hsdata.facts_of(
    ...     {"id": "oslo-meeting", "partnership": "lysoen-partnership",
    ...      "participants": [{"actor": "norway", "role": "host"}]},
    ...     "event", hsdata.load_schema_set("1.0"))
    >>> facts.id
    'oslo-meeting'
    >>> for reference in facts.references:
    ...     print(reference)
    ('/partnership', 'partnership', 'lysoen-partnership')
    ('/participants/0/actor', 'actor', 'norway')
    """
    if not isinstance(record, dict):
        return RecordFacts(record_type, None)
    record_id = record_id_of(record)
    kept = _FactsKept()
    cross_record_rules(schema_set, record_type).feed(record, record_id, 0, kept, known={})
    return RecordFacts(
        record_type,
        record_id,
        tuple(kept.references),
        kept.start,
        kept.partnership,
        kept.last_day,
        kept.broader,
        kept.parent,
    )


def unknown_references_of(schema_set: SchemaSet, record_type: str) -> UnknownReferences:
    """The references of a record of this type to ids not in ``known[target]`` (compiled once)."""
    return cross_record_rules(schema_set, record_type).unknown_references


@dataclass(frozen=True)
class Place:
    """Where a record is: its file, its pointer in that file, and its line (JSON Lines)."""

    file: str
    pointer: str
    line: int | None


#: References not settled within a share of a file: (target type, identifier) ->
#: (the first :data:`MAX_KEPT` places, how many more), each place being
#: (packed place, pointer in the record, referring record's id, its type).
PendingReferences = dict[tuple[str, str], tuple[list[tuple[int, str, str | None, str]], int]]


@dataclass
class _Pending:
    """References to one (type, id) not yet seen: a few places, and a count of the rest."""

    places: list[tuple[int, str, str | None, str]] = field(default_factory=list)
    more: int = 0


@dataclass
class IntegrityIndex:
    """The checks across records, fed one record's :class:`RecordFacts` at a time.

    It keeps the identifiers seen, the references not yet settled (at most
    100 places per missing identifier) and a few dates, never the
    records: memory grows with the number of identifiers, not with the size
    of the data. Feed it with :meth:`add`, then call :meth:`finish` once for
    the issues that need every record (unresolved references, cycles):

    >>> import hsdata
    >>> schema_set = hsdata.load_schema_set("1.0")
    >>> index = hsdata.IntegrityIndex()
    >>> records = [{"id": "a-meeting", "participants": [{"actor": "nobody"}]},
    ...            {"id": "a-meeting"}]
    >>> for line, record in enumerate(records, start=1):
    ...     code = index.place_code("events.jsonl", line, is_line=True)
    ...     index.add(hsdata.facts_of(record, "event", schema_set), code)
    >>> [(i.rule, i.line, i.pointer) for i in index.finish()]
    [('id-duplicate', 2, '/id'), ('ref-unresolved', 1, '/participants/0/actor')]
    """

    files: list[tuple[str, str]] = field(default_factory=list)  # (file, pointer prefix)
    ids: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    issues: list[Issue] = field(default_factory=list)
    _file_numbers: dict[tuple[str, str], int] = field(default_factory=dict)
    _pending: dict[tuple[str, str], _Pending] = field(default_factory=dict)
    _starts: dict[str, PartialDate | None] = field(default_factory=dict)
    _floors: dict[str, str] = field(default_factory=dict)  # see event_floor
    # partnership id -> heap of (-last day ordinal, counter, place, event id, last day)
    _early: dict[str, list[tuple[int, int, int, str | None, PartialDate]]] = field(
        default_factory=dict
    )
    _early_dropped: dict[str, Counter[int]] = field(default_factory=dict)
    #: record type -> record id -> the ids above it in the type's hierarchy
    _uppers: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    _counter: int = 0
    _feeders: dict[tuple[int, str], tuple[SchemaSet, Feed]] = field(default_factory=dict)
    #: Judges a reference 'prefix:id' (1.2) that no local record settles: None when it
    #: resolves, else (rule, reason). Set from the descriptor (see _identifiers); unset,
    #: such a reference is unresolved like any other.
    prefixed: Callable[[str, str], tuple[str, str] | None] | None = None

    # -- places ---------------------------------------------------------------------------------

    def place_code(self, file: str, index: int, *, is_line: bool, prefix: str = "") -> int:
        """Pack a place: the file's number, the record's index in a list or its line.

        ``prefix`` is the pointer of the list that holds the records, when it is
        not the whole file (records written inside a datapackage.json).
        """
        key = (file, prefix)
        number = self._file_numbers.get(key)
        if number is None:
            number = self._file_numbers[key] = len(self.files)
            self.files.append(key)
        return (number << 41) | (index << 1) | int(is_line)

    def place(self, code: int) -> Place:
        file, prefix = self.files[code >> 41]
        index = (code >> 1) & ((1 << 40) - 1)
        if code & 1:
            return Place(file, "", index)
        return Place(file, f"{prefix}/{index}", None)

    def _issue(
        self,
        rule: str,
        message: str,
        code: int,
        pointer: str,
        *,
        record: str | None,
        record_type: str,
    ) -> Issue:
        where = self.place(code)
        return make_issue(
            rule,
            message,
            file=where.file,
            line=where.line,
            pointer=where.pointer + pointer,
            record=record,
            record_type=record_type,
        )

    # -- folding facts in -----------------------------------------------------------------------

    def add(self, facts: RecordFacts, code: int) -> None:
        """Take in one record's facts, found at the packed place ``code``."""
        record_type = facts.record_type
        if facts.id is not None:
            self.add_id(record_type, facts.id, code)
        for pointer, target, value in facts.references:
            if value not in self.ids.get(target, ()):
                self._keep_reference(target, value, (code, pointer, facts.id, record_type))
        # The readings of the record's type, as CrossRecordRules.feed hands them over.
        if record_type == "partnership":
            self.take_start(facts.id, facts.start)
        self.take_event(facts.partnership, facts.last_day, code, facts.id)
        if record_type == "issueArea":
            self.take_uppers(record_type, facts.id, facts.broader)
        elif record_type == "actor" and facts.parent is not None:
            self.take_uppers(record_type, facts.id, (facts.parent,))

    def add_record(
        self, record: dict[str, Any], record_type: str, schema_set: SchemaSet, code: int
    ) -> None:
        """Take in a record itself: the same as ``add(facts_of(record, ...), code)``, faster
        (only the references to identifiers not yet seen are gathered)."""
        key = (id(schema_set), record_type)
        cached = self._feeders.get(key)
        if cached is None or cached[0] is not schema_set:
            feed = cross_record_rules(schema_set, record_type).feeder(self, self.ids)
            cached = self._feeders[key] = (schema_set, feed)
        cached[1](record, record_id_of(record), code, None)

    # -- the sink of CrossRecordRules.feed ------------------------------------------------------

    def take_id(self, record_type: str, record_id: str, code: int) -> None:
        self.add_id(record_type, record_id, code)

    def take_reference(self, target: str, value: str, place: ReferencePlace) -> None:
        self._keep_reference(target, value, place)

    def take_start(self, partnership: str | None, start: PartialDate | None) -> None:
        if partnership is not None:
            self._starts[partnership] = start
            self._floors.pop(partnership, None)
            self._check_waiting_events(partnership)

    def event_floor(self, partnership: str) -> str | None:
        # An event of a known partnership is judged at once and never kept.
        return event_floor_in(self._floors, self._starts, partnership)

    def take_event(
        self, partnership: str | None, last_day: PartialDate | None, code: int, event_id: str | None
    ) -> None:
        if partnership is not None and last_day is not None:
            self._add_event(partnership, code, event_id, last_day)

    def take_uppers(self, record_type: str, record_id: str | None, uppers: tuple[str, ...]) -> None:
        if record_id is not None and uppers:
            self._uppers.setdefault(record_type, {})[record_id] = uppers

    def add_id(self, record_type: str, record_id: str, code: int) -> None:
        """Take in one record's id: a duplicate is reported, a new one settles references."""
        known = self.ids[record_type]
        first_code = known.get(record_id)
        if first_code is not None:
            first = self.place(first_code)
            where = (
                tr("line {line}", line=first.line)
                if first.line
                else tr("at {pointer}", pointer=first.pointer)
            )
            message = tr(
                "the identifier {id} is already used by another {record_type} ({file}, {where}); "
                "identifiers must be unique",
                id=shown(record_id),
                record_type=record_type,
                file=first.file,
                where=where,
            )
            self.issues.append(
                self._issue(
                    "id-duplicate",
                    message,
                    code,
                    "/id",
                    record=record_id,
                    record_type=record_type,
                )
            )
        else:
            known[record_id] = code
            self._settle(record_type, record_id)

    def add_ids(self, record_type: str, ids: list[str], codes: list[int]) -> None:
        """Take in many records' ids (``codes`` their packed places), in order: the same
        as :meth:`add_id` for each, faster.

        The ids that are duplicates (within ``ids`` or of ids already seen) are
        found with set operations and taken in one by one, in order; the others,
        nearly all of them, at once.
        """
        known = self.ids[record_type]
        distinct = set(ids)
        repeated = known.keys() & distinct
        if len(distinct) != len(ids):
            repeated |= {record_id for record_id, count in Counter(ids).items() if count > 1}
        if repeated:
            # The others meet neither each other nor the repeated ones: taken in at once.
            known.update({i: c for i, c in zip(ids, codes, strict=True) if i not in repeated})
            for record_id, code in [
                (i, c) for i, c in zip(ids, codes, strict=True) if i in repeated
            ]:
                self.add_id(record_type, record_id, code)
        else:
            known.update(zip(ids, codes, strict=True))
        pending = self._pending
        if len(pending) < len(distinct):
            settled = [k for k in pending if k[0] == record_type and k[1] in distinct]
        else:
            settled = [(record_type, i) for i in distinct if (record_type, i) in pending]
        for key in settled:
            del pending[key]

    def _keep_reference(self, target: str, value: str, place: ReferencePlace) -> None:
        pending = self._pending.get((target, value))
        if pending is None:
            pending = self._pending[(target, value)] = _Pending()
        if len(pending.places) < MAX_KEPT:
            pending.places.append(place)
        else:
            pending.more += 1

    def add_unsettled(self, references: PendingReferences) -> None:
        """Take in references gathered elsewhere (a worker's share of a file), in file order.

        A reference to a record already seen is settled; the others wait, as if
        they had been added one record at a time: only the set of identifiers seen
        by the end decides which references resolve.
        """
        for (target, value), (places, more) in references.items():
            if value in self.ids.get(target, ()):
                continue
            for place in places:
                self._keep_reference(target, value, place)
            if more:
                self._pending[(target, value)].more += more

    def add_event(
        self, code: int, event_id: str | None, partnership: str, last_day: PartialDate
    ) -> None:
        """Take in an event of a partnership (judged now if the partnership is known)."""
        self._add_event(partnership, code, event_id, last_day)

    def _settle(self, record_type: str, record_id: str) -> None:
        self._pending.pop((record_type, record_id), None)

    def _add_event(
        self, partnership: str, code: int, event_id: str | None, last_day: PartialDate
    ) -> None:
        if partnership in self._starts:
            self._judge_event(partnership, code, event_id, last_day)
            return
        heap = self._early.setdefault(partnership, [])
        self._counter += 1
        entry = (-last_day.latest.toordinal(), self._counter, code, event_id, last_day)
        if len(heap) < MAX_KEPT:
            heapq.heappush(heap, entry)
        else:
            dropped = heapq.heappushpop(heap, entry)  # drops the latest of the kept events
            self._early_dropped.setdefault(partnership, Counter())[-dropped[0]] += 1

    def _judge_event(
        self, partnership: str, code: int, event_id: str | None, last_day: PartialDate
    ) -> None:
        start = self._starts.get(partnership)
        if start is None or not last_day < start:
            return
        self.issues.append(
            self._issue(
                "event-before-partnership",
                tr(
                    "this event of the partnership {partnership} took place by {last_day}, "
                    "before the partnership began ({start})",
                    partnership=shown(partnership),
                    last_day=shown(str(last_day)),
                    start=shown(str(start)),
                ),
                code,
                "/date",
                record=event_id,
                record_type="event",
            )
        )

    def _check_waiting_events(self, partnership: str) -> None:
        for _, _, code, event_id, last_day in sorted(
            self._early.pop(partnership, []), key=lambda e: e[2]
        ):
            self._judge_event(partnership, code, event_id, last_day)
        dropped = self._early_dropped.pop(partnership, None)
        start = self._starts.get(partnership)
        if dropped and start is not None:
            more = sum(n for day, n in dropped.items() if day < start.earliest.toordinal())
            if more:
                self.issues.append(
                    make_issue(
                        "event-before-partnership",
                        tr(
                            "{count:,} more events of the partnership {partnership} took "
                            "place before it began ({start})",
                            count=more,
                            partnership=shown(partnership),
                            start=shown(str(start)),
                        ),
                        record=partnership,
                        record_type="partnership",
                    )
                )

    # -- the end -----------------------------------------------------------------------------------

    def finish(self) -> list[Issue]:
        """Report what can be known only once every record has been seen."""
        issues = self.issues
        for (target, value), pending in sorted(self._pending.items()):
            if value in self.ids.get(target, ()):
                continue
            if self.prefixed is not None and ":" in value:
                issues.extend(self._prefixed_issues(target, value, pending, self.prefixed))
                continue
            other_types = [t for t, ids in self.ids.items() if t != target and value in ids]
            for code, pointer, record_id, record_type in pending.places:
                issues.append(
                    self._reference_issue(
                        target,
                        value,
                        other_types,
                        code=code,
                        pointer=pointer,
                        record_id=record_id,
                        record_type=record_type,
                    )
                )
            if pending.more:
                issues.append(
                    make_issue(
                        "ref-unresolved" if not other_types else "ref-wrong-type",
                        tr(
                            "{count:,} more references to {value} cannot be resolved",
                            count=pending.more,
                            value=shown(value),
                        ),
                        record=value,
                        record_type=target,
                    )
                )
        self._pending.clear()
        issues.extend(self._cycles())
        self.issues = []
        return issues

    def _prefixed_issues(
        self,
        target: str,
        value: str,
        pending: _Pending,
        judge: Callable[[str, str], tuple[str, str] | None],
    ) -> list[Issue]:
        verdict = judge(target, value)
        if verdict is None:
            return []
        rule, reason = verdict
        found = [
            self._issue(
                rule,
                tr(
                    "{name} refers to {value}, but {reason}",
                    name=field_name(pointer),
                    value=shown(value),
                    reason=reason,
                ),
                code,
                pointer,
                record=record_id,
                record_type=record_type,
            )
            for code, pointer, record_id, record_type in pending.places
        ]
        if pending.more:
            found.append(
                make_issue(
                    rule,
                    tr(
                        "{count:,} more references to {value}: {reason}",
                        count=pending.more,
                        value=shown(value),
                        reason=reason,
                    ),
                    record=value,
                    record_type=target,
                )
            )
        return found

    def _reference_issue(
        self,
        target: str,
        value: str,
        other_types: list[str],
        *,
        code: int,
        pointer: str,
        record_id: str | None,
        record_type: str,
    ) -> Issue:
        name = field_name(pointer)
        if other_types:
            return self._issue(
                "ref-wrong-type",
                tr(
                    "{name} must name {expected}, but {value} is {found}, not {expected}",
                    name=name,
                    expected=record_noun(target),
                    value=shown(value),
                    found=record_noun(other_types[0]),
                ),
                code,
                pointer,
                record=record_id,
                record_type=record_type,
            )
        if target == "source" and "/citations/" in pointer:
            return self._issue(
                "citation-unknown-source",
                tr(
                    "{name} cites the source {value}, which is not among the sources",
                    name=name,
                    value=shown(value),
                ),
                code,
                pointer,
                record=record_id,
                record_type=record_type,
            )
        known = self.ids.get(target, {})
        import difflib

        close = difflib.get_close_matches(value, list(known)[:5000], n=1, cutoff=0.8)
        message = tr(
            "{name} refers to {value}, but there is no {target} with that identifier",
            name=name,
            value=shown(value),
            target=target,
        )
        if close:
            message = tr(
                "{name} refers to {value}, but there is no {target} with that identifier: "
                "did you mean {suggestion}?",
                name=name,
                value=shown(value),
                target=target,
                suggestion=shown(close[0]),
            )
        return self._issue(
            "ref-unresolved",
            message,
            code,
            pointer,
            record=record_id,
            record_type=record_type,
        )

    def _cycles(self) -> list[Issue]:
        """One issue per cycle in a hierarchy (hierarchy-cycle), at the record of the cycle
        met first in the files, listing the chain."""
        found: list[Issue] = []
        for record_type in sorted(self._uppers):
            codes = self.ids.get(record_type, {})
            pointer = "/" + HIERARCHY_FIELDS.get(record_type, "parent")
            cycles = find_cycles(self._uppers[record_type], partial(_place_of, codes))
            for cycle in cycles:
                first, message = cycle[0], cycle_message(record_type, cycle)
                code = codes.get(first)
                found.append(
                    make_issue("hierarchy-cycle", message, record=first, record_type=record_type)
                    if code is None
                    else self._issue(
                        "hierarchy-cycle",
                        message,
                        code,
                        pointer,
                        record=first,
                        record_type=record_type,
                    )
                )
        return found
