"""Fixtures for the loader and export tests: the canonical data set and copies to break."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import hsdata
from hsdata._loader import clear_cache
from hsdata._paths import canonical_data_dir

#: A function that edits one resource of a package copy: (file name, edit of the records).
EditRecords = Callable[[str, Callable[[list[dict[str, Any]]], None]], None]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty loader cache, so that none depends on another."""
    clear_cache()
    yield
    clear_cache()


@pytest.fixture(scope="session")
def canonical_dir() -> Path:
    return canonical_data_dir()


@pytest.fixture
def canonical() -> hsdata.Dataset:
    return hsdata.load()


@pytest.fixture
def raw_records(canonical_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """The canonical records as plain JSON, by record type, read without hsdata."""
    descriptor = json.loads((canonical_dir / "datapackage.json").read_text(encoding="utf-8"))
    return {
        resource["hsdata:recordType"]: json.loads(
            (canonical_dir / resource["path"]).read_text(encoding="utf-8")
        )
        for resource in descriptor["resources"]
    }


@pytest.fixture
def package_copy(tmp_path: Path, canonical_dir: Path) -> Path:
    """A copy of the canonical package (its JSON files only) that a test may change."""
    target = tmp_path / "package"
    target.mkdir()
    for path in canonical_dir.glob("*.json"):
        shutil.copy(path, target / path.name)
    return target


@pytest.fixture
def edit_records(package_copy: Path) -> EditRecords:
    def edit(file_name: str, change: Callable[[list[dict[str, Any]]], None]) -> None:
        path = package_copy / file_name
        records = json.loads(path.read_text(encoding="utf-8"))
        change(records)
        path.write_text(json.dumps(records, indent=2, ensure_ascii=False), encoding="utf-8")

    return edit
