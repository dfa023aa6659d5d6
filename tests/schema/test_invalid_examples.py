"""A folder of invalid records, one per schema rule; each must fail for its stated reason.

Each file in ``invalid/`` holds a record, its record type, and the JSON Schema
keyword and JSON Pointer of the error it must raise (under the version it names,
else the default one). Both validators the
project uses (python-jsonschema for detail, jsonschema_rs for speed) must
reject it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest

from hsdata._schemas import load_schema_set
from hsdata._version import STANDARD_VERSION

from .helpers import load_strict

EXAMPLES = sorted((Path(__file__).parent / "invalid").glob("*.json"))


def all_errors(errors: Any) -> list[jsonschema.ValidationError]:
    """Every error, including those nested in anyOf/allOf contexts."""
    found = []
    for error in errors:
        found.append(error)
        found.extend(all_errors(error.context or []))
    return found


def pointer_of(error: jsonschema.ValidationError) -> str:
    return "".join(f"/{part}" for part in error.absolute_path)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_invalid_example_fails_for_the_expected_reason(path: Path) -> None:
    example = load_strict(path)
    schemas = load_schema_set(example.get("version", STANDARD_VERSION))
    schema = schemas.record_schema(example["recordType"])
    validator = jsonschema.Draft202012Validator(schema, registry=schemas.registry)
    errors = all_errors(validator.iter_errors(example["record"]))
    expected = (example["expect"]["keyword"], example["expect"]["pointer"])
    found = [(e.validator, pointer_of(e)) for e in errors]
    assert expected in found, f"{path.name}: expected {expected}, got {found}"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_invalid_example_fails_under_jsonschema_rs_too(path: Path) -> None:
    example = load_strict(path)
    schemas = load_schema_set(example.get("version", STANDARD_VERSION))
    resources = [(uri, contents) for uri, contents in schemas.schemas.items()]
    registry = jsonschema_rs.Registry(resources)
    validator = jsonschema_rs.validator_for(
        schemas.record_schema(example["recordType"]), registry=registry
    )
    assert not validator.is_valid(example["record"]), f"{path.name} passed jsonschema_rs"


def test_there_is_an_example_for_every_closed_codelist_kind_of_rule() -> None:
    keywords = {load_strict(p)["expect"]["keyword"] for p in EXAMPLES}
    assert {"required", "additionalProperties", "pattern", "enum", "anyOf", "minItems"} <= keywords
