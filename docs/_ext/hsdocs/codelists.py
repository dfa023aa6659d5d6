"""The codelist reference, generated from schema/<version>/codelists/*.csv at build time.

One section per codelist (anchor ``codelist-<name>``), saying whether it is
open or closed and which fields use it, then one row per code (anchor
``<name>-<code>``) with its English and French titles and its description.

From 1.2 a codelist carries its French descriptions (``description_fr``): the
French edition shows them as the standard gives them, and they are not put up
for translation. Codelists without the column (1.0, 1.1) keep their English
descriptions translatable, as before.
"""

from __future__ import annotations

import csv
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from hsdata import Codelist

from ._nodes import (
    badge,
    build_language,
    label,
    note_target,
    ref,
    schema_set,
    section,
    translatable_paragraph,
)
from ._nodes import table as make_table
from .schema import anchor_for_path, build_index

#: Codelists whose descriptions are reference data copied from elsewhere (ISO 3166-1
#: names and codes), not text of the standard: they are not put up for translation.
UNTRANSLATED_DESCRIPTIONS = frozenset({"country"})


def code_anchor(codelist: str, code: str) -> str:
    return f"{codelist}-{code}"


def has_french_descriptions(path: Path) -> bool:
    """Whether a codelist CSV has the ``description_fr`` column (1.2 on)."""
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), [])
    return "description_fr" in header


class CodelistReference(SphinxDirective):
    """``.. hsdata-codelists::`` - every codelist of the standard."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        schemas = schema_set()
        index = build_index(schemas)
        source = self.state.document.current_source or self.env.docname
        result: list[nodes.Node] = []
        for file_name, codelist in schemas.codelists.items():
            self.env.note_dependency(str(schemas.directory / "codelists" / file_name))
            stem = file_name.removesuffix(".csv")
            anchor = f"codelist-{stem}"
            title = nodes.title("", "")
            title += nodes.literal(stem, stem)
            sect = section(anchor, title)
            note_target(self.env, anchor, anchor, stem)
            users = [f for f in schemas.codelist_fields if f.codelist == file_name]
            facts = nodes.paragraph(classes=["hsdocs-codelist-facts"])
            is_open = any(f.open for f in users)
            facts += badge(
                label("open codelist") if is_open else label("closed codelist"),
                "open" if is_open else "closed",
            )
            facts += nodes.Text(" ")
            facts += nodes.Text(
                label("Publishers may use other codes when none of these fits.")
                if is_open
                else label("Only these codes are valid.")
            )
            sect += facts
            used = nodes.paragraph(classes=["hsdocs-codelist-users"])
            used += nodes.Text(label("Used by:") + " ")
            for i, user in enumerate(users):
                if i:
                    used += nodes.Text(", ")
                field_anchor = anchor_for_path(index, user.record_type, user.path)
                shown = f"{user.record_type}.{'.'.join(user.path).replace('.*', '[]')}"
                if field_anchor is None:
                    used += nodes.literal(shown, shown)
                else:
                    used += ref(field_anchor, nodes.Text(shown), literal=True)
            used += nodes.Text(" · ")
            path = f"schema/{schemas.version}/codelists/{file_name}"
            used += nodes.literal(path, path)
            sect += used
            french = has_french_descriptions(schemas.directory / "codelists" / file_name)
            sect += self.codes_table(stem, codelist, source, french_descriptions=french)
            result.append(sect)
        return result

    def codes_table(
        self, stem: str, codelist: Codelist, source: str, *, french_descriptions: bool
    ) -> nodes.table:
        table, group = make_table(["hsdocs-codes"], (27, 19, 19, 35))
        head = nodes.thead()
        group += head
        header = nodes.row()
        for text in (label("Code"), label("Title (English)"), label("Title (French)")):
            header += nodes.entry("", nodes.paragraph("", text))
        header += nodes.entry("", nodes.paragraph("", label("Description")))
        head += header
        body = nodes.tbody()
        group += body
        for code in codelist.codes:
            anchor = code_anchor(stem, code)
            row = nodes.row(ids=[anchor])
            code_para = nodes.paragraph()
            code_para += nodes.reference(
                "", "", nodes.literal(code, code), refid=anchor, classes=["hsdocs-anchor"]
            )
            if code in codelist.deprecated:
                code_para += nodes.Text(" ")
                code_para += badge(label("deprecated"), "deprecated")
            row += nodes.entry("", code_para)
            titles = codelist.titles[code]
            row += nodes.entry("", nodes.paragraph("", titles["en"]))
            french = nodes.paragraph("", titles["fr"])
            french["lang"] = "fr"
            row += nodes.entry("", french)
            description = codelist.descriptions.get(code, "")
            cell = nodes.entry()
            if description:
                if french_descriptions:
                    cell += self.description_in_edition(codelist, code)
                elif stem in UNTRANSLATED_DESCRIPTIONS:
                    cell += nodes.paragraph(description, description)
                else:
                    cell += translatable_paragraph(description, source, self.lineno)
            if code in codelist.deprecated:
                note = codelist.deprecated[code]
                cell += nodes.paragraph(
                    "", label("Deprecated:") + " " + note, classes=["hsdocs-deprecated"]
                )
            row += cell
            body += row
        return table

    def description_in_edition(self, codelist: Codelist, code: str) -> nodes.paragraph:
        """The code's description in the edition's language, as the codelist gives it.

        Written without a source, so that gettext leaves it alone: the French
        text is the standard's own (``description_fr``), not a translation of the page.
        """
        if build_language(self.env) == "fr":
            text = codelist.descriptions_fr.get(code) or codelist.descriptions[code]
            para = nodes.paragraph(text, text)
            para["lang"] = "fr"
            return para
        text = codelist.descriptions[code]
        return nodes.paragraph(text, text)
