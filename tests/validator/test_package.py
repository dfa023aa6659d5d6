"""The package stage: paths never lead outside the package, every problem reported at once."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hsdata import ExitCode
from hsdata._validator import validate

from .conftest import CANONICAL_RECORDS

_OPENED: list[str] = []
_WATCHING = [False]


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _WATCHING[0] and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _OPENED.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)  # audit hooks cannot be removed; this one only records when asked


@pytest.fixture
def opened_files() -> Iterator[list[str]]:
    """The paths of every file opened while the test runs."""
    _OPENED.clear()
    _WATCHING[0] = True
    yield _OPENED
    _WATCHING[0] = False


def _descriptor(package: Path) -> dict[str, Any]:
    return json.loads((package / "datapackage.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _save(package: Path, descriptor: dict[str, Any]) -> None:
    (package / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


def test_no_file_outside_the_package_is_ever_opened(
    package: Path, tmp_path: Path, opened_files: list[str]
) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('[{"id": "secret"}]', encoding="utf-8")
    (package / "link.json").symlink_to(secret)
    (package / "sub").mkdir()
    (package / "sub" / "dirlink").symlink_to(tmp_path, target_is_directory=True)
    descriptor = _descriptor(package)
    paths = [
        str(secret),
        "../secret.json",
        "link.json",
        "sub/dirlink/secret.json",
        "file:///etc/passwd",
        "https://example.invalid/x.json",
        "sub/../../secret.json",
    ]
    for index, path in enumerate(paths):
        descriptor["resources"][index]["path"] = path
    _save(package, descriptor)
    opened_files.clear()
    report = validate(package)
    _WATCHING[0] = False
    rules = [(i.rule, i.pointer) for i in report.issues if i.rule.startswith("package-path")]
    assert rules == [
        ("package-path-absolute", "/resources/0/path"),
        ("package-path-outside", "/resources/1/path"),
        ("package-path-symlink", "/resources/2/path"),
        ("package-path-symlink", "/resources/3/path"),
        ("package-path-url", "/resources/4/path"),
        ("package-path-url", "/resources/5/path"),
        ("package-path-outside", "/resources/6/path"),
    ]
    assert all(i.line is not None for i in report.issues if i.rule.startswith("package-path"))
    assert any(p.endswith("datapackage.json") for p in opened_files)  # the hook works
    assert str(secret) not in opened_files
    outside = [p for p in opened_files if not Path(p).resolve().is_relative_to(package)]
    assert all(not p.startswith(str(tmp_path)) for p in outside), outside
    assert report.exit_code == ExitCode.INVALID


def test_a_symlink_inside_the_package_is_followed(package: Path) -> None:
    (package / "more").mkdir()
    (package / "events.json").rename(package / "more" / "events.json")
    (package / "events.json").symlink_to(package / "more" / "events.json")
    assert validate(package).issues == ()


def test_every_package_problem_is_reported_in_one_run(package: Path) -> None:
    descriptor = _descriptor(package)
    descriptor["resources"][0]["bytes"] = 3
    descriptor["resources"][1]["hash"] = "md5:0"
    descriptor["resources"][2]["path"] = "missing.json"
    descriptor["resources"][3]["hsdata:recordType"] = "event"
    descriptor["resources"][4]["jsonSchema"] = "https://w3id.org/hsdata/schema/2.0/event.json"
    _save(package, descriptor)
    rules = validate(package).by_rule()
    for rule in (
        "package-resource-bytes",
        "package-resource-hash",
        "package-resource-missing",
        "package-record-type-mismatch",
        "package-version-mismatch",
    ):
        assert rule in rules, rules


def test_resources_given_in_several_parts_and_inline(package: Path) -> None:
    events = json.loads((package / "events.json").read_text(encoding="utf-8"))
    (package / "events-a.json").write_text(json.dumps(events[:4]), encoding="utf-8")
    (package / "events-b.json").write_text(json.dumps(events[4:]), encoding="utf-8")
    descriptor = _descriptor(package)
    events_resource = next(r for r in descriptor["resources"] if r["name"] == "events")
    events_resource["path"] = ["events-a.json", "events-b.json"]
    memberships = next(r for r in descriptor["resources"] if r["name"] == "memberships")
    del memberships["path"]
    memberships["data"] = json.loads((package / "memberships.json").read_text("utf-8"))
    memberships["data"][1]["role"] = 5
    _save(package, descriptor)
    report = validate(package)
    (issue,) = report.issues
    index = descriptor["resources"].index(memberships)
    assert issue.rule == "schema-type"
    assert issue.file is not None and issue.file.endswith("datapackage.json")
    assert issue.pointer == f"/resources/{index}/data/1/role"
    assert issue.line is not None
    assert report.records_checked == CANONICAL_RECORDS


def test_descriptor_that_is_not_an_object(package: Path) -> None:
    (package / "datapackage.json").write_text("[]", encoding="utf-8")
    report = validate(package)
    assert report.by_rule() == {"json-top-level": 1}
    assert report.exit_code == ExitCode.UNREADABLE


def test_remote_urls_in_the_descriptor_are_never_fetched(package: Path, no_network: None) -> None:
    descriptor = _descriptor(package)
    descriptor["$schema"] = "https://example.invalid/profile.json"
    descriptor["resources"][0]["schema"] = "https://example.invalid/table-schema.json"
    descriptor["resources"][1]["dialect"] = "https://example.invalid/dialect.json"
    _save(package, descriptor)
    report = validate(package)  # the no_network fixture fails the test on any connection
    assert report.exit_code in (ExitCode.VALID, ExitCode.INVALID)
    assert all(not i.unreadable for i in report.issues)
