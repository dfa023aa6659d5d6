"""Fixtures for the version tests: copies of the canonical package to upgrade.

The canonical data moves on with the standard; the upgrade tests start from
its 1.1 release, kept in ``canonical_1_1/`` exactly as it was published
(commit cc99324), so that they do not change when the data does.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

#: The canonical data as released at 1.1 (its JSON files; its CSV export is derived).
CANONICAL_1_1 = Path(__file__).parent / "canonical_1_1"

#: What an upgrade to 1.2 must be told about the publisher of the canonical data (design §3).
RELEASE = {
    "publisher_name": "hsdata maintainers",
    "reporting": "secondary",
    "reporting_on": {"en": "Government of Canada", "fr": "gouvernement du Canada"},
    "published": "2026-12-02T00:00:00Z",
}


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, document: Any) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def as_version(package: Path, version: str) -> None:
    """Make a package declare ``version`` (descriptor and every resource's jsonSchema)."""
    descriptor = read_json(package / "datapackage.json")
    descriptor["hsdata:version"] = version
    for resource in descriptor["resources"]:
        head, _, tail = resource["jsonSchema"].rpartition("/")
        resource["jsonSchema"] = f"{head.rsplit('/', 1)[0]}/{version}/{tail}"
    write_json(package / "datapackage.json", descriptor)


@pytest.fixture
def package_1_0(tmp_path: Path) -> Path:
    """A copy of the canonical package as it was in 1.0 (only its JSON files)."""
    source = CANONICAL_1_1
    target = tmp_path / "package"
    target.mkdir()
    for path in source.glob("*.json"):
        shutil.copy(path, target / path.name)
    descriptor = read_json(target / "datapackage.json")
    if descriptor["hsdata:version"] != "1.0":
        # Rebuild the 1.0 form of the 1.1 release: the only record change 1.0 -> 1.1
        # makes is heldOn -> attestedOn (and 1.1 added sources' issuedWithin).
        as_version(target, "1.0")
        actors = read_json(target / "actors.json")
        for actor in actors:
            for post in actor.get("posts", []):
                if "attestedOn" in post:
                    post["heldOn"] = post.pop("attestedOn")[0]
        for source_record in (sources := read_json(target / "sources.json")):
            source_record.pop("issuedWithin", None)
        write_json(target / "actors.json", actors)
        write_json(target / "sources.json", sources)
    return target
