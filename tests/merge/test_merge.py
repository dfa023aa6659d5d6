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
SELECT actor_name, mode, forum_name, partnership_name, event, event_name,
       period_start, period_end
FROM issue_area_engagements
WHERE issue_area = 'hsca-landmines'
ORDER BY period_start, actor, engagement
"""


def test_the_query_is_the_one_docs_joining_shows() -> None:
    page = (Path(__file__).parents[2] / "docs" / "joining.rst").read_text(encoding="utf-8")
    blocks = page.split(".. code-block:: sql\n")[1:]
    shown = [" ".join(block.lstrip("\n").split("\n\n")[0].split()) for block in blocks]
    assert " ".join(LANDMINES_QUERY.split()) + ";" in shown


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
    # The event is named in Norwegian only: the view shows that name, not nothing.
    oslo = "Den diplomatiske konferansen i Oslo om et internasjonalt totalforbud mot "
    oslo += "antipersonellminer"
    (hosting,) = [row for row in rows if row[1] == "hosted"]
    assert hosting == (
        "Norway",
        "hosted",
        None,
        None,
        "hsdata-example-norway-nb-oslo-diplomatiske-konferanse-1997",
        oslo,
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


# -- merged packages merged again ------------------------------------------------------------------


def _said_by(issue: hsdata.Issue) -> tuple[str, ...]:
    """The publishers a merge-conflict message names, in the order it names them."""
    names = ("Alpha", "Beta", "Gamma", "Delta", "hsdata merge")
    said = [f"'{name}' (" for name in names if f"'{name}' (" in issue.message]
    return tuple(name[1:-3] for name in sorted(said, key=issue.message.find))


def _contradictions(report: hsdata.Report) -> set[tuple[str, tuple[str, ...]]]:
    """Each contradiction as (what, the two publishers named), whatever file states it."""
    return {
        (issue.message.split(" of the same ")[0], tuple(sorted(_said_by(issue))))
        for issue in conflicts(report)
    }


def third_publisher(tmp_path: Path, name: str = "gamma", start: str = "2001-03-04") -> Path:
    """Another publisher stating the same partnership (wikidata Q42) with its own start."""
    return write_package(
        tmp_path / name,
        name,
        {
            "actor": [actor(f"{name}-no", "NO"), actor(f"{name}-ca", "CA")],
            "partnership": [
                partnership(f"{name}-pact", start, "active", [f"{name}-no", f"{name}-ca"])
            ],
        },
    )


def test_contradictions_inside_a_merged_input_are_reported_again(tmp_path: Path) -> None:
    inputs = two_publishers(tmp_path, start_b="1999-02-01", status_b="ended")
    first = hsdata.merge(inputs, tmp_path / "ab")
    assert first.report.valid
    again = hsdata.merge([tmp_path / "ab"], tmp_path / "again")
    assert _contradictions(again.report) == _contradictions(first.report)
    assert _contradictions(again.report) == {
        ("two publishers disagree on the period.start", ("Alpha", "Beta")),
        ("two publishers disagree on the status", ("Alpha", "Beta")),
    }
    (start, _) = conflicts(again.report)
    # The merged package's file and record, and the publisher each statement comes from.
    assert start.file is not None and start.file.endswith("ab/partnerships.json")
    assert start.record == "alpha-pact"
    assert "'beta-avtale'" in start.message and "'1999-02-01'" in start.message
    assert "hsdata merge" not in start.message
    assert digests(tmp_path / "again") == digests(tmp_path / "ab")


def test_a_merged_input_and_a_new_publisher_contradict(tmp_path: Path) -> None:
    inputs = two_publishers(tmp_path, start_b="1999-02-01")
    hsdata.merge(inputs, tmp_path / "ab")
    gamma = third_publisher(tmp_path)
    result = hsdata.merge([tmp_path / "ab", gamma], tmp_path / "abc")
    assert result.report.valid
    assert _contradictions(result.report) == {
        ("two publishers disagree on the period.start", ("Alpha", "Beta")),
        ("two publishers disagree on the period.start", ("Alpha", "Gamma")),
        ("two publishers disagree on the period.start", ("Beta", "Gamma")),
    }
    # The same as merging the three publishers at once.
    flat = hsdata.merge([*inputs, gamma], tmp_path / "flat")
    assert _contradictions(flat.report) == _contradictions(result.report)
    assert digests(tmp_path / "abc") == digests(tmp_path / "flat")


def test_contradictions_across_levels_of_merges(tmp_path: Path) -> None:
    """(alpha + beta) + (gamma + delta), and ((alpha + beta) + gamma) + delta."""
    alpha, beta = two_publishers(tmp_path, start_b="1998-05-11")  # alpha and beta agree
    gamma = third_publisher(tmp_path, "gamma", "1998-05")  # agrees with both
    delta = third_publisher(tmp_path, "delta", "2003")  # contradicts everyone
    # Both merged packages in the default namespace: told apart by their publishers.
    hsdata.merge([alpha, beta], tmp_path / "ab")
    hsdata.merge([gamma, delta], tmp_path / "gd")
    across = hsdata.merge([tmp_path / "ab", tmp_path / "gd"], tmp_path / "abgd")
    expected = {
        ("two publishers disagree on the period.start", tuple(sorted((publisher, "Delta"))))
        for publisher in ("Alpha", "Beta", "Gamma")
    }
    assert _contradictions(across.report) == expected
    hsdata.merge([tmp_path / "ab", gamma], tmp_path / "abg")
    deep = hsdata.merge([tmp_path / "abg", delta], tmp_path / "abgd-deep")
    assert _contradictions(deep.report) == expected
    flat = hsdata.merge([alpha, beta, gamma, delta], tmp_path / "flat")
    assert _contradictions(flat.report) == expected
    assert digests(tmp_path / "abgd") == digests(tmp_path / "flat")
    assert digests(tmp_path / "abgd-deep") == digests(tmp_path / "flat")
    # Merging the result with itself, or once more, changes nothing and reports the same.
    for name, given in (("self", [tmp_path / "abgd"] * 2), ("once-more", [tmp_path / "abgd"])):
        result = hsdata.merge(given, tmp_path / name)
        assert _contradictions(result.report) == expected
        assert digests(tmp_path / name) == digests(tmp_path / "flat")


def test_a_contradiction_reached_through_a_merged_dependency(tmp_path: Path) -> None:
    """gamma's partnership names alpha's actors (alpha:...); alpha is inside a merge."""
    alpha, beta = two_publishers(tmp_path, start_b="1998-05-11")
    hsdata.merge([alpha, beta], tmp_path / "ab")
    gamma = write_package(
        tmp_path / "gamma",
        "gamma",
        {
            "actor": [actor("chile", "CL")],
            "partnership": [partnership("deal", "1998-05-11", "active", ["alpha:norway", "chile"])],
        },
        dependencies=[
            {
                "prefix": "alpha",
                "namespace": "https://example.org/alpha/",
                "name": "alpha",
                "version": "1.0.0",
            }
        ],
    )
    result = hsdata.merge([tmp_path / "ab", gamma])
    found = _contradictions(result.report)
    assert found == {
        ("two publishers disagree on the members", ("Alpha", "Gamma")),
        ("two publishers disagree on the members", ("Beta", "Gamma")),
    }
    (issue, *_) = conflicts(result.report)
    # alpha:norway is the record alpha-norway of the merged input, not an unknown record.
    assert "['alpha-norway', 'gamma-chile']" in issue.message


def test_merged_inputs_that_use_one_prefix_for_two_publishers_are_refused(
    tmp_path: Path,
) -> None:
    alpha, beta = two_publishers(tmp_path)
    other = write_package(tmp_path / "other" / "alpha", "alpha", {"actor": [actor("no", "NO")]})
    descriptor = json.loads((other / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["hsdata:namespace"] = "https://example.net/alpha/"
    (other / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    hsdata.merge([alpha, beta], tmp_path / "ab", namespace="https://example.org/ab/")
    hsdata.merge([other], tmp_path / "o", namespace="https://example.org/o/")
    with pytest.raises(hsdata.MergeError, match="under the prefix 'alpha', of two packages"):
        hsdata.merge([tmp_path / "ab", tmp_path / "o"])


def test_merged_inputs_that_hold_two_releases_of_one_package_are_refused(
    tmp_path: Path,
) -> None:
    alpha, beta = two_publishers(tmp_path)
    again = write_package(tmp_path / "a2", "alpha", {"actor": [actor("norge", "NO")]})
    hsdata.merge([alpha, beta], tmp_path / "ab")
    hsdata.merge([again, beta], tmp_path / "a2b")
    with pytest.raises(hsdata.MergeError, match="two different packages of"):
        hsdata.merge([tmp_path / "ab", tmp_path / "a2b"])
    # The same release inside both merged packages is merged once.
    hsdata.merge([alpha], tmp_path / "a")
    both = hsdata.merge([tmp_path / "ab", tmp_path / "a"], tmp_path / "both")
    assert both.report.valid
    assert digests(tmp_path / "both") == digests(tmp_path / "ab")


def test_a_merged_input_with_a_damaged_provenance_is_merged_without_a_traceback(
    tmp_path: Path,
) -> None:
    hsdata.merge(two_publishers(tmp_path, start_b="1999-02-01"), tmp_path / "ab")
    path = tmp_path / "ab" / "merge-provenance.json"
    provenance = json.loads(path.read_text(encoding="utf-8"))
    provenance["inputs"] += [7, {"prefix": 3}]
    provenance["records"]["partnerships/alpha-pact"] = "not an entry"
    path.write_text(json.dumps(provenance), encoding="utf-8")
    # alpha-pact has lost its publisher: it is the merged package's own statement now.
    (issue,) = [
        i for i in conflicts(hsdata.merge([tmp_path / "ab"]).report) if "start" in i.pointer
    ]
    assert _said_by(issue) == ("hsdata merge", "Beta")
    provenance["inputs"], provenance["records"] = "not a list", ["not a mapping"]
    path.write_text(json.dumps(provenance), encoding="utf-8")
    assert conflicts(hsdata.merge([tmp_path / "ab"]).report) == []
