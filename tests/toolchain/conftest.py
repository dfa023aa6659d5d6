"""Fixtures for the adopters' toolchain tests: packages built from the canonical data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"
FUNDING_DIR = REPO_ROOT / "extensions" / "funding"


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


@pytest.fixture
def canonical_copy(tmp_path: Path) -> Path:
    """A writable copy of the canonical data package; returns its folder."""
    target = tmp_path / "package"
    shutil.copytree(DATA_DIR, target)
    return target


#: An illustrative commitment: the canonical sources state no amounts, so these
#: figures are made up for the tests and the extension's documentation only.
EXAMPLE_COMMITMENT: dict[str, Any] = {
    "amount": 500000,
    "currency": "CAD",
    "committed": "1999-05",
    "period": {"start": "1999", "end": "2000"},
    "purpose": {
        "en": "Illustrative figure: support for the partnership's meetings.",
        "fr": "Montant fictif : appui aux réunions du partenariat.",
    },
    "citations": [
        {
            "source": "human-security-concept-and-action",
            "section": "1. Lysoen Partnership with Norway.",
            "paragraph": 1,
        }
    ],
}


@pytest.fixture
def funded_package(canonical_copy: Path) -> Path:
    """The canonical package, declaring the funding extension, with one commitment added."""
    descriptor = read_json(canonical_copy / "datapackage.json")
    descriptor["hsdata:extensions"] = ["funding"]
    write_json(canonical_copy / "datapackage.json", descriptor)
    partnerships = read_json(canonical_copy / "partnerships.json")
    partnerships[0]["members"][0]["funding"] = [json.loads(json.dumps(EXAMPLE_COMMITMENT))]
    write_json(canonical_copy / "partnerships.json", partnerships)
    return canonical_copy
