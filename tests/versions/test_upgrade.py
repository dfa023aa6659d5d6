"""hsdata upgrade: migrating packages between versions of the standard."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import hsdata
from hsdata import ExitCode, UpgradeError
from hsdata._upgrade import STEPS, upgrade_path, upgrade_record
from hsdata.cli import main

from .conftest import read_json, write_json


def leaves(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(path without list positions, value) for every scalar of a JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for value in node:
            yield from leaves(value, path)
    else:
        yield path, node


def values(package: Path, name: str) -> Counter[Any]:
    return Counter(json.dumps(value) for _, value in leaves(read_json(package / name)))


# -- the canonical data --------------------------------------------------------------------------


def test_canonical_data_upgrades_to_1_1_without_losing_a_value(
    package_1_0: Path, tmp_path: Path
) -> None:
    out = tmp_path / "upgraded"
    report = hsdata.upgrade(package_1_0, "1.1", output=out)
    assert report.exit_code is ExitCode.VALID, report.issues
    assert report.issues == ()  # valid, and no deprecated field left
    assert (report.source_version, report.target_version) == ("1.0", "1.1")
    for path in package_1_0.glob("*.json"):
        before, after = values(package_1_0, path.name), values(out, path.name)
        if path.name == "datapackage.json":
            before = Counter(
                {v.replace("/schema/1.0/", "/schema/1.1/"): n for v, n in before.items()}
            )
            before['"1.0"'] -= 1  # hsdata:version
            after['"1.1"'] -= 1
        assert +before == +after, path.name
    assert hsdata.validate(out, schema_version="1.1").issues == ()


def test_canonical_upgrade_reports_each_change_where_it_was_made(
    package_1_0: Path, tmp_path: Path
) -> None:
    report = hsdata.upgrade(package_1_0, "1.1", output=tmp_path / "out")
    actors = read_json(package_1_0 / "actors.json")
    held = [
        (actor["id"], f"/{i}/posts/{j}/attestedOn")
        for i, actor in enumerate(actors)
        for j, post in enumerate(actor.get("posts", []))
        if "heldOn" in post
    ]
    assert len(held) == 5
    moved = [(c.record, c.pointer) for c in report.changes if c.kind == "post-attested-on"]
    assert moved == held
    assert all(c.file and c.file.endswith("actors.json") for c in report.changes if c.record)
    descriptor = read_json(package_1_0 / "datapackage.json")
    assert report.counts() == {
        "post-attested-on": 5,
        "standard-version": 1,
        "resource-schema": len(descriptor["resources"]),
    }
    upgraded = read_json(tmp_path / "out" / "actors.json")
    for record_id, pointer in held:
        index, _, post = pointer.split("/")[1:4]
        assert upgraded[int(index)]["posts"][int(post)]["attestedOn"] == [
            actors[int(index)]["posts"][int(post)]["heldOn"]
        ]
        assert upgraded[int(index)]["id"] == record_id


def test_key_order_and_two_space_layout_are_kept(package_1_0: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    hsdata.upgrade(package_1_0, "1.1", output=out)
    for path in package_1_0.glob("*.json"):
        text = (out / path.name).read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
        before, after = read_json(path), read_json(out / path.name)
        if path.name == "actors.json":
            for old, new in zip(before, after, strict=True):
                assert list(old) == list(new)
                for old_post, new_post in zip(
                    old.get("posts", []), new.get("posts", []), strict=True
                ):
                    renamed = ["attestedOn" if k == "heldOn" else k for k in old_post]
                    assert list(new_post) == renamed
        elif path.name != "datapackage.json":
            assert (out / path.name).read_bytes() == path.read_bytes()  # untouched, byte for byte
    assert list(read_json(out / "datapackage.json")) == list(
        read_json(package_1_0 / "datapackage.json")
    )


def test_in_place_rewrites_only_what_changes(package_1_0: Path) -> None:
    untouched = package_1_0 / "events.json"
    mtime = untouched.stat().st_mtime_ns
    report = hsdata.upgrade(package_1_0, "1.1", in_place=True)
    assert report.exit_code is ExitCode.VALID and report.written
    assert sorted(Path(f).name for f in report.files) == ["actors.json", "datapackage.json"]
    assert untouched.stat().st_mtime_ns == mtime
    assert read_json(package_1_0 / "datapackage.json")["hsdata:version"] == "1.1"
    assert not list(package_1_0.glob(".*"))  # no journal, no new file left beside its target
    again = hsdata.upgrade(package_1_0, "1.1", in_place=True)
    assert again.changes == () and again.files == () and again.exit_code is ExitCode.VALID


def test_the_canonical_data_is_never_written(package_1_0: Path) -> None:
    bundled = hsdata._paths.canonical_data_dir()
    before = {p.name: p.read_bytes() for p in bundled.glob("*.json")}
    hsdata.upgrade(package_1_0, "1.1", in_place=True)
    assert {p.name: p.read_bytes() for p in bundled.glob("*.json")} == before


# -- steps ---------------------------------------------------------------------------------------


def test_steps_are_pure_and_never_drop_a_date() -> None:
    post = {"organization": "un", "heldOn": "1999", "attestedOn": ["1998-12"], "type": "x"}
    record = {"id": "p", "posts": [post]}
    migrated, changes = upgrade_record(record, "actor", "1.0", "1.1")
    assert record["posts"][0] == post  # the input is left as it was
    assert migrated["posts"][0] == {
        "organization": "un",
        "attestedOn": ["1998-12", "1999"],
        "type": "x",
    }
    assert [c.pointer for c in changes] == ["/posts/0/attestedOn"]
    same_date = {
        "id": "p",
        "posts": [{"organization": "un", "heldOn": "1999", "attestedOn": ["1999"]}],
    }
    assert upgrade_record(same_date, "actor", "1.0")[0]["posts"][0] == {
        "organization": "un",
        "attestedOn": ["1999"],
    }


def test_a_post_whose_attested_on_is_not_a_list_keeps_both_fields() -> None:
    record = {"id": "p", "posts": [{"organization": "un", "heldOn": "1999", "attestedOn": "1998"}]}
    migrated, changes = upgrade_record(record, "actor", "1.0")
    assert migrated == record and changes == ()


def test_other_record_types_pass_through_unchanged() -> None:
    event = {"id": "e", "posts": [{"heldOn": "1999"}]}  # not an actor: not a post
    migrated, changes = upgrade_record(event, "event", "1.0")
    assert migrated is event and changes == ()


def test_every_pair_of_consecutive_versions_has_a_step() -> None:
    versions = hsdata.available_versions()
    for older, newer in itertools.pairwise(versions):
        assert (older, newer) in STEPS, f"no upgrade step from {older} to {newer}"
        assert upgrade_path(older, newer) is not None
    assert upgrade_path(versions[-1], versions[0]) is None
    assert upgrade_path("1.0", "1.0") == ()


# -- refusals (exit 2, nothing written) ------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _refused(report: hsdata.UpgradeReport, rule: str, words: str) -> None:
    assert report.exit_code is ExitCode.UNREADABLE, report.issues
    assert not report.written and report.files == ()
    assert [i.rule for i in report.issues] == [rule]
    assert words in report.issues[0].message, report.issues[0].message


def test_a_downgrade_is_refused(package_1_0: Path, tmp_path: Path) -> None:
    hsdata.upgrade(package_1_0, "1.1", in_place=True)
    before = _snapshot(package_1_0)
    report = hsdata.upgrade(package_1_0, "1.0", output=tmp_path / "out")
    _refused(report, "upgrade-version", "never downgrades")
    assert _snapshot(package_1_0) == before and not (tmp_path / "out").exists()


@pytest.mark.parametrize("declared", ["0.9", None, 1.0])
def test_an_unknown_or_missing_declared_version_is_refused(
    package_1_0: Path, declared: Any
) -> None:
    descriptor = read_json(package_1_0 / "datapackage.json")
    if declared is None:
        del descriptor["hsdata:version"]
    else:
        descriptor["hsdata:version"] = declared
    write_json(package_1_0 / "datapackage.json", descriptor)
    before = _snapshot(package_1_0)
    report = hsdata.upgrade(package_1_0, "1.1", in_place=True)
    _refused(report, "upgrade-version", "hsdata:version")
    assert report.issues[0].pointer == "/hsdata:version"
    assert _snapshot(package_1_0) == before


def test_an_unknown_target_version_is_refused(package_1_0: Path) -> None:
    report = hsdata.upgrade(package_1_0, "7.3", in_place=True)
    _refused(report, "upgrade-version", "7.3 is not a published version")


def test_output_inside_the_package_is_refused(package_1_0: Path) -> None:
    before = _snapshot(package_1_0)
    for inside in (package_1_0, package_1_0 / "upgraded"):
        report = hsdata.upgrade(package_1_0, "1.1", output=inside)
        _refused(report, "upgrade-unsafe-path", "inside the package")
    assert _snapshot(package_1_0) == before


def test_output_that_is_not_empty_is_refused(package_1_0: Path, tmp_path: Path) -> None:
    out = tmp_path / "busy"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    report = hsdata.upgrade(package_1_0, "1.1", output=out)
    _refused(report, "upgrade-unsafe-path", "not empty")
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_symlink_out_of_the_package_is_never_followed(package_1_0: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "actors.json"
    secret.write_bytes((package_1_0 / "actors.json").read_bytes())
    (package_1_0 / "actors.json").unlink()
    (package_1_0 / "actors.json").symlink_to(secret)
    original = secret.read_bytes()
    report = hsdata.upgrade(package_1_0, "1.1", in_place=True)
    _refused(report, "upgrade-unsafe-path", "symbolic link")
    assert secret.read_bytes() == original


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_descriptor_linked_from_outside_is_refused(package_1_0: Path, tmp_path: Path) -> None:
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "datapackage.json").symlink_to(package_1_0 / "datapackage.json")
    before = _snapshot(package_1_0)
    for given in (linked, linked / "datapackage.json"):
        report = hsdata.upgrade(given, in_place=True)
        _refused(report, "upgrade-unsafe-path", "symbolic link out of the package")
    assert _snapshot(package_1_0) == before


@pytest.mark.parametrize("path", ["../outside.json", "/etc/hostname", "https://example.org/a.json"])
def test_resource_paths_out_of_the_package_are_refused(package_1_0: Path, path: str) -> None:
    descriptor = read_json(package_1_0 / "datapackage.json")
    descriptor["resources"][1]["path"] = path
    write_json(package_1_0 / "datapackage.json", descriptor)
    report = hsdata.upgrade(package_1_0, "1.1", in_place=True)
    _refused(report, "upgrade-unsafe-path", repr(path))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            '[{"id": "a", "id": "b"}]',
            "appears twice in one object; only one value can be kept, so remove one "
            "(line 1, column 14)",
        ),
        ("[{", "not valid JSON: Expecting property name enclosed in double quotes (line 1"),
        ('{"records": []}', "JSON list of records"),
        ("[NaN]", "NaN is not a JSON value"),
    ],
)
def test_an_unreadable_resource_stops_everything(package_1_0: Path, text: str, words: str) -> None:
    (package_1_0 / "events.json").write_text(text, encoding="utf-8")
    before = _snapshot(package_1_0)
    report = hsdata.upgrade(package_1_0, "1.1", in_place=True)
    _refused(report, "upgrade-unreadable", words)
    assert report.issues[0].file is not None and report.issues[0].file.endswith("events.json")
    assert _snapshot(package_1_0) == before  # actors.json was not written either


def test_output_and_in_place_go_one_at_a_time(package_1_0: Path, tmp_path: Path) -> None:
    with pytest.raises(UpgradeError, match="exactly one"):
        hsdata.upgrade(package_1_0)
    with pytest.raises(UpgradeError, match="exactly one"):
        hsdata.upgrade(package_1_0, "1.1", output=tmp_path / "o", in_place=True)


# -- other package shapes --------------------------------------------------------------------------


def test_json_lines_resources_are_migrated_line_by_line(package_1_0: Path, tmp_path: Path) -> None:
    actors = read_json(package_1_0 / "actors.json")
    lines = [json.dumps(actor, ensure_ascii=False) + "\n" for actor in actors]
    (package_1_0 / "actors.json").unlink()
    (package_1_0 / "actors.jsonl").write_text("".join(lines), encoding="utf-8")
    descriptor = read_json(package_1_0 / "datapackage.json")
    descriptor["resources"][1].update(path="actors.jsonl", format="jsonl")
    write_json(package_1_0 / "datapackage.json", descriptor)
    report = hsdata.upgrade(package_1_0, "1.1", output=tmp_path / "out")
    assert report.exit_code is ExitCode.VALID, report.issues
    new_lines = (
        (tmp_path / "out" / "actors.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    )
    assert len(new_lines) == len(lines)
    moved = {c.line for c in report.changes if c.kind == "post-attested-on"}
    assert moved == {n for n, line in enumerate(lines, 1) if '"heldOn"' in line}
    for number, (old, new) in enumerate(zip(lines, new_lines, strict=True), 1):
        if number not in moved:
            assert old == new
        else:
            assert '"attestedOn": [' in new and "heldOn" not in new
    assert all(c.pointer == "/posts/0/attestedOn" for c in report.changes if c.line)


def test_declared_size_and_hash_follow_the_changed_file(package_1_0: Path, tmp_path: Path) -> None:
    descriptor = read_json(package_1_0 / "datapackage.json")
    data = (package_1_0 / "actors.json").read_bytes()
    descriptor["resources"][1]["bytes"] = len(data)
    descriptor["resources"][1]["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    write_json(package_1_0 / "datapackage.json", descriptor)
    assert hsdata.validate(package_1_0).valid
    report = hsdata.upgrade(package_1_0, "1.1", output=tmp_path / "out")
    assert report.exit_code is ExitCode.VALID, report.issues
    new = (tmp_path / "out" / "actors.json").read_bytes()
    resource = read_json(tmp_path / "out" / "datapackage.json")["resources"][1]
    assert resource["bytes"] == len(new) != len(data)
    assert resource["hash"] == "sha256:" + hashlib.sha256(new).hexdigest()
    assert "resource-integrity" in report.counts()


def test_an_invalid_package_is_upgraded_and_reported_invalid(
    package_1_0: Path, tmp_path: Path
) -> None:
    events = read_json(package_1_0 / "events.json")
    events[0]["type"] = 17
    write_json(package_1_0 / "events.json", events)
    report = hsdata.upgrade(package_1_0, "1.1", output=tmp_path / "out")
    assert report.written and report.exit_code is ExitCode.INVALID
    assert read_json(tmp_path / "out" / "events.json")[0]["type"] == 17
    assert any(i.file and i.file.endswith("events.json") for i in report.errors)


# -- the command line ------------------------------------------------------------------------------


def test_cli_text_output_and_exit_codes(package_1_0: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(main, ["upgrade", str(package_1_0), "--to", "1.1", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "Upgraded from hsdata 1.0 to 1.1" in result.output
    assert "5 × post-attested-on" in result.output
    assert "[lloyd-axworthy]" in result.output
    assert "the upgraded package is valid" in result.output
    result = runner.invoke(main, ["upgrade", str(out), "--to", "1.0", "--in-place"])
    assert result.exit_code == 2
    assert "never downgrades" in result.output and "nothing was written" in result.output


def test_cli_json_output(package_1_0: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "upgrade",
            str(package_1_0 / "datapackage.json"),
            "--to",
            "1.1",
            "--in-place",
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["sourceVersion"] == "1.0" and document["targetVersion"] == "1.1"
    assert document["counts"]["post-attested-on"] == 5
    assert document["exitCode"] == 0 and document["issues"] == []
    change = next(c for c in document["changes"] if c["kind"] == "post-attested-on")
    assert set(change) >= {"file", "record", "pointer", "message"}


def test_cli_needs_output_or_in_place(package_1_0: Path) -> None:
    result = CliRunner().invoke(main, ["upgrade", str(package_1_0)])
    assert result.exit_code == 2
    assert "--output OUTDIR or --in-place" in result.output
