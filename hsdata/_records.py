"""Typed, immutable record objects for every hsdata record type.

Each record type of the standard (actor, partnership, membership, event,
issue area, document, source, and from 1.2 engagement and commitment) has a
class here, and so does every object nested in a record (a partnership's
members, an event's participants, a citation, a period of partial dates, a
place). A field a later version added is simply absent (None or empty) on
records of an earlier one. A record type added to the schemas
after these classes were written gets a class built from its schema
(:func:`record_class_from_schema`), so it needs no Python code. All of them
are frozen dataclasses with ``__slots__``:

* frozen, because a loaded data set is a fact read from files: nothing should
  change it behind the caller's back, and immutable records can be shared by
  every caller of the loader's cache;
* slotted, because a data set may hold a million events, and a slotted
  dataclass costs about a third of the memory of one with a ``__dict__``;
* plain dataclasses rather than pydantic, attrs or msgspec structs, because
  the data has already been validated against the JSON Schemas when records
  are built (validating again would double the cost for nothing), and the
  standard library keeps the objects dependency-free and friendly to mypy,
  autodoc and ``dataclasses.asdict``.

Records are built lazily, one at a time, the first time they are asked for
(see :class:`hsdata.Dataset`), so that loading a large package costs little
more than parsing it.

Nothing is lost or altered on the way in: :meth:`Node.to_dict` gives back
exactly the JSON object the record was built from. Field names follow Python
usage (``issue_area_ids`` for ``issueAreas``); a field that holds the
identifier of another record ends in ``_id`` or ``_ids``, and a property of
the same name without the suffix gives the record itself. Fields the standard
does not define (added by an extension) are kept in ``extra``.

Records compare by identity: within one :class:`hsdata.Dataset` each record
exists once, so ``ds.actors["canada"] is ds.actors["canada"]``, and records
can be used as dictionary keys or graph nodes.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import keyword
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload

from ._dates import PartialDate

if TYPE_CHECKING:
    from ._loader import Dataset
    from ._schemas import SchemaSet

__all__ = [
    "RECORD_CLASSES",
    "Actor",
    "Citation",
    "Commitment",
    "Coordinates",
    "Count",
    "Document",
    "DocumentParty",
    "Engagement",
    "Event",
    "ExternalIdentifier",
    "IssueArea",
    "LanguageMap",
    "LifecycleStage",
    "Location",
    "Member",
    "Membership",
    "Node",
    "Participant",
    "Partnership",
    "PartnershipRelation",
    "PartnershipRole",
    "Period",
    "Place",
    "Post",
    "Record",
    "Source",
    "record_class_from_schema",
]

N = TypeVar("N", bound="Node")
R = TypeVar("R", bound="Record")


class LanguageMap:
    """The same text in one or more languages, keyed by BCP 47 tag.

    ``str()`` gives the English text, which the standard requires.

    >>> name = LanguageMap({"en": "Lysøen Partnership", "fr": "Partenariat de Lysøen"})
    >>> str(name), name.get("fr"), name.get("fr-CA"), name.get("de")
    ('Lysøen Partnership', 'Partenariat de Lysøen', 'Partenariat de Lysøen', 'Lysøen Partnership')
    >>> name.get("de", fallback=None) is None
    True
    """

    __slots__ = ("_texts",)

    def __init__(self, texts: Mapping[str, str]) -> None:
        self._texts: Mapping[str, str] = MappingProxyType(dict(texts))

    @classmethod
    def _wrap(cls, texts: dict[str, str]) -> LanguageMap:
        """Wrap a freshly parsed JSON object without copying it (the loader owns it)."""
        wrapped = cls.__new__(cls)
        wrapped._texts = MappingProxyType(texts)
        return wrapped

    def get(self, lang: str, fallback: str | None = "en") -> str | None:
        """The text in ``lang``, else in its base language ('fr' for 'fr-CA'),
        else in ``fallback`` (English unless told otherwise; None for no fallback)."""
        texts = self._texts
        if lang in texts:
            return texts[lang]
        base = lang.split("-", 1)[0]
        if base in texts:
            return texts[base]
        if fallback is None:
            return None
        return texts.get(fallback)

    @property
    def languages(self) -> tuple[str, ...]:
        """The language tags present, in the order the data gives them."""
        return tuple(self._texts)

    def items(self) -> Iterator[tuple[str, str]]:
        return iter(self._texts.items())

    def to_dict(self) -> dict[str, str]:
        """The language map as JSON: ``{"en": ..., "fr": ...}``."""
        return dict(self._texts)

    def __getitem__(self, lang: str) -> str:
        return self._texts[lang]

    def __contains__(self, lang: object) -> bool:
        return lang in self._texts

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)

    def __str__(self) -> str:
        return self._texts.get("en") or next(iter(self._texts.values()), "")

    def __repr__(self) -> str:
        return f"LanguageMap({dict(self._texts)!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LanguageMap):
            return dict(self._texts) == dict(other._texts)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._texts.items()))


class _NotGiven(tuple):  # type: ignore[type-arg]
    """An empty tuple that remembers the array was absent from the JSON.

    It behaves exactly like ``()`` for callers; :meth:`Node.to_dict` leaves
    the field out instead of writing ``[]``, so that absent and empty arrays
    both survive a round trip.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "()"


#: The default of every optional array field.
NOT_GIVEN: tuple[Any, ...] = _NotGiven()

_NO_EXTRA: Mapping[str, Any] = MappingProxyType({})

#: How one JSON value is turned into the value of a field.
Converter = Callable[[Any, "Dataset | None"], Any]


def _meta(key: str, convert: Converter | None = None) -> dict[str, Any]:
    """The metadata of a field read from the JSON property ``key`` through ``convert``."""
    return {"json": key, "convert": convert}


@lru_cache(maxsize=8192)
def _parse_date(text: str) -> PartialDate:
    return PartialDate.parse(text)


def _date(value: Any, dataset: Dataset | None) -> PartialDate:
    return _parse_date(value)


def _dates(value: Any, dataset: Dataset | None) -> tuple[PartialDate, ...]:
    return tuple([_parse_date(v) for v in value])


def _text(value: Any, dataset: Dataset | None) -> LanguageMap:
    return LanguageMap._wrap(value)


def _texts(value: Any, dataset: Dataset | None) -> tuple[LanguageMap, ...]:
    return tuple([LanguageMap._wrap(v) for v in value])


def _strings(value: Any, dataset: Dataset | None) -> tuple[str, ...]:
    return tuple(value)


