"""The data set as normalised tables: one per record type, plus link tables.

This is the one place that says how records become rows. The CSV export
(:mod:`hsdata._export._csv`) writes these tables with their Table Schemas,
and :meth:`hsdata.Dataset.to_pandas` turns them into DataFrames, so the two
always agree.

* Each record type has a table keyed by ``id`` with its single-valued fields;
  its English name, label or title is repeated there for people reading the
  file (every language, English included, is in ``texts``).
* Every list becomes a link table keyed by its owner and ``position`` (the
  index in the JSON list, from 0), so the order of lists survives.
* ``records`` lists every record's type and id; ``texts`` holds every
  multilingual text (one row per language), ``citations`` every citation,
  and ``extras`` any field an extension adds, each placed in its record by a
  JSON Pointer and tied to ``records`` by a foreign key.

A list that is present but empty in the JSON has no rows, like a list that
is absent: the tables cannot tell the two apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import orjson

from .. import _records as _records_module
from .._dates import PartialDate
from .._loader import Dataset
from .._records import (
    NOT_GIVEN,
    Actor,
    Citation,
    Document,
    Event,
    IssueArea,
    LanguageMap,
    Membership,
    Node,
    Partnership,
    Period,
    Record,
    Source,
)

#: The pattern of a partial date cell ('1998', '1998-12' or '1998-12-03').
PARTIAL_DATE_PATTERN = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"


@dataclass(frozen=True)
class Column:
    """One column: its name, Table Schema type, description and constraints."""

    name: str
    type: str
    description: str
    required: bool = False
    pattern: str | None = None
    minimum: int | None = None

    def table_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        out["description"] = self.description
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.pattern is not None:
            constraints["pattern"] = self.pattern
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if constraints:
            out["constraints"] = constraints
        if self.type == "boolean":
            out["trueValues"] = ["true"]
            out["falseValues"] = ["false"]
        return out


@dataclass(frozen=True)
class ForeignKey:
    """Columns of this table that must match a key of another (or the same) table."""

    columns: tuple[str, ...]
    table: str
    target_columns: tuple[str, ...] = ("id",)


@dataclass
class Table:
    """A table: its columns, keys and rows (tuples in column order)."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def sort(self) -> None:
        """Order the rows by primary key, so that output never depends on input order.

        Primary key cells are never empty, so they compare without special cases.
        """
        names = [column.name for column in self.columns]
        self.rows.sort(key=itemgetter(*(names.index(key) for key in self.primary_key)))


def _id(name: str, description: str, required: bool = True) -> Column:
    return Column(name, "string", description, required=required, pattern=ID_PATTERN)


def _date(name: str, description: str) -> Column:
    return Column(name, "string", description, pattern=PARTIAL_DATE_PATTERN)


def _text(name: str, description: str, required: bool = False) -> Column:
    return Column(name, "string", description, required=required)


def _position(description: str = "The index of the item in the JSON list, from 0.") -> Column:
    return Column("position", "integer", description, required=True, minimum=0)


def _record_type_column() -> Column:
    return Column("record_type", "string", "The record type, as the schemas name it.", True)


def _str(value: PartialDate | None) -> str | None:
    return None if value is None else str(value)


def _en(text: LanguageMap | None) -> str | None:
    return None if text is None else text.get("en")


def _period(period: Period | None) -> tuple[str | None, str | None]:
    if period is None:
        return None, None
    return _str(period.start), _str(period.end)


