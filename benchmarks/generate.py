"""Generate a realistic synthetic hsdata package for benchmarks.

The package holds N events in JSON Lines (``events.jsonl``), plus the actors,
issue areas, partnerships and sources they refer to, so that every
integrity check has real work to do. About 1% of the events are invalid, in
varied ways (see ``CORRUPTIONS``), chosen by a seeded random generator so
every run sees the same data. The same events are also written as a flat
CSV with a Table Schema (``events-csv/``), for the frictionless baseline.

    python benchmarks/generate.py OUTDIR --events 1000000 --seed 1998
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

VERSION = "1.0"
SCHEMA_BASE = f"https://w3id.org/hsdata/schema/{VERSION}/"
COUNTRIES = ["CA", "NO", "AT", "CL", "IE", "JO", "NL", "SI", "ZA", "CH", "TH", "JP", "ML", "GR"]
EVENT_TYPES = [
    "signing",
    "ministerialMeeting",
    "seniorOfficialsMeeting",
    "retreat",
    "luncheon",
    "meeting",
    "generalAssembly",
    "summit",
    "dialogue",
]
ROLES = ["host", "coHost", "participant", "chair", "signatory", "observer"]
ISSUES = [
    "landmines",
    "small-arms",
    "child-soldiers",
    "protection-of-civilians",
    "impunity",
    "conflict-prevention",
    "human-rights",
    "drugs",
]
CITY = [
    "Ottawa",
    "Oslo",
    "Vienna",
    "Santiago",
    "Dublin",
    "Amman",
    "The Hague",
    "Ljubljana",
    "Pretoria",
    "Bern",
    "Bangkok",
    "Tokyo",
    "Bamako",
    "Athens",
]
SOURCE = "synthetic-source"


def cite(paragraph: int) -> list[dict[str, Any]]:
    return [{"source": SOURCE, "section": "Events", "paragraph": paragraph}]


def supporting_records(actor_count: int) -> dict[str, list[dict[str, Any]]]:
    actors = []
    for country in COUNTRIES:
        actors.append(
            {
                "id": f"state-{country.lower()}",
                "type": "state",
                "name": {"en": f"State {country}", "fr": f"État {country}"},
                "country": country,
                "citations": cite(1),
            }
        )
    for index in range(actor_count - len(COUNTRIES)):
        actors.append(
            {
                "id": f"ngo-{index}",
                "type": "nonGovernmentalOrganization",
                "name": {"en": f"Organisation {index}"},
                "citations": cite(1),
            }
        )
    issue_areas = [
        {
            "id": i,
            "label": {"en": i.replace("-", " ").capitalize(), "fr": i},
            "definition": {"en": f"Work on {i.replace('-', ' ')}."},
            "citations": cite(2),
        }
        for i in ISSUES
    ]
    partnerships = [
        {
            "id": f"partnership-{n}",
            "type": "network",
            "name": {"en": f"Network {n}"},
            "status": "active",
            "period": {"start": "1990"},
            "members": [
                {"actor": f"state-{COUNTRIES[n % len(COUNTRIES)].lower()}", "role": "founder"}
            ],
            "issueAreas": [ISSUES[n % len(ISSUES)]],
            "citations": cite(3),
        }
        for n in range(20)
    ]
    sources = [{"id": SOURCE, "type": "report", "title": {"en": "Synthetic source"}}]
    return {
        "actor": actors,
        "issueArea": issue_areas,
        "partnership": partnerships,
        "source": sources,
    }


def event(rng: random.Random, index: int, actor_ids: list[str]) -> dict[str, Any]:
    year = rng.randint(1991, 2020)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    precision = rng.random()
    start = (
        f"{year}-{month:02d}-{day:02d}"
        if precision < 0.7
        else (f"{year}-{month:02d}" if precision < 0.9 else f"{year}")
    )
    date: dict[str, str] = {"start": start}
    if precision < 0.7 and rng.random() < 0.3:
        date["end"] = f"{year}-{month:02d}-{min(day + rng.randint(1, 2), 28):02d}"
    country_index = rng.randrange(len(COUNTRIES))
    participants = [
        {"actor": actor_id, "role": rng.choice(ROLES)}
        for actor_id in rng.sample(actor_ids, rng.randint(2, 4))
    ]
    record: dict[str, Any] = {
        "id": f"event-{index}",
        "type": rng.choice(EVENT_TYPES),
        "name": {"en": f"Meeting {index} on human security", "fr": f"Réunion {index}"},
        "status": "held" if year < 2019 else "scheduled",
        "date": date,
        "location": {"name": {"en": CITY[country_index]}, "country": COUNTRIES[country_index]},
        "partnership": f"partnership-{rng.randrange(20)}",
        "issueAreas": rng.sample(ISSUES, rng.randint(1, 2)),
        "participants": participants,
        "citations": cite(rng.randint(1, 400)),
    }
    return record


def _missing_required(r: dict[str, Any]) -> None:
    del r["name"]


def _bad_month(r: dict[str, Any]) -> None:
    r["date"]["start"] = "1998-13"


def _impossible_day(r: dict[str, Any]) -> None:
    r["date"] = {"start": "1999-02-30"}


def _end_before_start(r: dict[str, Any]) -> None:
    r["date"] = {"start": "1999-05-20", "end": "1999-05-19"}


def _unknown_actor(r: dict[str, Any]) -> None:
    r["participants"][0]["actor"] = "no-such-actor"


def _closed_codelist(r: dict[str, Any]) -> None:
    r["status"] = "planned"


def _misspelled_field(r: dict[str, Any]) -> None:
    r["issueareas"] = r.pop("issueAreas")


def _trailing_newline_id(r: dict[str, Any]) -> None:
    r["id"] = r["id"] + "\n"


def _wrong_type(r: dict[str, Any]) -> None:
    r["participants"] = "everyone"


CORRUPTIONS: list[Callable[[dict[str, Any]], None]] = [
    _missing_required,
    _bad_month,
    _impossible_day,
    _end_before_start,
    _unknown_actor,
    _closed_codelist,
    _misspelled_field,
    _trailing_newline_id,
    _wrong_type,
]
DUPLICATE = "duplicate-id"


def write_package(
    out: Path, events: int, seed: int, invalid_rate: float = 0.01, actors: int = 200
) -> dict[str, int]:
    """Write the package; return how many records of each corruption were made."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    support = supporting_records(actors)
    actor_ids = [a["id"] for a in support["actor"]]
    resources = []
    for record_type, records in support.items():
        name = {"issueArea": "issue-areas"}.get(record_type, record_type + "s")
        (out / f"{name}.json").write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")
        kebab = {"issueArea": "issue-area"}.get(record_type, record_type)
        resources.append(
            {
                "name": name,
                "path": f"{name}.json",
                "format": "json",
                "mediatype": "application/json",
                "hsdata:recordType": record_type,
                "jsonSchema": f"{SCHEMA_BASE}{kebab}.json",
            }
        )
    resources.append(
        {
            "name": "events",
            "path": "events.jsonl",
            "format": "jsonl",
            "mediatype": "application/jsonl",
            "hsdata:recordType": "event",
            "jsonSchema": f"{SCHEMA_BASE}event.json",
        }
    )
    counts: dict[str, int] = {}
    csv_dir = out / "events-csv"
    csv_dir.mkdir(exist_ok=True)
    columns = [
        "id",
        "type",
        "name_en",
        "name_fr",
        "status",
        "start",
        "end",
        "location_name",
        "location_country",
        "partnership",
        "issue_areas",
        "participants",
    ]
    with (
        (out / "events.jsonl").open("w", encoding="utf-8") as jsonl,
        (csv_dir / "events.csv").open("w", encoding="utf-8", newline="") as flat,
    ):
        writer = csv.writer(flat)
        writer.writerow(columns)
        for index in range(events):
            record = event(rng, index, actor_ids)
            if rng.random() < invalid_rate:
                if rng.random() < 1 / (len(CORRUPTIONS) + 1):
                    record["id"] = f"event-{max(index - 1, 0)}"
                    counts[DUPLICATE] = counts.get(DUPLICATE, 0) + 1
                else:
                    corrupt = rng.choice(CORRUPTIONS)
                    corrupt(record)
                    counts[corrupt.__name__[1:]] = counts.get(corrupt.__name__[1:], 0) + 1
            jsonl.write(json.dumps(record, ensure_ascii=False) + "\n")
            date = record.get("date") if isinstance(record.get("date"), dict) else {}
            name = record.get("name", {})
            participants = record.get("participants")
            writer.writerow(
                [
                    record["id"].strip(),
                    record["type"],
                    name.get("en", ""),
                    name.get("fr", ""),
                    record.get("status", ""),
                    date.get("start", ""),
                    date.get("end", ""),
                    record["location"]["name"]["en"],
                    record["location"]["country"],
                    record["partnership"],
                    " ".join(record.get("issueAreas", record.get("issueareas", []))),
                    " ".join(f"{p['actor']}:{p['role']}" for p in participants)
                    if isinstance(participants, list)
                    else participants,
                ]
            )
    package = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "hsdata-benchmark",
        "hsdata:version": VERSION,
        "resources": resources,
    }
    (out / "datapackage.json").write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")
    write_csv_package(csv_dir, columns)
    return counts


