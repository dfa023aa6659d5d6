"""Fixtures for the validator tests: copies of the canonical package to break on purpose."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from hsdata._paths import canonical_data_dir

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _canonical_counts() -> tuple[int, int]:
    """The files (descriptor and resources) and records of the canonical package."""
    folder = canonical_data_dir()
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    paths = [folder / resource["path"] for resource in descriptor["resources"]]
    records = sum(len(json.loads(path.read_text(encoding="utf-8"))) for path in paths)
    return len(paths) + 1, records


#: How many files and records validating the canonical package checks.
CANONICAL_FILES, CANONICAL_RECORDS = _canonical_counts()
#: What hsdata validate prints for it.
CANONICAL_SUMMARY = f"No problems in {CANONICAL_FILES} files ({CANONICAL_RECORDS} records checked)"


def _parent_and_key(document: Any, pointer: str) -> tuple[Any, str | int]:
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    node = document
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    last = tokens[-1]
    return node, int(last) if isinstance(node, list) else last


def apply_edit(package: Path, edit: dict[str, Any]) -> None:
    """Apply one fixture edit to a file of the package folder."""
    path = package / edit["file"]
    if "raw" in edit:
        path.write_text(edit["raw"], encoding="utf-8")
    elif "raw_repeat" in edit:
        path.write_text("".join(part * count for part, count in edit["raw_repeat"]))
    elif "encode" in edit:
        path.write_bytes(path.read_text(encoding="utf-8").encode(edit["encode"]))
    elif "prefix_hex" in edit:
        path.write_bytes(bytes.fromhex(edit["prefix_hex"]) + path.read_bytes())
    elif "replace" in edit:
        old, new = edit["replace"]
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture edit does not apply: {old!r} not in {path.name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    elif "rename" in edit:
        path.rename(package / edit["rename"])
    elif "delete" in edit:
        path.unlink()
    elif "symlink_outside" in edit:
        outside = package.parent / "outside"
        outside.mkdir(exist_ok=True)
        target = outside / edit["symlink_outside"]
        shutil.copy(package / edit["symlink_outside"], target)
        path.symlink_to(target)
    else:
        document = json.loads(path.read_text(encoding="utf-8"))
        if "append" in edit:
            node = document
            if edit["append"] != "/":
                parent, key = _parent_and_key(document, edit["append"])
                node = parent[key]
            node.append(edit["value"])
        else:
            parent, key = _parent_and_key(document, edit["pointer"])
            if edit.get("remove"):
                del parent[key]
            else:
                parent[key] = edit["set"]
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A fresh copy of the canonical package, in its own folder."""
    target = tmp_path / "package"
    shutil.copytree(canonical_data_dir(), target)
    return target


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any attempt to open a network connection fail loudly."""
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"the validator tried to use the network: {args!r}")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
