"""Published versions of the standard never change, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import hsdata

from .freeze import (
    DRAFTS,
    MANIFEST,
    REPO_ROOT,
    digests,
    manifest_text,
    published_versions,
    read_manifest,
)

HOW_TO_FIX = (
    "A published version of the standard never changes: data declaring it must mean the same "
    "thing forever. Put the change in the next version instead (copy the folder to "
    "schema/X.Y, change $id and version there, add an upgrade step in hsdata/_upgrade/_steps.py). "
    "Only a genuine fix of a file that never worked as published may change it: then run "
    "'python -m tests.versions.freeze --fix <path>' and say why in CHANGELOG.md."
)


def test_published_versions_are_frozen() -> None:
    frozen = read_manifest()
    assert frozen, f"{MANIFEST} lists no file"
    for version in published_versions(frozen):
        now = digests(version)
        expected = {
            path: digest for path, digest in frozen.items() if path.split("/")[1] == version
        }
        added = sorted(set(now) - set(expected))
        removed = sorted(set(expected) - set(now))
        changed = sorted(p for p in set(now) & set(expected) if now[p] != expected[p])
        assert not (added or removed or changed), (
            f"hsdata {version} has changed: added {added}, removed {removed}, "
            f"edited {changed}. {HOW_TO_FIX}"
        )


def test_every_bundled_version_is_published_and_frozen() -> None:
    frozen = published_versions(read_manifest())
    published = [v for v in hsdata.available_versions() if v not in DRAFTS]
    assert published == frozen, (
        "each schema/X.Y folder is a published version and must be frozen: "
        "run 'python -m tests.versions.freeze X.Y' once it is final"
    )
    assert "1.0" in frozen


def test_drafts_are_bundled_newer_than_every_published_version_and_not_frozen() -> None:
    frozen = published_versions(read_manifest())
    newest = max(tuple(int(n) for n in v.split(".")) for v in frozen)
    for draft in DRAFTS:
        assert draft in hsdata.available_versions(), f"draft {draft} has no schema/{draft} folder"
        assert draft not in frozen, f"{draft} is frozen: remove it from DRAFTS in freeze.py"
        assert tuple(int(n) for n in draft.split(".")) > newest, f"draft {draft} is not the newest"


def test_the_manifest_is_in_its_canonical_form() -> None:
    text = MANIFEST.read_text(encoding="utf-8")
    assert manifest_text(read_manifest(text)) == text


def test_a_changed_byte_is_caught(tmp_path: Path) -> None:
    shutil.copytree(REPO_ROOT / "schema" / "1.0", tmp_path / "schema" / "1.0")
    edited = tmp_path / "schema" / "1.0" / "source.json"
    edited.write_bytes(edited.read_bytes().replace(b"  ", b"\t", 1))
    frozen = read_manifest()
    now = digests("1.0", root=tmp_path)
    changed = [p for p in now if now[p] != frozen[p]]
    assert changed == ["schema/1.0/source.json"]
