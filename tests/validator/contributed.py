"""A contributed data package that is not Canada's: Japan and Senegal, written by the tests.

Names are in English, French and Japanese; one resource is JSON Lines; sizes
and checksums are declared. It must validate clean, like the canonical data.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

CITE = [{"source": "mofa-japan-senegal-2030", "page": "2"}]

SOURCES = [
    {
        "id": "mofa-japan-senegal-2030",
        "type": "pressRelease",
        "title": {
            "en": "Japan–Senegal Joint Statement on Human Security",
            "fr": "Déclaration conjointe Japon–Sénégal sur la sécurité humaine",
            "ja": "人間の安全保障に関する日・セネガル共同声明",
        },
        "language": "ja",
        "issued": "2030-08",
        "url": "https://example.org/japan-senegal-2030",
    }
]

ACTORS = [
    {
        "id": "japan",
        "type": "state",
        "name": {"en": "Japan", "fr": "Japon", "ja": "日本"},
        "country": "JP",
        "citations": CITE,
    },
    {
        "id": "senegal",
        "type": "state",
        "name": {"en": "Senegal", "fr": "Sénégal", "ja": "セネガル"},
        "country": "SN",
        "citations": CITE,
    },
    {
        "id": "african-union",
        "type": "intergovernmentalOrganization",
        "name": {"en": "African Union", "fr": "Union africaine", "ja": "アフリカ連合"},
        "abbreviation": {"en": "AU", "fr": "UA"},
        "citations": CITE,
    },
    {
        "id": "aiko-tanaka",
        "type": "person",
        "name": {"en": "Aiko Tanaka", "ja": "田中愛子"},
        "posts": [
            {
                "organization": "japan",
                "type": "foreignMinister",
                "label": {"en": "Minister for Foreign Affairs", "ja": "外務大臣"},
                "heldOn": "2030-08-21",
            }
        ],
        "citations": CITE,
    },
    {
        "id": "awa-ndiaye",
        "type": "person",
        "name": {"en": "Awa Ndiaye"},
        "posts": [
            {
                "organization": "senegal",
                "type": "foreignMinister",
                "label": {
                    "en": "Minister of Foreign Affairs",
                    "fr": "Ministre des Affaires étrangères",
                },
                "period": {"start": "2029", "end": "2031-03"},
            }
        ],
        "citations": CITE,
    },
]

ISSUE_AREAS = [
    {
        "id": "food-security",
        "label": {"en": "Food security", "fr": "Sécurité alimentaire", "ja": "食料安全保障"},
        "definition": {"en": "Access for all people at all times to enough food."},
        "citations": CITE,
    },
    {
        "id": "drought-resilience",
        "label": {
            "en": "Drought resilience",
            "fr": "Résilience à la sécheresse",
            "ja": "干ばつへの強靱性",
        },
        "definition": {"en": "Preparing communities to withstand droughts."},
        "broader": ["food-security"],
        "citations": CITE,
    },
]

DOCUMENTS = [
    {
        "id": "japan-senegal-joint-statement-2030",
        "type": "declaration",
        "title": {
            "en": "Joint Statement on Human Security",
            "fr": "Déclaration conjointe sur la sécurité humaine",
            "ja": "人間の安全保障に関する共同声明",
        },
        "date": "2030-08-21",
        "authors": ["japan", "senegal"],
        "citations": CITE,
    }
]

EVENTS = [
    {
        "id": "japan-senegal-signing-dakar-2030",
        "type": "signing",
        "name": {"en": "Signing in Dakar", "fr": "Signature à Dakar", "ja": "ダカールでの署名"},
        "status": "held",
        "date": {"start": "2030-08-21"},
        "location": {"name": {"en": "Dakar", "ja": "ダカール"}, "country": "SN"},
        "partnership": "japan-senegal-partnership",
        "issueAreas": ["food-security", "drought-resilience"],
        "participants": [
            {"actor": "aiko-tanaka", "role": "signatory", "onBehalfOf": "japan"},
            {"actor": "awa-ndiaye", "role": "signatory", "onBehalfOf": "senegal"},
        ],
        "outcomeDocuments": ["japan-senegal-joint-statement-2030"],
        "citations": CITE,
    },
    {
        "id": "japan-senegal-review-tokyo-2031",
        "type": "meeting",
        "name": {"en": "Review meeting in Tokyo", "ja": "東京での見直し会合"},
        "status": "scheduled",
        "date": {"start": "2031"},
        "location": {"name": {"en": "Tokyo", "ja": "東京"}, "country": "JP"},
        "partnership": "japan-senegal-partnership",
        "followUpOf": "japan-senegal-signing-dakar-2030",
        "body": "african-union",
        "citations": CITE,
    },
]

PARTNERSHIPS = [
    {
        "id": "japan-senegal-partnership",
        "type": "bilateral",
        "name": {
            "en": "Japan–Senegal Human Security Partnership",
            "fr": "Partenariat Japon–Sénégal pour la sécurité humaine",
            "ja": "日・セネガル人間の安全保障パートナーシップ",
        },
        "status": "active",
        "period": {"start": "2030-08"},
        "members": [
            {"actor": "japan", "role": "party", "joined": "2030-08-21"},
            {"actor": "senegal", "role": "party", "joined": "2030-08-21"},
        ],
        "membersComplete": True,
        "issueAreas": ["food-security"],
        "foundingEvent": "japan-senegal-signing-dakar-2030",
        "foundingInstrument": "japan-senegal-joint-statement-2030",
        "citations": CITE,
    },
    {
        "id": "sahel-resilience-network",
        "type": "network",
        "name": {"en": "Sahel Resilience Network", "fr": "Réseau de résilience du Sahel"},
        "status": "proposed",
        "members": [{"actor": "senegal", "role": "founder"}],
        "reportedMemberCount": {
            "minimum": 5,
            "maximum": 9,
            "statement": {"fr": "entre cinq et neuf pays", "en": "five to nine countries"},
        },
        "relatedPartnerships": [
            {"partnership": "japan-senegal-partnership", "relation": "grewOutOf"}
        ],
        "citations": CITE,
    },
]

MEMBERSHIPS = [
    {
        "id": "senegal-african-union",
        "member": "senegal",
        "organization": "african-union",
        "role": "member",
        "period": {"start": "2002"},
        "citations": CITE,
    }
]

RESOURCES: list[tuple[str, str, list[dict[str, Any]]]] = [
    ("sources", "source", SOURCES),
    ("actors", "actor", ACTORS),
    ("issue-areas", "issue-area", ISSUE_AREAS),
    ("documents", "document", DOCUMENTS),
    ("events", "event", EVENTS),
    ("partnerships", "partnership", PARTNERSHIPS),
    ("memberships", "membership", MEMBERSHIPS),
]


def write_contributed_package(folder: Path) -> Path:
    """Write the package into ``folder``; events as JSON Lines. Returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    resources = []
    for name, stem, records in RESOURCES:
        if name == "events":
            file_name = "events.jsonl"
            text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        else:
            file_name = f"{name}.json"
            text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
        data = text.encode("utf-8")
        (folder / file_name).write_bytes(data)
        record_type = "issueArea" if stem == "issue-area" else stem
        resources.append(
            {
                "name": name,
                "path": file_name,
                "format": "jsonl" if file_name.endswith(".jsonl") else "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "bytes": len(data),
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "hsdata:recordType": record_type,
                "jsonSchema": f"https://w3id.org/hsdata/schema/1.0/{stem}.json",
            }
        )
    descriptor = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "japan-senegal-human-security",
        "title": "Japan–Senegal human security cooperation (test data)",
        "version": "0.1.0",
        "hsdata:version": "1.0",
        "licenses": [{"name": "CC-BY-4.0"}],
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return folder
