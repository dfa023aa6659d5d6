"""``.. hsdata-versions::`` - the published versions and what changed between them.

Computed from the bundled schemas and codelists of every version, so the
list of added, deprecated and removed fields and codes is exact.
"""

from __future__ import annotations

import itertools
from typing import Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

import hsdata

from ._nodes import label
from .schema import build_index, iter_documented_fields


def _fields(schemas: hsdata.SchemaSet) -> dict[str, dict[str, Any]]:
    """Field anchor -> subschema, for every documented field of a version."""
    index = build_index(schemas)
    found: dict[str, dict[str, Any]] = {}
    for anchor, name in iter_documented_fields(schemas):
        owner, *rest = anchor.split(".")
        schema = index.schema_of(owner)
        node = schema if len(rest) == 1 else schema.get("$defs", {}).get(rest[0], {})
        found[anchor] = node.get("properties", {}).get(name, {})
    return found


def _codes(schemas: hsdata.SchemaSet) -> set[tuple[str, str]]:
    return {
        (name.removesuffix(".csv"), code)
        for name, codelist in schemas.codelists.items()
        for code in codelist.codes
    }


def _item_list(items: list[str]) -> nodes.bullet_list:
    listing = nodes.bullet_list()
    for text in items:
        listing += nodes.list_item("", nodes.paragraph("", "", nodes.literal(text, text)))
    return listing


class VersionHistory(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        versions = hsdata.available_versions()
        result: list[nodes.Node] = []
        summary = nodes.paragraph()
        summary += nodes.Text(label("Published versions bundled with this package:") + " ")
        for i, version in enumerate(versions):
            if i:
                summary += nodes.Text(", ")
            url = f"https://w3id.org/hsdata/schema/{version}/"
            summary += nodes.reference(version, version, refuri=url)
        result.append(summary)
        for older, newer in itertools.pairwise(versions):
            old_schemas, new_schemas = hsdata.load_schema_set(older), hsdata.load_schema_set(newer)
            old_fields, new_fields = _fields(old_schemas), _fields(new_schemas)
            changes = [
                (label("Fields added"), sorted(set(new_fields) - set(old_fields))),
                (
                    label("Fields deprecated"),
                    sorted(
                        a
                        for a, sub in new_fields.items()
                        if sub.get("deprecated") and not old_fields.get(a, {}).get("deprecated")
                    ),
                ),
                (label("Fields removed"), sorted(set(old_fields) - set(new_fields))),
                (
                    label("Codes added"),
                    [f"{c}: {k}" for c, k in sorted(_codes(new_schemas) - _codes(old_schemas))],
                ),
                (
                    label("Codes removed"),
                    [f"{c}: {k}" for c, k in sorted(_codes(old_schemas) - _codes(new_schemas))],
                ),
            ]
            rubric = nodes.rubric("", f"{older} → {newer}")
            rubric["translatable"] = False
            result.append(rubric)
            listed = False
            for title, items in changes:
                if not items:
                    continue
                listed = True
                result.append(nodes.paragraph("", "", nodes.strong("", title)))
                result.append(_item_list(items))
            if not listed:
                result.append(nodes.paragraph("", label("No fields or codes changed.")))
        return result
