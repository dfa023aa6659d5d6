"""Loading invalid, missing, hostile and zipped packages; the cache."""

from __future__ import annotations

import json
import os
import shutil
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest

import hsdata
from hsdata import _loader
from hsdata._package import _archive


def _zip_package(package: Path, archive: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        for path in sorted(package.iterdir()):
            handle.write(path, prefix + path.name)
    return archive


def test_invalid_data_raises_one_error_listing_what_is_wrong(
    edit_records: Any, package_copy: Path
) -> None:
    def break_two(partnerships: list[dict[str, Any]]) -> None:
        partnerships[0]["members"][0]["actor"] = "atlantis"
        partnerships[1]["status"] = "dormant"

    edit_records("partnerships.json", break_two)
    with pytest.raises(hsdata.InvalidDataError) as caught:
        hsdata.load(package_copy)
    error = caught.value
    assert not error.report.valid
    assert error.report.exit_code == hsdata.ExitCode.INVALID
    rules = {issue.rule for issue in error.report.errors}
    assert "ref-unresolved" in rules
    message = str(error)
    assert "2 error(s)" in message or f"{len(error.report.errors)} error(s)" in message
    assert "partnerships.json" in message
    assert "atlantis" in message
    assert "lysoen-partnership" in message, "the message names the record"


def test_a_missing_path_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nowhere"):
        hsdata.load(tmp_path / "nowhere")


def test_a_folder_without_datapackage_json_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(hsdata.InvalidDataError) as caught:
        hsdata.load(tmp_path)
    assert caught.value.report.exit_code == hsdata.ExitCode.UNREADABLE


def test_a_loose_file_of_records_is_refused_clearly(package_copy: Path) -> None:
    with pytest.raises(ValueError, match="not a data package"):
        hsdata.load(package_copy / "events.json")


def test_a_datapackage_json_path_loads(package_copy: Path) -> None:
    dataset = hsdata.load(package_copy / "datapackage.json")
    assert dataset.partnerships["lysoen-partnership"].members[0].actor.id == "canada"


def test_a_zipped_package_loads(package_copy: Path, tmp_path: Path) -> None:
    archive = _zip_package(package_copy, tmp_path / "package.zip")
    dataset = hsdata.load(archive)
    assert dataset.counts() == hsdata.load(package_copy).counts()
    assert dataset.location == str(archive)
    nested = _zip_package(package_copy, tmp_path / "nested.zip", prefix="hsdata-data/")
    assert hsdata.load(nested).actors["canada"].country == "CA"


def test_invalid_data_in_a_zip_is_reported_inside_the_archive(
    edit_records: Any, package_copy: Path, tmp_path: Path
) -> None:
    edit_records("actors.json", lambda actors: actors[0].update(country="XX"))
    archive = _zip_package(package_copy, tmp_path / "bad.zip")
    with pytest.raises(hsdata.InvalidDataError) as caught:
        hsdata.load(archive)
    files = {issue.file for issue in caught.value.report.errors}
    assert any(f and f.startswith(f"{archive}!") and f.endswith("actors.json") for f in files), (
        files
    )


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("../escaped.json", "'..'"),
        ("data/../../escaped.json", "'..'"),
        ("/tmp/escaped.json", "absolute"),
        ("C:/escaped.json", "absolute"),
        ("data\\..\\escaped.json", "backslash"),
    ],
)
def test_a_zip_with_traversal_entries_is_refused_and_nothing_is_written(
    package_copy: Path, tmp_path: Path, entry: str, why: str
) -> None:
    archive = _zip_package(package_copy, tmp_path / "evil.zip")
    with zipfile.ZipFile(archive, "a") as handle:
        handle.writestr(entry, "[]")
    before = set(tmp_path.rglob("*"))
    with pytest.raises(hsdata.InvalidDataError) as caught:
        hsdata.load(archive)
    report = caught.value.report
    assert [i.rule for i in report.issues] == [_archive.ARCHIVE_UNSAFE]
    assert report.exit_code == hsdata.ExitCode.UNREADABLE
    assert why in str(caught.value)
    assert set(tmp_path.rglob("*")) == before
    assert not Path("/tmp/escaped.json").exists()


def test_a_zip_with_a_symbolic_link_is_refused(package_copy: Path, tmp_path: Path) -> None:
    archive = _zip_package(package_copy, tmp_path / "link.zip")
    with zipfile.ZipFile(archive, "a") as handle:
        info = zipfile.ZipInfo("actors-link.json")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        handle.writestr(info, "/etc/passwd")
    with pytest.raises(hsdata.InvalidDataError, match="symbolic link"):
        hsdata.load(archive)


def test_a_zip_bomb_is_refused(package_copy: Path, tmp_path: Path) -> None:
    archive = _zip_package(package_copy, tmp_path / "bomb.zip")
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("padding.json", b" " * (_archive.MAX_RATIO * 64 * 1024))
    with pytest.raises(hsdata.InvalidDataError, match="zip bomb") as caught:
        hsdata.load(archive)
    assert caught.value.report.issues[0].rule == _archive.ARCHIVE_UNSAFE


