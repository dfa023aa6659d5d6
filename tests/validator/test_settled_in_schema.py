"""Checks said in JSON Schema, and events told apart from their partnership on the texts.

The compiled validator's yes settles the checks that declare a schema
fragment (``in_schema``), and the cross-record reading of events compares
date texts rather than dates; both must give exactly the issues of the slow
way, never fewer.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from typing import Any

import pytest

import hsdata
from hsdata._dates import PartialDate, partial_date_or_none
from hsdata._paths import canonical_data_dir
from hsdata._validator import RecordChecker, check_record
from hsdata._validator._integrity import _not_before, event_floor_in
from hsdata._validator._languages import is_registered
from hsdata._validator._subtags import registered_tag_pattern

SCHEMA_SET = hsdata.load_schema_set()


def _first(name: str) -> dict[str, Any]:
    records: list[dict[str, Any]] = json.loads(
        (canonical_data_dir() / name).read_text(encoding="utf-8")
    )
    return copy.deepcopy(records[0])


def _alternatives(group: str) -> list[str]:
    return group.split("|")


def test_every_tag_the_pattern_takes_is_registered() -> None:
    pattern = registered_tag_pattern()
    found = re.fullmatch(r"\^\(\?:([a-z|]+)\)\(\?:-\(\?:([A-Z|]+)\)\)\?\$", pattern)
    assert found is not None, pattern
    languages, regions = _alternatives(found[1]), _alternatives(found[2])
    assert {"en", "fr", "nb", "es"} <= set(languages) and {"CA", "NO", "GB"} <= set(regions)
    assert "sp" not in languages and "xx" not in languages
    # Every combination the pattern matches, asked of the registry itself (not through
    # is_registered, which trusts the pattern).
    import langcodes

    refused = [
        tag
        for tag in itertools.chain(
            languages, (f"{language}-{region}" for language in languages for region in regions)
        )
        if not langcodes.tag_is_valid(tag)
    ]
    assert refused == []
    assert not is_registered("sp") and is_registered("sr-Latn-RS")  # asked of the registry


def test_the_pattern_is_kept_in_the_cache() -> None:
    registered_tag_pattern.cache_clear()  # kept per process too: read the file again
    first = registered_tag_pattern()
    assert registered_tag_pattern() == first
    from hsdata import _cache

    assert list((_cache.compiled_folder() / "registered-tags").glob("*.json"))


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (lambda r: r["name"].update({"sp": "Nombre"}), "language-tag-unknown"),
        (lambda r: r.update(name={"fr": "Nom seulement"}), "language-english-missing"),
        (lambda r: r["citations"][0].update(supports=["/nowhere"]), "citation-pointer-missing"),
    ],
    ids=["unregistered tag", "no English", "pointer to nothing"],
)
def test_a_record_the_fragments_refuse_is_checked_the_slow_way(change: Any, rule: str) -> None:
    checker = RecordChecker(SCHEMA_SET)
    event = _first("events.json")
    usual = checker.usual("event")
    assert usual is not None and usual(event) and check_record(event, "event", checker) == []
    assert {c.run.__name__ for c in checker.settled_in_schema("event")} >= {
        "check_language_tags",
        "check_english_text",
        "check_citation_pointers",
    }
    change(event)
    assert not usual(event)
    assert rule in [i.rule for i in check_record(event, "event", checker)]


def test_a_regional_english_alone_passes_the_check_but_not_the_fragment() -> None:
    checker = RecordChecker(SCHEMA_SET)
    event = _first("events.json")
    event["name"] = {"en-GB": "Name"}
    assert not checker.usual("event")(event)  # type: ignore[misc]
    assert check_record(event, "event", checker) == []


_TEXTS = ["0001", "0999-12", "1989", "1990", "1990-01", "1990-01-01", "1990-02-28", "1990-12-31"]
_TEXTS += ["1991", "1999-02", "1999-02-28", "2000-02-29", "1999-02-30", "0000", "1999-13", "x"]


@pytest.mark.parametrize("start", [*_TEXTS, None])
def test_the_texts_tell_an_event_apart_as_the_dates_do(start: str | None) -> None:
    start_date = partial_date_or_none(start) if start else None
    floor = event_floor_in({}, {"p": start_date}, "p")
    assert floor is not None and event_floor_in({}, {}, "p") is None
    for end, begin in itertools.product([*_TEXTS, None, 1999], repeat=2):
        dates = [partial_date_or_none(v) if isinstance(v, str) else None for v in (end, begin)]
        last_day: PartialDate | None = dates[0] or dates[1]
        early = start_date is not None and last_day is not None and last_day < start_date
        if _not_before(end, floor) and _not_before(begin, floor):
            assert not early, (start, end, begin)


def test_an_early_event_is_still_reported() -> None:
    index = hsdata.IntegrityIndex(files=["p.json", "e.json"])
    index.take_start("p", PartialDate.parse("1998-05"))
    rules = hsdata._validator._integrity.cross_record_rules(SCHEMA_SET, "event")
    dates = [{"start": "1998-04"}, {"start": "1998"}, {"end": "1998-05-01"}, {"end": "1998-4"}]
    for number, date in enumerate(dates):
        record = {"id": f"e{number}", "partnership": "p", "date": date}
        code = index.place_code("e.json", number + 1, is_line=True)
        rules.feed(record, record["id"], code, index, known=index.ids)
    assert [i.record for i in index.issues if i.rule == "event-before-partnership"] == ["e0"]


_IDENTIFIERS = [
    ("wikidata", "Q16"),
    ("wikidata", "Q016"),
    ("wikidata", "Q16\n"),
    ("wikidata", 16),
    ("m49", "419"),
    ("m49", "41"),
    ("iso3166-1", "CA"),
    ("iso3166-1", "XX"),
    ("iso3166-1", "ca"),
    ("iso3166-2", "CA-ON"),
    ("iso3166-2", "XX-ON"),
    ("iso3166-2", "CA-ONTA"),
    ("orgid", "anything at all"),
    (None, "Q16"),
]


@pytest.mark.parametrize(("scheme", "value"), _IDENTIFIERS)
def test_the_identifier_fragment_never_passes_what_the_check_refuses(
    scheme: object, value: object
) -> None:
    from hsdata._validator._identifiers import check_identifier_schemes

    checker = RecordChecker(SCHEMA_SET)
    accepts = checker.compiled.accepts_usual("event")
    assert accepts is not None
    event = _first("events.json")
    event["identifiers"] = [{"scheme": scheme, "id": value}]
    found = check_identifier_schemes(event, "event", checker)
    if accepts(event):
        assert found == [], (scheme, value)
    # The forms the check knows, other than ISO codes, pass in the usual case.
    if (scheme, value) in {("wikidata", "Q16"), ("m49", "419"), ("iso3166-1", "CA")}:
        assert accepts(event) and found == []
    if (scheme, value) in {("wikidata", "Q016"), ("iso3166-2", "XX-ON"), ("m49", "41")}:
        assert not accepts(event) and found != []


def test_every_form_the_check_knows_is_said_in_schema() -> None:
    from hsdata._validator._identifiers import _FORMS, _SCHEMA_FORMS

    assert set(_FORMS) - {"iso3166-2"} == set(_SCHEMA_FORMS)
    for scheme, (pattern, _) in _FORMS.items():
        if scheme in _SCHEMA_FORMS:
            assert pattern.pattern.removesuffix(r"\Z") == _SCHEMA_FORMS[scheme][1:-1]