def _table_specs() -> dict[str, Table]:
    """Every table, empty, in the order they are written."""
    to_records = ForeignKey(("record_type", "record_id"), "records", ("record_type", "id"))
    specs = [
        Table(
            "records",
            "Records",
            "Every record of the data set: its type and identifier.",
            (_record_type_column(), _id("id", "The record's identifier.")),
            ("record_type", "id"),
        ),
        Table(
            "sources",
            "Sources",
            "The documents the records' facts come from.",
            (
                _id("id", "The source's identifier."),
                _text("type", "The kind of document (source type codelist).", True),
                _text("title", "The title in English (every language is in texts)."),
                _text("language", "The BCP 47 tag of the language the source is written in."),
                _id("publisher", "The actor that published the source.", False),
                _date("issued", "When the source was published."),
                _date(
                    "issued_within_start", "Written after this date, when only bounds are known."
                ),
                _date("issued_within_end", "Written before this date, when only bounds are known."),
                _text("url", "Where the source can be read online."),
                _text("file_name", "The file the source text was taken from."),
                _text("sha256", "The SHA-256 digest of the source file."),
            ),
            ("id",),
            (ForeignKey(("publisher",), "actors"),),
        ),
        Table(
            "actors",
            "Actors",
            "States, organisations, organs, government bodies, NGOs, coalitions and persons.",
            (
                _id("id", "The actor's identifier."),
                _text("type", "What kind of actor (actor type codelist).", True),
                _text("name", "The name in English (every language is in texts)."),
                _text("country", "For a state, its ISO 3166-1 alpha-2 code."),
                _id("parent", "The actor this one is an organ or part of.", False),
            ),
            ("id",),
            (ForeignKey(("parent",), "actors"),),
        ),
        Table(
            "actor_posts",
            "Posts held by persons",
            "The posts the sources show each person holding.",
            (
                _id("actor", "The person."),
                _position(),
                _id("organization", "The state or organisation in which the post is held."),
                _text("type", "The kind of post (post type codelist)."),
                _date("period_start", "When the person took up the post."),
                _date("period_end", "When the person left the post."),
                _date("held_on", "A date on which a source shows the person in the post."),
            ),
            ("actor", "position"),
            (ForeignKey(("actor",), "actors"), ForeignKey(("organization",), "actors")),
        ),
        Table(
            "actor_post_attestations",
            "Dates posts are attested on",
            "The dates on which the sources show a person in a post (standard 1.1 and later).",
            (
                _id("actor", "The person."),
                Column(
                    "post", "integer", "The index of the post in the list, from 0.", True, minimum=0
                ),
                _position(),
                _date("date", "A date on which a source shows the person in the post."),
            ),
            ("actor", "post", "position"),
            (ForeignKey(("actor",), "actors"),),
        ),
        Table(
            "issue_areas",
            "Issue areas",
            "The controlled vocabulary of human security issues.",
            (
                _id("id", "The issue area's identifier."),
                _text("label", "The preferred label in English (every language is in texts)."),
            ),
            ("id",),
        ),
        Table(
            "issue_area_broader",
            "Broader issue areas",
            "Which issue areas each issue area is a part of.",
            (
                _id("issue_area", "The narrower issue area."),
                _position(),
                _id("broader", "The broader issue area."),
            ),
            ("issue_area", "position"),
            (ForeignKey(("issue_area",), "issue_areas"), ForeignKey(("broader",), "issue_areas")),
        ),
        Table(
            "documents",
            "Documents",
            "Instruments and texts: declarations, treaties, reports.",
            (
                _id("id", "The document's identifier."),
                _text("type", "What kind of document (document type codelist).", True),
                _text("title", "The title in English (every language is in texts)."),
                _date("date", "When the document was adopted, signed or issued."),
            ),
            ("id",),
        ),
        Table(
            "document_authors",
            "Document authors",
            "The actors that wrote or issued each document.",
            (_id("document", "The document."), _position(), _id("actor", "The author.")),
            ("document", "position"),
            (ForeignKey(("document",), "documents"), ForeignKey(("actor",), "actors")),
        ),
        Table(
            "events",
            "Events",
            "Signings, meetings, retreats, assemblies, presidencies.",
            (
                _id("id", "The event's identifier."),
                _text("type", "What kind of event (event type codelist).", True),
                _text("name", "The name in English (every language is in texts)."),
                _text("status", "Held, scheduled, postponed or cancelled."),
                _date("date_start", "When the event began, as precisely as the sources say."),
                _date("date_end", "When the event ended, for events longer than one date."),
                _text("location_country", "The ISO 3166-1 alpha-2 code of the country."),
                _id("body", "The organisation or organ in which the event took place.", False),
                _id("partnership", "The partnership the event belongs to.", False),
                _id("follow_up_of", "The earlier event this one follows up.", False),
            ),
            ("id",),
            (
                ForeignKey(("body",), "actors"),
                ForeignKey(("partnership",), "partnerships"),
                ForeignKey(("follow_up_of",), "events"),
            ),
        ),
        Table(
            "event_participants",
            "Event participants",
            "The actors that took part in each event, with their roles.",
            (
                _id("event", "The event."),
                _position(),
                _id("actor", "The participating actor."),
                _text("role", "The role played (participant role codelist).", True),
                _id("on_behalf_of", "For a person, the state or organisation acted for.", False),
            ),
            ("event", "position"),
            (
                ForeignKey(("event",), "events"),
                ForeignKey(("actor",), "actors"),
                ForeignKey(("on_behalf_of",), "actors"),
            ),
        ),
        Table(
            "event_issue_areas",
            "Event issue areas",
            "The issue areas each event addressed.",
            (_id("event", "The event."), _position(), _id("issue_area", "The issue area.")),
            ("event", "position"),
            (ForeignKey(("event",), "events"), ForeignKey(("issue_area",), "issue_areas")),
        ),
        Table(
            "event_outcome_documents",
            "Event outcome documents",
            "The documents each event produced or at which they were signed.",
            (_id("event", "The event."), _position(), _id("document", "The document.")),
            ("event", "position"),
            (ForeignKey(("event",), "events"), ForeignKey(("document",), "documents")),
        ),
        Table(
            "partnerships",
            "Partnerships",
            "Bilateral and multilateral partnerships, networks and coalitions.",
            (
                _id("id", "The partnership's identifier."),
                _text("type", "The form of the partnership (partnership type codelist).", True),
                _text("name", "The name in English (every language is in texts)."),
                _text("status", "Proposed, active, inactive or ended.", True),
                _date("period_start", "When the partnership began."),
                _date("period_end", "When the partnership ended."),
                Column(
                    "members_complete",
                    "boolean",
                    "Whether the members listed are all the members (empty: not known).",
                ),
                Column(
                    "reported_member_count_minimum",
                    "integer",
                    "The smallest number of members a source allows.",
                    minimum=0,
                ),
                Column(
                    "reported_member_count_maximum",
                    "integer",
                    "The largest number of members a source allows.",
                    minimum=0,
                ),
                _date("reported_member_count_as_of", "When the source says the number held."),
                _id("founding_event", "The event at which the partnership was founded.", False),
                _id("founding_instrument", "The document that established it.", False),
            ),
            ("id",),
            (
                ForeignKey(("founding_event",), "events"),
                ForeignKey(("founding_instrument",), "documents"),
            ),
        ),
        Table(
            "partnership_members",
            "Partnership members",
            "The members of each partnership, with their roles and when they joined and left.",
            (
                _id("partnership", "The partnership."),
                _position(),
                _id("actor", "The member actor."),
                _text("role", "The member's role (member role codelist).", True),
                _date("joined", "When the member joined."),
                _date("left", "When the member left."),
            ),
            ("partnership", "position"),
            (ForeignKey(("partnership",), "partnerships"), ForeignKey(("actor",), "actors")),
        ),
        Table(
            "partnership_issue_areas",
            "Partnership issue areas",
            "The issue areas each partnership works on.",
            (
                _id("partnership", "The partnership."),
                _position(),
                _id("issue_area", "The issue area."),
            ),
            ("partnership", "position"),
            (
                ForeignKey(("partnership",), "partnerships"),
                ForeignKey(("issue_area",), "issue_areas"),
            ),
        ),
        Table(
            "partnership_relations",
            "Partnership relations",
            "Directed links between partnerships: 'partnership <relation> related_partnership'.",
            (
                _id("partnership", "The partnership the link starts from."),
                _position(),
                _id("related_partnership", "The other partnership."),
                _text("relation", "How they are related (partnership relation codelist).", True),
            ),
            ("partnership", "position"),
            (
                ForeignKey(("partnership",), "partnerships"),
                ForeignKey(("related_partnership",), "partnerships"),
            ),
        ),
        Table(
            "memberships",
            "Memberships",
            "Actors' seats in organisations and organs over time, with their roles.",
            (
                _id("id", "The membership's identifier."),
                _id("member", "The actor holding the seat."),
                _id("organization", "The organisation or organ."),
                _text("role", "The role held (membership role codelist).", True),
                _date("period_start", "When the seat or role began."),
                _date("period_end", "When the seat or role ended."),
            ),
            ("id",),
            (ForeignKey(("member",), "actors"), ForeignKey(("organization",), "actors")),
        ),
        Table(
            "citations",
            "Citations",
            "Every citation of every record: the source and the passage that state its facts.",
            (
                _record_type_column(),
                _id("record_id", "The citing record."),
                _text("pointer", "Where the citation sits in the record (a JSON Pointer).", True),
                _id("source", "The cited source."),
                _text("section", "The heading of the part of the source holding the passage."),
                Column("paragraph", "integer", "The paragraph number, from 1.", minimum=1),
                _text("page", "The page, as printed."),
                _text("quote", "The passage, word for word."),
                _text(
                    "supports",
                    "The JSON Pointers of the fields the citation supports, as a JSON list "
                    "(empty: the whole record).",
                ),
            ),
            ("record_type", "record_id", "pointer"),
            (to_records, ForeignKey(("source",), "sources")),
        ),
        Table(
            "texts",
            "Texts by language",
            "Every multilingual text (names, labels, definitions, notes...) in every language.",
            (
                _record_type_column(),
                _id("record_id", "The record the text belongs to."),
                _text("pointer", "Where the text sits in the record (a JSON Pointer).", True),
                _text("language", "The BCP 47 language tag.", True),
                _text("text", "The text in that language.", True),
            ),
            ("record_type", "record_id", "pointer", "language"),
            (to_records,),
        ),
        Table(
            "extras",
            "Extension fields",
            "Fields the standard does not define (added by an extension), as JSON.",
            (
                _record_type_column(),
                _id("record_id", "The record the field belongs to."),
                _text("pointer", "Where the field sits in the record (a JSON Pointer).", True),
                _text("value", "The field's value as JSON.", True),
            ),
            ("record_type", "record_id", "pointer"),
            (to_records,),
        ),
    ]
    return {t.name: t for t in specs}


