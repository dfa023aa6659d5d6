"""A package that is not Canada's (Japan and Senegal, in three languages) validates clean."""

from __future__ import annotations

import json
from pathlib import Path

from hsdata import ExitCode
from hsdata._validator import validate

from .contributed import write_contributed_package


def test_contributed_package_validates_clean(tmp_path: Path, no_network: None) -> None:
    folder = write_contributed_package(tmp_path / "japan-senegal")
    report = validate(folder)
    assert report.issues == ()
    assert report.records_checked == 14
    assert report.exit_code == ExitCode.VALID
    assert any(f.endswith("events.jsonl") for f in report.files)
    # The same through its datapackage.json.
    assert validate(folder / "datapackage.json").issues == ()


def test_contributed_files_validate_clean_together(tmp_path: Path) -> None:
    folder = write_contributed_package(tmp_path / "japan-senegal")
    files = sorted(p for p in folder.iterdir() if p.name != "datapackage.json")
    report = validate(files, schema_version="1.0")  # the version the package declares
    assert report.issues == ()
    assert report.records_checked == 14


def test_a_lone_file_does_not_report_references_it_cannot_check(tmp_path: Path) -> None:
    folder = write_contributed_package(tmp_path / "japan-senegal")
    report = validate(folder / "events.jsonl")
    assert report.issues == ()  # actors, sources... are not given: not checked
    lines = (folder / "events.jsonl").read_text(encoding="utf-8").splitlines()
    second = json.loads(lines[1])
    second["followUpOf"] = "no-such-event"
    lines[1] = json.dumps(second, ensure_ascii=False)
    (folder / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate(folder / "events.jsonl")
    (issue,) = report.issues  # events are given, so a reference to an event is checked
    assert (issue.rule, issue.line, issue.pointer) == ("ref-unresolved", 2, "/followUpOf")
    assert issue.column == lines[1].index('"followUpOf"') + 1


def test_changed_resource_fails_its_declared_size_and_hash(tmp_path: Path) -> None:
    folder = write_contributed_package(tmp_path / "japan-senegal")
    path = folder / "memberships.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"2002"', '"2003"'), "utf-8")
    report = validate(folder)
    assert report.by_rule() == {"package-resource-hash": 1}
    path.write_text(path.read_text(encoding="utf-8") + "\n", "utf-8")
    assert validate(folder).by_rule() == {"package-resource-hash": 1, "package-resource-bytes": 1}
