"""A loaded data set: record collections, navigation both ways, and queries.

The records are held as the parsed JSON objects and turned into typed
objects (:mod:`hsdata._records`) the first time each is asked for. The
reverse index that answers "who refers to this record?" is built on first
use, in one pass over every reference field the schemas declare
(``recordRef``), so no link of the standard is hard-coded here.
"""

from __future__ import annotations

import datetime
import os
import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

import orjson

from .._dates import PartialDate
from .._records import (
    RECORD_CLASSES,
    Actor,
    Commitment,
    Document,
    Engagement,
    Event,
    IssueArea,
    Membership,
    Node,
    Partnership,
    Record,
    Source,
    _parse_date,
    _text,
    _texts,
    record_class_from_schema,
)
from .._reporting import Report
from .._schemas import FieldPath, SchemaSet, camel_case
from ._exporters import conversion, find_exporter

if TYPE_CHECKING:
    import networkx
    import pandas

R = TypeVar("R", bound=Record)

#: How a date-range query treats an event whose date is only partly known.
RangeMode = Literal["overlaps", "within"]

#: Something that names a day or a span of days: a date, a PartialDate, or 'YYYY[-MM[-DD]]'.
DateLike = datetime.date | PartialDate | str


class ParsedOnDemand(Sequence[Mapping[str, Any]]):
    """Records as parsed JSON objects or as lines of JSON parsed each time they are read."""

    __slots__ = ("_items",)

    def __init__(self, items: list[Any]) -> None:
        self._items = items

    @overload
    def __getitem__(self, index: int) -> Mapping[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Mapping[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._items)))]
        item = self._items[index]
        return orjson.loads(item) if isinstance(item, bytes) else item

    def __len__(self) -> int:
        return len(self._items)


class RecordCollection(Mapping[str, R], Generic[R]):
    """The records of one type, by identifier, in the order the data gives them.

    A record object is built the first time it is asked for and kept, so the
    same identifier always gives the same object.
    """

    __slots__ = ("_built", "_class", "_dataset", "_ids", "_raw", "record_type")

    def __init__(
        self,
        record_type: str,
        record_class: type[R],
        raw: Sequence[Mapping[str, Any]],
        dataset: Dataset,
    ) -> None:
        self.record_type = record_type
        self._class = record_class
        self._raw = raw
        self._dataset = dataset
        self._ids: dict[str, int] | None = None
        self._built: list[R | None] = [None] * len(raw)

    def _index(self) -> dict[str, int]:
        """Identifier to position, built on first use: for JSON Lines it parses every line."""
        ids = self._ids
        if ids is None:
            ids = self._ids = {item["id"]: n for n, item in enumerate(self._raw)}
        return ids

    def at(self, position: int) -> R:
        """The record at ``position`` in data order."""
        record = self._built[position]
        if record is None:
            built = self._class.from_json(self._raw[position], self._dataset)
            # Another thread may have built it meanwhile: keep the first, so that
            # one identifier always gives one object.
            record = self._built[position]
            if record is None:
                self._built[position] = record = built
        return record

    def position(self, record_id: str) -> int:
        """Where the record with this identifier is in data order."""
        return self._index()[record_id]

    def json(self, record_id: str) -> Mapping[str, Any]:
        """The JSON object of a record exactly as read (do not modify it)."""
        return self._raw[self._index()[record_id]]

    def __getitem__(self, record_id: str) -> R:
        try:
            position = self._index()[record_id]
        except (KeyError, TypeError):
            # 'prefix:id' (1.2) names a record of a dependency: followed into its data set.
            found = self._dataset.in_dependency(self.record_type, record_id)
            if found is None:
                raise KeyError(f"no {self.record_type} with id {record_id!r}") from None
            return found  # type: ignore[return-value]
        return self.at(position)

    def __iter__(self) -> Iterator[str]:
        return iter(self._index())

    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._index()

    def records(self) -> Iterator[R]:
        """Every record, built as needed, in data order."""
        return (self.at(n) for n in range(len(self._raw)))

    def __repr__(self) -> str:
        return f"<{len(self)} {self.record_type} records>"