#: For each class, the fields that can hold language maps, citations or nested objects.
_NESTING: dict[type, tuple[tuple[str, str], ...]] = {}


def _nesting_fields(cls: type[Node]) -> tuple[tuple[str, str], ...]:
    fields = _NESTING.get(cls)
    if fields is None:
        flat = (None, _records_module._date, _records_module._dates, _records_module._strings)
        fields = _NESTING[cls] = tuple(
            (attribute, key)
            for attribute, key, convert in cls._fields_spec()
            if convert not in flat
        )
    return fields


def _walk(node: Node, pointer: str) -> Iterator[tuple[str, Any]]:
    """(JSON Pointer, value) for every language map, citation and extra field in a node."""
    if node.extra:
        for key, value in node.extra.items():
            yield f"{pointer}/{key}", ("extra", value)
    for attribute, key in _nesting_fields(type(node)):
        value = getattr(node, attribute)
        if value is None:
            continue
        here = f"{pointer}/{key}"
        if isinstance(value, tuple):
            for n, item in enumerate(value):
                if isinstance(item, LanguageMap | Citation):
                    yield f"{here}/{n}", item
                else:
                    yield from _walk(item, f"{here}/{n}")
        elif isinstance(value, LanguageMap | Citation):
            yield here, value
        else:
            yield from _walk(value, here)


