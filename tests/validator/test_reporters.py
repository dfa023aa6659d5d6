"""The three output formats, and safe echoing of hostile input in each."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hsdata import STANDARD_VERSION, Issue, Report, Severity
from hsdata._validator import format_github, format_json, format_report, format_text, validate

HOSTILE_NAME = "evil\x1b[31m\r\n::error file=x::forged,\u202e"


def _hostile_report(tmp_path: Path) -> Report:
    record = {"id": "a", "type": "state", "name": {"en": "A"}, "country": "JP"}
    record["citations"] = [{"source": "s", "page": "1"}]
    record[HOSTILE_NAME + "x" * 500] = 1
    path = tmp_path / "actors.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    return validate(path)


def test_json_format_is_one_object_with_issues_and_counts(package: Path) -> None:
    events = json.loads((package / "events.json").read_text(encoding="utf-8"))
    events[0]["status"] = "helt"
    events[0]["type"] = "signingg"
    (package / "events.json").write_text(json.dumps(events, indent=2), encoding="utf-8")
    document = json.loads(format_json(validate(package)))
    assert document["valid"] is False and document["exitCode"] == 1
    assert document["counts"] == {"error": 1, "warning": 1}
    assert document["schemaVersion"] == STANDARD_VERSION
    assert document["recordsChecked"] == 74
    assert len(document["files"]) == 8
    issue = next(i for i in document["issues"] if i["rule"] == "codelist-closed")
    assert issue["file"].endswith("events.json")
    assert issue["pointer"] == "/0/status"
    assert issue["record"] == "landmines-treaty-signing-ottawa-1997"
    assert issue["severity"] == "error"
    assert isinstance(issue["line"], int) and isinstance(issue["column"], int)
    assert issue["docsUrl"].endswith("#codelist-closed")


def test_text_format_groups_by_file_and_ends_with_a_summary(package: Path) -> None:
    (package / "sources.json").write_text("[", encoding="utf-8")
    events = json.loads((package / "events.json").read_text(encoding="utf-8"))
    events[0]["status"] = "helt"
    (package / "events.json").write_text(json.dumps(events, indent=2), encoding="utf-8")
    text = format_text(validate(package))
    lines = text.splitlines()
    # The unreadable sources hide no other problem, and are not blamed on every citation.
    assert lines[-1].startswith("2 errors, 0 warnings in 2 files (")
    assert "\x1b[" not in text
    headers = [line for line in lines if line and not line.startswith(" ")]
    assert any(h.endswith("sources.json") for h in headers)
    assert any(h.endswith("events.json") for h in headers)
    coloured = format_text(validate(package), color=True)
    assert "\x1b[" in coloured
    # Plain text is written without rich; it must be the coloured text, uncoloured.
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == text


def test_summary_of_a_clean_report() -> None:
    report = Report(files=("a.json", "b.json"), records_checked=1234)
    assert format_report(report).strip() == "No problems in 2 files (1,234 records checked)"


def test_github_format_escapes_data_and_properties() -> None:
    issue = Issue(
        "schema-type",
        Severity.WARNING,
        "100% wrong\nreally",
        file="dir,with:odd/names.json",
        line=7,
        column=3,
    )
    (line, notice) = format_github(Report(issues=(issue,))).splitlines()
    # Control characters are escaped before GitHub's own escaping: one issue, one line.
    assert line == (
        "::warning file=dir%2Cwith%3Aodd/names.json,line=7,col=3,title=schema-type"
        "::100%25 wrong\\nreally"
    )
    assert notice.startswith("::notice title=hsdata validate::0 errors, 1 warning")


@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_hostile_strings_are_shown_safely_in_every_format(
    tmp_path: Path, output_format: str
) -> None:
    report = _hostile_report(tmp_path)
    assert report.by_rule() == {"schema-unknown-field": 1}
    output = format_report(report, output_format)
    assert "\x1b" not in output and "\r" not in output and "\u202e" not in output
    assert "\\u001b" in output or "\\\\u001b" in output
    assert "x" * 200 not in output  # long values are cut
    if output_format == "github":
        # The forged command stays inside one annotation line.
        assert all(line.startswith(("::error ", "::notice ")) for line in output.splitlines())
    if output_format == "json":
        json.loads(output)


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        format_report(Report(), "xml")
