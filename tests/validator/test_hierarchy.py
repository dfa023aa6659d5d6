"""Rule hierarchy-cycle: an actor's parent and an issue area's broader areas never go round.

Each cycle is reported once, at the record of it met first in the files,
with the chain; the same rule holds in every bundled version, in memory, in a
package, and when JSON Lines files are checked by several processes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import hsdata
from hsdata._schemas import available_versions
from hsdata._validator import IntegrityIndex, facts_of, validate
from hsdata._validator._hierarchy import cycle_message, find_cycles, uppers_of


def _order(*ids: str) -> Any:
    return {record_id: number for number, record_id in enumerate(ids)}.__getitem__


def test_no_cycle_in_a_tree() -> None:
    links = {"unsc": ["un"], "unhcr": ["un"], "dfait": ["canada"]}
    assert find_cycles(links, _order("unsc", "unhcr", "dfait", "un", "canada")) == []


def test_a_record_that_is_its_own_parent() -> None:
    assert find_cycles({"un": ["un"]}, _order("un")) == [["un"]]


def test_each_cycle_once_from_the_record_met_first() -> None:
    links = {"c": ["a"], "a": ["b"], "b": ["c"], "d": ["a"]}
    # 'b' is met first in the files: the chain starts there, whatever the walk's start
    assert find_cycles(links, _order("b", "d", "c", "a")) == [["b", "c", "a"]]


def test_separate_cycles_in_the_order_they_are_met() -> None:
    links = {"x": ["y"], "y": ["x"], "a": ["a"]}
    assert find_cycles(links, _order("x", "a", "y")) == [["x", "y"], ["a"]]


def test_a_long_chain_needs_no_recursion() -> None:
    count = 50_000
    links = {f"n{i}": [f"n{i + 1}"] for i in range(count)}
    links[f"n{count}"] = ["n0"]
    (cycle,) = find_cycles(links, lambda i: int(i[1:]))
    assert len(cycle) == count + 1 and cycle[0] == "n0"


def test_uppers_of_reads_only_the_hierarchy_field() -> None:
    assert uppers_of({"parent": "un", "broader": ["x"]}, "actor") == ("un",)
    assert uppers_of({"parent": "un", "broader": ["x"]}, "issueArea") == ("x",)
    assert uppers_of({"parent": "un"}, "event") == ()
    assert uppers_of({"parent": 3}, "actor") == ()


def test_the_message_lists_the_chain_back_to_its_start() -> None:
    assert cycle_message("actor", ["a", "b"]) == (
        "the actors' 'parent' links go round in a circle: 'a' → 'b' → 'a'"
    )
    assert "names itself in 'parent'" in cycle_message("actor", ["a"])


def _actor(record_id: str, parent: str | None = None) -> dict[str, Any]:
    actor: dict[str, Any] = {"id": record_id, "type": "organ", "name": {"en": record_id}}
    if parent is not None:
        actor["parent"] = parent
    return actor


@pytest.mark.parametrize("version", available_versions())
def test_the_index_reports_actor_and_issue_area_cycles(version: str) -> None:
    schema_set = hsdata.load_schema_set(version)
    records = [
        ("actor", _actor("a", "b")),
        ("actor", _actor("b", "a")),
        ("actor", _actor("c", "c")),
        ("actor", _actor("d", "a")),  # leads into the circle, is not part of it
        ("issueArea", {"id": "a", "broader": ["a"]}),  # the same id as an actor: its own tree
    ]
    index = IntegrityIndex()
    for number, (record_type, record) in enumerate(records):
        code = index.place_code(f"{record_type}.json", number, is_line=False)
        index.add(facts_of(record, record_type, schema_set), code)
    found = [(i.rule, i.record_type, i.record, i.pointer, i.message) for i in index.finish()]
    assert found == [
        (
            "hierarchy-cycle",
            "actor",
            "a",
            "/0/parent",
            "the actors' 'parent' links go round in a circle: 'a' → 'b' → 'a'",
        ),
        (
            "hierarchy-cycle",
            "actor",
            "c",
            "/2/parent",
            "the actor 'c' names itself in 'parent': it cannot be above itself",
        ),
        (
            "hierarchy-cycle",
            "issueArea",
            "a",
            "/4/broader",
            "the issue area 'a' names itself in 'broader': it cannot be above itself",
        ),
    ]


def _package_with_actor_cycle(package: Path) -> None:
    actors_file = package / "actors.json"
    actors = json.loads(actors_file.read_text(encoding="utf-8"))
    by_id = {a["id"]: a for a in actors}
    by_id["united-nations"]["parent"] = "un-security-council"
    actors_file.write_text(json.dumps(actors), encoding="utf-8")


def test_a_package_with_an_actor_cycle(package: Path, no_network: None) -> None:
    _package_with_actor_cycle(package)
    report = validate(package)
    (issue,) = [i for i in report.issues if i.rule == "hierarchy-cycle"]
    assert issue.file is not None and issue.file.endswith("actors.json")
    assert issue.record == "united-nations"
    assert issue.pointer is not None and issue.pointer.endswith("/parent")
    assert "'united-nations' → 'un-security-council' → 'united-nations'" in issue.message


@pytest.mark.parametrize("workers", [1, 2])
def test_json_lines_with_one_or_more_processes(tmp_path: Path, workers: int) -> None:
    lines = [_actor(f"a{i}", f"a{i + 1}") for i in range(2000)]
    lines.append(_actor("a2000", "a0"))
    path = tmp_path / "actors.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in lines), encoding="utf-8")
    report = hsdata.validate(path, record_type="actor", workers=workers)
    cycles = [i for i in report.issues if i.rule == "hierarchy-cycle"]
    assert [(i.record, i.line) for i in cycles] == [("a0", 1)]
