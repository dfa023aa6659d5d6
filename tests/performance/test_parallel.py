"""Checking a JSON Lines file on several processes gives the report of one process, exactly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import hsdata
from hsdata._package import _input
from hsdata._validator import _parallel, _run


@pytest.fixture
def always_parallel(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Use workers for any file, in small shares; record how many shares were checked."""
    monkeypatch.setattr(_parallel, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(_parallel, "RANGE_BYTES", 16 * 1024)
    shares: list[int] = []
    original = _parallel.plan_shares

    def counted(path: Path, range_bytes: int = 16 * 1024) -> Iterator[_parallel.Share]:
        shares.append(0)
        for share in original(path, range_bytes):
            shares[-1] += 1
            yield share

    monkeypatch.setattr(_parallel, "plan_shares", counted)
    return shares


pytestmark = pytest.mark.skipif(not _parallel.can_fork(), reason="workers are forked (Linux)")


def test_package_report_is_the_same_on_two_processes(
    sample_package: Path, always_parallel: list[int]
) -> None:
    one = hsdata.validate(sample_package, workers=1)
    two = hsdata.validate(sample_package, workers=2)
    assert always_parallel and always_parallel[0] > 10, "the file was not cut into shares"
    assert two == one
    rules = {issue.rule for issue in two.issues}
    assert {"id-duplicate", "ref-unresolved", "date-invalid", "schema-unknown-field"} <= rules


def test_loose_file_report_is_the_same_on_two_processes(
    sample_package: Path, always_parallel: list[int]
) -> None:
    files = [sample_package / "events.jsonl", sample_package / "actors.json"]
    one = hsdata.validate(files, workers=1)
    two = hsdata.validate(files, workers=2)
    assert always_parallel
    assert two == one
    assert not one.valid


def test_awkward_lines_are_reported_alike(tmp_path: Path, always_parallel: list[int]) -> None:
    good = {
        "id": "x-1",
        "type": "meeting",
        "name": {"en": "A meeting"},
        "status": "held",
        "date": {"start": "1999"},
        "citations": [{"source": "s", "page": "1"}],
    }
    lines = ["\ufeff" + json.dumps(good)]
    for number in range(2, 2000):
        record = dict(good, id=f"x-{number}")
        if number % 97 == 0:
            lines.append('{"id": "broken", ')  # cut off
        elif number % 89 == 0:
            lines.append("")  # blank lines are skipped
        elif number % 83 == 0:
            lines.append('{"id": "x-twice", "id": "x-twice"}')  # duplicate key
        elif number % 79 == 0:
            lines.append(json.dumps(dict(record, date={"start": "1999-02-30"})))
        else:
            lines.append(json.dumps(record))
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = hsdata.validate(path, workers=1)
    two = hsdata.validate(path, workers=2)
    assert always_parallel
    assert two == one
    rules = {issue.rule for issue in one.issues}
    assert {"json-bom", "json-syntax", "json-duplicate-key", "date-invalid"} <= rules


def test_shares_cover_the_file_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl"
    text = "".join(f'{{"n": {n}, "pad": "{"x" * (n % 50)}"}}\n' for n in range(1, 3001))
    path.write_text(text + '{"last": "no line break"}', encoding="utf-8")
    shares = list(_parallel.plan_shares(path, range_bytes=4096))
    assert len(shares) > 10
    data = path.read_bytes()
    assert b"".join(data[s.offset : s.offset + s.length] for s in shares) == data
    for share in shares:
        assert data[: share.offset].count(b"\n") + 1 == share.first_line
        assert share.offset == 0 or data[share.offset - 1 : share.offset] == b"\n"


def test_a_line_longer_than_a_share_makes_its_share_longer(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text('{"a": 1}\n{"a": "' + "x" * 100_000 + '"}\n{"a": 2}\n', encoding="utf-8")
    shares = list(_parallel.plan_shares(path, range_bytes=1024))
    assert [s.first_line for s in shares] == [1, 2]  # the long line shares with line 3
    assert not any(s.oversized for s in shares)
    assert sum(s.length for s in shares) == path.stat().st_size


@pytest.mark.parametrize("final_break", [True, False])
def test_a_line_longer_than_a_record_may_be_is_measured_not_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, always_parallel: list[int], final_break: bool
) -> None:
    monkeypatch.setattr(_input, "MAX_DOCUMENT_BYTES", 50_000)
    good = {"id": "x", "type": "meeting", "name": {"en": "A"}, "citations": [{"source": "s"}]}
    lines = [json.dumps(dict(good, id=f"x-{n}")) for n in range(1, 400)]
    lines[200] = json.dumps(dict(good, id="long", note={"en": "y" * 120_000}))
    lines[300] = json.dumps(dict(good, id="medium", note={"en": "y" * 30_000}))
    last = lines.pop() if not final_break else None
    text = (
        "\n".join(lines)
        + "\n"
        + (json.dumps(dict(good, id="end", note={"en": "z" * 90_000})) if last else "")
    )
    path = tmp_path / "events.jsonl"
    path.write_text(text, encoding="utf-8")
    shares = list(_parallel.plan_shares(path, range_bytes=16 * 1024))
    assert [s.first_line for s in shares if s.oversized] == [201] + (
        [len(lines) + 1] if last else []
    )
    assert (
        b"".join(path.read_bytes()[s.offset : s.offset + s.length] for s in shares)
        == path.read_bytes()
    )
    one = hsdata.validate(path, workers=1)
    two = hsdata.validate(path, workers=2)
    assert always_parallel
    assert two == one
    assert [i.line for i in one.issues if i.rule == "json-too-large"] == [201] + (
        [len(lines) + 1] if last else []
    )


def test_small_files_stay_in_one_process(sample_package: Path) -> None:
    checker = _run.checker_for(hsdata.load_schema_set("1.0"))
    events = sample_package / "events.jsonl"
    assert events.stat().st_size < _parallel.PARALLEL_MIN_BYTES
    assert not _parallel.usable_for(events, 2, checker, "event")
    assert not _parallel.usable_for(events, 1, checker, "event")


def test_workers_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSDATA_WORKERS", "3")
    assert _parallel.default_workers() == 3
    monkeypatch.setenv("HSDATA_WORKERS", "none")
    assert _parallel.default_workers() >= 1
