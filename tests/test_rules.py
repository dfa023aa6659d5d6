"""The rule catalogue: unique ids, idempotent registration, complete entries."""

from __future__ import annotations

import pytest

import hsdata
from hsdata._reporting import register


def test_registering_the_same_rule_again_returns_the_catalogue_copy() -> None:
    rule = next(iter(hsdata.RULES.values()))
    again = hsdata.Rule(rule.id, rule.severity, rule.category, rule.title, rule.explanation)
    assert register(again) is rule


def test_a_different_rule_cannot_take_an_id_already_used() -> None:
    rule = next(iter(hsdata.RULES.values()))
    impostor = hsdata.Rule(rule.id, rule.severity, rule.category, "Another title", "Other.")
    with pytest.raises(ValueError, match="already used"):
        register(impostor)
    assert hsdata.RULES[rule.id] is rule


def test_every_rule_is_complete_and_links_to_its_docs_entry() -> None:
    assert len(hsdata.RULES) > 50
    for rule_id, rule in hsdata.RULES.items():
        assert rule.id == rule_id
        assert rule_id == rule_id.lower() and " " not in rule_id
        assert rule.title and rule.explanation.endswith((".", ")"))
        assert rule.docs_url.endswith(f"rules.html#{rule_id}")