def _builder(cls: type[Node]) -> Callable[[Mapping[str, Any], Any], Any]:
    builder = _BUILDERS.get(cls)
    if builder is None:
        builder = _BUILDERS[cls] = _compile_builder(cls)
    return builder


def _node(cls: type[Node]) -> Converter:
    def convert(value: Any, dataset: Dataset | None) -> Node:
        return _builder(cls)(value, dataset)  # type: ignore[no-any-return]

    # Lets readers of the raw JSON (language counts) follow the nesting.
    convert.node_class = cls  # type: ignore[attr-defined]
    return convert


def _nodes(cls: type[Node]) -> Converter:
    def convert(value: Any, dataset: Dataset | None) -> tuple[Node, ...]:
        build = _builder(cls)
        return tuple([build(item, dataset) for item in value])

    convert.node_class = cls  # type: ignore[attr-defined]
    return convert


def _to_json(value: Any) -> Any:
    if isinstance(value, Node):
        return value.to_dict()
    if isinstance(value, LanguageMap):
        return value.to_dict()
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, tuple):
        return [_to_json(item) for item in value]
    return value


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class Node:
    """Anything built from a JSON object: a record or an object nested in one."""

    #: Properties the standard does not define (from an extension), kept as read.
    extra: Mapping[str, Any] = field(default_factory=lambda: _NO_EXTRA, repr=False, hash=False)
    _dataset: Dataset | None = field(default=None, repr=False, compare=False)

    #: (attribute, JSON key, converter) for each field; filled in per class on first use.
    _spec: ClassVar[dict[type, tuple[tuple[str, str, Converter | None], ...]]] = {}

    @classmethod
    def _fields_spec(cls) -> tuple[tuple[str, str, Converter | None], ...]:
        spec = Node._spec.get(cls)
        if spec is None:
            spec = tuple(
                (f.name, f.metadata["json"], f.metadata["convert"])
                for f in dataclasses.fields(cls)
                if "json" in f.metadata
            )
            Node._spec[cls] = spec
        return spec

    @classmethod
    def from_json(cls: type[N], data: Mapping[str, Any], dataset: Dataset | None = None) -> N:
        """Build the object from its (already validated) JSON object."""
        return _builder(cls)(data, dataset)  # type: ignore[no-any-return]

    def to_dict(self) -> dict[str, Any]:
        """The JSON object this was built from, with nothing lost or altered."""
        out: dict[str, Any] = {}
        for attribute, key, _ in self._fields_spec():
            value = getattr(self, attribute)
            if value is None or value is NOT_GIVEN:
                continue
            out[key] = _to_json(value)
        for key, value in self.extra.items():
            out[key] = value
        return out

    def _ds(self) -> Dataset:
        if self._dataset is None:
            raise LookupError(
                f"this {type(self).__name__} was built outside a Dataset, "
                "so the records it refers to cannot be looked up"
            )
        return self._dataset


#: The compiled builder of each class (see :func:`_compile_builder`).
_BUILDERS: dict[type, Callable[[Mapping[str, Any], Any], Any]] = {}


def _slot_setter(cls: type, name: str) -> Callable[[object, Any], None]:
    for klass in cls.__mro__:
        descriptor = klass.__dict__.get(name)
        if descriptor is not None and hasattr(descriptor, "__set__"):
            return descriptor.__set__  # type: ignore[no-any-return]
    raise AttributeError(f"{cls.__name__} has no slot {name!r}")


def _compile_builder(cls: type[Node]) -> Callable[[Mapping[str, Any], Any], Any]:
    """A function that builds ``cls`` from a JSON object, written out field by field.

    Building a million records is the loader's hottest path, so instead of a
    loop over the fields and a call of the frozen dataclass ``__init__``
    (which sets each field through ``object.__setattr__``), each class gets
    straight-line code that reads each JSON property once and fills the slot
    directly. The code is generated from the class's own field list, never
    from data.
    """
    env: dict[str, Any] = {
        "new": object.__new__,
        "cls": cls,
        "proxy": MappingProxyType,
        "NO_EXTRA": _NO_EXTRA,
        "missing": _missing_field,
    }
    lines = [
        "def build(data, dataset):",
        "    obj = new(cls)",
        "    get = data.get",
        "    matched = 0",
    ]
    known: list[str] = []
    for n, item in enumerate(dataclasses.fields(cls)):
        if "json" not in item.metadata:
            continue
        key: str = item.metadata["json"]
        convert = item.metadata["convert"]
        known.append(key)
        env[f"set{n}"] = _slot_setter(cls, item.name)
        value = "v" if convert is None else f"convert{n}(v, dataset)"
        if convert is not None:
            env[f"convert{n}"] = convert
        if item.default is not dataclasses.MISSING:
            env[f"default{n}"] = item.default
            absent = f"set{n}(obj, default{n})"
        else:
            absent = f"missing(cls, {key!r})"
        lines += [
            f"    v = get({key!r})",
            "    if v is None:",
            f"        {absent}",
            "    else:",
            "        matched += 1",
            f"        set{n}(obj, {value})",
        ]
    env["known"] = frozenset(known)
    env["set_extra"] = _slot_setter(cls, "extra")
    env["set_dataset"] = _slot_setter(cls, "_dataset")
    lines += [
        "    if matched < len(data):",
        "        # Kept as read, so that nothing an extension adds is lost.",
        "        extra = {k: w for k, w in data.items() if k not in known}",
        "        set_extra(obj, proxy(extra) if extra else NO_EXTRA)",
        "    else:",
        "        set_extra(obj, NO_EXTRA)",
        "    set_dataset(obj, dataset)",
        "    return obj",
    ]
    namespace: dict[str, Any] = {}
    code = compile("\n".join(lines), f"<hsdata builder of {cls.__name__}>", "exec")
    exec(code, env, namespace)
    return namespace["build"]  # type: ignore[no-any-return]


def _missing_field(cls: type, key: str) -> None:
    raise ValueError(f"a {cls.__name__} needs '{key}', which the JSON object does not have")


@dataclass(frozen=True, slots=True, kw_only=True, eq=True)
class Period(Node):
    """A span of time between two partial dates; either end may be unknown.

    >>> p = Period.from_json({"start": "1999-02", "end": "1999-02"})
    >>> p.earliest, p.latest
    (datetime.date(1999, 2, 1), datetime.date(1999, 2, 28))
    """

    start: PartialDate | None = field(default=None, metadata=_meta("start", _date))
    end: PartialDate | None = field(default=None, metadata=_meta("end", _date))

    @property
    def earliest(self) -> datetime.date | None:
        """The first day the period can have begun on (None if the start is not given)."""
        return self.start.earliest if self.start is not None else None

    @property
    def latest(self) -> datetime.date | None:
        """The last day the period can have ended on, when an end is given.

        Without an end this is None: the period was still running or its end
        is not known. (Events read a missing end differently: see
        :attr:`Event.latest`.)
        """
        return self.end.latest if self.end is not None else None

    def __str__(self) -> str:
        start = str(self.start) if self.start is not None else "?"
        end = str(self.end) if self.end is not None else ""
        return f"{start}/{end}" if self.end is not None else start