def test_a_zip_that_inflates_too_far_in_total_is_refused(
    package_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_archive, "MAX_TOTAL_BYTES", 10_000)
    archive = _zip_package(package_copy, tmp_path / "big.zip")
    with pytest.raises(hsdata.InvalidDataError, match="more than 10000 bytes"):
        hsdata.load(archive)


def test_a_file_that_is_not_a_zip_is_unreadable(tmp_path: Path) -> None:
    fake = tmp_path / "package.zip"
    fake.write_bytes(b"this is not a zip archive")
    with pytest.raises(hsdata.InvalidDataError) as caught:
        hsdata.load(fake)
    assert caught.value.report.issues[0].rule == _archive.ARCHIVE_UNREADABLE
    assert caught.value.report.exit_code == hsdata.ExitCode.UNREADABLE


def test_a_zip_without_a_package_is_unreadable(tmp_path: Path) -> None:
    archive = tmp_path / "empty.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("readme.txt", "nothing here")
    with pytest.raises(hsdata.InvalidDataError, match=r"no datapackage\.json"):
        hsdata.load(archive)


def test_the_archive_rules_are_in_the_catalogue() -> None:
    for rule_id in (_archive.ARCHIVE_UNSAFE, _archive.ARCHIVE_UNREADABLE):
        rule = hsdata.RULES[rule_id]
        assert rule.severity is hsdata.Severity.ERROR
        assert rule.explanation


def test_loading_again_reads_and_validates_nothing(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []
    real = _loader.check_package

    def counting(package: Any, **options: Any) -> Any:
        calls.append(package.descriptor_path)
        return real(package, **options)

    monkeypatch.setattr(_loader, "check_package", counting)
    first = hsdata.load(package_copy)
    assert hsdata.load(package_copy) is first
    assert hsdata.load(package_copy / "datapackage.json") is first
    assert len(calls) == 1

    events = package_copy / "events.json"
    text = events.read_text(encoding="utf-8")
    events.write_text(text.replace('"en": "Ottawa"', '"en": "Ottawa, Ontario"'), encoding="utf-8")
    stat_before = events.stat()
    os.utime(events, ns=(stat_before.st_atime_ns, stat_before.st_mtime_ns + 10_000_000))
    second = hsdata.load(package_copy)
    assert second is not first, "a changed file is read again"
    assert len(calls) == 2
    location = second.events["landmines-treaty-signing-ottawa-1997"].location
    assert location is not None and location.name is not None
    assert str(location.name) == "Ottawa, Ontario"


def test_a_copied_package_is_a_different_cache_entry(package_copy: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(package_copy, other)
    assert hsdata.load(other) is not hsdata.load(package_copy)


def test_a_package_of_json_lines_keeps_lines_until_records_are_asked_for(
    package_copy: Path,
) -> None:
    events = json.loads((package_copy / "events.json").read_text(encoding="utf-8"))
    (package_copy / "events.json").unlink()
    lines = "".join(json.dumps(event, ensure_ascii=False) + "\n" for event in events)
    (package_copy / "events.jsonl").write_text(lines, encoding="utf-8")
    descriptor_path = package_copy / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "events")
    resource.update(path="events.jsonl", format="jsonl", mediatype="application/jsonl")
    descriptor_path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")

    dataset = hsdata.load(package_copy)
    stored = dataset.events._raw._items  # type: ignore[attr-defined]
    assert all(isinstance(item, bytes) for item in stored), "lines are kept as text"
    assert [e.to_dict() for e in dataset.events.values()] == events
    assert dataset.partnerships["lysoen-partnership"].timeline()[0].id == (
        "lysoen-declaration-signing-1998"
    )


def test_a_package_with_an_extension_keeps_and_links_its_fields(
    package_copy: Path, tmp_path: Path
) -> None:
    descriptor_path = package_copy / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    descriptor["hsdata:extensions"] = ["funding"]
    descriptor_path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    partnerships_path = package_copy / "partnerships.json"
    partnerships = json.loads(partnerships_path.read_text(encoding="utf-8"))
    commitment = {
        "amount": 1000,
        "currency": "CAD",
        "citations": [{"source": "building-partnerships-for-human-security", "page": "3"}],
    }
    partnerships[0]["members"][0]["funding"] = [commitment]
    partnerships_path.write_text(json.dumps(partnerships, ensure_ascii=False), encoding="utf-8")

    dataset = hsdata.load(package_copy)
    partnership = dataset.partnerships[partnerships[0]["id"]]
    assert partnership.members[0].extra["funding"] == [commitment]
    assert partnership.to_dict() == partnerships[0]
    source = dataset.sources["building-partnerships-for-human-security"]
    through_funding = source.referenced_by("partnership", "members/*/funding/*/citations/*/source")
    assert through_funding == (partnership,)
