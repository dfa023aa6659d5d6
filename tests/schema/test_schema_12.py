"""Standard 1.2: what its design asks of every schema file, checked file by file.

The checks every version shares (valid against draft 2020-12 and the hsdata
meta-schema, closed codelists equal to their enums, titles and descriptions)
are in test_schema_quality.py and cover 1.2 too; these are the ones 1.2 adds:
portable patterns, no verdict left to ``format``, the keyword vocabulary,
references that may carry a prefix, identifiers and asOf on every record type,
optional English, the descriptor schema and the codelists' French.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest

import hsdata

from .helpers import DATA_DIR, REPO_ROOT, SCHEMA_ROOT, load_strict, walk

V12 = SCHEMA_ROOT / "1.2"
FILES = sorted(V12.glob("*.json"))
RECORD_FILES = [
    p for p in FILES if p.name not in {"common.json", "meta-schema.json", "package.json"}
]
END = r"(?![\s\S])"
MINIMAL = REPO_ROOT / "tests" / "validator" / "fixtures_v12" / "minimal"


def rel(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT))


def patterns(node: Any) -> list[tuple[str, str]]:
    return [
        (pointer, value["pattern"])
        for pointer, value in walk(node)
        if isinstance(value, dict) and isinstance(value.get("pattern"), str)
    ]


@pytest.mark.parametrize("path", FILES, ids=rel)
def test_no_pattern_ends_in_a_dollar(path: Path) -> None:
    bad = [pointer for pointer, pattern in patterns(load_strict(path)) if pattern.endswith("$")]
    assert not bad, f"{rel(path)}: patterns ending in '$' (write {END} instead): {bad}"


@pytest.mark.parametrize("path", FILES, ids=rel)
def test_format_never_decides_alone(path: Path) -> None:
    """'format' may annotate a field whose pattern decides; it never stands alone."""
    alone = [
        pointer
        for pointer, node in walk(load_strict(path))
        if isinstance(node, dict) and "format" in node and "pattern" not in node
    ]
    assert not alone, f"{rel(path)}: 'format' without a pattern: {alone}"


def string_values() -> list[str]:
    """Every string of the canonical data and the minimal 1.2 package: real values to test."""
    found: set[str] = set()
    for folder in (DATA_DIR, MINIMAL):
        for path in folder.glob("*.json"):
            for _, value in walk(json.loads(path.read_text(encoding="utf-8"))):
                if isinstance(value, str) and len(value) < 200:
                    found.add(value)
                elif isinstance(value, dict):
                    found.update(key for key in value if isinstance(key, str))
    return sorted(found)


def test_whole_string_patterns_refuse_a_final_line_break_in_python_and_rust() -> None:
    """Python's '$' matches before a final newline; the 1.2 patterns match nowhere but the end,
    in Python's re and in jsonschema_rs (an ECMA-262-like engine) alike."""
    values = string_values()
    checked = 0
    for path in FILES:
        for pointer, pattern in patterns(load_strict(path)):
            if not pattern.endswith(END):
                continue
            rust = jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
            compiled = re.compile(pattern)
            for value in values:
                if not compiled.search(value):
                    continue
                checked += 1
                assert rust.is_valid(value), (rel(path), pointer, value)
                assert not compiled.search(value + "\n"), (rel(path), pointer, value)
                assert not rust.is_valid(value + "\n"), (rel(path), pointer, value)
    assert checked > 100  # the data exercised the patterns


def test_the_keywords_are_an_optional_vocabulary() -> None:
    meta = load_strict(V12 / "meta-schema.json")
    vocabulary = meta["$vocabulary"]
    assert vocabulary["https://w3id.org/hsdata/vocab/1.2/keywords"] is False
    assert vocabulary["https://json-schema.org/draft/2020-12/vocab/core"] is True
    assert {"version", "codelist", "openCodelist", "recordRef"} <= set(meta["properties"])
    assert {"engagement", "commitment"} <= set(meta["properties"]["recordRef"]["enum"])
    assert "ajv.addVocabulary" in meta["description"]