@dataclass(frozen=True, slots=True, kw_only=True, eq=True)
class ExternalIdentifier(Node):
    """The identifier another register gives the same thing (standard 1.2 and later).

    >>> ExternalIdentifier.from_json({"scheme": "wikidata", "id": "Q16"}).id
    'Q16'
    """

    #: The register, from the identifier scheme codelist ('iso3166-1', 'wikidata', ...).
    scheme: str = field(metadata=_meta("scheme"))
    id: str = field(metadata=_meta("id"))
    uri: str | None = field(default=None, metadata=_meta("uri"))


@dataclass(frozen=True, slots=True, kw_only=True, eq=True)
class Coordinates(Node):
    """A point on the Earth in decimal degrees (WGS 84)."""

    latitude: float = field(metadata=_meta("latitude"))
    longitude: float = field(metadata=_meta("longitude"))


@dataclass(frozen=True, slots=True, kw_only=True, eq=True)
class Place(Node):
    """Where something is or took place: a named place, its country, subdivision,
    region or coordinates, as much as the sources give.

    Standards 1.0 and 1.1 call it a location and give it only a name and a
    country; ``hsdata.Location`` is the same class.
    """

    name: LanguageMap | None = field(default=None, metadata=_meta("name", _text))
    country: str | None = field(default=None, metadata=_meta("country"))
    #: An ISO 3166-2 code such as 'CA-ON' (1.2).
    subdivision: str | None = field(default=None, metadata=_meta("subdivision"))
    #: A UN M49 three-digit region code such as '154' (1.2).
    region: str | None = field(default=None, metadata=_meta("region"))
    coordinates: Coordinates | None = field(
        default=None, metadata=_meta("coordinates", _node(Coordinates))
    )
    identifiers: tuple[ExternalIdentifier, ...] = field(
        default=NOT_GIVEN, metadata=_meta("identifiers", _nodes(ExternalIdentifier))
    )


#: The name standards 1.0 and 1.1 give a :class:`Place` (1.2 keeps it as an alias).
Location = Place


@dataclass(frozen=True, slots=True, kw_only=True, eq=True)
class Citation(Node):
    """Where in which source a record's facts are stated."""

    source_id: str = field(metadata=_meta("source"))
    section: str | None = field(default=None, metadata=_meta("section"))
    paragraph: int | None = field(default=None, metadata=_meta("paragraph"))
    page: str | None = field(default=None, metadata=_meta("page"))
    quote: str | None = field(default=None, metadata=_meta("quote"))
    supports: tuple[str, ...] = field(default=NOT_GIVEN, metadata=_meta("supports", _strings))

    @property
    def source(self) -> Source:
        """The cited source record."""
        return self._ds().sources[self.source_id]


@dataclass(frozen=True, slots=True, kw_only=True, eq=True)
class Count(Node):
    """A number as precisely as a source gives it: exact, or between bounds."""

    minimum: int | None = field(default=None, metadata=_meta("minimum"))
    maximum: int | None = field(default=None, metadata=_meta("maximum"))
    as_of: PartialDate | None = field(default=None, metadata=_meta("asOf", _date))
    statement: LanguageMap | None = field(default=None, metadata=_meta("statement", _text))


@dataclass(frozen=True, slots=True, kw_only=True, eq=True)
class Post(Node):
    """A position a person held in a state or organisation."""

    organization_id: str = field(metadata=_meta("organization"))
    type: str | None = field(default=None, metadata=_meta("type"))
    label: LanguageMap | None = field(default=None, metadata=_meta("label", _text))
    period: Period | None = field(default=None, metadata=_meta("period", _node(Period)))
    held_on: PartialDate | None = field(default=None, metadata=_meta("heldOn", _date))
    #: Dates on which the sources show the person in the post (standard 1.1 and later).
    attested_on: tuple[PartialDate, ...] = field(
        default=NOT_GIVEN, metadata=_meta("attestedOn", _dates)
    )

    @property
    def organization(self) -> Actor:
        """The state or organisation in which the post is held."""
        return self._ds().actors[self.organization_id]


@dataclass(frozen=True, slots=True, kw_only=True, eq=True)
class Member(Node):
    """An actor's part in a partnership: its role and when it joined and left."""

    actor_id: str = field(metadata=_meta("actor"))
    role: str = field(metadata=_meta("role"))
    joined: PartialDate | None = field(default=None, metadata=_meta("joined", _date))
    left: PartialDate | None = field(default=None, metadata=_meta("left", _date))
    citations: tuple[Citation, ...] = field(
        default=NOT_GIVEN, metadata=_meta("citations", _nodes(Citation))
    )

    @property
    def actor(self) -> Actor:
        """The member actor."""
        return self._ds().actors[self.actor_id]


@dataclass(frozen=True, slots=True, kw_only=True, eq=True)
class Participant(Node):
    """An actor's part in an event and the role it played there."""

    actor_id: str = field(metadata=_meta("actor"))
    role: str = field(metadata=_meta("role"))
    on_behalf_of_id: str | None = field(default=None, metadata=_meta("onBehalfOf"))
    capacity: LanguageMap | None = field(default=None, metadata=_meta("capacity", _text))

    @property
    def actor(self) -> Actor:
        """The participating actor."""
        return self._ds().actors[self.actor_id]

    @property
    def on_behalf_of(self) -> Actor | None:
        """The state or organisation a person acted for, if given."""
        if self.on_behalf_of_id is None:
            return None
        return self._ds().actors[self.on_behalf_of_id]


@dataclass(frozen=True, slots=True, kw_only=True, eq=True)
class PartnershipRelation(Node):
    """A directed link from one partnership to another: 'this <relation> that'."""

    partnership_id: str = field(metadata=_meta("partnership"))
    relation: str = field(metadata=_meta("relation"))

    @property
    def partnership(self) -> Partnership:
        """The other partnership."""
        return self._ds().partnerships[self.partnership_id]


