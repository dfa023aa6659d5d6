"""Property-based tests of the per-record checks and the JSON reader.

- Records generated from the JSON Schemas (hypothesis-jsonschema) always
  pass the schema checks: any issue they get comes from a rule the JSON
  Schema cannot express (real dates, date order, bilateral parties...).
- Canonical records broken by one mutation always fail, with a catalogued
  rule id.
- Any JSON value as a record, and any bytes as a file, give issues with
  catalogued rule ids, and never an exception.

Example counts are small so that the suite stays fast; for a longer run::

    HSDATA_PROPERTY_EXAMPLES=2000 python -m pytest tests/hostile/test_properties.py
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.internal.conjecture import engine as conjecture_engine
from hypothesis.internal.conjecture import utils as conjecture_utils

import hsdata
from hsdata import RULES, RecordChecker, check_record, load_schema_set
from hsdata._package._input import parse_json

EXAMPLES = int(os.environ.get("HSDATA_PROPERTY_EXAMPLES", "5"))

#: Shared by every property here: small by default, no deadline (generation is slow).
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)

# hypothesis-jsonschema 0.23 drives hypothesis's private ``many`` helper through a
# ``more()`` method that recent hypothesis releases replaced by iteration. This adapter
# gives ``more()`` back on top of the new protocol (only when it is missing).
if not hasattr(conjecture_utils.many, "more"):

    def _more(self: Any) -> bool:
        if not hasattr(self, "_hsdata_elements"):
            self.__enter__()
            self._hsdata_elements = iter(self)
        try:
            next(self._hsdata_elements)
        except StopIteration:
            self.__exit__(None)
            return False
        return True

    conjecture_utils.many.more = _more  # type: ignore[attr-defined]

from hypothesis_jsonschema import from_schema  # noqa: E402 - after the adapter

DATA = Path(hsdata.__file__).resolve().parent.parent / "data"
#: The version the canonical data follows (its records are the mutation seeds).
VERSION = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["hsdata:version"]
SCHEMA_SET = load_schema_set(VERSION)
CHECKER = RecordChecker(SCHEMA_SET)


#: Records are generated from the schemas the validator uses by default (the newest version).
GENERATED_SET = load_schema_set()
GENERATED_CHECKER = RecordChecker(GENERATED_SET)
GENERATED_COMMON = GENERATED_SET.schemas[
    f"https://w3id.org/hsdata/schema/{GENERATED_SET.version}/common.json"
]

#: Keywords that say nothing about which values are valid: JSON Schema's annotations, and the
#: keywords of hsdata's own vocabulary, which its meta-schema declares annotations too. They are
#: left out of the generated schema: hypothesis-jsonschema would otherwise merge each ``$ref``
#: with its title and description through an ``allOf``, again at every draw (a tenth of the time).
ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples"}
    | {"deprecated", "readOnly", "writeOnly", "version", "codelist", "openCodelist", "recordRef"}
)
#: Keywords whose value maps names (not keywords) to subschemas, and keywords whose value is data.
NAMED_SUBSCHEMAS = ("properties", "patternProperties", "dependentSchemas")
DATA_VALUES = ("enum", "const", "required", "dependentRequired")

#: Generated lists hold at most this many items, and multilingual texts (and other maps) at
#: most this many entries, unless the schema asks for more. hypothesis-jsonschema builds part
#: of its strategy again for every item it draws: unbounded, a record of 1.2 takes 0.2 to 1
#: second, twice as long on average, and a failure is shrunk through thousands of them. No
#: per-record rule needs longer lists: two parties and one more, a citation and a second one.
MOST_ITEMS = 3


def _flatten(schema: Any, root: Any, stack: tuple[str, ...], common: Any) -> Any:
    """The schema with every ``$ref`` (to itself or common.json) replaced by its target, without
    annotations, its lists and maps no longer than MOST_ITEMS (or the least they may hold).

    Every value the result accepts, the schema as published accepts too.
    """
    if isinstance(schema, list):
        return [_flatten(item, root, stack, common) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        document, _, fragment = schema["$ref"].partition("#")
        base = common if document == "common.json" else root
        target = base
        for token in fragment.split("/")[1:]:
            target = target[token]
        key = f"{document}#{fragment}"
        inner = {} if key in stack else _flatten(target, base, (*stack, key), common)
        rest = _flatten({k: v for k, v in schema.items() if k != "$ref"}, root, stack, common)
        return {"allOf": [inner, rest]} if rest else inner
    flat: dict[str, Any] = {}
    for keyword, value in schema.items():
        if keyword in ANNOTATIONS:
            continue
        if keyword in NAMED_SUBSCHEMAS:
            flat[keyword] = {n: _flatten(v, root, stack, common) for n, v in value.items()}
        elif keyword in DATA_VALUES:
            flat[keyword] = value
        else:
            flat[keyword] = _flatten(value, root, stack, common)
    if schema.get("type") == "array" or "items" in schema:
        most = max(schema.get("minItems", 0), MOST_ITEMS)
        flat["maxItems"] = min(schema.get("maxItems", most), most)
    if isinstance(schema.get("additionalProperties"), dict) or "propertyNames" in schema:
        most = max(schema.get("minProperties", 0), MOST_ITEMS)
        flat["maxProperties"] = min(schema.get("maxProperties", most), most)
    return flat


def _flat_schema(record_type: str) -> dict[str, Any]:
    schema = GENERATED_SET.record_schema(record_type)
    flat: dict[str, Any] = _flatten(schema, schema, (), GENERATED_COMMON)
    return flat


def _known(issues: list[hsdata.Issue]) -> None:
    for issue in issues:
        assert issue.rule in RULES, issue
        assert issue.message


#: The error rules that look beyond what a JSON Schema can say, and why a schema-valid record
#: may break them. Any other error on a generated record is a validator (or schema) bug.
BEYOND_THE_SCHEMA = {
    "date-invalid": "a pattern allows '1999-02-30'; only a calendar knows it is no day",
    "date-order": "a schema cannot compare two dates of a record (a period ending first)",
    "lifecycle-order": "nor a document's steps (adopted before it was drafted)",
    "text-blank": "minLength 1 lets through a text of spaces or other invisible characters",
    "language-tag-unknown": "a pattern gives a tag's shape, not the IANA registry's entries",
    "actor-posts-not-person": "the schema lets any actor have posts; only persons hold them",
    "partnership-bilateral-parties": "a schema cannot count the members whose role is 'party'",
    "partnership-member-count": "a schema cannot compare a reported minimum with its maximum",
    "citation-pointer-missing": "the schema checks that 'supports' holds JSON Pointers, not "
    "that they lead to a field of the same record",
}


#: How long hypothesis may shrink a failing generated record, in seconds (its own limit is five
#: minutes per test). Every step replays hypothesis-jsonschema's draws, a third of a second each,
#: so a failure took five minutes per record type to report; half a minute already shrinks the
#: record to a few fields, and the issue's pointer says where the error is.
SHRINKING_SECONDS = 30


@pytest.mark.parametrize("record_type", GENERATED_SET.record_types)
def test_schema_valid_records_pass_the_schema_checks(
    record_type: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a private constant of hypothesis: if a release renames it, shrinking is just slower again
    monkeypatch.setattr(
        conjecture_engine, "MAX_SHRINKING_SECONDS", SHRINKING_SECONDS, raising=False
    )

    @PROPERTY
    @given(from_schema(_flat_schema(record_type)))
    def check(record: dict[str, Any]) -> None:
        issues = check_record(record, record_type, GENERATED_CHECKER)
        _known(issues)
        errors = [i for i in issues if i.severity.value == "error"]  # warnings are allowed
        unexpected = [i for i in errors if i.rule not in BEYOND_THE_SCHEMA]
        assert unexpected == [], (record, unexpected)

    check()


def test_the_rules_beyond_the_schema_are_catalogued() -> None:
    assert [rule for rule in BEYOND_THE_SCHEMA if rule not in RULES] == []


# -- mutations of canonical records ----------------------------------------------------------------

CANONICAL: list[tuple[str, dict[str, Any]]] = [
    (record_type, record)
    for record_type, name in [
        ("actor", "actors"),
        ("event", "events"),
        ("partnership", "partnerships"),
        ("issueArea", "issue-areas"),
        ("membership", "memberships"),
        ("source", "sources"),
        ("document", "documents"),
    ]
    for record in json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
]

WRONG_VALUES = [None, True, 0, -1.5, "", "x" * 300, [], {}, [None], {"": None}]


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[str, dict[str, Any], str]:
    record_type, original = draw(st.sampled_from(CANONICAL))
    record = copy.deepcopy(original)
    schema = SCHEMA_SET.record_schema(record_type)
    how = draw(st.sampled_from(["drop-required", "wrong-type", "unknown-field", "bad-id", "code"]))
    if how == "drop-required":
        field = draw(st.sampled_from(schema["required"]))
        del record[field]
    elif how == "wrong-type":
        field = draw(st.sampled_from(sorted(record)))
        current = record[field]
        value = draw(st.sampled_from([v for v in WRONG_VALUES if type(v) is not type(current)]))
        record[field] = value
    elif how == "unknown-field":
        field = draw(
            st.text(min_size=1, max_size=20).filter(lambda k: k not in schema["properties"])
        )
        record[field] = draw(st.sampled_from(WRONG_VALUES))
    elif how == "bad-id":
        field = "id"
        record["id"] = draw(st.sampled_from(["", "Not A Slug", "a--b", "-a", "a\n", "ä", "a/b"]))
    else:
        field = "type"
        if "type" not in record:
            field = "id"
            record["id"] = "BAD ID"
        else:
            record["type"] = draw(st.text(max_size=12).filter(lambda t: t not in _codes(schema)))
    return record_type, record, field


def _codes(schema: dict[str, Any]) -> list[str]:
    codes: list[str] = schema["properties"].get("type", {}).get("enum", [])
    return codes


@PROPERTY
@given(_mutated())
def test_a_mutated_record_fails_with_a_rule_id(mutation: tuple[str, dict[str, Any], str]) -> None:
    record_type, record, field = mutation
    issues = check_record(record, record_type, CHECKER)
    _known(issues)
    assert issues, (record_type, field, record)
    property_schema = SCHEMA_SET.record_schema(record_type)["properties"].get(field, {})
    if property_schema.get("openCodelist") is not True or not isinstance(record.get(field), str):
        # an unknown code of an open codelist is a warning; every other mutation an error
        assert [i for i in issues if i.severity.value == "error"], (record_type, field, record)


def test_every_canonical_record_passes_unmutated() -> None:
    for record_type, record in CANONICAL:
        assert check_record(record, record_type, CHECKER) == [], record["id"]


# -- anything at all ------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=25,
)


@PROPERTY
@given(st.sampled_from(SCHEMA_SET.record_types), JSON_VALUES)
def test_any_json_value_as_a_record_gives_known_issues(record_type: str, value: Any) -> None:
    _known(check_record(value, record_type, CHECKER))


@PROPERTY
@given(
    st.sampled_from(SCHEMA_SET.record_types),
    st.dictionaries(
        st.sampled_from(["id", "type", "name", "date", "period", "citations", "members", "country"])
        | st.text(max_size=8),
        JSON_VALUES,
        max_size=8,
    ),
)
def test_records_with_the_right_fields_and_any_values_give_known_issues(
    record_type: str, value: dict[str, Any]
) -> None:
    _known(check_record(value, record_type, CHECKER))


@PROPERTY
@given(st.binary(max_size=400) | JSON_VALUES.map(lambda v: json.dumps(v).encode()))
def test_any_bytes_read_as_json_give_known_issues(raw: bytes) -> None:
    parsed = parse_json(raw, "fuzz.json")
    _known(list(parsed.issues))
    assert parsed.readable or any(i.unreadable for i in parsed.issues)
    line = parse_json(raw.replace(b"\n", b" "), "fuzz.jsonl", line=1)
    _known(list(line.issues))
