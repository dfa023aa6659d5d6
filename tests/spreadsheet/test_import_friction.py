"""Importing a spreadsheet: what a first-time publisher trips over is refused or placed plainly.

An empty template, the template's example package name, a CSV file saved in
Windows-1252, a problem with the package sheet, and lists typed on the package
sheet the way list cells are typed everywhere else.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from hsdata import import_spreadsheet, write_template
from hsdata._paths import canonical_data_dir
from hsdata._spreadsheet._reader import PACKAGE_PLACEHOLDERS, package_list
from hsdata.cli import main


def _rules(report: Any) -> list[str]:
    return sorted({issue.rule for issue in report.issues})


# -- an empty template --------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_an_empty_template_is_not_imported(tmp_path: Path, form: str) -> None:
    blank = tmp_path / ("blank.xlsx" if form == "xlsx" else "blank")
    write_template(blank, format=form)
    report = import_spreadsheet(blank, tmp_path / "out")
    assert _rules(report) == ["spreadsheet-empty", "spreadsheet-placeholder"]
    assert report.exit_code == 1
    assert not (tmp_path / "out").exists()
    placeholder = next(i for i in report.issues if i.rule == "spreadsheet-placeholder")
    assert placeholder.message.startswith("package!B")
    assert (
        "(name)" in placeholder.message
        and repr(PACKAGE_PLACEHOLDERS["name"]) in placeholder.message
    )
    assert placeholder.pointer is not None and placeholder.pointer.endswith("/name")


def _package_rows(folder: Path) -> list[list[str]]:
    with (folder / "package.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _write_package_rows(folder: Path, rows: list[list[str]]) -> None:
    with (folder / "package.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _set_package(folder: Path, key: str, value: str) -> None:
    rows = _package_rows(folder)
    for row in rows:
        if row and row[0] == key:
            row[1:] = [value]
            break
    else:
        rows.append([key, value])
    _write_package_rows(folder, rows)


def test_a_named_package_without_records_is_still_refused(tmp_path: Path) -> None:
    blank = tmp_path / "blank"
    write_template(blank, format="csv")
    _set_package(blank, "name", "my-own-package")
    report = import_spreadsheet(blank, tmp_path / "out")
    assert _rules(report) == ["spreadsheet-empty"]
    (issue,) = report.issues
    assert "no sheet holds a record" in issue.message


# -- CSV files not in UTF-8 ---------------------------------------------------------------------


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    folder = tmp_path / "filled"
    write_template(folder, package=canonical_data_dir(), format="csv")
    return folder


def _as_cp1252(folder: Path, sheet: str) -> int:
    """Save one CSV file in Windows-1252 with an accented letter in it; return its line."""
    path = folder / f"{sheet}.csv"
    text = path.read_text(encoding="utf-8-sig")
    lines = text.split("\n")
    lines[2] = lines[2].replace(",", ",é", 1)  # line 3: a letter Windows-1252 writes as 0xE9
    text = "\n".join(lines)
    # characters Windows-1252 lacks could not have been saved in it: left out
    data = text.encode("cp1252", errors="ignore")
    path.write_bytes(data)
    first = next(n for n, byte in enumerate(data) if byte > 0x7F)
    return data.count(b"\n", 0, first) + 1


def test_a_windows_1252_csv_is_refused_at_its_file_and_line(filled: Path, tmp_path: Path) -> None:
    line = _as_cp1252(filled, "issueArea")
    report = import_spreadsheet(filled, tmp_path / "out")
    (issue,) = report.issues
    assert issue.rule == "spreadsheet-unreadable"
    assert issue.file is not None and issue.file.endswith("issueArea.csv")
    assert issue.line == line
    assert f"line {line} holds a byte (0x" in issue.message and "that is not UTF-8" in issue.message
    assert "Windows-1252" in issue.message and "CSV UTF-8" in issue.message
    assert "--encoding cp1252" in issue.message
    assert "codec" not in issue.message
    assert not (tmp_path / "out").exists()


def test_a_windows_1252_csv_imports_with_the_encoding_named(filled: Path, tmp_path: Path) -> None:
    _as_cp1252(filled, "issueArea")
    result = CliRunner().invoke(
        main, ["import", str(filled), str(tmp_path / "out"), "--encoding", "cp1252", "-f", "json"]
    )
    issues = json.loads(result.stdout)["issues"]
    assert not [i for i in issues if i["rule"] == "spreadsheet-unreadable"], issues
    areas = json.loads((tmp_path / "out" / "issue-areas.json").read_text(encoding="utf-8"))
    assert any("é" in json.dumps(area, ensure_ascii=False) for area in areas)


def test_an_unknown_encoding_is_a_usage_error(filled: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["import", str(filled), str(tmp_path / "out"), "--encoding", "klingon"]
    )
    assert result.exit_code == 2
    assert "not an encoding" in result.stderr


def test_bytes_no_single_byte_encoding_explains_are_still_placed(
    filled: Path, tmp_path: Path
) -> None:
    (filled / "actor.csv").write_bytes(b"id,type\n\x81\x8d\x8f\x90\x9d,state\n")
    report = import_spreadsheet(filled, tmp_path / "out")
    (issue,) = report.issues
    assert issue.line == 2 and "not UTF-8" in issue.message
    assert "Windows-1252" not in issue.message


# -- the package sheet --------------------------------------------------------------------------


def test_package_problems_are_placed_at_the_package_sheet(filled: Path, tmp_path: Path) -> None:
    _set_package(filled, "licenses", '[{"title": "no name, no path"}]')
    report = import_spreadsheet(filled, tmp_path / "out")
    row = next(n for n, r in enumerate(_package_rows(filled), start=1) if r[0] == "licenses")
    located = [i for i in report.issues if i.rule.startswith("package-")]
    assert located, report.issues
    for issue in located:
        assert issue.file == str(filled)
        assert issue.pointer is not None and issue.pointer.startswith("/package")
        assert issue.message.startswith("package")
        assert (issue.line, issue.column) != (1, 1)
    assert any(
        i.line == row and i.message.startswith(f"package!B{row} (licenses)") for i in located
    )


def test_package_lists_may_be_typed_as_separated_lists(filled: Path, tmp_path: Path) -> None:
    _set_package(filled, "keywords", "landmines; small arms;child soldiers")
    _set_package(filled, "licenses", "CC-BY-4.0")
    report = import_spreadsheet(filled, tmp_path / "out")
    assert not [i for i in report.issues if i.rule.startswith(("spreadsheet-", "package-d"))]
    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["keywords"] == ["landmines", "small arms", "child soldiers"]
    assert descriptor["licenses"] == [{"name": "CC-BY-4.0"}]


def test_package_lists_written_as_json_still_read(filled: Path, tmp_path: Path) -> None:
    _set_package(filled, "keywords", '["a; b", "c"]')
    import_spreadsheet(filled, tmp_path / "out", validate=False)
    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["keywords"] == ["a; b", "c"]


def test_the_template_writes_keywords_as_a_separated_list(filled: Path) -> None:
    keywords = next(r for r in _package_rows(filled) if r[0] == "keywords")
    assert not keywords[1].startswith("[")
    assert "; " in keywords[1]


@pytest.mark.parametrize(
    ("text", "item_key", "expected"),
    [
        ("a; b", None, ["a", "b"]),
        ("a\\; b; c", None, ["a; b", "c"]),
        ("  ", None, []),
        ("Jane Doe; John Roe", "title", [{"title": "Jane Doe"}, {"title": "John Roe"}]),
        ("https://example.org/l", "name", [{"path": "https://example.org/l"}]),
    ],
)
def test_package_list(text: str, item_key: str | None, expected: list[Any]) -> None:
    assert package_list(text, item_key) == expected


def test_the_byte_shown_is_the_wrong_one_after_a_byte_order_mark(
    filled: Path, tmp_path: Path
) -> None:
    (filled / "actor.csv").write_bytes(b"\xef\xbb\xbfid,type\ncanad\xe9,state\n")
    report = import_spreadsheet(filled, tmp_path / "out")
    (issue,) = report.issues
    assert issue.line == 2 and "(0xE9)" in issue.message and "Windows-1252" in issue.message