@dataclass(frozen=True, slots=True, kw_only=True, eq=True)
class PartnershipRole(Node):
    """A role an actor held in a partnership, such as its chair, over a period (1.2).

    A chair that rotated is several roles, each with its period.
    """

    #: From the partnership role codelist ('chair', 'host', 'secretariat', ...).
    role: str = field(metadata=_meta("role"))
    actor_id: str = field(metadata=_meta("actor"))
    period: Period | None = field(default=None, metadata=_meta("period", _node(Period)))
    citations: tuple[Citation, ...] = field(
        default=NOT_GIVEN, metadata=_meta("citations", _nodes(Citation))
    )

    @property
    def actor(self) -> Actor:
        """The actor holding the role."""
        return self._ds().actors[self.actor_id]


@dataclass(frozen=True, slots=True, kw_only=True, eq=True)
class LifecycleStage(Node):
    """A stage in the life of a document, such as its adoption or entry into force (1.2)."""

    #: From the document stage codelist ('adopted', 'signed', 'enteredIntoForce', ...).
    stage: str = field(metadata=_meta("stage"))
    date: PartialDate | None = field(default=None, metadata=_meta("date", _date))
    event_id: str | None = field(default=None, metadata=_meta("event"))
    place: Place | None = field(default=None, metadata=_meta("place", _node(Place)))
    citations: tuple[Citation, ...] = field(
        default=NOT_GIVEN, metadata=_meta("citations", _nodes(Citation))
    )

    @property
    def event(self) -> Event | None:
        """The event at which the stage was reached, if given."""
        return None if self.event_id is None else self._ds().events[self.event_id]


@dataclass(frozen=True, slots=True, kw_only=True, eq=True)
class DocumentParty(Node):
    """An actor's part in a document: signatory, party, observer or depositary (1.2)."""

    actor_id: str = field(metadata=_meta("actor"))
    #: From the document party role codelist.
    role: str = field(metadata=_meta("role"))
    signed: PartialDate | None = field(default=None, metadata=_meta("signed", _date))
    #: When the actor consented to be bound (ratification, acceptance, accession).
    consented: PartialDate | None = field(default=None, metadata=_meta("consented", _date))
    in_force: PartialDate | None = field(default=None, metadata=_meta("inForce", _date))
    citations: tuple[Citation, ...] = field(
        default=NOT_GIVEN, metadata=_meta("citations", _nodes(Citation))
    )

    @property
    def actor(self) -> Actor:
        """The signatory, party, observer or depositary."""
        return self._ds().actors[self.actor_id]


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class Record(Node):
    """A record of any type: it has an identifier and, except sources, citations.

    Records compare by identity; each exists once per :class:`hsdata.Dataset`.
    """

    #: The record type as the schemas name it ('actor', 'issueArea', ...).
    record_type: ClassVar[str] = ""

    id: str = field(metadata=_meta("id"))

    def referenced_by(
        self, record_type: str | None = None, field_path: str | None = None
    ) -> tuple[Record, ...]:
        """Every record that refers to this one, optionally only of one type or
        through one field (written like ``members/*/actor``)."""
        return self._ds().referrers(self, record_type=record_type, field_path=field_path)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id!r}>"

    def __str__(self) -> str:
        return self.id


