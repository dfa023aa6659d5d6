"""Both published versions side by side: what 1.1 changes, and validating against each."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import hsdata
from hsdata.cli import main

from .conftest import as_version, read_json, write_json
from .freeze import REPO_ROOT

SCHEMA_ROOT = REPO_ROOT / "schema"


def _without_version(node: Any, version: str) -> Any:
    """The schema with its version and $id made version-neutral."""
    text = json.dumps(node).replace(f"/schema/{version}/", "/schema/X.Y/")
    neutral = json.loads(text)
    if isinstance(neutral, dict) and "version" in neutral:
        neutral["version"] = "X.Y"
    return neutral


def _authored_files(version: str) -> list[Path]:
    folder = SCHEMA_ROOT / version
    return sorted(
        p.relative_to(folder)
        for p in folder.rglob("*")
        if "files" not in p.relative_to(folder).parts
    )


def test_1_1_is_1_0_plus_exactly_the_intended_changes() -> None:
    # files/ holds the file-level schemas generated from the record schemas (tools/file_schemas.py).
    old_files = _authored_files("1.0")
    new_files = _authored_files("1.1")
    assert old_files == new_files
    changed = []
    for relative in old_files:
        old, new = SCHEMA_ROOT / "1.0" / relative, SCHEMA_ROOT / "1.1" / relative
        if old.is_dir():
            continue
        if relative.suffix == ".json":
            if _without_version(read_json(old), "1.0") != _without_version(read_json(new), "1.1"):
                changed.append(str(relative))
        elif old.read_bytes() != new.read_bytes():
            changed.append(str(relative))
    assert changed == ["actor.json", "context.jsonld", "source.json"]

    source_old, source_new = (
        read_json(SCHEMA_ROOT / "1.0" / "source.json"),
        read_json(SCHEMA_ROOT / "1.1" / "source.json"),
    )
    assert set(source_new["properties"]) - set(source_old["properties"]) == {"issuedWithin"}
    assert source_new["properties"]["issuedWithin"]["$ref"] == "common.json#/$defs/Period"
    post_old = read_json(SCHEMA_ROOT / "1.0" / "actor.json")["$defs"]["Post"]["properties"]
    post_new = read_json(SCHEMA_ROOT / "1.1" / "actor.json")["$defs"]["Post"]["properties"]
    assert set(post_new) - set(post_old) == {"attestedOn"}
    attested = post_new["attestedOn"]
    assert (attested["type"], attested["minItems"], attested["uniqueItems"]) == ("array", 1, True)
    assert post_new["heldOn"]["deprecated"] is True
    assert (
        "Deprecated in 1.1: use attestedOn. Will be removed in 2.0."
        in post_new["heldOn"]["description"]
    )
    context = read_json(SCHEMA_ROOT / "1.1" / "context.jsonld")["@context"]
    assert {"issuedWithin", "attestedOn", "heldOn"} <= set(context)


def test_deprecated_fields_are_read_from_the_schemas() -> None:
    assert hsdata.load_schema_set("1.0").deprecated_fields == ()
    [held_on] = hsdata.load_schema_set("1.1").deprecated_fields
    assert (held_on.record_type, held_on.path) == ("actor", ("posts", "*", "heldOn"))
    assert (held_on.since, held_on.replacement, held_on.removal) == ("1.1", "attestedOn", "2.0")


def test_canonical_1_0_data_validates_under_1_0(package_1_0: Path) -> None:
    report = hsdata.validate(package_1_0)
    assert report.schema_version == "1.0" and report.issues == ()
    forced = hsdata.validate(package_1_0, schema_version="1.0")
    assert forced.schema_version == "1.0" and forced.issues == ()


def test_upgraded_canonical_data_validates_under_1_1(package_1_0: Path, tmp_path: Path) -> None:
    hsdata.upgrade(package_1_0, "1.1", output=tmp_path / "out")
    report = hsdata.validate(tmp_path / "out")
    assert report.schema_version == "1.1" and report.issues == ()
    result = CliRunner().invoke(
        main, ["validate", str(tmp_path / "out"), "--schema-version", "1.1", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["schemaVersion"] == "1.1"


def test_a_1_1_record_with_held_on_is_warned_but_valid(package_1_0: Path) -> None:
    as_version(package_1_0, "1.1")
    report = hsdata.validate(package_1_0)
    assert report.schema_version == "1.1"
    assert report.valid and report.exit_code is hsdata.ExitCode.VALID
    assert {i.rule for i in report.issues} == {"schema-deprecated-field"}
    assert len(report.issues) == 5
    issue = next(i for i in report.issues if i.record == "lloyd-axworthy")
    assert issue.severity is hsdata.Severity.WARNING
    assert issue.pointer == f"/{_index(package_1_0, 'lloyd-axworthy')}/posts/0/heldOn"
    assert issue.line is not None and issue.file is not None and issue.file.endswith("actors.json")
    assert issue.message == (
        "the field posts[0].heldOn is deprecated since 1.1: use attestedOn; "
        "it will be removed in 2.0"
    )
    assert (
        "schema-deprecated-field"
        not in hsdata.validate(package_1_0, schema_version="1.0").by_rule()
    )


def _index(package: Path, actor_id: str) -> int:
    return next(i for i, a in enumerate(read_json(package / "actors.json")) if a["id"] == actor_id)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("issuedWithin", {"start": "1998-12", "end": "1999-02"}),
        ("issuedWithin", {"start": "2000-06"}),
    ],
)
def test_issued_within_is_new_in_1_1(package_1_0: Path, field: str, value: Any) -> None:
    sources = read_json(package_1_0 / "sources.json")
    sources[0][field] = value
    write_json(package_1_0 / "sources.json", sources)
    old = hsdata.validate(package_1_0)
    assert "schema-unknown-field" in old.by_rule() and not old.valid
    as_version(package_1_0, "1.1")
    assert "schema-unknown-field" not in hsdata.validate(package_1_0).by_rule()
    sources[0][field] = {"start": "1999-02", "end": "1998-12"}
    write_json(package_1_0 / "sources.json", sources)
    assert "date-order" in hsdata.validate(package_1_0).by_rule()


def test_attested_on_holds_distinct_dates(package_1_0: Path) -> None:
    as_version(package_1_0, "1.1")
    actors = read_json(package_1_0 / "actors.json")
    index = _index(package_1_0, "lloyd-axworthy")
    post = actors[index]["posts"][0]
    post.pop("heldOn", None)
    post["attestedOn"] = ["1997-12-03", "1999-02"]
    write_json(package_1_0 / "actors.json", actors)
    report = hsdata.validate(package_1_0)
    assert report.valid and not [i for i in report.issues if i.record == "lloyd-axworthy"]
    post["attestedOn"] = ["1999-02", "1999-02"]
    write_json(package_1_0 / "actors.json", actors)
    assert "schema-unique-items" in hsdata.validate(package_1_0).by_rule()
    post["attestedOn"] = []
    write_json(package_1_0 / "actors.json", actors)
    assert not hsdata.validate(package_1_0).valid


def test_the_cli_accepts_either_version(package_1_0: Path) -> None:
    runner = CliRunner()
    for version in ("1.0", "1.1"):
        result = runner.invoke(main, ["validate", str(package_1_0), "--schema-version", version])
        assert result.exit_code in (0, 1), result.output
    unknown = runner.invoke(main, ["validate", str(package_1_0), "--schema-version", "1.9"])
    assert unknown.exit_code == 2 and "1.9" in unknown.output
