"""The file-level schemas (schema/<version>/files/) describe whole data files, for editors."""

from __future__ import annotations

import importlib.util
import json
from types import ModuleType
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

import hsdata

from .helpers import DATA_DIR, REPO_ROOT, SCHEMA_ROOT, load_strict


def _tool() -> ModuleType:
    path = REPO_ROOT / "tools" / "file_schemas.py"
    spec = importlib.util.spec_from_file_location("file_schemas", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL = _tool()
VERSIONS = hsdata.available_versions()


def _validator(version: str, file_schema: str) -> jsonschema.protocols.Validator:
    """A validator for one file schema, resolving its $refs to the version's files, offline."""
    folder = SCHEMA_ROOT / version
    resources = [
        Resource.from_contents(json.loads(path.read_text(encoding="utf-8")), DRAFT202012)
        for path in [*folder.glob("*.json"), *folder.glob("files/*.json")]
    ]
    registry: Registry[Any] = Registry().with_resources((r.id(), r) for r in resources)  # type: ignore[misc]
    schema = load_strict(folder / "files" / file_schema)
    validator_class = jsonschema.validators.validator_for(schema)
    return validator_class(schema, registry=registry)  # type: ignore[no-any-return]


def test_the_file_schemas_are_as_generated() -> None:
    expected = TOOL.expected_files()
    present = {p for v in VERSIONS for p in (SCHEMA_ROOT / v / "files").glob("*.json")}
    stale = sorted(str(p.relative_to(REPO_ROOT)) for p in present - set(expected))
    drifted = sorted(
        str(path.relative_to(REPO_ROOT))
        for path, text in expected.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    )
    assert not drifted and not stale, (
        f"file schemas out of date ({drifted}; not generated: {stale}): run {TOOL.COMMAND}"
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_every_record_type_and_the_descriptor_has_a_file_schema(version: str) -> None:
    schemas = hsdata.load_schema_set(version)
    names = {p.name for p in (SCHEMA_ROOT / version / "files").glob("*.json")}
    wanted = {TOOL.file_name(t) for t in schemas.record_types if t != "package"}
    assert wanted | {"datapackage.json"} == names
    for name in names:
        schema = load_strict(SCHEMA_ROOT / version / "files" / name)
        assert schema["$id"] == f"https://w3id.org/hsdata/schema/{version}/files/{name}"
        jsonschema.Draft202012Validator.check_schema(schema)


def test_the_canonical_data_files_are_valid_against_their_file_schemas() -> None:
    descriptor = load_strict(DATA_DIR / "datapackage.json")
    version = descriptor["hsdata:version"]
    errors = list(_validator(version, "datapackage.json").iter_errors(descriptor))
    assert not errors, [e.message for e in errors]
    checked = 0
    for resource in descriptor["resources"]:
        record_type = resource.get("hsdata:recordType")
        if not record_type:
            continue
        records = load_strict(DATA_DIR / resource["path"])
        validator = _validator(version, TOOL.file_name(record_type))
        errors = list(validator.iter_errors(records))
        assert not errors, (resource["path"], [e.message for e in errors[:3]])
        checked += 1
    assert checked >= 7


@pytest.mark.parametrize("version", VERSIONS)
def test_a_file_that_is_not_an_array_is_rejected(version: str) -> None:
    validator = _validator(version, "events.json")
    assert not validator.is_valid({"id": "an-event"})
    assert not validator.is_valid([{"id": "an-event"}])  # an event lacking its required fields
    assert validator.is_valid([])


@pytest.mark.parametrize("version", VERSIONS)
def test_a_descriptor_naming_an_unknown_record_type_is_rejected(version: str) -> None:
    validator = _validator(version, "datapackage.json")
    descriptor = load_strict(DATA_DIR / "datapackage.json")
    descriptor["hsdata:version"] = version
    descriptor["resources"][0]["hsdata:recordType"] = "treaty"
    messages = [e.message for e in validator.iter_errors(descriptor)]
    assert any("treaty" in m for m in messages), messages
    assert not validator.is_valid([descriptor])