class _Referrers(property, Generic[R]):
    """A property of a record class: the records of ``record_type`` that refer to the record
    (through ``field_path`` only, when given), as :meth:`Record.referenced_by` finds them.

    Written ``parts = _Referrers["Actor"]("actor", "parent", "The actors ...")``: the
    subscript names the class of the records found, for type checkers and the docs.
    """

    def __init__(self, record_type: str, field_path: str | None, doc: str) -> None:
        def referrers(record: Record) -> tuple[R, ...]:
            return record._ds().referrers(record, record_type, field_path)  # type: ignore[return-value]

        referrers.__doc__ = doc
        super().__init__(referrers, doc=doc)
        self.__doc__ = doc  # a property subclass keeps the class's docstring otherwise

    def __set_name__(self, owner: type, name: str) -> None:
        fget = self.fget
        assert fget is not None
        fget.__name__ = name
        fget.__qualname__ = f"{owner.__qualname__}.{name}"
        # The subscript (a string, the class being defined) is the return type the docs show.
        alias = getattr(self, "__orig_class__", None)
        found = getattr(alias, "__args__", ("Record",))[0]
        shown = getattr(found, "__forward_arg__", getattr(found, "__name__", "Record"))
        fget.__annotations__ = {"record": "Record", "return": f"tuple[{shown}, ...]"}

    @overload
    def __get__(self, record: None, owner: type | None = None) -> _Referrers[R]: ...
    @overload
    def __get__(self, record: Record, owner: type | None = None) -> tuple[R, ...]: ...
    def __get__(self, record: Record | None, owner: type | None = None) -> Any:
        return super().__get__(record, owner)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class Source(Record):
    """A document that records' facts come from."""

    record_type: ClassVar[str] = "source"

    type: str = field(metadata=_meta("type"))
    title: LanguageMap = field(metadata=_meta("title", _text))
    language: str | None = field(default=None, metadata=_meta("language"))
    publisher_id: str | None = field(default=None, metadata=_meta("publisher"))
    issued: PartialDate | None = field(default=None, metadata=_meta("issued", _date))
    #: The span within which the source was written, when only bounds are known (1.1).
    issued_within: Period | None = field(
        default=None, metadata=_meta("issuedWithin", _node(Period))
    )
    url: str | None = field(default=None, metadata=_meta("url"))
    file_name: str | None = field(default=None, metadata=_meta("fileName"))
    sha256: str | None = field(default=None, metadata=_meta("sha256"))
    identifiers: tuple[ExternalIdentifier, ...] = field(
        default=NOT_GIVEN, metadata=_meta("identifiers", _nodes(ExternalIdentifier))
    )
    #: The date as of which the record's statements hold (1.2).
    as_of: PartialDate | None = field(default=None, metadata=_meta("asOf", _date))
    description: LanguageMap | None = field(default=None, metadata=_meta("description", _text))

    @property
    def publisher(self) -> Actor | None:
        """The actor that published the source, if known."""
        return None if self.publisher_id is None else self._ds().actors[self.publisher_id]

    @property
    def cited_by(self) -> tuple[Record, ...]:
        """Every record with a citation of this source."""
        return self.referenced_by()

    def __str__(self) -> str:
        return str(self.title)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class Actor(Record):
    """A state, organisation, organ, government body, NGO, coalition or person."""

    record_type: ClassVar[str] = "actor"

    type: str = field(metadata=_meta("type"))
    name: LanguageMap = field(metadata=_meta("name", _text))
    abbreviation: LanguageMap | None = field(default=None, metadata=_meta("abbreviation", _text))
    description: LanguageMap | None = field(default=None, metadata=_meta("description", _text))
    country: str | None = field(default=None, metadata=_meta("country"))
    #: The actor's seat or headquarters (1.2).
    location: Place | None = field(default=None, metadata=_meta("location", _node(Place)))
    parent_id: str | None = field(default=None, metadata=_meta("parent"))
    posts: tuple[Post, ...] = field(default=NOT_GIVEN, metadata=_meta("posts", _nodes(Post)))
    identifiers: tuple[ExternalIdentifier, ...] = field(
        default=NOT_GIVEN, metadata=_meta("identifiers", _nodes(ExternalIdentifier))
    )
    #: The date as of which the record's statements hold (1.2).
    as_of: PartialDate | None = field(default=None, metadata=_meta("asOf", _date))
    note: LanguageMap | None = field(default=None, metadata=_meta("note", _text))
    citations: tuple[Citation, ...] = field(
        default=(), metadata=_meta("citations", _nodes(Citation))
    )

    @property
    def parent(self) -> Actor | None:
        """The actor this one is an organ or part of."""
        return None if self.parent_id is None else self._ds().actors[self.parent_id]

    parts = _Referrers["Actor"](
        "actor", "parent", "The actors whose parent this actor is (the organs of an organisation)."
    )

    @property
    def partnerships(self) -> tuple[Partnership, ...]:
        """The partnerships this actor is a member of."""
        return self._ds().partnerships_of(self)

    memberships = _Referrers["Membership"](
        "membership",
        "member",
        "The seats this actor held in organisations (Canada on the Security Council).",
    )

    seats = _Referrers["Membership"](
        "membership",
        "organization",
        "The memberships held in this actor, as an organisation, by others.",
    )

    events = _Referrers["Event"](
        "event",
        None,
        "The events this actor took part in, was represented at, or hosted as a body.",
    )

    engagements = _Referrers["Engagement"](
        "engagement", "actor", "The engagements in which this actor pursued issue areas (1.2)."
    )

    engagements_as_forum = _Referrers["Engagement"](
        "engagement", "forum", "The engagements pursued in or through this actor as a forum (1.2)."
    )

    commitments = _Referrers["Commitment"](
        "commitment",
        "committedBy/*",
        "The commitments this actor made, alone or with others (1.2).",
    )

    def __str__(self) -> str:
        return str(self.name)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class IssueArea(Record):
    """A concept in the controlled vocabulary of human security issues."""

    record_type: ClassVar[str] = "issueArea"

    label: LanguageMap = field(metadata=_meta("label", _text))
    alternate_labels: tuple[LanguageMap, ...] = field(
        default=NOT_GIVEN, metadata=_meta("alternateLabels", _texts)
    )
    definition: LanguageMap = field(metadata=_meta("definition", _text))
    broader_ids: tuple[str, ...] = field(default=NOT_GIVEN, metadata=_meta("broader", _strings))
    #: SKOS mappings to concepts of other vocabularies, as their URLs (1.2).
    exact_match: tuple[str, ...] = field(default=NOT_GIVEN, metadata=_meta("exactMatch", _strings))
    close_match: tuple[str, ...] = field(default=NOT_GIVEN, metadata=_meta("closeMatch", _strings))
    broad_match: tuple[str, ...] = field(default=NOT_GIVEN, metadata=_meta("broadMatch", _strings))
    narrow_match: tuple[str, ...] = field(
        default=NOT_GIVEN, metadata=_meta("narrowMatch", _strings)
    )
    related_match: tuple[str, ...] = field(
        default=NOT_GIVEN, metadata=_meta("relatedMatch", _strings)
    )
    identifiers: tuple[ExternalIdentifier, ...] = field(
        default=NOT_GIVEN, metadata=_meta("identifiers", _nodes(ExternalIdentifier))
    )
    #: The date as of which the record's statements hold (1.2).
    as_of: PartialDate | None = field(default=None, metadata=_meta("asOf", _date))
    note: LanguageMap | None = field(default=None, metadata=_meta("note", _text))
    citations: tuple[Citation, ...] = field(
        default=(), metadata=_meta("citations", _nodes(Citation))
    )

    @property
    def broader(self) -> tuple[IssueArea, ...]:
        """The issue areas this one is part of."""
        areas = self._ds().issue_areas
        return tuple(areas[i] for i in self.broader_ids)

    narrower = _Referrers["IssueArea"](
        "issueArea",
        "broader/*",
        "The issue areas that name this one as broader (derived, never stored).",
    )

    partnerships = _Referrers["Partnership"](
        "partnership", None, "The partnerships that work on this issue area."
    )

    events = _Referrers["Event"]("event", None, "The events that addressed this issue area.")

    engagements = _Referrers["Engagement"](
        "engagement", None, "The engagements that pursued this issue area (1.2)."
    )

    commitments = _Referrers["Commitment"](
        "commitment", None, "The commitments that concern this issue area (1.2)."
    )

    def __str__(self) -> str:
        return str(self.label)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class Document(Record):
    """An instrument or text: a declaration, a treaty, a report."""

    record_type: ClassVar[str] = "document"

    type: str = field(metadata=_meta("type"))
    title: LanguageMap = field(metadata=_meta("title", _text))
    date: PartialDate | None = field(default=None, metadata=_meta("date", _date))
    author_ids: tuple[str, ...] = field(default=NOT_GIVEN, metadata=_meta("authors", _strings))
    #: The stages of the document's life, such as signature and entry into force (1.2).
    lifecycle: tuple[LifecycleStage, ...] = field(
        default=NOT_GIVEN, metadata=_meta("lifecycle", _nodes(LifecycleStage))
    )
    #: The actors that signed it, are party to it, observe it or keep it (1.2).
    parties: tuple[DocumentParty, ...] = field(
        default=NOT_GIVEN, metadata=_meta("parties", _nodes(DocumentParty))
    )
    description: LanguageMap | None = field(default=None, metadata=_meta("description", _text))
    identifiers: tuple[ExternalIdentifier, ...] = field(
        default=NOT_GIVEN, metadata=_meta("identifiers", _nodes(ExternalIdentifier))
    )
    #: The date as of which the record's statements hold (1.2).
    as_of: PartialDate | None = field(default=None, metadata=_meta("asOf", _date))
    note: LanguageMap | None = field(default=None, metadata=_meta("note", _text))
    citations: tuple[Citation, ...] = field(
        default=(), metadata=_meta("citations", _nodes(Citation))
    )

    @property
    def authors(self) -> tuple[Actor, ...]:
        """The actors that wrote or issued the document."""
        actors = self._ds().actors
        return tuple(actors[i] for i in self.author_ids)

    events = _Referrers["Event"](
        "event", None, "The events that produced the document or at which it was signed."
    )

    founded = _Referrers["Partnership"](
        "partnership", None, "The partnerships this document established."
    )

    commitments = _Referrers["Commitment"](
        "commitment", "document", "The commitments this document states (1.2)."
    )

    def __str__(self) -> str:
        return str(self.title)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class Event(Record):
    """Something that happened, or was planned to, in human security cooperation."""

    record_type: ClassVar[str] = "event"

    type: str = field(metadata=_meta("type"))
    name: LanguageMap = field(metadata=_meta("name", _text))
    status: str | None = field(default=None, metadata=_meta("status"))
    date: Period | None = field(default=None, metadata=_meta("date", _node(Period)))
    location: Place | None = field(default=None, metadata=_meta("location", _node(Place)))
    body_id: str | None = field(default=None, metadata=_meta("body"))
    partnership_id: str | None = field(default=None, metadata=_meta("partnership"))
    issue_area_ids: tuple[str, ...] = field(
        default=NOT_GIVEN, metadata=_meta("issueAreas", _strings)
    )
    participants: tuple[Participant, ...] = field(
        default=NOT_GIVEN, metadata=_meta("participants", _nodes(Participant))
    )
    outcome_document_ids: tuple[str, ...] = field(
        default=NOT_GIVEN, metadata=_meta("outcomeDocuments", _strings)
    )
    follow_up_of_id: str | None = field(default=None, metadata=_meta("followUpOf"))
    description: LanguageMap | None = field(default=None, metadata=_meta("description", _text))
    identifiers: tuple[ExternalIdentifier, ...] = field(
        default=NOT_GIVEN, metadata=_meta("identifiers", _nodes(ExternalIdentifier))
    )
    #: The date as of which the record's statements hold (1.2).
    as_of: PartialDate | None = field(default=None, metadata=_meta("asOf", _date))
    note: LanguageMap | None = field(default=None, metadata=_meta("note", _text))
    citations: tuple[Citation, ...] = field(
        default=(), metadata=_meta("citations", _nodes(Citation))
    )

    @property
    def earliest(self) -> datetime.date | None:
        """The first day the event can have taken place on (None if undated)."""
        if self.date is None:
            return None
        if self.date.start is not None:
            return self.date.start.earliest
        return None

    @property
    def latest(self) -> datetime.date | None:
        """The last day the event can have taken place on (None if undated).

        An event with a start and no end lasted within its start: '1998-12'
        means some day or days in December 1998.
        """
        if self.date is None:
            return None
        last = self.date.end if self.date.end is not None else self.date.start
        return last.latest if last is not None else None

    @property
    def body(self) -> Actor | None:
        """The organisation or organ in which the event took place."""
        return None if self.body_id is None else self._ds().actors[self.body_id]

    @property
    def partnership(self) -> Partnership | None:
        """The partnership the event belongs to."""
        if self.partnership_id is None:
            return None
        return self._ds().partnerships[self.partnership_id]

    @property
    def issue_areas(self) -> tuple[IssueArea, ...]:
        """The issue areas the event addressed."""
        areas = self._ds().issue_areas
        return tuple(areas[i] for i in self.issue_area_ids)

    @property
    def outcome_documents(self) -> tuple[Document, ...]:
        """The documents the event produced or at which they were signed."""
        documents = self._ds().documents
        return tuple(documents[i] for i in self.outcome_document_ids)

    @property
    def follow_up_of(self) -> Event | None:
        """The earlier event this one follows up."""
        return None if self.follow_up_of_id is None else self._ds().events[self.follow_up_of_id]

    follow_ups = _Referrers["Event"](
        "event", "followUpOf", "The later events that follow this one up."
    )

    engagements = _Referrers["Engagement"](
        "engagement", "event", "The engagements pursued at this event (1.2)."
    )

    commitments = _Referrers["Commitment"](
        "commitment", "madeAt", "The commitments made at this event (1.2)."
    )

    def __str__(self) -> str:
        return str(self.name)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class Partnership(Record):
    """An arrangement through which actors cooperate on human security."""

    record_type: ClassVar[str] = "partnership"

    type: str = field(metadata=_meta("type"))
    name: LanguageMap = field(metadata=_meta("name", _text))
    alternate_names: tuple[LanguageMap, ...] = field(
        default=NOT_GIVEN, metadata=_meta("alternateNames", _texts)
    )
    description: LanguageMap | None = field(default=None, metadata=_meta("description", _text))
    status: str = field(metadata=_meta("status"))
    period: Period | None = field(default=None, metadata=_meta("period", _node(Period)))
    members: tuple[Member, ...] = field(default=(), metadata=_meta("members", _nodes(Member)))
    members_complete: bool | None = field(default=None, metadata=_meta("membersComplete"))
    reported_member_count: Count | None = field(
        default=None, metadata=_meta("reportedMemberCount", _node(Count))
    )
    #: Who chaired, hosted or served the partnership, and when (1.2).
    roles: tuple[PartnershipRole, ...] = field(
        default=NOT_GIVEN, metadata=_meta("roles", _nodes(PartnershipRole))
    )
    issue_area_ids: tuple[str, ...] = field(
        default=NOT_GIVEN, metadata=_meta("issueAreas", _strings)
    )
    founding_event_id: str | None = field(default=None, metadata=_meta("foundingEvent"))
    founding_instrument_id: str | None = field(default=None, metadata=_meta("foundingInstrument"))
    related_partnerships: tuple[PartnershipRelation, ...] = field(
        default=NOT_GIVEN, metadata=_meta("relatedPartnerships", _nodes(PartnershipRelation))
    )
    identifiers: tuple[ExternalIdentifier, ...] = field(
        default=NOT_GIVEN, metadata=_meta("identifiers", _nodes(ExternalIdentifier))
    )
    #: The date as of which the record's statements hold (1.2).
    as_of: PartialDate | None = field(default=None, metadata=_meta("asOf", _date))
    note: LanguageMap | None = field(default=None, metadata=_meta("note", _text))
    citations: tuple[Citation, ...] = field(
        default=(), metadata=_meta("citations", _nodes(Citation))
    )

    @property
    def member_actors(self) -> tuple[Actor, ...]:
        """The member actors themselves, in the order the data lists them."""
        return tuple(member.actor for member in self.members)

    @property
    def issue_areas(self) -> tuple[IssueArea, ...]:
        """The issue areas the partnership works on."""
        areas = self._ds().issue_areas
        return tuple(areas[i] for i in self.issue_area_ids)

    @property
    def founding_event(self) -> Event | None:
        """The event at which the partnership was founded."""
        if self.founding_event_id is None:
            return None
        return self._ds().events[self.founding_event_id]

    @property
    def founding_instrument(self) -> Document | None:
        """The document that established the partnership."""
        if self.founding_instrument_id is None:
            return None
        return self._ds().documents[self.founding_instrument_id]

    events = _Referrers["Event"](
        "event", "partnership", "The events that belong to the partnership, in data order."
    )

    engagements = _Referrers["Engagement"](
        "engagement", "partnership", "The engagements pursued through this partnership (1.2)."
    )

    related_from = _Referrers["Partnership"](
        "partnership",
        "relatedPartnerships/*/partnership",
        "The partnerships that link to this one (the reverse of ``related_partnerships``).",
    )

    def timeline(self) -> tuple[Event, ...]:
        """The partnership's events by earliest date, undated events last."""
        return self._ds().timeline(self)

    def __str__(self) -> str:
        return str(self.name)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class Membership(Record):
    """An actor's seat in an organisation or organ over a period, with its role."""

    record_type: ClassVar[str] = "membership"

    member_id: str = field(metadata=_meta("member"))
    organization_id: str = field(metadata=_meta("organization"))
    role: str = field(metadata=_meta("role"))
    period: Period | None = field(default=None, metadata=_meta("period", _node(Period)))
    identifiers: tuple[ExternalIdentifier, ...] = field(
        default=NOT_GIVEN, metadata=_meta("identifiers", _nodes(ExternalIdentifier))
    )
    #: The date as of which the record's statements hold (1.2).
    as_of: PartialDate | None = field(default=None, metadata=_meta("asOf", _date))
    note: LanguageMap | None = field(default=None, metadata=_meta("note", _text))
    citations: tuple[Citation, ...] = field(
        default=(), metadata=_meta("citations", _nodes(Citation))
    )

    @property
    def member(self) -> Actor:
        """The actor holding the seat."""
        return self._ds().actors[self.member_id]

    @property
    def organization(self) -> Actor:
        """The organisation or organ in which the seat is held."""
        return self._ds().actors[self.organization_id]


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class Engagement(Record):
    """How an actor pursued issue areas in or through a forum (standard 1.2 and later):
    championed, sponsored, hosted, funded..."""

    record_type: ClassVar[str] = "engagement"

    actor_id: str = field(metadata=_meta("actor"))
    #: From the engagement mode codelist ('championed', 'sponsored', 'hosted', ...).
    mode: str = field(metadata=_meta("mode"))
    issue_area_ids: tuple[str, ...] = field(metadata=_meta("issueAreas", _strings))
    forum_id: str | None = field(default=None, metadata=_meta("forum"))
    partnership_id: str | None = field(default=None, metadata=_meta("partnership"))
    event_id: str | None = field(default=None, metadata=_meta("event"))
    period: Period | None = field(default=None, metadata=_meta("period", _node(Period)))
    description: LanguageMap | None = field(default=None, metadata=_meta("description", _text))
    identifiers: tuple[ExternalIdentifier, ...] = field(
        default=NOT_GIVEN, metadata=_meta("identifiers", _nodes(ExternalIdentifier))
    )
    as_of: PartialDate | None = field(default=None, metadata=_meta("asOf", _date))
    note: LanguageMap | None = field(default=None, metadata=_meta("note", _text))
    citations: tuple[Citation, ...] = field(
        default=(), metadata=_meta("citations", _nodes(Citation))
    )

    @property
    def actor(self) -> Actor:
        """The actor that pursued the issue areas."""
        return self._ds().actors[self.actor_id]

    @property
    def issue_areas(self) -> tuple[IssueArea, ...]:
        """The issue areas pursued."""
        areas = self._ds().issue_areas
        return tuple(areas[i] for i in self.issue_area_ids)

    @property
    def forum(self) -> Actor | None:
        """The organisation, organ or forum in or through which they were pursued."""
        return None if self.forum_id is None else self._ds().actors[self.forum_id]

    @property
    def partnership(self) -> Partnership | None:
        """The partnership through which they were pursued."""
        if self.partnership_id is None:
            return None
        return self._ds().partnerships[self.partnership_id]

    @property
    def event(self) -> Event | None:
        """The event at which they were pursued."""
        return None if self.event_id is None else self._ds().events[self.event_id]

    def __str__(self) -> str:
        return str(self.description) if self.description is not None else self.id


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class Commitment(Record):
    """An intention one or more actors stated, with its status as the sources
    give it (standard 1.2 and later)."""

    record_type: ClassVar[str] = "commitment"

    committed_by_ids: tuple[str, ...] = field(metadata=_meta("committedBy", _strings))
    #: What was committed.
    statement: LanguageMap = field(metadata=_meta("statement", _text))
    issue_area_ids: tuple[str, ...] = field(
        default=NOT_GIVEN, metadata=_meta("issueAreas", _strings)
    )
    #: By when it was to be done.
    due: PartialDate | None = field(default=None, metadata=_meta("due", _date))
    #: From the commitment status codelist ('stated', 'scheduled', 'met', ...).
    status: str = field(metadata=_meta("status"))
    status_as_of: PartialDate | None = field(default=None, metadata=_meta("statusAsOf", _date))
    made_at_id: str | None = field(default=None, metadata=_meta("madeAt"))
    document_id: str | None = field(default=None, metadata=_meta("document"))
    identifiers: tuple[ExternalIdentifier, ...] = field(
        default=NOT_GIVEN, metadata=_meta("identifiers", _nodes(ExternalIdentifier))
    )
    as_of: PartialDate | None = field(default=None, metadata=_meta("asOf", _date))
    note: LanguageMap | None = field(default=None, metadata=_meta("note", _text))
    citations: tuple[Citation, ...] = field(
        default=(), metadata=_meta("citations", _nodes(Citation))
    )

    @property
    def committed_by(self) -> tuple[Actor, ...]:
        """The actors that made the commitment."""
        actors = self._ds().actors
        return tuple(actors[i] for i in self.committed_by_ids)

    @property
    def issue_areas(self) -> tuple[IssueArea, ...]:
        """The issue areas the commitment concerns."""
        areas = self._ds().issue_areas
        return tuple(areas[i] for i in self.issue_area_ids)

    @property
    def made_at(self) -> Event | None:
        """The event at which the commitment was made."""
        return None if self.made_at_id is None else self._ds().events[self.made_at_id]

    @property
    def document(self) -> Document | None:
        """The document that states the commitment."""
        return None if self.document_id is None else self._ds().documents[self.document_id]

    def __str__(self) -> str:
        return str(self.statement)


