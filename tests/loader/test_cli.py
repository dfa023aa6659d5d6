"""``hsdata info`` and ``hsdata export``: output, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import frictionless
import pytest
from click.testing import CliRunner, Result

import hsdata
from hsdata.cli import main


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_info_summarises_the_canonical_data(canonical: hsdata.Dataset) -> None:
    result = run("info")
    assert result.exit_code == 0, result.output
    assert "Records: 74" in result.output or f"Records: {len(canonical)}" in result.output
    assert "Lysøen Partnership" in result.output
    assert "Languages: en" in result.output and "fr (" in result.output
    span = canonical.date_span()
    assert span is not None
    assert f"Dates: {span[0].isoformat()} to {span[1].isoformat()}" in result.output


def test_info_as_json(canonical: hsdata.Dataset) -> None:
    result = run("info", "--format", "json")
    assert result.exit_code == 0
    facts = json.loads(result.output)
    assert facts["counts"] == canonical.counts()
    assert facts["records"] == len(canonical)
    assert set(facts["languages"]) == {"en", "fr"}
    lysoen = next(p for p in facts["partnerships"] if p["id"] == "lysoen-partnership")
    assert lysoen["members"] == 2 and lysoen["type"] == "bilateral"


def test_info_of_a_zip(package_copy: Path, tmp_path: Path) -> None:
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in package_copy.iterdir():
            handle.write(path, path.name)
    result = run("info", str(archive), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["counts"]["actor"] == 27


def test_info_of_invalid_data_exits_1_and_says_why(edit_records: Any, package_copy: Path) -> None:
    edit_records("events.json", lambda events: events[0].update(partnership="atlantis"))
    result = run("info", str(package_copy))
    assert result.exit_code == 1
    assert "atlantis" in result.output
    assert "events.json" in result.output
    assert "Traceback" not in result.output


def test_info_of_a_missing_path_exits_2(tmp_path: Path) -> None:
    result = run("info", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "no file or folder" in result.output
    assert "Traceback" not in result.output


def test_info_of_a_hostile_zip_exits_2(package_copy: Path, tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.write(package_copy / "datapackage.json", "datapackage.json")
        handle.writestr("../../escape.txt", "x")
    result = run("info", str(archive))
    assert result.exit_code == 2
    assert "package-archive-unsafe" in result.output


def test_info_of_a_loose_file_exits_2(package_copy: Path) -> None:
    result = run("info", str(package_copy / "actors.json"))
    assert result.exit_code == 2
    assert "not a data package" in result.output


def test_export_csv_writes_a_valid_package(tmp_path: Path) -> None:
    out = tmp_path / "tables"
    result = run("export", "--format", "csv", str(out))
    assert result.exit_code == 0, result.output
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid
    assert (out / "partnership_members.csv").is_file()


def test_export_jsonld_to_a_file_and_to_stdout(tmp_path: Path, package_copy: Path) -> None:
    out = tmp_path / "ld" / "data.jsonld"
    result = run("export", "-f", "jsonld", str(package_copy), str(out))
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert any(node["@id"] == "actors/canada" for node in document["@graph"])
    streamed = run("export", "-f", "jsonld", "--base", "https://example.org/x/", "-")
    assert streamed.exit_code == 0
    assert json.loads(streamed.stdout)["@context"][1] == {"@base": "https://example.org/x/"}


def test_export_of_invalid_data_writes_nothing(
    edit_records: Any, package_copy: Path, tmp_path: Path
) -> None:
    edit_records("actors.json", lambda actors: actors[0].update(type="planet"))
    out = tmp_path / "tables"
    result = run("export", "--format", "csv", str(package_copy), str(out))
    assert result.exit_code == 1
    assert not out.exists()


def test_export_needs_a_known_format(tmp_path: Path) -> None:
    result = run("export", "--format", "xml", str(tmp_path))
    assert result.exit_code == 2
    assert "xml" in result.output


@pytest.mark.parametrize("command", ["info", "export"])
def test_help_reads_well(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage: main " + command in result.output or f"{command} [OPTIONS]" in result.output
    assert "exit" in result.output.lower()


def test_python_m_hsdata_info_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hsdata", "info", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["schemaVersion"] == hsdata.STANDARD_VERSION


def test_export_jsonld_into_a_folder_names_the_file_after_the_package(tmp_path: Path) -> None:
    result = run("export", "--format", "jsonld", str(tmp_path))
    assert result.exit_code == 0, result.output
    written = tmp_path / "hsdata-canonical.jsonld"
    assert json.loads(written.read_text(encoding="utf-8"))["@graph"]


def test_export_into_an_unwritable_place_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run("export", "--format", "csv", str(blocker / "tables"))
    assert result.exit_code == 2
    assert "cannot write" in result.output
    assert "Traceback" not in result.output


def test_control_characters_in_the_data_are_escaped_in_errors(
    edit_records: Any, package_copy: Path
) -> None:
    def plant(events: list[dict[str, Any]]) -> None:
        events[0]["id"] = "fake\nerror: all is well\x1b[31m"

    edit_records("events.json", plant)
    result = run("info", str(package_copy))
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert "\nerror: all is well" not in result.output
    assert "\\n" in result.output
