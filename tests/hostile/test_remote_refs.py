"""Schemas, extensions and descriptors that point at the network or outside the schema folder.

Nothing is ever fetched: every socket connection fails the test (the
``no_network`` fixture), and an audit hook proves that no local file named
by a ``$ref`` is opened. Each such pointer is reported as an issue.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

import hsdata
from hsdata import ExitCode, validate
from hsdata._extensions import check_extension

from .conftest import outside, read_json, stop_watching, write_json

FUNDING = Path(__file__).resolve().parents[2] / "extensions" / "funding"


@pytest.fixture
def extended(package: Path) -> Path:
    """The package with a copy of the funding extension inside it, declared."""
    shutil.copytree(FUNDING, package / "ext")
    descriptor = read_json(package / "datapackage.json")
    descriptor["hsdata:extensions"] = ["ext"]
    write_json(package / "datapackage.json", descriptor)
    return package


@pytest.fixture
def sentinel(tmp_path: Path) -> Path:
    secret = tmp_path / "secret-schema.json"
    secret.write_text('{"type": "string"}', encoding="utf-8")
    return secret


def _patch_ref(package: Path, ref: str) -> None:
    path = package / "ext" / "partnership-schema.json"
    patch: dict[str, Any] = read_json(path)
    patch["$defs"]["FundingCommitment"]["properties"]["amount"] = {"$ref": ref}
    write_json(path, patch)


REFS = {
    "https": "https://example.invalid/schema.json",
    "http-local": "http://127.0.0.1:9/schema.json",
    "file-url": "file://{sentinel}",
    "relative-outside": "../../../{name}",
    "relative-sibling": "other.json",
    "absolute-path": "{sentinel}",
    "urn": "urn:example:schema",
    "other-version": "https://w3id.org/hsdata/schema/9.9/common.json",
}


@pytest.mark.parametrize("case", REFS)
def test_a_ref_to_anything_but_the_bundled_schemas_is_reported_not_fetched(
    extended: Path,
    sentinel: Path,
    case: str,
    no_network: list[object],
    opened_files: list[str],
) -> None:
    ref = REFS[case].format(sentinel=sentinel, name=sentinel.name)
    _patch_ref(extended, ref)
    opened_files.clear()
    report = validate(extended)
    ext_report = check_extension(extended / "ext")
    with pytest.raises(hsdata.InvalidDataError):
        hsdata.load(extended)
    stop_watching()
    assert no_network == []
    assert str(sentinel) not in opened_files
    assert outside(opened_files, extended) == []
    assert not report.valid and not ext_report.valid
    rules = {i.rule for i in report.issues}
    assert rules & {"extension-patch", "schema-reference-unresolvable"}, rules
    issue = next(i for i in ext_report.issues if i.rule == "extension-patch")
    assert issue.file is not None and issue.file.endswith("partnership-schema.json")


def test_an_extension_given_as_a_url_is_never_fetched(
    package: Path, no_network: list[object]
) -> None:
    descriptor = read_json(package / "datapackage.json")
    descriptor["hsdata:extensions"] = ["https://example.invalid/ext/extension.json"]
    write_json(package / "datapackage.json", descriptor)
    report = validate(package)
    assert no_network == []
    (issue,) = [i for i in report.issues if i.pointer and "hsdata:extensions" in i.pointer]
    assert "network" in issue.message
    assert report.exit_code in (ExitCode.INVALID, ExitCode.UNREADABLE)


def test_a_record_schema_url_outside_the_standard_is_reported_not_fetched(
    package: Path, no_network: list[object]
) -> None:
    descriptor = read_json(package / "datapackage.json")
    descriptor["resources"][0]["jsonSchema"] = "https://example.invalid/event.json"
    descriptor["resources"][1]["jsonSchema"] = "file:///etc/hostname"
    descriptor["resources"][2]["jsonSchema"] = {"$ref": "https://example.invalid/x.json"}
    descriptor["$schema"] = "https://example.invalid/profile.json"
    descriptor["resources"][3]["schema"] = "https://example.invalid/table-schema.json"
    descriptor["resources"][3]["dialect"] = "https://example.invalid/dialect.json"
    write_json(package / "datapackage.json", descriptor)
    report = validate(package)
    assert no_network == []
    pointers = {i.pointer for i in report.issues if i.rule == "package-resource-schema"}
    assert {"/resources/0/jsonSchema", "/resources/1/jsonSchema", "/resources/2/jsonSchema"} <= (
        pointers
    )
    assert not report.valid


def test_a_ref_inside_a_record_is_only_data(package: Path, no_network: list[object]) -> None:
    events = read_json(package / "events.json")
    events[0]["$ref"] = "https://example.invalid/event.json"
    events[1]["name"] = {"$ref": "file:///etc/passwd", "en": "x"}
    write_json(package / "events.json", events)
    report = validate(package)
    assert no_network == []
    assert not report.valid
    assert {i.pointer for i in report.issues if i.rule.startswith("schema-")} >= {"/0/$ref"}