#: The class of each record type of the standard, by the name the schemas use.
RECORD_CLASSES: Mapping[str, type[Record]] = MappingProxyType(
    {
        cls.record_type: cls
        for cls in (
            Actor,
            Commitment,
            Document,
            Engagement,
            Event,
            IssueArea,
            Membership,
            Partnership,
            Source,
        )
    }
)


# --- record types without a class here, typed from their schema -------------------------------

#: How values that follow one of the standard's shared definitions (``common.json``)
#: are typed: (one value, a list of them), by the definition's name.
_BY_DEFINITION: Mapping[str, tuple[Converter | None, Converter | None]] = MappingProxyType(
    {
        "LanguageMap": (_text, _texts),
        "PartialDate": (_date, _dates),
        "Period": (_node(Period), _nodes(Period)),
        "Location": (_node(Place), _nodes(Place)),
        "Place": (_node(Place), _nodes(Place)),
        "ExternalIdentifier": (_node(ExternalIdentifier), _nodes(ExternalIdentifier)),
        "Citation": (_node(Citation), _nodes(Citation)),
        "Identifier": (None, _strings),
        "Reference": (None, _strings),
        "CountryCode": (None, _strings),
    }
)
#: How many ``$ref`` hops are followed to reach a shared definition (a guard against loops).
_MOST_HOPS = 16
_CAMEL_HUMP = re.compile(r"(?<!^)(?=[A-Z])")
#: Generated classes, by the record schema's ``$id`` and content, so that loading the same
#: kind of package again reuses the class (and its compiled builder).
_SCHEMA_CLASSES: dict[tuple[str, bytes], type[Record]] = {}


