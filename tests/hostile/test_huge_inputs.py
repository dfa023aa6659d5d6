"""Huge inputs: JSON Lines in bounded memory; a JSON text too large to read whole is refused.

The fast tests lower the size limit so that small files exceed it. The slow
ones (``-m slow``) write a few hundred megabytes lazily and measure the peak
memory of a fresh process with ``resource.getrusage``; the multi-gigabyte
figure measured by hand with ``tests/hostile/bigdata.py`` is in
docs/security.rst.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import hsdata
from hsdata import ExitCode, validate
from hsdata._package import _input

from .bigdata import measure, write_events
from .conftest import check_all_formats, read_json, write_json

LIMIT = 20_000


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(_input, "MAX_DOCUMENT_BYTES", LIMIT)
    return LIMIT


def test_a_json_file_over_the_limit_is_refused_with_a_clear_message(
    tmp_path: Path, small_limit: int
) -> None:
    path = tmp_path / "events.json"
    write_events(path, 3 * small_limit, json_lines=False)
    report = validate(path)
    (issue,) = report.issues
    assert issue.rule == "json-too-large"
    assert issue.file == str(path)
    assert "JSON Lines" in issue.message and f"{small_limit:,}" in issue.message
    assert report.exit_code is ExitCode.UNREADABLE
    assert report.records_checked == 0
    check_all_formats([path], 2, "json-too-large", "events.json")


def test_a_datapackage_json_over_the_limit_is_refused(package: Path, small_limit: int) -> None:
    descriptor = read_json(package / "datapackage.json")
    descriptor["description"] = "x" * small_limit
    write_json(package / "datapackage.json", descriptor)
    check_all_formats([package], 2, "json-too-large", "datapackage.json")


def test_a_package_resource_over_the_limit_is_refused_and_the_rest_checked(
    package: Path, small_limit: int
) -> None:
    write_events(package / "events.json", 2 * small_limit, json_lines=False)
    descriptor = read_json(package / "datapackage.json")
    for resource in descriptor["resources"]:
        resource.pop("bytes", None)
        resource.pop("hash", None)
    write_json(package / "datapackage.json", descriptor)
    report = validate(package)
    assert [i.rule for i in report.issues] == ["json-too-large"]
    assert report.issues[0].file is not None
    assert report.issues[0].file.endswith("events.json")
    assert report.records_checked > 0
    assert report.exit_code is ExitCode.UNREADABLE


def test_a_json_lines_line_over_the_limit_is_skipped_and_reported(
    tmp_path: Path, small_limit: int
) -> None:
    path = tmp_path / "events.jsonl"
    count = write_events(path, 5 * small_limit)
    lines = path.read_bytes().splitlines(keepends=True)
    record = json.loads(lines[3])
    record["name"]["en"] = "x" * (small_limit + 10)
    lines[3] = json.dumps(record).encode() + b"\n"
    lines[7] = b"  \t \n"  # a blank line: no record, no issue
    path.write_bytes(b"".join(lines))
    report = validate(path)
    (issue,) = report.issues
    assert (issue.rule, issue.line, issue.column) == ("json-too-large", 4, 1)
    assert f"{small_limit:,}" in issue.message
    assert report.records_checked == count - 2
    assert report.exit_code is ExitCode.INVALID


def test_an_endless_device_is_not_read_without_end(small_limit: int) -> None:
    report = validate("/dev/zero", record_type="event")
    (issue,) = report.issues
    assert issue.rule == "json-too-large"
    assert report.exit_code is ExitCode.UNREADABLE


def test_a_file_at_the_limit_is_read(tmp_path: Path, small_limit: int) -> None:
    path = tmp_path / "events.json"
    write_events(path, small_limit - 2000, json_lines=False)
    assert path.stat().st_size <= small_limit
    assert validate(path).valid


# -- the real limit, measured in a fresh process ---------------------------------------------------

MiB = 1024 * 1024


@pytest.mark.slow
def test_a_large_json_lines_file_validates_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    count = write_events(path, 300 * MiB)
    result = measure(path)
    assert result["exit"] == 0, result
    assert result["records"] == count
    # The file is 300 MiB; the validator's peak stays a fraction of it.
    assert result["peak_kib"] < 150 * 1024, result


@pytest.mark.slow
def test_a_single_huge_json_array_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "events.json"
    write_events(path, _input.MAX_DOCUMENT_BYTES + MiB, json_lines=False)
    result = measure(path)
    assert result["exit"] == 2
    assert result["rules"] == ["json-too-large"]
    assert result["peak_kib"] < 150 * 1024, result


def test_loading_a_package_whose_datapackage_json_is_too_large_never_reads_it_whole(
    package: Path, small_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    descriptor = read_json(package / "datapackage.json")
    descriptor["description"] = "x" * small_limit
    write_json(package / "datapackage.json", descriptor)
    read_whole: list[Path] = []
    real_read_bytes = Path.read_bytes

    def recording_read_bytes(self: Path) -> bytes:
        read_whole.append(self)
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", recording_read_bytes)
    with pytest.raises(hsdata.InvalidDataError) as raised:
        hsdata.load(package)
    assert [i.rule for i in raised.value.report.issues] == ["json-too-large"]
    assert raised.value.report.exit_code is ExitCode.UNREADABLE
    assert package / "datapackage.json" not in read_whole
