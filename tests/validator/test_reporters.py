"""The three output formats, and safe echoing of hostile input in each."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hsdata import STANDARD_VERSION, Issue, Report, Severity, UpgradeChange, UpgradeReport
from hsdata._reporting import format_github, format_json, format_report, format_text
from hsdata._validator import validate

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
    resources = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    records = [json.loads((package / r["path"]).read_text(encoding="utf-8")) for r in resources]
    assert document["recordsChecked"] == sum(len(r) for r in records)
    assert len(document["files"]) == len(resources) + 1  # and datapackage.json
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


# -- upgrade reports go through the same renderers -----------------------------------------------

#: What must never reach a terminal or an annotation raw: ESC sequences, BEL, CR, a bidi override.
HOSTILE_PIECES = ("\x1b[2J", "\x07", "\r", "\u202e", "\x9b")


def _hostile_upgrade_report(*, written: bool) -> UpgradeReport:
    hostile = "\x1b[2J\x07evil\r::error::forged\u202etxt.json\x9b31m"
    change = UpgradeChange(
        "post-attested-on",
        f"heldOn {hostile} moved",
        file=f"actors{hostile}.json",
        line=3,
        record=f"rec{hostile}",
        pointer=f"/0/{hostile}",
    )
    issue = Issue(
        "upgrade-unreadable",
        Severity.ERROR,
        f"cannot read {hostile}",
        file=f"events{hostile}.json",
        line=1,
        column=2,
        pointer=f"/{hostile}",
        record=hostile,
        unreadable=not written,
    )
    return UpgradeReport(
        source_version="1.0",
        target_version="1.1",
        steps=("1.0 -> 1.1: a step",),
        changes=(change,),
        issues=(issue,),
        files=(f"actors{hostile}.json",),
        output=f"out{hostile}",
        written=written,
    )


@pytest.mark.parametrize("written", [True, False])
@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_upgrade_reports_are_escaped_in_every_format(output_format: str, written: bool) -> None:
    report = _hostile_upgrade_report(written=written)
    output = format_report(report, output_format)
    for piece in HOSTILE_PIECES:
        assert piece not in output, (piece, output)
    assert "\\u001b[2J" in output or "\\\\u001b[2J" in output  # shown, escaped
    assert "\\u202e" in output or "\\\\u202e" in output
    if output_format == "github":
        # One annotation per change and per issue, and the outcome: nothing forged.
        lines = output.splitlines()
        assert [line.split(" ", 1)[0] for line in lines] == ["::notice", "::error", "::notice"]
        assert lines[-1].startswith("::notice title=hsdata upgrade::")
    if output_format == "text":
        assert output.startswith("Upgraded from hsdata 1.0 to 1.1 in out")
        assert "1 × post-attested-on" in output
        last = output.splitlines()[-1]
        assert last == (
            "1 file(s) written; the upgraded package is invalid (1 error)."
            if written
            else "Upgrade refused: nothing was written."
        )


def test_upgrade_report_json_keeps_the_shape_of_to_dict() -> None:
    report = _hostile_upgrade_report(written=True)
    document = json.loads(format_json(report))
    expected = report.to_dict()
    assert document.keys() == expected.keys()
    assert document["counts"] == expected["counts"] and document["exitCode"] == 1
    assert [c.keys() for c in document["changes"]] == [c.keys() for c in expected["changes"]]
    assert document["issues"] == expected["issues"]  # already made safe by to_dict
    assert document["changes"][0]["file"].startswith("actors\\u001b[2J\\u0007evil\\r")


def test_upgrade_text_lists_issues_as_the_validator_does() -> None:
    issue = Issue("schema-type", Severity.WARNING, "A warning.", file="events.json", line=4)
    upgrade = UpgradeReport(source_version="1.0", target_version="1.1", issues=(issue,))
    validation = Report(issues=(issue,))
    issue_lines = format_text(validation).splitlines()[:-1]  # without the summary line
    assert "\n".join(issue_lines) in format_text(upgrade)
    coloured = format_text(upgrade, color=True)
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == format_text(upgrade)