def _shape(subschema: Mapping[str, Any], resolver: Any) -> tuple[str | None, bool]:
    """(the shared definition a field's values follow or None, whether the field is a list)."""
    is_list = False
    for _ in range(_MOST_HOPS):
        items = subschema.get("items")
        if not is_list and subschema.get("type") == "array" and isinstance(items, Mapping):
            is_list, subschema = True, items
            continue
        ref = subschema.get("$ref")
        if not isinstance(ref, str):
            break
        name = ref.rpartition("/")[2]
        if "#/$defs/" in ref and name in _BY_DEFINITION:
            return name, is_list
        resolved = resolver.lookup(ref)
        subschema, resolver = resolved.contents, resolved.resolver
    if is_list and subschema.get("type") == "string":
        return "Identifier", True  # a list of plain strings: a tuple, like identifiers
    return None, is_list


def _python_name(key: str) -> str:
    """'committedBy' -> 'committed_by': a JSON property name as Python spells a field."""
    return _CAMEL_HUMP.sub("_", key).lower()


def _follow_one(attribute: str, target: str) -> property:
    def follow(self: Record) -> Record | None:
        value = getattr(self, attribute)
        return None if value is None else self._ds().records(target)[value]

    follow.__doc__ = f"The {target} record named by ``{attribute}``."
    return property(follow)


