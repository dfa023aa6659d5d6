"""The rule catalogue, generated from :data:`hsdata.RULES` at build time.

Validator messages link to ``rules.html#<rule-id>``, so every rule gets a
section whose HTML id is exactly its rule id (never one derived from its
title), grouped by category in the order the catalogue defines them.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

import hsdata

from ._nodes import badge, label, note_target, section
from ._nodes import table as make_table

#: Headings for the categories the validator uses; an unknown category shows its name.
CATEGORY_TITLES = {
    "json": "Reading files",
    "input": "What was asked for",
    "package": "Data packages",
    "extensions": "Extensions",
    "spreadsheet": "Spreadsheets",
    "upgrade": "Upgrades",
    "schema": "Records against their schema",
    "integrity": "Identifiers and references",
    "codelist": "Codelists",
    "date": "Dates",
    "text": "Free text",
    "actor": "Actors",
    "partnership": "Partnerships",
    "issueArea": "Issue areas",
}


def _plain_dashes(paragraph: nodes.paragraph) -> nodes.paragraph:
    """Keep ``--record-type`` as typed where a text names a command-line option.

    Smart quotes would turn ``--`` into an en dash, and an option copied from the
    page would then fail; such a paragraph keeps its plain characters.
    """
    if "--" in paragraph.astext():
        paragraph["support_smartquotes"] = False
    return paragraph


class RuleCatalogue(SphinxDirective):
    """``.. hsdata-rules::`` - one entry per rule id, anchored at the id itself."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        rules = list(hsdata.RULES.values())
        if not rules:
            return [nodes.paragraph("", label("No validation rules are registered."))]
        by_category: dict[str, list[hsdata.Rule]] = {}
        for rule in rules:
            by_category.setdefault(rule.category, []).append(rule)
        summary = self.summary_table(rules)
        result: list[nodes.Node] = [summary]
        for category, members in by_category.items():
            title_text = label(CATEGORY_TITLES.get(category, category))
            title = nodes.title("", title_text + " ")
            title += nodes.literal(f"{category}", f"{category}")
            sect = section(f"category-{category}", title)
            for rule in members:
                sect += self.rule_section(rule)
            result.append(sect)
        return result

    def rule_section(self, rule: hsdata.Rule) -> nodes.section:
        title = nodes.title("", "")
        title += nodes.literal(rule.id, rule.id)
        title += nodes.Text(" " + rule.title)
        if "--" in rule.title:
            title["support_smartquotes"] = False
        sect = section(rule.id, title)
        sect["classes"].append("hsdocs-rule")
        note_target(self.env, f"rule-{rule.id}", rule.id, rule.title)
        facts = nodes.paragraph(classes=["hsdocs-rule-facts"])
        severity = str(rule.severity)
        facts += badge(label(severity), severity)
        facts += nodes.Text(" " + label("Category:") + " ")
        facts += nodes.literal(rule.category, rule.category)
        sect += facts
        for paragraph in rule.explanation.split("\n\n"):
            text = " ".join(paragraph.split())
            if text:
                sect += _plain_dashes(nodes.paragraph(text, text))
        return sect

    def summary_table(self, rules: list[hsdata.Rule]) -> nodes.table:
        table, group = make_table(["hsdocs-rule-summary"], (34, 14, 52))
        head = nodes.thead()
        group += head
        header = nodes.row()
        for text in (label("Rule"), label("Severity"), label("What it checks")):
            header += nodes.entry("", nodes.paragraph("", text))
        head += header
        body = nodes.tbody()
        group += body
        for rule in rules:
            row = nodes.row()
            link = nodes.paragraph()
            link += nodes.reference("", "", nodes.literal(rule.id, rule.id), refid=rule.id)
            row += nodes.entry("", link)
            severity = str(rule.severity)
            row += nodes.entry("", nodes.paragraph("", "", badge(label(severity), severity)))
            row += nodes.entry("", _plain_dashes(nodes.paragraph(rule.title, rule.title)))
            body += row
        return table
