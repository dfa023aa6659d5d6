"""A field the schemas require only in some cases (if/then) is reported with that case.

Every if/then of every bundled version is walked: a record that meets the
``if`` and lacks a field the ``then`` requires must be told which kind of
record needs the field ("an actor of type 'state' must have the field
'country'"), never "every actor must have it".
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

import hsdata
from hsdata._paths import canonical_data_dir
from hsdata._schemas import available_versions
from hsdata._validator._schema_check import (
    CompiledSchemas,
    conditions_of,
    required_message,
    schema_issues,
)


def _if_thens(node: Any, path: list[Any]) -> Iterator[tuple[list[Any], dict[str, Any]]]:
    """Every schema node holding an if/then, with its path in the schema."""
    if isinstance(node, dict):
        if "if" in node and "then" in node:
            yield path, node
        for key, value in node.items():
            yield from _if_thens(value, [*path, key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _if_thens(value, [*path, index])


def _cases() -> list[tuple[str, str, list[Any], dict[str, Any]]]:
    cases = []
    for version in available_versions():
        schema_set = hsdata.load_schema_set(version)
        for record_type in schema_set.record_types:
            for path, node in _if_thens(schema_set.record_schema(record_type), []):
                cases.append((version, record_type, path, node))
    return cases


CASES = _cases()


def test_the_schemas_have_conditional_requirements() -> None:
    # The walk must find at least the state's country (1.0 onwards).
    assert any(t == "actor" and n["then"].get("required") == ["country"] for _, t, _, n in CASES)


def _canonical_record(record_type: str, schema_set: Any) -> dict[str, Any]:
    descriptor = json.loads((canonical_data_dir() / "datapackage.json").read_text("utf-8"))
    for resource in descriptor["resources"]:
        # the canonical data's resource, named by the schema of the version under test
        schema_id = re.sub(
            r"/schema/[0-9]+\.[0-9]+/", f"/schema/{schema_set.version}/", resource["jsonSchema"]
        )
        found = schema_set.record_type_of_schema(schema_id)
        if found == record_type:
            records = json.loads((canonical_data_dir() / resource["path"]).read_text("utf-8"))
            return dict(records[0])
    raise AssertionError(f"no canonical {record_type}")


@pytest.mark.parametrize(
    ("version", "record_type", "path", "node"),
    CASES,
    ids=[f"{v}-{t}-{'/'.join(map(str, p))}" for v, t, p, _ in CASES],
)
def test_every_conditional_requirement_says_when(
    version: str, record_type: str, path: list[Any], node: dict[str, Any]
) -> None:
    required = node["then"].get("required", [])
    schema_path = [*path, "then", "required"]
    root = hsdata.load_schema_set(version).record_schema(record_type)
    conditions = conditions_of(root, schema_path)
    assert conditions, f"the if of {path} cannot be put in words"
    for missing in required:
        message = required_message(record_type, "", missing, conditions)
        assert "every" not in message
        assert repr(missing) in message
        for name, value in conditions:
            assert repr(name) in message or (name == "type" and f"of type {value!r}" in message)
            if value is not ... and not isinstance(value, list):
                assert repr(value) in message


@pytest.mark.parametrize(
    ("version", "record_type", "path", "node"),
    [c for c in CASES if "properties" not in c[2]],  # the conditions on a whole record
    ids=[f"{v}-{t}" for v, t, p, _ in CASES if "properties" not in p],
)
def test_a_record_meeting_the_condition_is_told_the_case(
    version: str, record_type: str, path: list[Any], node: dict[str, Any]
) -> None:
    schema_set = hsdata.load_schema_set(version)
    record = copy.deepcopy(_canonical_record(record_type, schema_set))
    conditions = conditions_of(schema_set.record_schema(record_type), [*path, "then"]) or []
    for name, value in conditions:
        if value is not ...:
            record[name] = value[0] if isinstance(value, list) else value
    for missing in node["then"]["required"]:
        broken = {k: v for k, v in record.items() if k != missing}
        issues = schema_issues(broken, record_type, CompiledSchemas(schema_set))
        messages = [i.message for i in issues if i.rule == "schema-required"]
        assert any(
            m.startswith(f"an {record_type} " if record_type[0] in "aeiou" else f"a {record_type} ")
            and f"must have the field {missing!r}" in m
            for m in messages
        ), messages


def test_the_state_without_a_country_reads_plainly() -> None:
    schema_set = hsdata.load_schema_set("1.1")
    state = {"id": "canada", "type": "state", "name": {"en": "Canada"}, "citations": []}
    issues = schema_issues(state, "actor", CompiledSchemas(schema_set))
    assert [i.message for i in issues if i.rule == "schema-required"] == [
        "an actor of type 'state' must have the field 'country' (country code)"
    ]