def _json_text(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def _shared_rows(record: Record, tables: dict[str, Table]) -> None:
    kind = record.record_type
    tables["records"].rows.append((kind, record.id))
    for pointer, value in _walk(record, ""):
        if isinstance(value, LanguageMap):
            for language, text in value.items():
                tables["texts"].rows.append((kind, record.id, pointer, language, text))
        elif isinstance(value, Citation):
            given = value.supports is not NOT_GIVEN
            supports = _json_text(list(value.supports)) if given else None
            tables["citations"].rows.append(
                (
                    kind,
                    record.id,
                    pointer,
                    value.source_id,
                    value.section,
                    value.paragraph,
                    value.page,
                    value.quote,
                    supports,
                )
            )
        else:
            tables["extras"].rows.append((kind, record.id, pointer, _json_text(value[1])))


def _source_rows(r: Source, t: dict[str, Table]) -> None:
    t["sources"].rows.append(
        (
            r.id,
            r.type,
            _en(r.title),
            r.language,
            r.publisher_id,
            _str(r.issued),
            *_period(r.issued_within),
            r.url,
            r.file_name,
            r.sha256,
        )
    )


def _actor_rows(r: Actor, t: dict[str, Table]) -> None:
    t["actors"].rows.append((r.id, r.type, _en(r.name), r.country, r.parent_id))
    for n, post in enumerate(r.posts):
        t["actor_posts"].rows.append(
            (r.id, n, post.organization_id, post.type, *_period(post.period), _str(post.held_on))
        )
        t["actor_post_attestations"].rows.extend(
            (r.id, n, k, str(date)) for k, date in enumerate(post.attested_on)
        )


def _issue_area_rows(r: IssueArea, t: dict[str, Table]) -> None:
    t["issue_areas"].rows.append((r.id, _en(r.label)))
    t["issue_area_broader"].rows.extend((r.id, n, b) for n, b in enumerate(r.broader_ids))


def _document_rows(r: Document, t: dict[str, Table]) -> None:
    t["documents"].rows.append((r.id, r.type, _en(r.title), _str(r.date)))
    t["document_authors"].rows.extend((r.id, n, a) for n, a in enumerate(r.author_ids))


def _event_rows(r: Event, t: dict[str, Table]) -> None:
    t["events"].rows.append(
        (
            r.id,
            r.type,
            _en(r.name),
            r.status,
            *_period(r.date),
            r.location.country if r.location is not None else None,
            r.body_id,
            r.partnership_id,
            r.follow_up_of_id,
        )
    )
    t["event_participants"].rows.extend(
        (r.id, n, p.actor_id, p.role, p.on_behalf_of_id) for n, p in enumerate(r.participants)
    )
    t["event_issue_areas"].rows.extend((r.id, n, i) for n, i in enumerate(r.issue_area_ids))
    t["event_outcome_documents"].rows.extend(
        (r.id, n, d) for n, d in enumerate(r.outcome_document_ids)
    )


def _partnership_rows(r: Partnership, t: dict[str, Table]) -> None:
    count = r.reported_member_count
    t["partnerships"].rows.append(
        (
            r.id,
            r.type,
            _en(r.name),
            r.status,
            *_period(r.period),
            r.members_complete,
            count.minimum if count is not None else None,
            count.maximum if count is not None else None,
            _str(count.as_of) if count is not None else None,
            r.founding_event_id,
            r.founding_instrument_id,
        )
    )
    t["partnership_members"].rows.extend(
        (r.id, n, m.actor_id, m.role, _str(m.joined), _str(m.left)) for n, m in enumerate(r.members)
    )
    t["partnership_issue_areas"].rows.extend((r.id, n, i) for n, i in enumerate(r.issue_area_ids))
    t["partnership_relations"].rows.extend(
        (r.id, n, rel.partnership_id, rel.relation) for n, rel in enumerate(r.related_partnerships)
    )


def _membership_rows(r: Membership, t: dict[str, Table]) -> None:
    t["memberships"].rows.append((r.id, r.member_id, r.organization_id, r.role, *_period(r.period)))


_ROWS: dict[type[Record], Callable[[Any, dict[str, Table]], None]] = {
    Source: _source_rows,
    Actor: _actor_rows,
    IssueArea: _issue_area_rows,
    Document: _document_rows,
    Event: _event_rows,
    Partnership: _partnership_rows,
    Membership: _membership_rows,
}


def build_tables(
    dataset: Dataset, *, progress: Callable[[int], None] | None = None
) -> dict[str, Table]:
    """Every table of the data set, rows sorted by primary key.

    ``progress`` is called with the number of records done, now and then.
    """
    tables = _table_specs()
    for done, record in enumerate(dataset, start=1):
        _shared_rows(record, tables)
        rows = _ROWS.get(type(record))
        if rows is not None:
            rows(record, tables)
        if progress is not None and done % 1000 == 0:
            progress(done)
    for table in tables.values():
        table.sort()
    return tables
