"""An extension's merged schemas are exactly what the documented merge rule gives.

The rule (extensions/README.md, "How the schemas are merged"): the standard's
schemas with each patch applied by JSON Merge Patch, then the ``enum`` of every
field bound to a closed codelist that a ``+``/``-`` file changed set to the
changed codelist's codes. The reference below is written from that sentence,
not from hsdata's code.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest

from hsdata import load_schema_set
from hsdata._extensions import (
    Extension,
    apply_extensions,
    bundled_extensions,
    check_extension,
    load_extension,
    merge_patch,
)

from . import currency_codelist
from .conftest import FUNDING_DIR, read_json, write_json

SCHEMA_BASE = "https://w3id.org/hsdata/schema"
CURRENCIES = [row["code"] for row in currency_codelist.rows()]


def _objects(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        return [node, *(found for value in node.values() for found in _objects(value))]
    if isinstance(node, list):
        return [found for value in node for found in _objects(value)]
    return []


def documented_merge(version: str, extension: Extension) -> dict[str, Any]:
    """The merged schemas by the documented rule, from the base schemas and the extension."""
    base = load_schema_set(version)
    schemas = copy.deepcopy(dict(base.schemas))
    for stem, patch in extension.patches.items():
        schema_id = f"{SCHEMA_BASE}/{version}/{stem}.json"
        schemas[schema_id] = merge_patch(schemas[schema_id], patch)
    codes = {name: list(codelist.codes) for name, codelist in base.codelists.items()}
    changed = set()
    for file_name, rows in extension.codelists.items():
        name = file_name.lstrip("+-")
        listed = [row["code"] for row in rows]
        if file_name.startswith("+"):
            codes[name] = codes[name] + listed
        elif file_name.startswith("-"):
            codes[name] = [code for code in codes[name] if code not in listed]
        if file_name[0] in "+-":
            changed.add(name)
    for schema in schemas.values():
        for node in _objects(schema):
            name = node.get("codelist")  # in the meta-schema, the keyword's own schema
            if isinstance(name, str) and name in changed and node.get("openCodelist") is False:
                node["enum"] = codes[name]
    return schemas


BUNDLED = [
    (name, version)
    for name in sorted(bundled_extensions())
    for version in load_extension(name).compatibility
]


@pytest.mark.parametrize(("name", "version"), BUNDLED)
def test_merged_schemas_are_the_documented_rule(name: str, version: str) -> None:
    extended = apply_extensions(load_schema_set(version), None, [name])
    expected = documented_merge(version, load_extension(name))
    assert set(extended.schemas) == set(expected)
    for schema_id, schema in expected.items():
        assert extended.schemas[schema_id] == schema, schema_id


def test_a_changed_closed_codelist_is_the_one_enum_step(tmp_path: Path) -> None:
    target = tmp_path / "ext"
    shutil.copytree(FUNDING_DIR, target)
    (target / "codelists" / "+partnershipType.csv").write_text(
        "code,title\nalliance,Alliance\n", encoding="utf-8"
    )
    descriptor = read_json(target / "extension.json")
    descriptor["codelists"].append("+partnershipType.csv")
    write_json(target / "extension.json", descriptor)
    extension = load_extension(target)
    extended = apply_extensions(load_schema_set("1.1"), tmp_path, ["ext"])
    expected = documented_merge("1.1", extension)
    partnership = f"{SCHEMA_BASE}/1.1/partnership.json"
    assert extended.schemas[partnership] == expected[partnership]
    assert expected[partnership]["properties"]["type"]["enum"][-1] == "alliance"


def test_the_funding_patch_lists_the_currency_codelist_as_its_enum() -> None:
    patch = read_json(FUNDING_DIR / "partnership-schema.json")
    enum = patch["$defs"]["FundingCommitment"]["properties"]["currency"]["enum"]
    committed = (FUNDING_DIR / "partnership-schema.json").read_text(encoding="utf-8")
    fix = (
        "the currency enum of extensions/funding/partnership-schema.json and "
        "codelists/currency.csv disagree: run python tests/toolchain/currency_codelist.py"
    )
    assert enum == CURRENCIES, fix
    assert committed == currency_codelist.render_patch(), fix


@pytest.fixture
def funding_copy(tmp_path: Path) -> Path:
    target = tmp_path / "ext"
    shutil.copytree(FUNDING_DIR, target)
    return target


def _set_currency_enum(extension: Path, enum: list[str] | None) -> None:
    patch = read_json(extension / "partnership-schema.json")
    currency = patch["$defs"]["FundingCommitment"]["properties"]["currency"]
    if enum is None:
        del currency["enum"]
    else:
        currency["enum"] = enum
    write_json(extension / "partnership-schema.json", patch)


@pytest.mark.parametrize(
    ("enum", "words"),
    [
        (None, "it has no enum"),
        (["CAD", "NOK"], "lacks"),
        ([*CURRENCIES, "CAN"], "lists 1 it does not have ('CAN')"),
        (list(reversed(CURRENCIES)), "another order"),
    ],
    ids=["missing", "too-few", "unknown-code", "order"],
)
def test_an_enum_that_is_not_the_closed_codelist_is_reported(
    funding_copy: Path, enum: list[str] | None, words: str
) -> None:
    _set_currency_enum(funding_copy, enum)
    report = check_extension(funding_copy)
    assert not report.valid
    (issue,) = report.issues
    assert issue.rule == "extension-patch"
    assert issue.pointer == "/$defs/FundingCommitment/properties/currency"
    assert Path(issue.file or "").name == "partnership-schema.json"
    assert "closed codelist currency.csv" in issue.message and words in issue.message
