"""Small 1.2 packages of made-up publishers, written into a test's folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA = "https://w3id.org/hsdata/schema/1.2/"


def partnership(
    record_id: str, start: str, status: str, members: list[str], identifier: str = "Q42"
) -> dict[str, Any]:
    return {
        "id": record_id,
        "type": "bilateral",
        "name": {"en": f"Partnership {record_id}"},
        "status": status,
        "period": {"start": start},
        "members": [{"actor": m, "role": "party"} for m in members],
        "membersComplete": True,
        "identifiers": [{"scheme": "wikidata", "id": identifier}],
        "citations": [{"source": "report", "section": "1"}],
    }


def actor(record_id: str, country: str) -> dict[str, Any]:
    return {
        "id": record_id,
        "type": "state",
        "name": {"en": record_id.title()},
        "country": country,
        "identifiers": [{"scheme": "iso3166-1", "id": country}],
        "citations": [{"source": "report", "section": "1"}],
    }


def write_package(
    folder: Path,
    name: str,
    records: dict[str, list[dict[str, Any]]],
    *,
    dependencies: list[dict[str, Any]] | None = None,
) -> Path:
    """A valid 1.2 package of the publisher ``name`` with a source 'report' and ``records``."""
    folder.mkdir(parents=True)
    records = {"source": [{"id": "report", "type": "report", "title": {"en": "Report"}}], **records}
    resources = []
    for record_type, items in records.items():
        stem = {"issueArea": "issue-area"}.get(record_type, record_type)
        (folder / f"{stem}s.json").write_text(json.dumps(items, indent=2), encoding="utf-8")
        resources.append(
            {
                "name": f"{stem}s",
                "path": f"{stem}s.json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "hsdata:recordType": record_type,
                "jsonSchema": f"{SCHEMA}{stem}.json",
            }
        )
    descriptor: dict[str, Any] = {
        "name": name,
        "version": "1.0.0",
        "hsdata:version": "1.2",
        "hsdata:namespace": f"https://example.org/{name}/",
        "hsdata:publisher": {"name": {"en": name.title()}, "reporting": "primary"},
        "hsdata:published": "2026-01-01T00:00:00Z",
        "licenses": [{"name": "CC-BY-4.0"}],
        "resources": resources,
    }
    if dependencies:
        descriptor["hsdata:dependencies"] = dependencies
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return folder


def two_publishers(
    tmp_path: Path, *, start_b: str = "1999-02-01", status_b: str = "active"
) -> list[Path]:
    """Publishers alpha and beta stating the same partnership (wikidata Q42)."""
    alpha = write_package(
        tmp_path / "alpha",
        "alpha",
        {
            "actor": [actor("norway", "NO"), actor("canada", "CA")],
            "partnership": [partnership("pact", "1998-05-11", "active", ["norway", "canada"])],
        },
    )
    beta = write_package(
        tmp_path / "beta",
        "beta",
        {
            "actor": [actor("norge", "NO"), actor("kanada", "CA")],
            "partnership": [partnership("avtale", start_b, status_b, ["norge", "kanada"])],
        },
    )
    return [alpha, beta]
