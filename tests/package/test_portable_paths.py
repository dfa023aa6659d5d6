"""A resource path that validates loads alike on every platform (resource-path-not-portable,
resource-path-collision)."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pytest

import hsdata
from hsdata._package._reader import portability_issues, portability_problems
from hsdata._paths import canonical_data_dir


@pytest.mark.parametrize(
    "path",
    [
        "events.json",
        "data/2024/events.jsonl",
        "événements.json",
        "a.b.json",
        "./x.json",
        "con-x.json",
    ],
)
def test_portable_paths(path: str) -> None:
    assert portability_problems(path) == []


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("CON", "device (CON)"),
        ("nul.json", "device (NUL)"),
        ("data/aux.json", "device (AUX)"),
        ("Com1.tar.gz", "device (COM1)"),
        ("lpt9", "device (LPT9)"),
        ("com¹.json", "device (COM¹)"),
        ("a<b.json", "holds '<'"),
        ("a:b/c.json", "holds ':'"),
        ('a"b|c.json', "holds '\"', '|'"),
        ("what?.json", "holds '?'"),
        ("star*.json", "holds '*'"),
        ("tab\there.json", "control character"),
        ("events.json.", "ends in a dot"),
        ("folder /events.json", "ends in a space"),
    ],
)
def test_paths_that_are_not_portable(path: str, words: str) -> None:
    problems = portability_problems(path)
    assert problems and any(words in p for p in problems), problems


def test_paths_differing_in_case_collide_at_the_second() -> None:
    issues = portability_issues(
        [("events.json", "/resources/0/path"), ("Events.json", "/resources/1/path")],
        "datapackage.json",
    )
    assert [(i.rule, i.severity.value, i.pointer) for i in issues] == [
        ("resource-path-collision", "error", "/resources/1/path")
    ]
    assert "only in capital letters" in issues[0].message
    assert "'events.json' (at /resources/0/path)" in issues[0].message


def test_paths_differing_in_normalisation_collide() -> None:
    nfc = unicodedata.normalize("NFC", "événements.json")
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    (issue,) = portability_issues([(nfc, "/resources/0/path"), (nfd, "/resources/1/path")], "dp")
    assert issue.rule == "resource-path-collision"
    assert "NFC and NFD" in issue.message


def test_the_same_path_twice_is_not_a_collision() -> None:
    assert portability_issues([("a.json", "/p/0"), ("a.json", "/p/1")], "dp") == []


def test_warnings_name_the_path_and_where_it_is_written() -> None:
    (issue,) = portability_issues([("aux.json", "/resources/2/path")], "pkg/datapackage.json")
    assert issue.rule == "resource-path-not-portable"
    assert issue.severity.value == "warning"
    assert issue.file == "pkg/datapackage.json" and issue.pointer == "/resources/2/path"
    assert issue.message.startswith("the resource path 'aux.json' would not load on every computer")


def _package_with_paths(tmp_path: Path, renames: dict[str, str]) -> Path:
    package = tmp_path / "package"
    shutil.copytree(canonical_data_dir(), package)
    descriptor_file = package / "datapackage.json"
    descriptor = json.loads(descriptor_file.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        new = renames.get(resource["path"])
        if new is not None:
            (package / resource["path"]).rename(package / new)
            resource["path"] = new
    descriptor_file.write_text(json.dumps(descriptor), encoding="utf-8")
    return package


def test_a_package_with_a_reserved_name_validates_with_a_warning(tmp_path: Path) -> None:
    package = _package_with_paths(tmp_path, {"actors.json": "aux.json"})
    report = hsdata.validate(package)
    found = [i for i in report.issues if i.rule.startswith("resource-path")]
    assert [(i.rule, i.pointer) for i in found] == [
        ("resource-path-not-portable", "/resources/1/path")
    ]


def test_a_package_whose_paths_collide_is_invalid(tmp_path: Path) -> None:
    package = _package_with_paths(tmp_path, {"sources.json": "Sources.json"})
    (package / "sources.json").write_text("[]\n", encoding="utf-8")
    descriptor_file = package / "datapackage.json"
    descriptor = json.loads(descriptor_file.read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = ["Sources.json", "sources.json"]
    descriptor_file.write_text(json.dumps(descriptor), encoding="utf-8")
    report = hsdata.validate(package)
    found = [(i.rule, i.pointer) for i in report.issues if i.rule.startswith("resource-path")]
    assert found == [("resource-path-collision", "/resources/0/path/1")]
    assert report.exit_code == hsdata.ExitCode.INVALID
