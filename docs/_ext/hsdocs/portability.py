"""``.. hsdata-rules-beyond-schemas::`` - the rules a JSON Schema validator does not check.

Generated from :data:`hsdata.RULES`: every rule outside the ``schema`` category (what
the schemas say, which any JSON Schema implementation checks), grouped by category,
each linked to its entry in the rule catalogue.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

import hsdata

from ._nodes import label, ref
from .rules import CATEGORY_TITLES

#: The category whose rules are the schemas' own verdicts.
SCHEMA_CATEGORY = "schema"


class RulesBeyondSchemas(SphinxDirective):
    """One bullet list per category of the rules only hsdata checks."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        by_category: dict[str, list[hsdata.Rule]] = {}
        for rule in hsdata.RULES.values():
            if rule.category != SCHEMA_CATEGORY:
                by_category.setdefault(rule.category, []).append(rule)
        result: list[nodes.Node] = []
        for category, members in by_category.items():
            heading = nodes.paragraph()
            heading += nodes.strong("", label(CATEGORY_TITLES.get(category, category)))
            result.append(heading)
            items = nodes.bullet_list()
            for rule in members:
                line = nodes.paragraph()
                line += ref(f"rule-{rule.id}", nodes.Text(rule.id), literal=True)
                line += nodes.Text(f" ({rule.severity}): {rule.title}")
                if "--" in rule.title:
                    line["support_smartquotes"] = False
                items += nodes.list_item("", line)
            result.append(items)
        return result
