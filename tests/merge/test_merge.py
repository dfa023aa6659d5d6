"""hsdata merge: publishers joined, contradictions reported, the output valid and stable."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from publishers import actor, partnership, two_publishers, write_package

import hsdata
from hsdata._paths import canonical_data_dir
from hsdata.cli import main

EXAMPLE = Path(__file__).parents[2] / "examples" / "norway-nb"

#: The question of issue 16, as docs/joining.rst shows it.
LANDMINES_QUERY = """
SELECT actor_name, mode, forum_name, partnership_name, event, period_start, period_end
FROM issue_area_engagements
WHERE issue_area = 'hsca-landmines'
ORDER BY period_start, actor, engagement
"""


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def conflicts(report: hsdata.Report) -> list[hsdata.Issue]:
    return [issue for issue in report.issues if issue.rule == "merge-conflict"]


def test_planted_contradiction_names_both_sources(tmp_path: Path) -> None:
    inputs = two_publishers(tmp_path, start_b="1999-02-01", status_b="ended")
    result = hsdata.merge(inputs, tmp_path / "out")
    found = conflicts(result.report)
    assert [issue.pointer for issue in found] == ["/0/period/start", "/0/status"]
    first = found[0]
    assert first.severity is hsdata.Severity.WARNING
    assert first.file is not None and first.file.endswith("alpha/partnerships.json")
    assert first.record == "pact"
    assert "beta/partnerships.json" in first.message and "'avtale'" in first.message
    assert "'1998-05-11'" in first.message and "'1999-02-01'" in first.message
    assert result.report.errors == ()


def test_agreeing_publishers_and_partial_dates_are_no_contradiction(tmp_path: Path) -> None:
    inputs = two_publishers(tmp_path, start_b="1998-05", status_b="active")
    assert conflicts(hsdata.merge(inputs).report) == []


def test_complete_member_lists_that_differ_contradict(tmp_path: Path) -> None:
    alpha = write_package(
        tmp_path / "alpha",
        "alpha",
        {
            "actor": [actor("norway", "NO"), actor("canada", "CA")],
            "partnership": [partnership("pact", "1998", "active", ["norway", "canada"])],
        },
    )
    beta = write_package(
        tmp_path / "beta",
        "beta",
        {
            "actor": [actor("norge", "NO"), actor("chile", "CL")],
            "partnership": [partnership("avtale", "1998", "active", ["norge", "chile"])],
        },
    )
    (issue,) = conflicts(hsdata.merge([alpha, beta]).report)
    assert issue.pointer == "/0/members"
    assert "alpha-canada" in issue.message and "beta-chile" in issue.message


def test_matched_records_are_kept_and_linked(tmp_path: Path) -> None:
    result = hsdata.merge(two_publishers(tmp_path), tmp_path / "out")
    entities = {tuple(e["records"]) for e in result.provenance["entities"]}
    assert entities == {
        ("alpha-canada", "beta-kanada"),
        ("alpha-norway", "beta-norge"),
        ("alpha-pact", "beta-avtale"),
    }
    pact = next(r for r in result.records["partnership"] if r["id"] == "alpha-pact")
    assert [m["actor"] for m in pact["members"]] == ["alpha-norway", "alpha-canada"]
    assert result.provenance["records"]["partnerships/beta-avtale"] == {
        "input": "beta",
        "uri": "https://example.org/beta/partnerships/avtale",
    }
    assert hsdata.validate(tmp_path / "out").valid


def test_merge_is_deterministic_and_idempotent(tmp_path: Path) -> None:
    inputs = two_publishers(tmp_path)
    first = hsdata.merge(inputs, tmp_path / "one").write(tmp_path / "one", force=True)
    hsdata.merge(list(reversed(inputs)), tmp_path / "two")
    hsdata.merge([first], tmp_path / "again")
    hsdata.merge([first, first], tmp_path / "twice")
    expected = digests(first)
    assert digests(tmp_path / "two") == expected
    assert digests(tmp_path / "again") == expected
    assert digests(tmp_path / "twice") == expected


def test_two_releases_of_one_namespace_are_refused(tmp_path: Path) -> None:
    alpha = write_package(tmp_path / "a1", "alpha", {"actor": [actor("norway", "NO")]})
    again = write_package(tmp_path / "a2", "alpha", {"actor": [actor("norge", "NO")]})
    with pytest.raises(hsdata.MergeError, match="hsdata compile"):
        hsdata.merge([alpha, again])


def test_canonical_and_example_merge_into_a_valid_package_that_answers_the_question(
    tmp_path: Path,
) -> None:
    result = hsdata.merge([canonical_data_dir(), EXAMPLE], tmp_path / "merged")
    assert result.report.valid
    report = hsdata.validate(tmp_path / "merged")
    assert report.valid, [str(i) for i in report.errors]
    engagement = next(
        r for r in result.records["engagement"] if r["id"].endswith("norge-lysoen-landminer")
    )
    # hsca:norway in the example is the canonical record, now a local reference.
    assert engagement["actor"] == "hsca-norway"
    assert engagement["partnership"] == "hsca-lysoen-partnership"
    database = tmp_path / "merged.db"
    outcome = CliRunner().invoke(
        main, ["export", "--format", "sqlite", str(tmp_path / "merged"), str(database)]
    )
    assert outcome.exit_code == 0, outcome.output
    with sqlite3.connect(database) as connection:
        rows = connection.execute(LANDMINES_QUERY).fetchall()
    actors = {row[0] for row in rows}
    assert {"Canada", "Norway"} <= actors
    (hosting,) = [row for row in rows if row[1] == "hosted"]
    assert hosting == (
        "Norway",
        "hosted",
        None,
        None,
        "hsdata-example-norway-nb-oslo-diplomatiske-konferanse-1997",
        "1997-09-01",
        "1997-09-18",
    )


def test_cli_merge_writes_the_package_and_reports(tmp_path: Path) -> None:
    inputs = [str(p) for p in two_publishers(tmp_path, start_b="1998-05-11", status_b="ended")]
    outcome = CliRunner().invoke(
        main, ["merge", *inputs, "--output", str(tmp_path / "out"), "--format", "json"]
    )
    assert outcome.exit_code == 0, outcome.output
    rules = [issue["rule"] for issue in json.loads(outcome.stdout)["issues"]]
    assert rules == ["merge-conflict"]
    assert (tmp_path / "out" / "merge-provenance.json").is_file()


def test_cli_merge_refuses_an_input_without_namespace(tmp_path: Path) -> None:
    outcome = CliRunner().invoke(
        main, ["merge", str(tmp_path / "nothing"), "--output", str(tmp_path / "out")]
    )
    assert outcome.exit_code == 2
    assert "there is no file or folder" in outcome.stderr
