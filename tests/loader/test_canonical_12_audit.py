"""The canonical data at 1.2 says what its two texts say, and no more (the audit of issue 14)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import hsdata
from hsdata._paths import canonical_data_dir

DATA = canonical_data_dir()
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

#: The forums text 000 names in 'International Organizations', each used by Canada for something.
FORUMS = (
    "un-security-council",
    "un-commission-on-human-rights",
    "g8",
    "organization-of-american-states",
    "commonwealth",
    "la-francophonie",
    "nato",
    "osce",
)


def records() -> dict[str, list[dict[str, Any]]]:
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    return {
        resource["hsdata:recordType"]: json.loads(
            (DATA / resource["path"]).read_text(encoding="utf-8")
        )
        for resource in descriptor["resources"]
    }


RECORDS = records()


def values_at(node: Any, path: tuple[str, ...]) -> Iterator[Any]:
    if not path:
        yield node
    elif path[0] == "*" and isinstance(node, list):
        for item in node:
            yield from values_at(item, path[1:])
    elif isinstance(node, dict) and path[0] in node:
        yield from values_at(node[path[0]], path[1:])


def referenced() -> dict[str, set[str]]:
    """Each record type's ids that another record refers to, through any reference field."""
    found: dict[str, set[str]] = {}
    version = json.loads((DATA / "datapackage.json").read_text())["hsdata:version"]
    for field in hsdata.load_schema_set(version).reference_fields:
        for record in RECORDS.get(field.record_type, []):
            for value in values_at(record, field.path):
                if isinstance(value, str) and not (
                    field.target == field.record_type and value == record["id"]
                ):
                    found.setdefault(field.target, set()).add(value)
    return found


def latest_day(date: str) -> str:
    """The last day a partial date can mean, as YYYY-MM-DD (months counted as 31 days: only
    the order matters here)."""
    return date + "-12-31"[len(date) - 4 :] if len(date) < 10 else date


def test_the_data_follows_1_2() -> None:
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["hsdata:version"] == "1.2"
    assert descriptor["hsdata:namespace"] == "https://w3id.org/hsdata/data/canonical/"
    assert descriptor["hsdata:publisher"]["reporting"] == "secondary"
    assert descriptor["hsdata:publisher"]["reportingOn"]["en"] == "Government of Canada"
    assert [entry["name"] for entry in descriptor["licenses"]] == ["CC-BY-4.0"]


@pytest.mark.parametrize("record_type", ["issueArea", "actor"])
def test_every_issue_area_and_actor_is_referenced(record_type: str) -> None:
    links = referenced().get(record_type, set())
    alone = [r["id"] for r in RECORDS[record_type] if r["id"] not in links]
    assert alone == [], f"{record_type} records nothing refers to"


def test_every_forum_of_the_texts_says_what_canada_used_it_for() -> None:
    engagements = RECORDS["engagement"]
    for forum in FORUMS:
        used = [e for e in engagements if e.get("forum") == forum and e["actor"] == "canada"]
        assert used, f"no engagement of Canada in {forum}"
        assert all(e["issueAreas"] and e["citations"] for e in used)


def test_the_icrc_is_typed_apart_from_ngos() -> None:
    actors = {a["id"]: a for a in RECORDS["actor"]}
    assert actors["icrc"]["type"] == "internationalHumanitarianBody"
    assert "NGOs, civil society and the ICRC" in json.dumps(actors["icrc"]["citations"])


def test_no_event_is_held_after_the_texts_that_report_it() -> None:
    sources = {s["id"]: s for s in RECORDS["source"]}
    checked = 0
    for event in RECORDS["event"]:
        if event.get("status") != "held" or "date" not in event:
            continue
        for citation in event["citations"]:
            source = sources[citation["source"]]
            written_by = source.get("issued") or source.get("issuedWithin", {}).get("end")
            if written_by is None:
                continue
            checked += 1
            start = event["date"]["start"]
            assert start[: len(written_by)] <= written_by, (
                f"{event['id']} is held from {start}, after {source['id']} was written"
            )
    assert checked > 0


def test_commitments_claim_no_more_than_an_intention() -> None:
    sources = {s["id"]: s for s in RECORDS["source"]}
    assert len(RECORDS["commitment"]) >= 1
    for commitment in RECORDS["commitment"]:
        assert commitment["status"] in {"stated", "scheduled"}, commitment["id"]
        if commitment["status"] == "scheduled":
            assert "due" in commitment, commitment["id"]
        for citation in commitment["citations"]:
            source = sources[citation["source"]]
            earliest = source.get("issued") or source["issuedWithin"]["start"]
            if "due" in commitment:  # a text that announces it predates the time it names
                assert earliest <= latest_day(commitment["due"]), commitment["id"]


def test_the_sources_say_what_is_known_of_the_texts() -> None:
    sources = {s["id"]: s for s in RECORDS["source"]}
    building = sources["building-partnerships-for-human-security"]["description"]
    assert "middle of a sentence" in building["en"] and "milieu d'une phrase" in building["fr"]
    concept = sources["human-security-concept-and-action"]["description"]
    assert "without a title" in concept["en"] and "misspellings" in concept["en"]


def test_the_data_passes_every_check_with_its_texts(tmp_path: Path) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"the source texts are not here ({SEEDS} is absent)")
    package = tmp_path / "canonical"
    shutil.copytree(DATA, package, ignore=shutil.ignore_patterns("csv"))
    for source in RECORDS["source"]:
        shutil.copyfile(SEEDS / source["fileName"], package / source["fileName"])
    report = hsdata.validate(package)
    assert report.issues == (), [i.message for i in report.issues]
    assert report.records_checked == sum(len(r) for r in RECORDS.values())