def _follow_many(attribute: str, target: str) -> property:
    def follow(self: Record) -> tuple[Record, ...]:
        collection = self._ds().records(target)
        return tuple(collection[value] for value in getattr(self, attribute))

    follow.__doc__ = f"The {target} records named by ``{attribute}``."
    return property(follow)


def record_class_from_schema(schema_set: SchemaSet, record_type: str) -> type[Record]:
    """A record class for a record type that has none here, typed from its schema.

    This is what lets a record type be added to the standard with schema files
    alone. Each top-level property of the schema becomes a field named as
    Python spells it (``madeOn`` -> ``made_on``) and typed by the shared
    definition it follows: a :class:`LanguageMap`, a :class:`PartialDate`, a
    :class:`Period`, a :class:`Location`, citations, a tuple for a list of
    strings; anything else is kept as read. A field the schemas mark with
    ``recordRef`` holds identifiers (``committed_by_id``, ``issue_area_ids``)
    and a property of the plain name gives the records (``committed_by``,
    ``issue_areas``). A property whose name cannot be a field stays in
    ``extra``. As with every record, :meth:`Node.to_dict` gives back the JSON.
    """
    schema_id = schema_set.schema_id(record_type)
    # A type named without a schema (a hand-built schema set) keeps every field in extra.
    schema = schema_set.schemas.get(schema_id, {})
    key = (schema_id, json.dumps(schema, sort_keys=True).encode())
    known = _SCHEMA_CLASSES.get(key)
    if known is not None:
        return known

    references = {
        ref.path[0]: ref.target
        for ref in schema_set.reference_fields_of(record_type)
        if ref.path in ((ref.path[0],), (ref.path[0], "*"))
    }
    resolver = schema_set.registry.resolver(base_uri=schema_id)
    required = set(schema.get("required", ()))
    taken = set(dir(Record))
    fields: list[tuple[str, Any, Any]] = []
    namespace: dict[str, Any] = {
        "record_type": record_type,
        "__module__": __name__,
        "__doc__": schema.get("description") or f"A {record_type} record.",
    }
    for json_key, subschema in schema.get("properties", {}).items():
        if json_key == "id" or not isinstance(subschema, Mapping):
            continue
        definition, is_list = _shape(subschema, resolver)
        convert = _BY_DEFINITION[definition][is_list] if definition else None
        name = _python_name(json_key)
        target = references.get(json_key)
        if target is not None:
            follow_name = name
            name = f"{name.removesuffix('s')}_ids" if is_list else f"{name}_id"
        if not name.isidentifier() or keyword.iskeyword(name) or name in taken:
            continue  # kept in extra, as read
        taken.add(name)
        if json_key in required:
            spec = field(metadata=_meta(json_key, convert))
        else:
            spec = field(default=NOT_GIVEN if is_list else None, metadata=_meta(json_key, convert))
        fields.append((name, Any, spec))
        if target is not None and follow_name.isidentifier() and follow_name not in taken:
            taken.add(follow_name)
            follow = _follow_many if is_list else _follow_one
            namespace[follow_name] = follow(name, target)

    cls: type[Record] = dataclasses.make_dataclass(
        record_type[:1].upper() + record_type[1:],
        fields,
        bases=(Record,),
        namespace=namespace,
        frozen=True,
        slots=True,
        kw_only=True,
        eq=False,
        repr=False,
    )
    return _SCHEMA_CLASSES.setdefault(key, cls)
