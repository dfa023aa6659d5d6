"""Regenerate every artefact derived from the authoritative schema sources.

The JSON Schemas and codelist CSVs under ``schema/`` are hand-edited; a few
things are derived from them or from reference data and must never be edited
by hand:

* ``schema/<version>/codelists/country.csv`` from the ISO 3166-1 data shipped
  with ``pycountry`` (English and French names; from 1.2 on, French
  descriptions too);
* the ``enum`` of every field bound to a closed codelist, from that codelist.

Run ``python tools/regenerate.py`` after editing a codelist. The test suite
fails, naming this command, when a derived artefact has drifted.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_ROOT = ROOT / "schema"
COMMAND = "python tools/regenerate.py"


#: The first version whose codelists carry a description_fr column.
FRENCH_DESCRIPTIONS_SINCE = (1, 2)


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def country_codelist_text(version: str = "1.1") -> str:
    """The country codelist CSV of a version, built from pycountry's ISO 3166-1 data."""
    import gettext

    import pycountry

    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    with_french = version_key(version) >= FRENCH_DESCRIPTIONS_SINCE
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["code", "title", "title_fr", "description", "deprecated"]
    if with_french:
        header.insert(4, "description_fr")
    writer.writerow(header)
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        official = getattr(country, "official_name", country.name)
        codes = f"ISO 3166-1 alpha-3 {country.alpha_3}"
        row = [
            country.alpha_2,
            country.name,
            french.gettext(country.name),
            f"{official} ({codes}, numeric {country.numeric}).",
            "",
        ]
        if with_french:
            row.insert(4, f"{french.gettext(official)} ({codes}, numérique {country.numeric}).")
        writer.writerow(row)
    return out.getvalue()


def read_codes(text: str) -> list[str]:
    return [row["code"] for row in csv.DictReader(io.StringIO(text))]


def closed_codelist_fields(node: Any) -> Iterator[dict[str, Any]]:
    """Yield every subschema bound to a closed codelist."""
    if isinstance(node, dict):
        if "codelist" in node and node.get("openCodelist") is False:
            yield node
        for value in node.values():
            yield from closed_codelist_fields(value)
    elif isinstance(node, list):
        for value in node:
            yield from closed_codelist_fields(value)


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def schema_with_enums(schema_path: Path, generated: dict[Path, str]) -> str:
    """The schema file's text with each closed codelist's enum refreshed."""
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    codelist_dir = schema_path.parent / "codelists"
    for field in closed_codelist_fields(schema):
        codelist_path = codelist_dir / field["codelist"]
        codelist_text = generated.get(codelist_path) or codelist_path.read_text(encoding="utf-8")
        codes = read_codes(codelist_text)
        # Keep key order stable: replace in place if present, else insert after "type".
        if "enum" in field:
            field["enum"] = codes
        else:
            items = list(field.items())
            field.clear()
            for key, value in items:
                field[key] = value
                if key in ("type", "pattern"):
                    field.setdefault("enum", codes)
            field.setdefault("enum", codes)
    return dump_json(schema)


def version_dirs() -> list[Path]:
    """The folders of the published schema versions, such as schema/1.0."""
    return sorted(
        (p for p in SCHEMA_ROOT.iterdir() if p.is_dir() and p.name.replace(".", "").isdigit()),
        key=lambda p: version_key(p.name),
    )


def expected_files() -> dict[Path, str]:
    """Every derived file and the text it should have."""
    files: dict[Path, str] = {}
    for version_dir in version_dirs():
        country = version_dir / "codelists" / "country.csv"
        files[country] = country_codelist_text(version_dir.name)
    for version_dir in version_dirs():
        for schema_path in sorted(version_dir.glob("*.json")):
            files[schema_path] = schema_with_enums(schema_path, files)
    return files


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from hsdata._files import write_text  # atomic: a crash never leaves half a schema

    changed = 0
    for path, text in expected_files().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            write_text(path, text)
            print(f"regenerated {path.relative_to(ROOT)}")
            changed += 1
    print(f"{changed} file(s) regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
