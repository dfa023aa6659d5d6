"""Small helpers shared by the hsdocs directives: docutils nodes, labels, data access."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.environment import BuildEnvironment
from sphinx.locale import get_translation

import hsdata
from hsdata._paths import canonical_data_dir

_translate = get_translation("hsdocs")


def label(message: str) -> str:
    """A UI label the extension writes, in the language of the build (catalogue 'hsdocs')."""
    return str(_translate(message))


#: The version of the standard the build describes (config value ``hsdata_version``,
#: set when the configuration is read; the package's default version otherwise).
_described = {"version": hsdata.STANDARD_VERSION}


def describe_version(version: str) -> None:
    _described["version"] = version


def schema_set() -> hsdata.SchemaSet:
    """The version of the standard these docs describe."""
    return hsdata.load_schema_set(_described["version"])


@cache
def canonical_records() -> dict[str, tuple[tuple[str, dict[str, Any]], ...]]:
    """The canonical data set: record type -> ((file name, record), ...), in file order."""
    directory = canonical_data_dir()
    package = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for resource in package["resources"]:
        record_type = resource.get("hsdata:recordType")
        if not record_type:
            continue
        path = directory / resource["path"]
        records = json.loads(path.read_text(encoding="utf-8"))
        found.setdefault(record_type, []).extend((resource["path"], r) for r in records)
    return {key: tuple(value) for key, value in found.items()}


def find_record(record_type: str, record_id: str) -> tuple[str, dict[str, Any]] | None:
    """The (file name, record) of one canonical record, or None."""
    for file_name, record in canonical_records().get(record_type, ()):
        if record.get("id") == record_id:
            return file_name, record
    return None


def values_at(node: Any, path: Sequence[str]) -> Iterator[Any]:
    """Every value at a field path ('*' = each item of an array) inside a JSON value."""
    if not path:
        yield node
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(node, list):
            for item in node:
                yield from values_at(item, rest)
    elif isinstance(node, dict) and head in node:
        yield from values_at(node[head], rest)


def text_in(language_map: Any, language: str) -> str:
    """The text of a language map in ``language``, falling back to English."""
    if isinstance(language_map, dict):
        return str(language_map.get(language) or language_map.get("en") or "")
    return str(language_map or "")


def build_language(env: BuildEnvironment) -> str:
    """The language of the build ('en' when none is set)."""
    return (env.config.language or "en").split("_")[0].split("-")[0]


def translatable_paragraph(text: str, source: str, line: int) -> nodes.paragraph:
    """A paragraph Sphinx's gettext machinery extracts and translates.

    Generated nodes are only translated when they carry a source and their
    raw text; the text is plain, so it is escaped for reST where needed.
    """
    para = nodes.paragraph(text, text)
    para.source, para.line = source, line
    return para


def translatable_title(text: str, source: str, line: int) -> nodes.title:
    title = nodes.title(text, text)
    title.source, title.line = source, line
    return title


def section(section_id: str, title: nodes.title) -> nodes.section:
    """A section with an explicit, stable id (never derived from a translated title).

    Titles that are not text of the standard (codes, labels already translated
    by the hsdocs catalogue) are kept out of the translation catalogues.
    """
    if title.source is None:
        title["translatable"] = False
    sect = nodes.section(ids=[section_id])
    sect += title
    return sect


def note_target(env: BuildEnvironment, name: str, node_id: str, title: str) -> None:
    """Register ``name`` as a :ref: label for ``node_id`` in the current document."""
    env.domains.standard_domain.note_hyperlink_target(name.lower(), env.docname, node_id, title)


def ref(target: str, *children: nodes.Node, literal: bool = False) -> nodes.TextElement:
    """A :ref: to a label registered with :func:`note_target` (checked by -n)."""
    xref = addnodes.pending_xref(
        "", refdomain="std", reftype="ref", reftarget=target.lower(), refexplicit=True
    )
    xref.extend(children)
    if literal:
        # The std domain rebuilds a :ref:'s content as plain text, so the code styling
        # goes around the reference rather than inside it.
        return nodes.literal("", "", xref)  # type: ignore[return-value]
    return xref


def badge(text: str, kind: str) -> nodes.inline:
    return nodes.inline(text, text, classes=["hsdocs-badge", f"hsdocs-badge-{kind}"])


def table(classes: list[str], widths: tuple[int, ...]) -> tuple[nodes.table, nodes.tgroup]:
    """A table whose column widths (percentages) are kept by the HTML writer."""
    node = nodes.table(classes=[*classes, "colwidths-given"])
    group = nodes.tgroup(cols=len(widths))
    node += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    return node, group


def compact_json(value: Any, limit: int = 90) -> str:
    """A one-line JSON rendering of an example value, shortened past ``limit`` characters."""
    text = json.dumps(value, ensure_ascii=False)
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def relative_to_repo(path: Path) -> str:
    """A path as publishers see it in the repository ('schema/1.0/event.json')."""
    parts = path.resolve().parts
    for anchor in ("schema", "data"):
        if anchor in parts:
            index = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[index:])
    return path.name