@dataclass(frozen=True)
class IssueAreaDigest:
    """Everything a data set says about one issue area."""

    issue_area: IssueArea
    broader: tuple[IssueArea, ...]
    narrower: tuple[IssueArea, ...]
    partnerships: tuple[Partnership, ...]
    events: tuple[Event, ...]


def adopt_index(
    collection: RecordCollection[Any], ordered: dict[str, int], starts: list[int]
) -> bool:
    """Give ``collection`` the validator's identifiers as its index, if they fit its records.

    The validator read the same files in the same order and saw every id
    once (the data is valid), so the n-th id it saw is the id of the n-th
    record. That is checked at the first record of each file (``starts``)
    and at the last record, a few parses rather than millions; if anything
    differs, the collection builds its index itself when first asked.
    ``ordered`` becomes the index in place (ids to positions), sparing a
    second dictionary of millions of entries.
    """
    raw = collection._raw
    if not raw or len(ordered) != len(raw):
        return False
    ids = list(ordered)
    checked = {n for n in starts if n < len(raw)} | {len(raw) - 1}
    if any(raw[n].get("id") != ids[n] for n in checked):
        return False
    for position, record_id in enumerate(ids):
        ordered[record_id] = position
    collection._ids = ordered
    return True


def _values_at(node: Any, path: FieldPath, pointer: str = "") -> Iterator[tuple[Any, str]]:
    """(value, JSON Pointer) for every value at ``path`` ('*' = each item of a list)."""
    if not path:
        yield node, pointer
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(node, list):
            for n, item in enumerate(node):
                yield from _values_at(item, rest, f"{pointer}/{n}")
    elif isinstance(node, dict) and head in node:
        yield from _values_at(node[head], rest, f"{pointer}/{head}")


def _count_languages(cls: type[Node], data: Mapping[str, Any], counted: Counter[str]) -> None:
    for _, key, convert in cls._fields_spec():
        value = data.get(key)
        if value is None or convert is None:
            continue
        if convert is _text:
            counted.update(value.keys())
        elif convert is _texts:
            for text in value:
                counted.update(text.keys())
        else:
            nested = getattr(convert, "node_class", None)
            if nested is not None:
                for item in value if isinstance(value, list) else (value,):
                    _count_languages(nested, item, counted)


def _bounds(value: DateLike) -> tuple[datetime.date, datetime.date]:
    if isinstance(value, datetime.date):
        return value, value
    if isinstance(value, str):
        value = PartialDate.parse(value)
    return value.earliest, value.latest


def _record_type_name(name: str) -> str:
    """Accept 'issueArea', 'issue-area', 'issue_area' or 'issue_areas' for a record type."""
    return camel_case(name.replace("_", "-"))


