"""The rules standard 1.2 adds, each failed on a copy of a minimal valid 1.2 package.

``fixtures_v12/minimal`` holds one record of every 1.2 record type (engagement
and commitment included), a publisher, a namespace, a licence and a release
date. Each test breaks one thing in a copy and expects its rule, at its
place, and nothing else; the package as it is must be clean.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import hsdata
from hsdata._paths import canonical_data_dir
from hsdata._validator import validate

MINIMAL = Path(__file__).resolve().parent / "fixtures_v12" / "minimal"
NEW_RULES = (
    "package-hsdata-invalid",
    "dependency-undeclared",
    "language-english-missing",
    "identifier-scheme-format",
    "role-holder-not-member",
    "lifecycle-order",
)


@pytest.fixture
def package(tmp_path: Path) -> Path:
    target = tmp_path / "package"
    shutil.copytree(MINIMAL, target)
    return target


def edit(package: Path, file: str, change: Callable[[Any], None]) -> None:
    path = package / file
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def found(package: Path) -> list[tuple[str, str, str | None, str | None]]:
    report = validate(package)
    for issue in report.issues:
        assert issue.message and "Traceback" not in issue.message
        assert issue.docs_url == hsdata.RULES[issue.rule].docs_url
    return [
        (i.rule, i.severity.value, Path(i.file).name if i.file else None, i.pointer)
        for i in report.issues
    ]


def test_the_minimal_package_is_valid_and_loads(no_network: None) -> None:
    report = validate(MINIMAL)
    assert report.issues == (), [(i.rule, i.message) for i in report.issues]
    assert report.schema_version == "1.2"
    dataset = hsdata.load(MINIMAL)
    assert set(dataset.record_types) == {
        "actor",
        "commitment",
        "document",
        "engagement",
        "event",
        "issueArea",
        "membership",
        "partnership",
        "source",
    }
    for record_type in dataset.record_types:
        assert len(dataset.records(record_type)) >= 1, record_type
    engagement = dataset.records("engagement")["norway-landmines-oslo"]
    assert engagement.actor is dataset.actors["norway"]
    assert [area.id for area in engagement.issue_areas] == ["landmines"]
    commitment = dataset.records("commitment")["norway-mine-clearance"]
    assert [actor.id for actor in commitment.committed_by] == ["norway"]
    assert commitment.status == "stated"


def test_every_new_rule_is_registered_in_english_and_french() -> None:
    from hsdata._reporting._catalogue_fr import RULES_FR

    for rule_id in NEW_RULES:
        assert hsdata.RULES[rule_id].explanation.endswith(".")
        title, explanation = RULES_FR[rule_id]
        assert title and explanation.endswith(".")


def test_descriptor_without_publisher_licence_and_release(package: Path) -> None:
    def change(descriptor: dict[str, Any]) -> None:
        del descriptor["hsdata:publisher"]
        del descriptor["hsdata:published"]
        descriptor["licenses"] = []

    edit(package, "datapackage.json", change)
    issues = found(package)
    assert ("package-hsdata-invalid", "error", "datapackage.json", "") in issues
    assert ("package-hsdata-invalid", "error", "datapackage.json", "/licenses") in issues
    messages = [i.message for i in validate(package).issues]
    assert any("has no hsdata:publisher" in m for m in messages)
    assert any("has no hsdata:published" in m for m in messages)
    assert all(rule == "package-hsdata-invalid" for rule, *_ in issues)


def test_descriptor_problems_are_placed_by_pointer_and_line(package: Path) -> None:
    def change(descriptor: dict[str, Any]) -> None:
        descriptor["hsdata:namespace"] = "https://example.org/no-slash"
        descriptor["hsdata:published"] = "2026-12-01"
        descriptor["hsdata:publsher"] = {}
        descriptor["hsdata:publisher"]["reporting"] = "tertiary"

    edit(package, "datapackage.json", change)
    report = validate(package)
    by_pointer = {i.pointer: i for i in report.issues}
    assert set(by_pointer) == {
        "/hsdata:namespace",
        "/hsdata:published",
        "/hsdata:publsher",
        "/hsdata:publisher/reporting",
    }
    assert "did you mean 'hsdata:publisher'?" in by_pointer["/hsdata:publsher"].message
    assert "ending in '/'" in by_pointer["/hsdata:namespace"].message
    lines = (package / "datapackage.json").read_text(encoding="utf-8").splitlines()
    for pointer, issue in by_pointer.items():
        key = pointer.rsplit("/", 1)[-1]
        assert issue.line is not None and f'"{key}"' in lines[issue.line - 1], pointer


def test_duplicate_dependency_prefix(package: Path) -> None:
    dependency = {
        "prefix": "hsca",
        "name": "hsdata-canonical",
        "version": "1.2.0",
        "namespace": "https://w3id.org/hsdata/data/canonical/",
        "path": str(canonical_data_dir()),  # its local copy (without one: dependency-missing)
    }

    def change(descriptor: dict[str, Any]) -> None:
        descriptor["hsdata:dependencies"] = [dependency, dict(dependency)]

    edit(package, "datapackage.json", change)
    assert found(package) == [
        ("package-hsdata-invalid", "error", "datapackage.json", "/hsdata:dependencies/1/prefix")
    ]


def test_reference_with_an_undeclared_prefix(package: Path) -> None:
    edit(package, "actors.json", lambda actors: actors[2].update(parent="hsca:united-nations"))
    assert found(package) == [("dependency-undeclared", "error", "actors.json", "/2/parent")]


def test_reference_with_a_declared_prefix_is_left_to_the_dependency(package: Path) -> None:
    def declare(descriptor: dict[str, Any]) -> None:
        descriptor["hsdata:dependencies"] = [
            {
                "prefix": "hsca",
                "name": "hsdata-canonical",
                "version": "1.2.0",
                "namespace": "https://w3id.org/hsdata/data/canonical/",
                "path": str(canonical_data_dir()),
            }
        ]

    edit(package, "datapackage.json", declare)
    edit(package, "actors.json", lambda actors: actors[2].update(parent="hsca:united-nations"))
    assert found(package) == []
    # ... while a local reference that names nothing is still unresolved.
    edit(package, "actors.json", lambda actors: actors[2].update(parent="united-nations"))
    assert found(package) == [("ref-unresolved", "error", "actors.json", "/2/parent")]


def test_text_without_english(package: Path) -> None:
    edit(package, "actors.json", lambda actors: actors[0].update(name={"nb": "Norge"}))
    assert found(package) == [("language-english-missing", "warning", "actors.json", "/0/name")]
    assert validate(package).exit_code == hsdata.ExitCode.VALID


def test_english_in_a_regional_form_counts(package: Path) -> None:
    edit(package, "actors.json", lambda actors: actors[0].update(name={"en-GB": "Norway"}))
    assert found(package) == []


def test_unregistered_language_tag_is_an_error_in_1_2(package: Path) -> None:
    edit(
        package,
        "actors.json",
        lambda actors: actors[1].update(description={"en": "A state.", "sp": "Un estado."}),
    )
    assert found(package) == [("language-tag-unknown", "error", "actors.json", "/1/description/sp")]


def test_descriptor_texts_are_checked_like_records(package: Path) -> None:
    edit(
        package,
        "datapackage.json",
        lambda descriptor: descriptor["hsdata:publisher"].update(name={"sp": "Editor"}),
    )
    assert sorted(found(package)) == [
        ("language-english-missing", "warning", "datapackage.json", "/hsdata:publisher/name"),
        ("language-tag-unknown", "error", "datapackage.json", "/hsdata:publisher/name/sp"),
    ]


@pytest.mark.parametrize(
    ("scheme", "value"),
    [
        ("iso3166-1", "XX"),
        ("iso3166-1", "no"),
        ("wikidata", "16"),
        ("m49", "19"),
        ("iso3166-2", "CA-ONTARIO"),
        ("iso3166-2", "XX-ON"),
    ],
)
def test_identifier_not_of_its_scheme_form(package: Path, scheme: str, value: str) -> None:
    edit(
        package,
        "actors.json",
        lambda actors: actors[0].update(identifiers=[{"scheme": scheme, "id": value}]),
    )
    assert found(package) == [
        ("identifier-scheme-format", "warning", "actors.json", "/0/identifiers/0/id")
    ]


def test_identifiers_of_their_scheme_form_and_other_schemes_pass(package: Path) -> None:
    identifiers = [
        {"scheme": "iso3166-1", "id": "NO"},
        {"scheme": "iso3166-2", "id": "NO-03"},
        {"scheme": "m49", "id": "578"},
        {"scheme": "wikidata", "id": "Q20"},
        {"scheme": "viaf", "id": "anything at all"},
    ]
    edit(package, "actors.json", lambda actors: actors[0].update(identifiers=identifiers))
    assert found(package) == []


def test_identifier_of_a_place_is_checked(package: Path) -> None:
    def change(actors: list[dict[str, Any]]) -> None:
        actors[2]["location"]["identifiers"] = [{"scheme": "wikidata", "id": "geneva"}]

    edit(package, "actors.json", change)
    assert found(package) == [
        ("identifier-scheme-format", "warning", "actors.json", "/2/location/identifiers/0/id")
    ]


def test_role_held_by_an_actor_that_is_not_a_member(package: Path) -> None:
    def change(partnerships: list[dict[str, Any]]) -> None:
        partnerships[0]["roles"].append({"role": "host", "actor": "icrc"})

    edit(package, "partnerships.json", change)
    assert found(package) == [
        ("role-holder-not-member", "warning", "partnerships.json", "/0/roles/2/actor")
    ]


def test_secretariat_and_depositary_may_be_outside_bodies(package: Path) -> None:
    def change(partnerships: list[dict[str, Any]]) -> None:
        partnerships[0]["roles"].append({"role": "secretariat", "actor": "icrc"})
        partnerships[0]["roles"].append({"role": "depositary", "actor": "icrc"})

    edit(package, "partnerships.json", change)
    assert found(package) == []


def test_lifecycle_stage_before_an_earlier_stage(package: Path) -> None:
    def change(documents: list[dict[str, Any]]) -> None:
        documents[0]["lifecycle"][2]["date"] = "1997-08"  # in force before its adoption

    edit(package, "documents.json", change)
    issues = found(package)
    assert issues and set(issues) == {
        ("lifecycle-order", "error", "documents.json", "/0/lifecycle/2/date")
    }
    assert any("before it was adopted" in i.message for i in validate(package).issues)


def test_lifecycle_partial_dates_that_may_be_in_order_pass(package: Path) -> None:
    def change(documents: list[dict[str, Any]]) -> None:
        documents[0]["lifecycle"][0]["date"] = "1997"  # adopted some time in 1997
        documents[0]["lifecycle"].append({"stage": "signed", "date": "1997-12"})
        documents[0]["lifecycle"].append({"stage": "terminated"})  # undated: nothing to compare

    edit(package, "documents.json", change)
    assert found(package) == []


def test_party_bound_before_it_signed(package: Path) -> None:
    def change(documents: list[dict[str, Any]]) -> None:
        documents[0]["parties"][1]["consented"] = "1997-11-30"

    edit(package, "documents.json", change)
    assert found(package) == [
        ("lifecycle-order", "error", "documents.json", "/0/parties/1/consented")
    ]


def test_new_rules_leave_1_1_data_alone() -> None:
    """The canonical data of 1.1 (kept for the upgrade tests) meets none of them."""
    old = Path(__file__).resolve().parents[1] / "versions" / "canonical_1_1"
    if not old.is_dir():
        pytest.skip("no 1.1 copy of the canonical data in tests/versions")
    report = validate(old)
    assert report.schema_version == "1.1"
    assert not set(report.by_rule()) & set(NEW_RULES)


def test_unregistered_language_tag_stays_a_warning_for_1_1() -> None:
    checker = hsdata.RecordChecker(hsdata.load_schema_set("1.1"))
    source = {"id": "a-report", "type": "report", "title": {"en": "A report"}, "language": "sp"}
    issues = hsdata.check_record(source, "source", checker)
    assert [(i.rule, i.severity.value) for i in issues] == [("language-tag-unknown", "warning")]
