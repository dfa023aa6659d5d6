"""Quality checks on the standard's schemas and codelists, in the spirit of OCDS's jscc.

Each test names the file and JSON pointer of what it finds, so a failure says
exactly what to fix.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing.exceptions import Unresolvable

import hsdata
from hsdata._schemas import load_schema_set

from .helpers import (
    DATA_DIR,
    REPO_ROOT,
    SCHEMA_ROOT,
    json_files,
    load_strict,
    property_definitions,
    record_schema_files,
    schema_files,
    walk,
)

# Descriptor keys of package.json (1.2 on) carry the "hsdata:" prefix before the camelCase name.
LOWER_CAMEL = re.compile(r"^(hsdata:)?[a-z][a-zA-Z0-9]*$")
UPPER_CAMEL = re.compile(r"^[A-Z][a-zA-Z0-9]*$")


def rel(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT))


@pytest.mark.parametrize("path", json_files(), ids=rel)
def test_json_is_two_space_indented_without_duplicate_keys(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    data = load_strict(path)  # raises on duplicate keys
    expected = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    assert text == expected, (
        f"{rel(path)} is not formatted as 2-space indented JSON with a trailing newline; "
        "reformat it with json.dumps(data, indent=2, ensure_ascii=False)"
    )


def test_duplicate_key_detection_works(tmp_path: Path) -> None:
    bad = tmp_path / "dup.json"
    bad.write_text('{"id": "a", "id": "b"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate key 'id'"):
        load_strict(bad)


@pytest.mark.parametrize("path", schema_files(), ids=rel)
def test_schema_is_valid_against_draft_2020_12_and_the_hsdata_meta_schema(path: Path) -> None:
    schema = load_strict(path)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    schemas = load_schema_set(path.parent.name)
    meta = schemas.schemas[f"https://w3id.org/hsdata/schema/{path.parent.name}/meta-schema.json"]
    validator = jsonschema.Draft202012Validator(meta, registry=schemas.registry)
    problems = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(schema)]
    assert not problems, f"{rel(path)} breaks the hsdata meta-schema: {problems}"


def test_meta_schema_catches_a_bad_codelist_keyword() -> None:
    schemas = load_schema_set()
    meta = schemas.schemas[f"https://w3id.org/hsdata/schema/{schemas.version}/meta-schema.json"]
    validator = jsonschema.Draft202012Validator(meta, registry=schemas.registry)
    nested_bad = {"properties": {"x": {"items": {"codelist": "Bad Name.csv"}}}}
    assert not validator.is_valid(nested_bad)


@pytest.mark.parametrize("path", schema_files(), ids=rel)
def test_schema_id_is_its_stable_versioned_url(path: Path) -> None:
    schema = load_strict(path)
    version = path.parent.name
    assert schema["$id"] == f"https://w3id.org/hsdata/schema/{version}/{path.name}"
    assert schema["version"] == version


@pytest.mark.parametrize("path", schema_files(), ids=rel)
def test_every_property_has_a_title_and_description(path: Path) -> None:
    missing = [
        pointer
        for pointer, _name, subschema in property_definitions(load_strict(path))
        if not subschema.get("title") or not subschema.get("description")
    ]
    assert not missing, f"{rel(path)}: properties without title or description: {missing}"


@pytest.mark.parametrize("path", schema_files(), ids=rel)
def test_every_definition_has_a_title_and_description(path: Path) -> None:
    schema = load_strict(path)
    missing = [
        name
        for name, subschema in schema.get("$defs", {}).items()
        if not subschema.get("title") or not subschema.get("description")
    ]
    assert not missing, f"{rel(path)}: $defs without title or description: {missing}"


@pytest.mark.parametrize("path", schema_files(), ids=rel)
def test_naming_is_consistent(path: Path) -> None:
    schema = load_strict(path)
    bad_properties = [
        pointer for pointer, name, _ in property_definitions(schema) if not LOWER_CAMEL.match(name)
    ]
    bad_definitions = [name for name in schema.get("$defs", {}) if not UPPER_CAMEL.match(name)]
    assert not bad_properties, f"{rel(path)}: properties not in lowerCamelCase: {bad_properties}"
    assert not bad_definitions, f"{rel(path)}: $defs not in UpperCamelCase: {bad_definitions}"


@pytest.mark.parametrize("path", schema_files(), ids=rel)
def test_every_array_has_items_and_every_field_a_type(path: Path) -> None:
    problems = []
    for pointer, _name, subschema in property_definitions(load_strict(path)):
        if "type" not in subschema and "$ref" not in subschema:
            problems.append(f"{pointer}: no type or $ref")
        if subschema.get("type") == "array" and "items" not in subschema:
            problems.append(f"{pointer}: array without items")
    assert not problems, f"{rel(path)}: {problems}"


@pytest.mark.parametrize("path", record_schema_files(), ids=rel)
def test_record_schemas_are_closed_and_require_an_id(path: Path) -> None:
    schema = load_strict(path)
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert "id" in schema["required"]
    for pointer, node in walk(schema):
        if isinstance(node, dict) and node.get("type") == "object" and "properties" in node:
            if "/if" in pointer:
                continue
            assert node.get("additionalProperties") is False, f"{rel(path)}{pointer} is open"


@pytest.mark.parametrize("path", schema_files(), ids=rel)
def test_every_ref_resolves(path: Path) -> None:
    schemas = load_schema_set(path.parent.name)
    schema = load_strict(path)
    resolver = schemas.registry.resolver(base_uri=schema["$id"])
    unresolved = []
    for pointer, node in walk(schema):
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            try:
                resolver.lookup(node["$ref"])
            except Unresolvable:
                unresolved.append(f"{pointer}: {node['$ref']}")
    assert not unresolved, f"{rel(path)}: unresolvable $ref: {unresolved}"


def test_an_unresolvable_ref_is_detected() -> None:
    schemas = load_schema_set()
    resolver = schemas.registry.resolver(base_uri=schemas.schema_id("event"))
    with pytest.raises(Unresolvable):
        resolver.lookup("common.json#/$defs/NoSuchDefinition")


def codelist_bindings(version_dir: Path) -> list[tuple[str, str, dict[str, Any]]]:
    bindings = []
    for path in sorted(version_dir.glob("*.json")):
        for pointer, node in walk(load_strict(path)):
            if isinstance(node, dict) and isinstance(node.get("codelist"), str):
                bindings.append((path.name, pointer, node))
    return bindings


VERSION_DIRS = sorted(p for p in SCHEMA_ROOT.iterdir() if p.is_dir())


@pytest.mark.parametrize("version_dir", VERSION_DIRS, ids=lambda p: p.name)
def test_closed_codelists_match_their_enum_and_open_ones_have_none(version_dir: Path) -> None:
    schemas = load_schema_set(version_dir.name)
    problems = []
    for file_name, pointer, node in codelist_bindings(version_dir):
        codelist = schemas.codelists.get(node["codelist"])
        if codelist is None:
            problems.append(f"{file_name}{pointer}: codelist {node['codelist']} does not exist")
            continue
        if node["openCodelist"]:
            if "enum" in node:
                problems.append(f"{file_name}{pointer}: open codelist field has an enum")
        elif node.get("enum") != list(codelist.codes):
            problems.append(
                f"{file_name}{pointer}: enum differs from {node['codelist']}; "
                "run `python tools/regenerate.py`"
            )
    assert not problems, problems


@pytest.mark.parametrize("version_dir", VERSION_DIRS, ids=lambda p: p.name)
def test_every_codelist_file_is_used_and_openness_is_consistent(version_dir: Path) -> None:
    bindings = codelist_bindings(version_dir)
    used = {node["codelist"] for _, _, node in bindings}
    files = {p.name for p in (version_dir / "codelists").glob("*.csv")}
    assert files - used == set(), f"codelists no schema uses: {sorted(files - used)}"
    openness: dict[str, set[bool]] = {}
    for _, _, node in bindings:
        openness.setdefault(node["codelist"], set()).add(node["openCodelist"])
    mixed = sorted(name for name, flags in openness.items() if len(flags) > 1)
    assert not mixed, f"codelists both open and closed in different fields: {mixed}"


CODELIST_FILES = sorted(SCHEMA_ROOT.glob("*/codelists/*.csv"))


@pytest.mark.parametrize("path", CODELIST_FILES, ids=rel)
def test_codelist_csv_is_clean(path: Path) -> None:
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert not text.startswith("\ufeff"), "no byte-order mark"
    assert text.endswith("\n") and "\r" not in text, "LF line endings and a final newline"
    rows = list(csv.reader(text.splitlines()))
    header, body = rows[0], rows[1:]
    french = tuple(int(n) for n in path.parent.parent.name.split(".")) >= (1, 2)
    assert header == ["code", "title", "title_fr", "description"] + (
        ["description_fr"] if french else []
    ) + ["deprecated"]
    assert body, "a codelist has at least one code"
    codes = [row[0] for row in body]
    assert len(codes) == len(set(codes)), "codes are unique"
    for number, row in enumerate(body, start=2):
        assert len(row) == len(header), f"line {number}: {len(row)} cells"
        assert all(cell == cell.strip() for cell in row), f"line {number}: stray whitespace"
        code, title, title_fr, description, *_french, _deprecated = row
        assert code and title and title_fr and description, f"line {number}: empty required cell"
        assert all(_french), f"line {number}: empty description_fr"
    # Byte-for-byte round trip through the csv module, so tools rewrite it identically.
    out = __import__("io").StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    assert out.getvalue() == text, "the CSV is not in canonical csv-module form"


def test_standard_version_is_declared_consistently() -> None:
    version = hsdata.STANDARD_VERSION
    assert hsdata.__version__.split(".")[:2] == version.split(".")
    assert version in hsdata.available_versions()
    for path in (SCHEMA_ROOT / version).glob("*.json"):
        assert load_strict(path)["version"] == version, path.name
    package = load_strict(DATA_DIR / "datapackage.json")
    assert package["hsdata:version"] == version
    for resource in package["resources"]:
        assert resource["jsonSchema"].startswith(f"https://w3id.org/hsdata/schema/{version}/")
    pyproject = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{hsdata.__version__}"' in pyproject
    changelog = (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{hsdata.__version__}]" in changelog


def test_derived_files_have_not_drifted() -> None:
    pytest.importorskip("pycountry")
    import importlib.util

    spec = importlib.util.spec_from_file_location("regenerate", REPO_ROOT / "tools/regenerate.py")
    assert spec and spec.loader
    regenerate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(regenerate)
    drifted = [
        rel(path)
        for path, text in regenerate.expected_files().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert not drifted, (
        f"derived files differ from their sources: {drifted}; run `{regenerate.COMMAND}`"
    )
