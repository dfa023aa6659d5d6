"""Helpers for the schema and data quality tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_ROOT = REPO_ROOT / "schema"
DATA_DIR = REPO_ROOT / "data"


class DuplicateKeyError(ValueError):
    pass


def reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKeyError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def load_strict(path: Path) -> Any:
    """Parse JSON, refusing duplicate keys (Python's json would keep the last silently)."""
    return json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=reject_duplicates)


def schema_files() -> list[Path]:
    return sorted(SCHEMA_ROOT.glob("*/*.json"))


def record_schema_files() -> list[Path]:
    support = {"common.json", "meta-schema.json", "package.json"}  # package.json: the descriptor
    return [p for p in schema_files() if p.name not in support]


def json_files() -> list[Path]:
    """Every hand-edited JSON file of the standard and the canonical data."""
    return schema_files() + sorted(DATA_DIR.glob("*.json"))


def walk(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Yield (JSON pointer, node) for every node of a JSON document."""
    yield pointer, node
    if isinstance(node, dict):
        for key, value in node.items():
            escaped = key.replace("~", "~0").replace("/", "~1")
            yield from walk(value, f"{pointer}/{escaped}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{pointer}/{index}")


def property_definitions(schema: Any) -> Iterator[tuple[str, str, Any]]:
    """Yield (pointer, property name, subschema) for every property a schema defines."""
    for pointer, node in walk(schema):
        # Properties named inside conditions ("if", "not") constrain existing
        # fields rather than define new ones.
        if "/if" in pointer or "/not" in pointer:
            continue
        if isinstance(node, dict) and isinstance(node.get("properties"), dict):
            for name, subschema in node["properties"].items():
                if isinstance(subschema, dict):
                    yield f"{pointer}/properties/{name}", name, subschema