@pytest.mark.parametrize("path", RECORD_FILES, ids=rel)
def test_every_record_type_has_identifiers_and_as_of(path: Path) -> None:
    properties = load_strict(path)["properties"]
    assert properties["identifiers"]["$ref"] == "common.json#/$defs/Identifiers"
    assert properties["asOf"]["$ref"] == "common.json#/$defs/PartialDate"


@pytest.mark.parametrize("path", [p for p in FILES if p.name != "meta-schema.json"], ids=rel)
def test_every_reference_may_carry_a_prefix(path: Path) -> None:
    wrong = [
        pointer
        for pointer, node in walk(load_strict(path))
        if isinstance(node, dict)
        and "recordRef" in node
        and not str(node.get("$ref", "")).endswith("#/$defs/Reference")
    ]
    assert not wrong, f"{rel(path)}: references that are plain identifiers: {wrong}"


def test_reference_pattern() -> None:
    reference = load_strict(V12 / "common.json")["$defs"]["Reference"]
    validator = jsonschema.Draft202012Validator(reference)
    for good in ("canada", "hsca:canada", "a-1:b-2"):
        assert validator.is_valid(good), good
    for bad in ("Canada", "hsca:", ":canada", "a:b:c", "hsca::canada", "a--b", "canada\n"):
        assert not validator.is_valid(bad), bad


def test_english_is_optional_and_tags_keep_their_shape() -> None:
    language_map = load_strict(V12 / "common.json")["$defs"]["LanguageMap"]
    assert "required" not in language_map and language_map["minProperties"] == 1
    schemas = hsdata.load_schema_set("1.2")
    validator = jsonschema.Draft202012Validator(language_map, registry=schemas.registry)
    assert validator.is_valid({"nb": "Norge"})
    assert not validator.is_valid({})
    assert not validator.is_valid({"EN": "Norway"})


def test_place_replaces_location_which_stays_an_alias() -> None:
    defs = load_strict(V12 / "common.json")["$defs"]
    assert defs["Location"]["$ref"] == "#/$defs/Place"
    place = defs["Place"]
    assert set(place["properties"]) == {
        "name",
        "country",
        "subdivision",
        "region",
        "coordinates",
        "identifiers",
    }
    schemas = hsdata.load_schema_set("1.2")
    validator = jsonschema.Draft202012Validator(
        {"$ref": "https://w3id.org/hsdata/schema/1.2/common.json#/$defs/Location"},
        registry=schemas.registry,
    )
    assert validator.is_valid({"name": {"en": "Oslo"}, "country": "NO"})  # a 1.1 location
    assert not validator.is_valid({})
    assert not validator.is_valid({"coordinates": {"latitude": 59.9}})


def descriptor_validator() -> jsonschema.Draft202012Validator:
    schemas = hsdata.load_schema_set("1.2")
    return jsonschema.Draft202012Validator(
        schemas.schemas["https://w3id.org/hsdata/schema/1.2/package.json"],
        registry=schemas.registry,
    )


@pytest.mark.parametrize("folder", [DATA_DIR, MINIMAL], ids=rel)
def test_the_descriptor_schema_accepts_the_bundled_1_2_descriptors(folder: Path) -> None:
    descriptor = load_strict(folder / "datapackage.json")
    if descriptor.get("hsdata:version") != "1.2":
        pytest.skip(f"{rel(folder)} is not at 1.2")
    errors = [e.message for e in descriptor_validator().iter_errors(descriptor)]
    assert not errors, errors


@pytest.mark.parametrize(
    "key",
    ["hsdata:version", "hsdata:namespace", "hsdata:publisher", "licenses", "hsdata:published"],
)
def test_the_descriptor_schema_requires(key: str) -> None:
    descriptor = load_strict(MINIMAL / "datapackage.json")
    assert descriptor_validator().is_valid(descriptor)
    del descriptor[key]
    assert not descriptor_validator().is_valid(descriptor)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("hsdata:namespace", "https://example.org/no-final-slash"),
        ("hsdata:namespace", "https:///"),
        ("hsdata:published", "2026-12-01"),
        ("hsdata:published", "2026-12-01T00:00:00+01:00"),
        ("hsdata:publsher", {}),
        ("licenses", [{"title": "no name or path"}]),
    ],
)
def test_the_descriptor_schema_refuses(key: str, value: Any) -> None:
    descriptor = load_strict(MINIMAL / "datapackage.json")
    descriptor[key] = value
    assert not descriptor_validator().is_valid(descriptor)