def write_csv_package(csv_dir: Path, columns: list[str]) -> None:
    """A Table Schema for the flat CSV, with the constraints frictionless can check."""
    fields: list[dict[str, Any]] = [{"name": c, "type": "string"} for c in columns]
    constraints = {
        "id": {"required": True, "unique": True, "pattern": "[a-z0-9]+(-[a-z0-9]+)*"},
        "name_en": {"required": True},
        "status": {"enum": ["scheduled", "held", "postponed", "cancelled"]},
        "start": {"pattern": "[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?"},
        "location_country": {"pattern": "[A-Z]{2}"},
    }
    for field in fields:
        if field["name"] in constraints:
            field["constraints"] = constraints[field["name"]]
    package = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "hsdata-benchmark-csv",
        "resources": [
            {
                "name": "events",
                "path": "events.csv",
                "type": "table",
                "format": "csv",
                "schema": {"fields": fields, "primaryKey": ["id"]},
            }
        ],
    }
    (csv_dir / "datapackage.json").write_text(
        json.dumps(package, indent=2) + "\n", encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1998)
    parser.add_argument("--invalid-rate", type=float, default=0.01)
    args = parser.parse_args(argv)
    counts = write_package(args.outdir, args.events, args.seed, args.invalid_rate)
    print(
        f"wrote {args.events} events to {args.outdir}; invalid: {sum(counts.values())} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
