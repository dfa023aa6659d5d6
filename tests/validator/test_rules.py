"""Every rule of the catalogue fails on its fixture, and the canonical data passes them all.

A fixture is ``fixtures/rules/<rule-id>.json``: edits that break a copy of
the canonical package in exactly one way, the inputs to validate (the
package folder by default) and the exit code expected.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import hsdata
from hsdata._validator import RULE_IDS, validate

from .conftest import CANONICAL_RECORDS, FIXTURES, apply_edit

RULE_FIXTURES = sorted((FIXTURES / "rules").glob("*.json"))

#: Rules the bundled schemas cannot trigger (no plain enum, no deprecated code, no
#: keyword outside the mapped ones) or that belong to the command line; each has its
#: own test in test_schema_stage.py or test_cli.py.
TESTED_ELSEWHERE = {
    "schema-enum",
    "schema-other",
    "codelist-deprecated",
    "package-extensions-unsupported",
    "input-usage",
    "input-internal-error",
    "schema-reference-unresolvable",
    "json-too-large",  # needs a file over the size limit: tests/hostile/test_huge_inputs.py
    # Rules of standard 1.2, each failed on a 1.2 package in test_v12_rules.py:
    "package-hsdata-invalid",
    "dependency-undeclared",
    "language-english-missing",
    "identifier-scheme-format",
    "role-holder-not-member",
    "lifecycle-order",
    # Rules of a registry file, not of a package: tests/registry/test_registry.py.
    "registry-invalid",
    "registry-package-missing",
    "registry-fetch-failed",
    # tests/merge: a contradiction between two publishers' packages
    "merge-conflict",
}


def _load(fixture: Path) -> dict[str, Any]:
    return json.loads(fixture.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_every_rule_has_a_fixture_or_a_test() -> None:
    with_fixture = {f.stem for f in RULE_FIXTURES}
    assert with_fixture.isdisjoint(TESTED_ELSEWHERE)
    assert with_fixture | TESTED_ELSEWHERE == set(RULE_IDS)


def test_every_rule_is_in_the_catalogue_with_words_for_people() -> None:
    for rule_id in RULE_IDS:
        rule = hsdata.RULES[rule_id]
        assert rule.id == rule_id
        assert rule_id == rule_id.lower() and " " not in rule_id
        assert rule.title and rule.explanation.endswith(".")
        assert rule.docs_url == f"https://w3id.org/hsdata/docs/rules.html#{rule_id}"


@pytest.mark.parametrize("fixture", RULE_FIXTURES, ids=lambda p: p.stem)
def test_rule_fails_on_its_fixture(fixture: Path, package: Path, no_network: None) -> None:
    spec = _load(fixture)
    assert spec["rule"] == fixture.stem
    for edit in spec.get("edits", []):
        apply_edit(package, edit)
    targets = [package / name for name in spec.get("validate", [])] or package
    report = validate(targets)
    assert fixture.stem in report.by_rule(), [(i.rule, i.message) for i in report.issues]
    assert report.exit_code == spec["exit"], [(i.rule, i.message) for i in report.issues]
    for issue in report.issues:
        assert issue.docs_url == hsdata.RULES[issue.rule].docs_url
        assert issue.message and "Traceback" not in issue.message


def test_canonical_package_is_clean(no_network: None) -> None:
    report = validate()
    assert report.issues == ()
    assert report.exit_code == hsdata.ExitCode.VALID
    assert report.records_checked == CANONICAL_RECORDS
    assert report.schema_version == hsdata.STANDARD_VERSION


@pytest.mark.parametrize("fixture", RULE_FIXTURES, ids=lambda p: p.stem)
def test_rule_reports_only_where_broken(fixture: Path, package: Path) -> None:
    """The same edits undone (a fresh copy) report nothing: the rule passes on good data."""
    assert fixture.stem not in validate(package).by_rule()
