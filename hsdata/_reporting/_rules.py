"""The rule catalogue: every check the validator makes, with a stable id.

Each rule has an id that never changes meaning (like IATI's rulesets), a
severity, a title and an explanation a non-programmer understands, and a
link to its entry in the documentation. Validator messages name the rule;
the documentation's rule catalogue is generated from :data:`RULES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ._report import Severity

#: Where the rule catalogue is published; each rule has an anchor there.
DOCS_BASE = "https://w3id.org/hsdata/docs/rules.html"


@dataclass(frozen=True)
class Rule:
    """One check: its id, severity, category, title and explanation."""

    id: str
    severity: Severity
    category: str
    title: str
    explanation: str

    @property
    def docs_url(self) -> str:
        return f"{DOCS_BASE}#{self.id}"


_CATALOGUE: dict[str, Rule] = {}

#: Every rule, by id. Read-only; rules are added with :func:`register` at import.
RULES: Mapping[str, Rule] = MappingProxyType(_CATALOGUE)


def register(rule: Rule) -> Rule:
    """Add a rule to the catalogue and return the catalogue's copy.

    Registering the same rule again (a module imported twice, as doctest
    collection does) returns the rule already there; a different rule under
    an id already taken is a programming error.
    """
    existing = _CATALOGUE.setdefault(rule.id, rule)
    if existing != rule:
        raise ValueError(f"rule id {rule.id!r} is already used by another rule")
    return existing
