"""``hsdata validate pkg.zip``: a zipped package, unpacked safely, named as ``pkg.zip!/file``.

The archive is unpacked with the loader's checks into a private temporary
folder that is always removed; nothing else is written, and the input is
left as it was.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from hsdata import ExitCode
from hsdata._validator import validate
from hsdata.cli import main

from .conftest import CANONICAL_RECORDS, CANONICAL_SUMMARY


def _zip(package: Path, archive: Path, inside: str = "") -> Path:
    """Zip every file of ``package``, under the folder ``inside`` of the archive."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        for file in sorted(package.iterdir()):
            handle.write(file, f"{inside}{file.name}")
    return archive


def _break(package: Path) -> None:
    events = json.loads((package / "events.json").read_text(encoding="utf-8"))
    events[0]["nmae"] = events[0].pop("name")
    (package / "events.json").write_text(json.dumps(events, indent=2), encoding="utf-8")


def _leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("hsdata-zip-*")}


@pytest.fixture
def untouched(tmp_path: Path) -> Iterator[Path]:
    """A working folder where validation must write nothing and leave no temporary folder."""
    work = tmp_path / "work"
    work.mkdir()
    before_temp = _leftovers()
    yield work
    assert _leftovers() <= before_temp, "a temporary folder was left behind"


def _run(work: Path, *args: str) -> tuple[int, str]:
    before = {p: p.read_bytes() for p in work.rglob("*") if p.is_file()}
    result = CliRunner().invoke(main, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    after = {p: p.read_bytes() for p in work.rglob("*") if p.is_file()}
    assert after == before, "validation wrote into or changed the working folder"
    return result.exit_code, result.stdout


@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_zip_of_the_canonical_package_is_valid(
    package: Path, untouched: Path, output_format: str
) -> None:
    archive = _zip(package, untouched / "pkg.zip")
    code, out = _run(untouched, str(archive), "--format", output_format)
    assert code == 0, out
    if output_format == "json":
        result = json.loads(out)
        assert result["valid"] is True and result["issues"] == []
        assert result["recordsChecked"] == CANONICAL_RECORDS
        assert f"{archive}!/events.json" in result["files"]
        assert not any("hsdata-zip-" in name for name in result["files"])
    elif output_format == "text":
        assert out.strip() == CANONICAL_SUMMARY


def test_api_reports_files_inside_the_zip(package: Path, untouched: Path) -> None:
    archive = _zip(package, untouched / "pkg.zip")
    report = validate(archive)
    assert report.valid and report.exit_code is ExitCode.VALID
    assert report.records_checked == CANONICAL_RECORDS
    assert f"{archive}!/datapackage.json" in report.files
    assert f"{archive}!/actors.json" in report.files


def test_invalid_record_inside_the_zip_is_located_in_it(package: Path, untouched: Path) -> None:
    _break(package)
    archive = _zip(package, untouched / "pkg.zip")
    report = validate(archive)
    assert report.exit_code is ExitCode.INVALID
    (issue,) = report.errors
    assert issue.rule == "schema-unknown-field"
    assert issue.file == f"{archive}!/events.json"
    assert issue.pointer == "/0/nmae"
    # the line and column of the misspelled key in the file as zipped
    lines = (package / "events.json").read_text(encoding="utf-8").splitlines()
    assert issue.line is not None and issue.column is not None
    assert lines[issue.line - 1][issue.column - 1 :].startswith('"nmae"')
    assert issue.record == "landmines-treaty-signing-ottawa-1997"


@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_invalid_zip_in_every_format(package: Path, untouched: Path, output_format: str) -> None:
    _break(package)
    archive = _zip(package, untouched / "pkg.zip")
    code, out = _run(untouched, str(archive), "--format", output_format)
    assert code == 1, out
    where = f"{archive}!/events.json"
    if output_format == "json":
        (issue,) = json.loads(out)["issues"]
        assert (issue["file"], issue["pointer"], issue["rule"]) == (
            where,
            "/0/nmae",
            "schema-unknown-field",
        )
        assert isinstance(issue["line"], int) and isinstance(issue["column"], int)
    elif output_format == "github":
        assert out.startswith(f"::error file={where},line=")
        assert "title=schema-unknown-field" in out
    else:
        assert where in out and "schema-unknown-field" in out
    assert "hsdata-zip-" not in out


def test_package_in_a_folder_of_the_zip(package: Path, untouched: Path) -> None:
    _break(package)
    archive = _zip(package, untouched / "pkg.zip", inside="state-data/")
    (issue,) = validate(archive).errors
    assert issue.file == f"{archive}!/state-data/events.json"


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("../escaped.json", "'..'"),
        ("/etc/escaped.json", "absolute"),
    ],
)
@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_unsafe_archive_exits_2(
    package: Path, untouched: Path, entry: str, words: str, output_format: str
) -> None:
    archive = _zip(package, untouched / "pkg.zip")
    with zipfile.ZipFile(archive, "a") as handle:
        handle.writestr(entry, "[]")
    report = validate(archive)
    assert report.exit_code is ExitCode.UNREADABLE
    (issue,) = report.issues
    assert issue.rule == "package-archive-unsafe"
    assert words in issue.message
    assert issue.file == str(archive)
    assert not (untouched.parent / "escaped.json").exists()
    code, out = _run(untouched, str(archive), "--format", output_format)
    assert code == 2
    assert "package-archive-unsafe" in out
    if output_format == "json":
        assert json.loads(out)["issues"][0]["rule"] == "package-archive-unsafe"


def test_zip_bomb_exits_2(untouched: Path) -> None:
    archive = untouched / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("datapackage.json", "{}")
        handle.writestr("events.json", b"0" * (8 * 1024 * 1024))
    report = validate(archive)
    assert report.exit_code is ExitCode.UNREADABLE
    (issue,) = report.issues
    assert (issue.rule, issue.file) == ("package-archive-unsafe", f"{archive}!/events.json")


@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_not_a_zip_exits_2(untouched: Path, output_format: str) -> None:
    archive = untouched / "pkg.zip"
    archive.write_text('[{"id": "not-an-archive"}]', encoding="utf-8")
    (issue,) = validate(archive).issues
    assert (issue.rule, issue.file, issue.unreadable) == (
        "package-archive-unreadable",
        str(archive),
        True,
    )
    code, out = _run(untouched, str(archive), "--format", output_format)
    assert code == 2
    assert "package-archive-unreadable" in out


def test_zip_without_a_package_exits_2(untouched: Path) -> None:
    archive = untouched / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("events.json", "[]")
    (issue,) = validate(archive).issues
    assert issue.rule == "package-archive-unreadable"
    assert "datapackage.json" in issue.message


def test_zip_with_other_inputs_is_checked_on_its_own(package: Path, untouched: Path) -> None:
    archive = _zip(package, untouched / "pkg.zip")
    _break(package)
    report = validate([archive, package])
    assert [(i.rule, i.file) for i in report.errors] == [
        ("schema-unknown-field", str(package / "events.json"))
    ]