def codes(name: str) -> list[str]:
    with (V12 / "codelists" / name).open(encoding="utf-8", newline="") as handle:
        return [row["code"] for row in csv.DictReader(handle)]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("reportingType.csv", ["primary", "secondary"]),
        (
            "identifierScheme.csv",
            [
                "iso3166-1",
                "iso3166-2",
                "m49",
                "wikidata",
                "orgId",
                "isni",
                "viaf",
                "ror",
                "geonames",
                "unTreaty",
                "iatiOrg",
            ],
        ),
        ("partnershipRoleType.csv", ["chair", "host", "secretariat", "coordinator", "depositary"]),
        (
            "documentStage.csv",
            [
                "drafted",
                "adopted",
                "openedForSignature",
                "signed",
                "ratified",
                "enteredIntoForce",
                "amended",
                "terminated",
            ],
        ),
        ("documentPartyRole.csv", ["signatory", "party", "observer", "depositary"]),
        (
            "engagementMode.csv",
            [
                "championed",
                "promoted",
                "sponsored",
                "hosted",
                "chaired",
                "funded",
                "coordinated",
                "participated",
            ],
        ),
        (
            "commitmentStatus.csv",
            ["stated", "scheduled", "inProgress", "met", "partlyMet", "notMet", "withdrawn"],
        ),
    ],
)
def test_the_new_codelists(name: str, expected: list[str]) -> None:
    assert codes(name) == expected


def test_the_grown_codelists_keep_every_1_1_code() -> None:
    for path in sorted((SCHEMA_ROOT / "1.1" / "codelists").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            old = [row["code"] for row in csv.DictReader(handle)]
        assert set(old) <= set(codes(path.name)), path.name
    assert "internationalHumanitarianBody" in codes("actorType.csv")
    assert {
        "diplomaticConference",
        "adoption",
        "entryIntoForce",
        "ratification",
        "openingForSignature",
    } <= set(codes("eventType.csv"))
    for roles in ("participantRole.csv", "memberRole.csv", "membershipRole.csv"):
        assert "observer" in codes(roles), roles


def test_the_icrc_is_no_longer_the_example_of_an_ngo() -> None:
    with (V12 / "codelists" / "actorType.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["code"]: row for row in csv.DictReader(handle)}
    assert "Red Cross" not in rows["nonGovernmentalOrganization"]["description"]
    assert "Croix-Rouge" not in rows["nonGovernmentalOrganization"]["description_fr"]
    assert "Red Cross" in rows["internationalHumanitarianBody"]["description"]


def test_french_descriptions_are_loaded_and_differ_from_the_english() -> None:
    """Every 1.2 code has a French description of its own (not the English copied)."""
    for path in sorted((V12 / "codelists").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                assert row["description_fr"] and row["description_fr"] != row["description"], (
                    path.name,
                    row["code"],
                )


def test_engagement_and_commitment_are_record_types() -> None:
    schemas = hsdata.load_schema_set("1.2")
    assert {"engagement", "commitment"} <= set(schemas.record_types)
    assert "package" not in schemas.record_types
    targets = {(f.record_type, f.path): f.target for f in schemas.reference_fields}
    assert targets[("engagement", ("issueAreas", "*"))] == "issueArea"
    assert targets[("engagement", ("forum",))] == "actor"
    assert targets[("commitment", ("committedBy", "*"))] == "actor"
    assert targets[("partnership", ("roles", "*", "actor"))] == "actor"
    assert targets[("document", ("lifecycle", "*", "event"))] == "event"


def test_the_loaded_codelists_carry_the_french_descriptions() -> None:
    actor_types = hsdata.load_schema_set("1.2").codelists["actorType.csv"]
    assert actor_types.descriptions_fr["state"].startswith("Un État souverain")
    older = hsdata.load_schema_set("1.1").codelists["actorType.csv"]
    assert older.descriptions_fr["state"] == older.descriptions["state"]  # no French column
