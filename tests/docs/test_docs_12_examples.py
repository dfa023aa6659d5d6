"""The JSON examples written into the 1.2 pages are valid 1.2 data.

Every ``.. code-block:: json`` whose ``:name:`` is ``example-<kind>-<what>``
in the pages below is read from the page source and validated against the
1.2 schema of its kind: a record type (``actor``, ``issueArea``...) or
``package`` (the hsdata keys of ``datapackage.json``). An example in the
documentation can therefore never be wrong, and each new part of 1.2 must
have one.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass
from typing import Any

import jsonschema
import pytest

import hsdata

from .conftest import DOCS

VERSION = "1.2"
PAGES = ("examples.rst", "publishers.rst", "guide.rst")
_BLOCK = re.compile(
    r"^\.\. code-block:: json\n((?:[ ]{3}:[a-z-]+:.*\n)*)\n((?:(?:[ ]{3}.*)?\n)+)", re.M
)
_NAME = re.compile(r":name: example-([a-zA-Z]+)-([a-z0-9-]+)\s*$", re.M)

#: The parts 1.2 adds, each with the example that shows it (issue 14).
NEW_PARTS = {
    "publisher block": "package-publisher",
    "namespace, record URIs and a dependency with its prefix": "package-dependency",
    "a prefixed reference": "engagement-prefixed",
    "identifiers": "actor-identifiers",
    "SKOS matches": "issueArea-matches",
    "asOf": "actor-identifiers",
    "a place with coordinates, ISO 3166-2 and M49": "event-place",
    "document lifecycle and parties": "document-lifecycle",
    "rotating chair": "partnership-rotating-chair",
    "engagement": "engagement-championed",
    "commitment": "commitment-scheduled",
    "a Norwegian-only record": "event-norwegian",
}


@dataclass(frozen=True)
class Example:
    page: str
    kind: str
    name: str
    text: str

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.name}"


def examples_in(page: str, source: str) -> list[Example]:
    """The named JSON examples of one page's reST source."""
    found = []
    for match in _BLOCK.finditer(source):
        named = _NAME.search(match.group(1))
        if named is None:
            continue
        text = textwrap.dedent(match.group(2))
        found.append(Example(page, named.group(1), named.group(2), text))
    return found


def all_examples() -> list[Example]:
    found = []
    for page in PAGES:
        path = DOCS / page
        if path.is_file():
            found.extend(examples_in(page, path.read_text(encoding="utf-8")))
    return found


def schema_problems(kind: str, value: Any) -> list[str]:
    """What the 1.2 schema of ``kind`` finds wrong with ``value`` (empty: valid)."""
    schemas = hsdata.load_schema_set(VERSION)
    if kind == "package":
        schema = schemas.schemas[f"https://w3id.org/hsdata/schema/{VERSION}/package.json"]
    else:
        schema = schemas.record_schema(kind)
    validator = jsonschema.Draft202012Validator(schema, registry=schemas.registry)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(value)
    ]


def test_the_pages_hold_examples() -> None:
    assert len(all_examples()) >= len(set(NEW_PARTS.values()))


@pytest.mark.parametrize("example", all_examples(), ids=lambda e: f"{e.page}:{e.key}")
def test_each_example_is_valid_1_2(example: Example) -> None:
    value = json.loads(example.text)
    assert schema_problems(example.kind, value) == [], example.text


def test_example_names_are_unique() -> None:
    keys = [e.key for e in all_examples()]
    assert sorted(keys) == sorted(set(keys))


@pytest.mark.parametrize(("part", "key"), NEW_PARTS.items())
def test_each_new_part_has_its_example(part: str, key: str) -> None:
    keys = {e.key for e in all_examples()}
    assert key in keys, f"no example of {part} (a json code-block named example-{key})"


def test_the_check_refuses_a_wrong_example() -> None:
    """The extraction and the check find a mistake when there is one."""
    source = (
        "Text.\n\n.. code-block:: json\n   :name: example-commitment-wrong\n\n"
        '   {"id": "x", "committedBy": ["canada"], "statement": {"en": "To act."},\n'
        '    "status": "done", "citations": [{"source": "s"}]}\n\nMore text.\n'
    )
    [example] = examples_in("test.rst", source)
    assert example.kind == "commitment"
    problems = schema_problems(example.kind, json.loads(example.text))
    assert any(p.startswith("status") for p in problems), problems


def test_a_namespace_without_its_final_slash_is_refused() -> None:
    problems = schema_problems(
        "package",
        {
            "hsdata:version": VERSION,
            "hsdata:namespace": "https://example.org/data",
            "hsdata:publisher": {"name": {"nb": "Utgiver"}, "reporting": "primary"},
            "hsdata:published": "2026-12-01T09:30:00Z",
            "licenses": [{"name": "CC-BY-4.0"}],
        },
    )
    assert any(p.startswith("hsdata:namespace") for p in problems), problems
