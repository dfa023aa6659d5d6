"""Publish the standard's files with the site, at the paths their addresses name.

Every ``$id`` is ``https://w3id.org/hsdata/schema/<version>/<file>``, and
w3id.org redirects ``schema/`` to the same path under the documentation site
(``w3id/.htaccess``). So the English build copies every version folder of
``schema/`` into ``<site>/schema/<version>/`` as it is (record schemas,
``common.json``, the meta-schema, ``context.jsonld``, the codelist CSVs and the
file-level schemas of ``files/``), adds each codelist as JSON beside its CSV,
and writes a small index page per folder, so that a person following an
address in a browser finds the files listed.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

from sphinx.application import Sphinx

from hsdata._files import write_bytes
from hsdata._paths import schema_root

#: Builders whose output is the published site.
_SITE_BUILDERS = frozenset({"html", "dirhtml"})
_VERSION = re.compile(r"\d+\.\d+")


def codelist_json(csv_text: str) -> str:
    """A codelist CSV as JSON: an array of its rows, each an object keyed by the CSV's columns."""
    rows = list(csv.DictReader(io.StringIO(csv_text, newline="")))
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _index_page(title: str, entries: list[str]) -> str:
    items = "".join(
        f'<li><a href="{html.escape(name)}">{html.escape(name)}</a></li>' for name in entries
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1><ul>{items}</ul></body></html>\n"
    )


def site_files(root: Path | None = None) -> dict[str, bytes]:
    """Site path (relative, with '/') -> content, for every published version."""
    root = root or schema_root()
    files: dict[str, bytes] = {}
    versions = [p.name for p in root.iterdir() if p.is_dir() and _VERSION.fullmatch(p.name)]
    versions.sort(key=lambda v: tuple(int(n) for n in v.split(".")))
    for version in versions:
        folder = root / version
        listed: dict[str, list[str]] = {}
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            relative = path.relative_to(folder).as_posix()
            files[f"schema/{version}/{relative}"] = path.read_bytes()
            parent, _, name = relative.rpartition("/")
            listed.setdefault(parent, []).append(name)
            if path.suffix == ".csv" and parent == "codelists":
                json_name = path.with_suffix(".json").name
                files[f"schema/{version}/codelists/{json_name}"] = codelist_json(
                    path.read_text(encoding="utf-8")
                ).encode("utf-8")
                listed[parent].append(json_name)
        for parent, names in listed.items():
            where = f"schema/{version}/" + (f"{parent}/" if parent else "")
            entries = sorted(names) + ([] if parent else [f"{p}/" for p in listed if p])
            page = _index_page(f"hsdata {version}: {where}", entries)
            files[where + "index.html"] = page.encode("utf-8")
    # Files beside the versions (the registry format) keep their address too.
    loose = sorted(p.name for p in root.iterdir() if p.is_file() and p.suffix == ".json")
    for name in loose:
        files[f"schema/{name}"] = (root / name).read_bytes()
    page = _index_page("hsdata schemas", [f"{v}/" for v in versions] + loose)
    files["schema/index.html"] = page.encode("utf-8")
    return files


def publish_schemas(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: copy the schemas into the English HTML site."""
    if exception is not None or app.builder.name not in _SITE_BUILDERS:
        return
    if (app.config.language or "en") != "en":
        return  # the French edition lives under <site>/fr/; the files are published once
    outdir = Path(app.outdir)
    for relative, content in site_files().items():
        target = outdir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(target, content)