class Dataset:
    """An hsdata data package, loaded: typed records, links both ways, queries.

    Get one from :func:`hsdata.load`. Every record type has a collection
    (``ds.actors``, ``ds.partnerships``, ``ds.memberships``, ``ds.events``,
    ``ds.issue_areas``, ``ds.documents``, ``ds.sources``, and from standard 1.2
    ``ds.engagements`` and ``ds.commitments``), a read-only mapping from
    identifier to record; :meth:`get` finds a record by type and id. A
    reference ``prefix:id`` (1.2) leads into the data set of the dependency
    declared with that prefix (:attr:`dependencies`).

    Links run both ways. Forward, a record's properties give the records its
    fields name (``partnership.members[0].actor``, ``event.issue_areas``);
    backward, properties such as ``actor.partnerships``, ``actor.events``,
    ``actor.commitments``, ``issue_area.narrower``, ``issue_area.engagements``
    and ``source.cited_by`` find the records that name it, and :meth:`referrers`
    answers the same for any reference field the schemas declare.

    Queries: :meth:`events_between` (partial-date aware), :meth:`partnerships_of`,
    :meth:`about` (everything on an issue area) and :meth:`timeline`. Other
    shapes: :meth:`to_dicts`, :meth:`export` (any registered format), :meth:`to_csv`,
    :meth:`to_jsonld`, :meth:`to_pandas` and :meth:`to_networkx`.

    >>> import hsdata
    >>> ds = hsdata.load()
    >>> council = ds.actors["un-security-council"]
    >>> council.parent.id, [m.role for m in council.seats]
    ('united-nations', ['member', 'president'])
    >>> [str(a.label) for a in ds.issue_areas["war-affected-children"].narrower]
    ['Child soldiers']
    """

    def __init__(
        self,
        records: Mapping[str, Sequence[Mapping[str, Any]]],
        *,
        schema_set: SchemaSet,
        descriptor: Mapping[str, Any],
        location: str,
        report: Report,
        dependencies: Mapping[str, Dataset] | None = None,
    ) -> None:
        self.schema_set = schema_set
        #: The datapackage.json, as read.
        self.descriptor = descriptor
        #: Where the data set was loaded from.
        self.location = location
        #: The validation report (valid, but it may hold warnings).
        self.report = report
        #: The data sets of the packages declared in hsdata:dependencies, by prefix: a
        #: reference 'prefix:id' leads to a record of one of them.
        self.dependencies: Mapping[str, Dataset] = MappingProxyType(dict(dependencies or {}))
        self._collections: dict[str, RecordCollection[Any]] = {
            record_type: RecordCollection(
                record_type,
                RECORD_CLASSES.get(record_type)
                or record_class_from_schema(schema_set, record_type),
                records.get(record_type, ()),
                self,
            )
            for record_type in schema_set.record_types
        }
        self._reverse: dict[tuple[str, str], list[tuple[str, int, str]]] | None = None
        self._lock = threading.Lock()

    # --- the collections ---------------------------------------------------------------------

    @property
    def schema_version(self) -> str:
        """The version of the standard the data conforms to."""
        return self.schema_set.version

    @property
    def record_types(self) -> tuple[str, ...]:
        """The record types of the standard, as the schemas name them."""
        return self.schema_set.record_types

    def records(self, record_type: str) -> RecordCollection[Any]:
        """The collection of one record type ('actor', 'issueArea', ...)."""
        name = _record_type_name(record_type)
        if name not in self._collections and name.endswith("s"):
            name = name[:-1]
        try:
            return self._collections[name]
        except KeyError:
            raise KeyError(
                f"no record type {record_type!r}; the types are {', '.join(self.record_types)}"
            ) from None

    @property
    def actors(self) -> RecordCollection[Actor]:
        return self._collections["actor"]

    @property
    def partnerships(self) -> RecordCollection[Partnership]:
        return self._collections["partnership"]

    @property
    def memberships(self) -> RecordCollection[Membership]:
        return self._collections["membership"]

    @property
    def events(self) -> RecordCollection[Event]:
        return self._collections["event"]

    @property
    def issue_areas(self) -> RecordCollection[IssueArea]:
        return self._collections["issueArea"]

    @property
    def documents(self) -> RecordCollection[Document]:
        return self._collections["document"]

    @property
    def sources(self) -> RecordCollection[Source]:
        return self._collections["source"]

    @property
    def engagements(self) -> RecordCollection[Engagement]:
        """The engagements (standard 1.2 and later; empty for data of an earlier version)."""
        return self._collection_or_empty("engagement")

    @property
    def commitments(self) -> RecordCollection[Commitment]:
        """The commitments (standard 1.2 and later; empty for data of an earlier version)."""
        return self._collection_or_empty("commitment")

    def _collection_or_empty(self, record_type: str) -> RecordCollection[Any]:
        collection = self._collections.get(record_type)
        if collection is None:
            # The data's version has no such type: nothing of it, rather than an error.
            collection = RecordCollection(record_type, RECORD_CLASSES[record_type], (), self)
        return collection

    def get(self, record_type: str, record_id: str) -> Record:
        """The record of a type with an identifier; KeyError saying which if there is none.

        >>> import hsdata
        >>> hsdata.load().get("actor", "canada")
        <Actor 'canada'>
        """
        return self.records(record_type)[record_id]  # type: ignore[no-any-return]

    def in_dependency(self, record_type: str, reference: object) -> Record | None:
        """The record a reference 'prefix:id' names in a dependency's data set, or None.

        >>> import hsdata
        >>> hsdata.load().in_dependency("actor", "hsca:canada") is None  # no dependencies
        True
        """
        if not isinstance(reference, str):
            return None
        prefix, separator, record_id = reference.partition(":")
        dependency = self.dependencies.get(prefix) if separator else None
        collection = None if dependency is None else dependency._collections.get(record_type)
        if collection is None or record_id not in collection:
            return None
        return collection[record_id]  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[Record]:
        """Every record of every type, type by type, in data order."""
        for collection in self._collections.values():
            yield from collection.records()

    def counts(self) -> dict[str, int]:
        """How many records of each type."""
        return {name: len(c) for name, c in self._collections.items()}

    def __len__(self) -> int:
        return sum(len(c) for c in self._collections.values())

    def __repr__(self) -> str:
        counts = ", ".join(f"{n} {t}" for t, n in self.counts().items() if n)
        return f"<Dataset {self.location} ({counts})>"

    # --- references, both ways ---------------------------------------------------------------

    def _reverse_index(self) -> dict[tuple[str, str], list[tuple[str, int, str]]]:
        reverse = self._reverse
        if reverse is not None:
            return reverse
        with self._lock:
            if self._reverse is not None:
                return self._reverse
            built: dict[tuple[str, str], list[tuple[str, int, str]]] = {}
            for record_type, collection in self._collections.items():
                fields = [
                    (ref.path, ref.target, "/".join(ref.path))
                    for ref in self.schema_set.reference_fields_of(record_type)
                ]
                if not fields:
                    continue
                # One pass over the records (each JSON Lines record is parsed once).
                for position, raw in enumerate(collection._raw):
                    for path, target, field_path in fields:
                        for value, _ in _values_at(raw, path):
                            if isinstance(value, str):
                                built.setdefault((target, value), []).append(
                                    (record_type, position, field_path)
                                )
            self._reverse = built
            return built

    def referrers(
        self,
        record: Record | tuple[str, str],
        record_type: str | None = None,
        field_path: str | None = None,
    ) -> tuple[Record, ...]:
        """Every record that refers to ``record`` (a record, or a (type, id) pair).

        Only records of ``record_type`` if given, and only through the field
        ``field_path`` if given (written like ``members/*/actor``). Each
        referring record appears once, in data order.
        """
        target = (record.record_type, record.id) if isinstance(record, Record) else record
        wanted_type = _record_type_name(record_type) if record_type else None
        seen: set[tuple[str, int]] = set()
        found: list[tuple[str, int]] = []
        for source_type, position, path in self._reverse_index().get(target, ()):
            if wanted_type is not None and source_type != wanted_type:
                continue
            if field_path is not None and path != field_path:
                continue
            if (source_type, position) not in seen:
                seen.add((source_type, position))
                found.append((source_type, position))
        order = {name: n for n, name in enumerate(self._collections)}
        found.sort(key=lambda item: (order[item[0]], item[1]))
        return tuple(self._collections[t].at(p) for t, p in found)

    # --- queries -----------------------------------------------------------------------------

    def partnerships_of(self, actor: Actor | str) -> tuple[Partnership, ...]:
        """The partnerships an actor (or actor id) is a member of, in data order."""
        actor_id = actor.id if isinstance(actor, Actor) else actor
        self.actors[actor_id]  # a clear KeyError for an unknown actor
        return self.referrers(  # type: ignore[return-value]
            ("actor", actor_id), "partnership", "members/*/actor"
        )

    def events_between(
        self,
        start: DateLike | None = None,
        end: DateLike | None = None,
        *,
        mode: RangeMode = "overlaps",
    ) -> tuple[Event, ...]:
        """Events in the days from ``start`` to ``end`` (both included), earliest first.

        A partial date stands for every day it can mean: ``start="1999"``
        begins on 1 January 1999 and ``end="1999-02"`` ends on 28 February
        1999. Leave out either end for an open range.

        An event dated '1999-02' may have been on any day of February 1999, so
        there are two honest answers, chosen by ``mode``:

        * ``"overlaps"`` (the default): events that *may* have taken place in
          the range -- some day the event can mean falls in it;
        * ``"within"``: events that *certainly* took place in the range --
          every day the event can mean falls in it.

        Undated events are never returned.

        >>> import hsdata
        >>> ds = hsdata.load()
        >>> [e.id for e in ds.events_between("1999-02-10", "1999-02-20")]
        ['lysoen-ministerial-retreat-1999', 'canada-unsc-presidency-1999']
        >>> ds.events_between("1999-02-10", "1999-02-20", mode="within")
        ()
        """
        if mode not in ("overlaps", "within"):
            raise ValueError(f"mode must be 'overlaps' or 'within', not {mode!r}")
        low = _bounds(start)[0] if start is not None else datetime.date.min
        high = _bounds(end)[1] if end is not None else datetime.date.max
        chosen: list[tuple[datetime.date, datetime.date, int]] = []
        # Read the dates from the JSON, and build only the events that match.
        for position, raw in enumerate(self.events._raw):
            date = raw.get("date")
            if not date:
                continue
            first, last = date.get("start"), date.get("end")
            last = last if last is not None else first
            if last is None:
                continue
            latest = _parse_date(last).latest
            earliest = _parse_date(first).earliest if first is not None else None
            if mode == "overlaps":
                keep = (earliest is None or earliest <= high) and latest >= low
            else:
                keep = earliest is not None and earliest >= low and latest <= high
            if keep:
                chosen.append((earliest or datetime.date.min, latest, position))
        chosen.sort()
        return tuple(self.events.at(position) for _, _, position in chosen)

    def timeline(self, partnership: Partnership | str) -> tuple[Event, ...]:
        """A partnership's events (its founding event too) by earliest date, undated last.

        Events whose dates tie are ordered by their latest date, then data order.
        """
        if isinstance(partnership, str):
            partnership = self.partnerships[partnership]
        events = list(self.referrers(partnership, "event", "partnership"))
        founding = partnership.founding_event
        if founding is not None and founding not in events:
            events.append(founding)
        positions = {id(e): self.events.position(e.id) for e in events}

        def key(event: Event) -> tuple[bool, datetime.date, datetime.date, int]:
            earliest = event.earliest
            latest = event.latest
            return (
                latest is None,
                earliest or datetime.date.min,
                latest or datetime.date.max,
                positions[id(event)],
            )

        return tuple(sorted(events, key=key))  # type: ignore[arg-type]

    def about(
        self, issue_area: IssueArea | str, *, include_narrower: bool = False
    ) -> IssueAreaDigest:
        """Everything about an issue area: broader and narrower areas, partnerships, events.

        With ``include_narrower``, partnerships and events of every narrower
        issue area (at any depth) count too: the work on child soldiers is
        work on war-affected children.
        """
        if isinstance(issue_area, str):
            issue_area = self.issue_areas[issue_area]
        areas = [issue_area]
        if include_narrower:
            queue = list(issue_area.narrower)
            while queue:
                area = queue.pop(0)
                if area not in areas:
                    areas.append(area)
                    queue.extend(area.narrower)
        partnerships: dict[int, Partnership] = {}
        events: dict[int, Event] = {}
        for area in areas:
            for p in area.partnerships:
                partnerships.setdefault(self.partnerships.position(p.id), p)
            for e in area.events:
                events.setdefault(self.events.position(e.id), e)
        return IssueAreaDigest(
            issue_area=issue_area,
            broader=issue_area.broader,
            narrower=issue_area.narrower,
            partnerships=tuple(partnerships[k] for k in sorted(partnerships)),
            events=tuple(events[k] for k in sorted(events)),
        )

    # --- summaries ---------------------------------------------------------------------------

    def date_span(self) -> tuple[datetime.date, datetime.date] | None:
        """The first and last day any dated event, partnership, membership or document can mean.

        Read from the JSON, without building the records.
        """
        texts: set[str] = set()
        for name, key in (
            ("event", "date"),
            ("partnership", "period"),
            ("membership", "period"),
        ):
            for raw in self._collections[name]._raw:
                period = raw.get(key)
                if period:
                    texts.update(v for v in (period.get("start"), period.get("end")) if v)
        texts.update(d for raw in self.documents._raw if (d := raw.get("date")))
        if not texts:
            return None
        dates = [_parse_date(text) for text in texts]
        return min(d.earliest for d in dates), max(d.latest for d in dates)

    def languages(self) -> Counter[str]:
        """How many multilingual texts each language tag has, over every record.

        Read from the JSON, without building the records: the record classes
        say which fields hold multilingual text.
        """
        counted: Counter[str] = Counter()
        for collection in self._collections.values():
            for raw in collection._raw:
                _count_languages(collection._class, raw, counted)
        return counted

    # --- other shapes ------------------------------------------------------------------------

    def to_dicts(self) -> dict[str, list[dict[str, Any]]]:
        """Every record as JSON objects, by record type (rebuilt from the typed records)."""
        return {
            name: [record.to_dict() for record in collection.records()]
            for name, collection in self._collections.items()
        }

    def export(self, format: str, out: str | os.PathLike[str], **options: Any) -> Path:
        """Write the data set in an export format; return the file written.

        ``format`` is one of the registered formats (``hsdata export --help``
        lists them): 'csv' writes a folder of tables and returns its
        datapackage.json; 'jsonld', 'turtle' and 'ntriples' write one file,
        named after the package inside ``out`` when ``out`` is a folder.
        ``options`` are the format's own (``base`` for the linked-data
        formats). A format that needs an optional package says which extra to
        install.
        """
        chosen = find_exporter(format)
        unknown = sorted(set(options) - chosen.options)
        if unknown:
            takes = ", ".join(sorted(chosen.options)) or "none"
            raise TypeError(
                f"the {format} export takes no option {', '.join(unknown)} (its options: {takes})"
            )
        target = Path(out)
        if chosen.writes == "file" and target.is_dir():
            target = target / f"{self.descriptor.get('name') or 'hsdata'}{chosen.suffix}"
        return chosen.write(self, target, **options)

    def to_pandas(self) -> dict[str, pandas.DataFrame]:
        """One DataFrame per table of the CSV export: a table per record type and the
        link tables (members, participants, issue-area links, citations, texts by
        language, ...). Needs the ``pandas`` extra: ``pip install 'hsdata-standard[pandas]'``."""
        frames: dict[str, pandas.DataFrame] = conversion("pandas")(self)
        return frames

    def to_csv(self, outdir: str | os.PathLike[str]) -> Path:
        """Write the data set as CSV tables with a datapackage.json (as ``hsdata export
        --format csv`` does) into the folder ``outdir``; return the datapackage.json."""
        return self.export("csv", outdir)

    def to_jsonld(self, *, base: str | None = None) -> dict[str, Any]:
        """The data set as one JSON-LD document (as ``hsdata export --format jsonld``
        writes it): the context embedded, one node per record in ``@graph``."""
        document: dict[str, Any] = conversion("jsonld")(self, base=base)
        return document

    def to_networkx(self) -> networkx.MultiDiGraph:
        """A graph of actors, partnerships, memberships and events with typed nodes and
        edges. Needs the ``graph`` extra: ``pip install 'hsdata-standard[graph]'``."""
        return conversion("networkx")(self)
