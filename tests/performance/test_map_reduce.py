"""The per-record check as a pure map and the integrity checks as a reduce give the CLI's issues.

This is how validation scales past one machine (docs/performance.rst): any
engine that can map a function over partitions of records and reduce the
results (Dask, Spark, multiprocessing) gets the report ``hsdata validate``
gives, here computed with plain map and reduce on the synthetic sample.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

import hsdata
from hsdata.cli import main

SCHEMA_SET = hsdata.load_schema_set("1.0")
FILES = {  # file -> record type, as the sample's datapackage.json says
    "actors.json": "actor",
    "issue-areas.json": "issueArea",
    "partnerships.json": "partnership",
    "sources.json": "source",
    "events.jsonl": "event",
}

#: What one record gives the reduce step: (file, line or index, facts) and its own issues.
Mapped = tuple[str, int, bool, hsdata.RecordFacts, list[hsdata.Issue]]


def records_of(folder: Path) -> Iterator[tuple[str, int, bool, Any]]:
    """(file, line or index, is it a line, record) for every record of the package."""
    for name in FILES:
        path = folder / name
        if name.endswith(".jsonl"):
            with path.open("rb") as handle:
                for number, line in enumerate(handle, start=1):
                    yield name, number, True, orjson.loads(line)
        else:
            for index, record in enumerate(orjson.loads(path.read_bytes())):
                yield name, index, False, record


def check_partition(partition: Iterable[tuple[str, int, bool, Any]]) -> list[Mapped]:
    """The map step: check each record alone; keep its facts for the reduce."""
    checker = hsdata.RecordChecker(SCHEMA_SET)  # one per worker process
    mapped = []
    for name, place, is_line, record in partition:
        record_type = FILES[name]
        prefix = "" if is_line else f"/{place}"
        issues = [
            dataclasses.replace(
                issue,
                file=name,
                line=place if is_line else None,
                pointer=prefix + (issue.pointer or ""),
                record=record.get("id"),
                record_type=record_type,
            )
            for issue in hsdata.check_record(record, record_type, checker)
        ]
        mapped.append(
            (name, place, is_line, hsdata.facts_of(record, record_type, SCHEMA_SET), issues)
        )
    return mapped


def integrity(partitions: Iterable[list[Mapped]]) -> list[hsdata.Issue]:
    """The reduce step: fold every record's facts, in order, into one index."""
    index = hsdata.IntegrityIndex()
    issues: list[hsdata.Issue] = []
    for partition in partitions:
        for name, place, is_line, facts, own in partition:
            issues.extend(own)
            index.add(facts, index.place_code(name, place, is_line=is_line))
    return issues + index.finish()


def _key(issue: dict[str, Any]) -> tuple[Any, ...]:
    """An issue as the JSON report shows it, without its column (found later, from the file)."""
    return tuple(value for name, value in sorted(issue.items()) if name != "column")


def as_json(issues: list[hsdata.Issue]) -> list[dict[str, Any]]:
    """Issues as the CLI's JSON report shows them."""
    report = hsdata.Report(issues=tuple(issues))
    shown: list[dict[str, Any]] = json.loads(hsdata.format_report(report, "json"))["issues"]
    return shown


def test_map_reduce_gives_the_issues_of_the_cli(
    sample_package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = list(records_of(sample_package))
    partitions = [records[start : start + 500] for start in range(0, len(records), 500)]
    mapped = map(check_partition, partitions)  # Dask: bag.map_partitions(check_partition)
    found = integrity(mapped)

    monkeypatch.chdir(sample_package)  # files are then named as in the package
    result = CliRunner().invoke(main, ["validate", ".", "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["recordsChecked"] == len(records)
    from_cli = sorted(_key(issue) for issue in report["issues"])
    assert sorted(_key(issue) for issue in as_json(found)) == from_cli
    # The sample's corruptions are all there, the cross-record ones included.
    assert {"id-duplicate", "ref-unresolved", "schema-pattern", "date-order"} <= {
        issue["rule"] for issue in report["issues"]
    }


def test_the_map_step_is_pure(sample_package: Path) -> None:
    records = list(records_of(sample_package))[:400]
    forwards = check_partition(records)
    backwards = check_partition(reversed(records))
    assert forwards == list(reversed(backwards))
    reduce_twice = functools.reduce(
        lambda done, part: done + part, [forwards[:200], forwards[200:]]
    )
    assert reduce_twice == forwards
