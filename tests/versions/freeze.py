"""The manifest of published versions of the standard: a SHA-256 digest of every file.

A published version never changes: data that declares ``hsdata:version``
1.0 must mean the same thing forever. ``published.sha256`` (in the format of
``sha256sum``) records every file of every published version folder, and
``test_published_versions_are_frozen`` fails when one is added, removed or
edited. Publishing a new version adds its folder to the manifest:

    python -m tests.versions.freeze 1.2

A genuine fix to a published file (one that never worked as published, such
as a broken link in the JSON-LD context) is the only reason to change one; it
is recorded, with its reason in CHANGELOG.md, by refreezing that file:

    python -m tests.versions.freeze --fix schema/1.0/context.jsonld
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_ROOT = REPO_ROOT / "schema"
MANIFEST = Path(__file__).with_name("published.sha256")

#: Bundled versions still being written: not published, so not frozen and free to change.
#: Publishing one freezes it (``python -m tests.versions.freeze X.Y``) and removes it here.
DRAFTS: tuple[str, ...] = ()


def digests(version: str, root: Path = REPO_ROOT) -> dict[str, str]:
    """{path relative to the repository, e.g. 'schema/1.0/actor.json': SHA-256} for a version."""
    folder = root / "schema" / version
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() or path.is_symlink()
    }


def read_manifest(text: str | None = None) -> dict[str, str]:
    """{path: digest} from the manifest's 'digest  path' lines."""
    text = MANIFEST.read_text(encoding="utf-8") if text is None else text
    entries: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip():
            digest, path = line.split("  ", 1)
            entries[path] = digest
    return entries


def published_versions(entries: dict[str, str]) -> list[str]:
    """The versions the manifest freezes, oldest first."""
    versions = {path.split("/")[1] for path in entries}
    return sorted(versions, key=lambda v: tuple(int(n) for n in v.split(".")))


def manifest_text(entries: dict[str, str]) -> str:
    return "".join(f"{digest}  {path}\n" for path, digest in sorted(entries.items()))


def main(versions: list[str]) -> int:
    entries = read_manifest() if MANIFEST.exists() else {}
    if versions[:1] == ["--fix"]:
        published = set(published_versions(entries))
        for name in versions[1:]:
            # A file new to a published folder (a derived file such as a file-level schema) may be
            # added this way too; it must still say why in the changelog.
            parts = name.split("/")
            in_published = len(parts) > 2 and parts[0] == "schema" and parts[1] in published
            if name not in entries and not (in_published and (REPO_ROOT / name).is_file()):
                print(f"{name} is not a file of a published version", file=sys.stderr)
                return 2
            entries[name] = hashlib.sha256((REPO_ROOT / name).read_bytes()).hexdigest()
        MANIFEST.write_text(manifest_text(entries), encoding="utf-8")
        print(f"refroze {', '.join(versions[1:])}: say why in CHANGELOG.md")
        return 0
    for version in versions:
        if not (SCHEMA_ROOT / version).is_dir():
            print(f"no folder schema/{version}", file=sys.stderr)
            return 2
        if any(path.split("/")[1] == version for path in entries):
            print(f"{version} is already published and frozen", file=sys.stderr)
            return 2
        entries.update(digests(version))
    MANIFEST.write_text(manifest_text(entries), encoding="utf-8")
    print(f"froze {', '.join(versions)} in {MANIFEST.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
