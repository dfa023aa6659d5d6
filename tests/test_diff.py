"""``hsdata.diff`` and ``hsdata diff OLD NEW``: two releases of a package compared."""

from __future__ import annotations

import copy
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

import hsdata
from hsdata import DiffError, FieldChange, PackageDiff, RecordChange, diff
from hsdata._diff import compare_records, keyed_records, same_value
from hsdata._paths import canonical_data_dir
from hsdata.cli import main

HOSTILE = "Canada\x1b[2J\x07\r\u202eerror: all is well\x9b31m"
RAW_PIECES = ("\x1b", "\x07", "\r", "\u202e", "\x9b")


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, document: Any) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def copy_of_canonical(target: Path) -> Path:
    """The canonical package's JSON files copied into ``target`` (what the diff reads)."""
    target.mkdir(parents=True)
    for path in canonical_data_dir().glob("*.json"):
        shutil.copy(path, target / path.name)
    return target


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["diff", *map(str, args)])


def by_key(result: PackageDiff) -> dict[tuple[str, str | None], RecordChange]:
    return {(change.record_type, change.id): change for change in result.records}


@pytest.fixture
def old(tmp_path: Path) -> Path:
    return copy_of_canonical(tmp_path / "old")


@pytest.fixture
def new(tmp_path: Path) -> Path:
    return copy_of_canonical(tmp_path / "new")


# -- no differences -----------------------------------------------------------------------------


def test_the_canonical_data_against_itself_has_no_differences() -> None:
    result = diff(canonical_data_dir(), canonical_data_dir())
    assert not result.differs
    assert (result.descriptor, result.resources, result.records) == ((), (), ())
    version = read_json(canonical_data_dir() / "datapackage.json")["hsdata:version"]
    assert result.versions == (version, version)
    done = run(canonical_data_dir(), canonical_data_dir())
    assert done.exit_code == 0, done.output
    assert "0 records added, 0 removed, 0 changed" in done.stdout
    assert done.stdout.rstrip().endswith("No differences.")


def test_a_resource_split_into_two_files_holds_the_same_records(old: Path, new: Path) -> None:
    events = read_json(new / "events.json")
    write_json(new / "events-1.json", events[:4])
    write_json(new / "events-2.json", events[4:])
    (new / "events.json").unlink()
    descriptor = read_json(new / "datapackage.json")
    (resource,) = [r for r in descriptor["resources"] if r["name"] == "events"]
    resource["path"] = ["events-1.json", "events-2.json"]
    write_json(new / "datapackage.json", descriptor)
    assert not diff(old, new).differs
    assert run(old, new).exit_code == 0


def test_a_record_moved_between_files_is_no_difference(old: Path, new: Path) -> None:
    for package, cut in ((old, 2), (new, 3)):  # the third actor moves to the first file
        actors = read_json(package / "actors.json")
        write_json(package / "actors-a.json", actors[:cut])
        write_json(package / "actors-b.json", actors[cut:])
        (package / "actors.json").unlink()
        descriptor = read_json(package / "datapackage.json")
        (resource,) = [r for r in descriptor["resources"] if r["name"] == "actors"]
        resource["path"] = ["actors-a.json", "actors-b.json"]
        write_json(package / "datapackage.json", descriptor)
    assert read_json(old / "actors-a.json") != read_json(new / "actors-a.json")
    assert not diff(old, new).differs


def test_a_zip_and_a_folder_of_the_same_data_do_not_differ(old: Path, tmp_path: Path) -> None:
    archive = tmp_path / "old.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(old.iterdir()):
            zipped.write(path, path.name)
    result = diff(archive, old)
    assert not result.differs
    assert result.old == str(archive)
    done = run(archive, old / "datapackage.json")
    assert done.exit_code == 0, done.output


# -- changes ------------------------------------------------------------------------------------


def test_every_kind_of_change_is_found_field_by_field(old: Path, new: Path) -> None:
    actors = read_json(new / "actors.json")
    assert actors[0]["id"] == "canada"
    actors[0]["name"]["en"] = "Dominion of Canada"  # renamed
    actors.append({"id": "iceland", "type": "state", "name": {"en": "Iceland"}})  # added
    write_json(new / "actors.json", actors)
    events = read_json(new / "events.json")
    removed_event = events.pop(0)
    write_json(new / "events.json", events)
    partnerships = read_json(new / "partnerships.json")
    lysoen = partnerships[0]
    old_paragraph = lysoen["citations"][0]["paragraph"]
    lysoen["citations"][0]["paragraph"] = old_paragraph + 1  # a citation's paragraph
    names = lysoen["alternateNames"]
    names.append({"en": "The Lysøen partnership"})  # a list item appended
    assert "es" not in lysoen["description"]
    lysoen["description"]["es"] = "La asociación de Lysøen"  # a language added
    write_json(new / "partnerships.json", partnerships)

    result = diff(old, new)
    assert result.differs
    changes = by_key(result)
    assert set(changes) == {
        ("actor", "canada"),
        ("actor", "iceland"),
        ("event", removed_event["id"]),
        ("partnership", lysoen["id"]),
    }
    assert changes["actor", "canada"].fields == (
        FieldChange("/name/en", "changed", "Canada", "Dominion of Canada"),
    )
    assert changes["actor", "iceland"].kind == "added"
    assert changes["actor", "iceland"].fields == (FieldChange("", "added", new=actors[-1]),)
    assert changes["event", removed_event["id"]].kind == "removed"
    assert changes["event", removed_event["id"]].fields[0].old == removed_event
    assert changes["partnership", lysoen["id"]].fields == (
        FieldChange(f"/alternateNames/{len(names) - 1}", "added", new=names[-1]),
        FieldChange("/citations/0/paragraph", "changed", old_paragraph, old_paragraph + 1),
        FieldChange("/description/es", "added", new="La asociación de Lysøen"),
    )
    assert result.counts() == {
        "actor": {"added": 1, "removed": 0, "changed": 1},
        "event": {"added": 0, "removed": 1, "changed": 0},
        "partnership": {"added": 0, "removed": 0, "changed": 1},
    }
    # In order: record type, then id.
    assert [(c.record_type, c.id) for c in result.records] == sorted(changes)

    done = run(old, new)
    assert done.exit_code == 1, done.output
    lines = done.stdout.splitlines()
    assert lines[1] == (
        "1 record added, 1 removed, 2 changed "
        "(actor: 1 added, 1 changed; event: 1 removed; partnership: 1 changed)"
    )
    assert "~ actor 'canada'" in lines
    assert "    /name/en: 'Canada' -> 'Dominion of Canada'" in lines
    assert "+ actor 'iceland'" in lines
    assert f"- event '{removed_event['id']}'" in lines
    assert f"    /citations/0/paragraph: {old_paragraph} -> {old_paragraph + 1}" in lines
    assert "    /description/es: added 'La asociación de Lysøen'" in lines


def test_record_type_narrows_the_comparison(old: Path, new: Path) -> None:
    events = read_json(new / "events.json")
    write_json(new / "events.json", events[1:])
    descriptor = read_json(new / "datapackage.json")
    descriptor["version"] = "9.9.9"
    write_json(new / "datapackage.json", descriptor)
    assert [change.kind for change in diff(old, new).descriptor] == ["changed"]
    only_actors = diff(old, new, record_types=["actor"])
    assert not only_actors.differs
    assert only_actors.record_types == ("actor",)
    assert [c.id for c in diff(old, new, record_types=["event"]).records] == [events[0]["id"]]
    assert run(old, new, "--record-type", "actor").exit_code == 0
    assert run(old, new, "--record-type", "event").exit_code == 1
    unknown = run(old, new, "--record-type", "actr")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("error: there is no record type 'actr'")


def test_descriptor_and_resource_changes_are_package_level(old: Path, new: Path) -> None:
    descriptor = read_json(new / "datapackage.json")
    descriptor["version"] = "2.0.0"
    (sources,) = [r for r in descriptor["resources"] if r["name"] == "sources"]
    sources["title"] = "Texts"
    documents = next(r for r in descriptor["resources"] if r["name"] == "documents")
    descriptor["resources"].remove(documents)
    write_json(new / "datapackage.json", descriptor)
    result = diff(old, new)
    old_version = read_json(old / "datapackage.json")["version"]
    assert result.descriptor == (FieldChange("/version", "changed", old_version, "2.0.0"),)
    assert [(r.name, r.kind) for r in result.resources] == [
        ("documents", "removed"),
        ("sources", "changed"),
    ]
    assert result.resources[1].fields == (FieldChange("/title", "changed", "Sources", "Texts"),)
    # The documents are gone with their resource.
    assert {c.kind for c in result.records if c.record_type == "document"} == {"removed"}


def test_packages_of_different_versions_are_compared_as_they_are(old: Path, new: Path) -> None:
    descriptor = read_json(old / "datapackage.json")
    current = descriptor["hsdata:version"]
    descriptor["hsdata:version"] = "1.0"
    for resource in descriptor["resources"]:
        resource["jsonSchema"] = resource["jsonSchema"].replace(f"/{current}/", "/1.0/")
    write_json(old / "datapackage.json", descriptor)
    result = diff(old, new)
    assert result.versions == ("1.0", current)
    assert not result.same_version
    assert result.descriptor == (FieldChange("/hsdata:version", "changed", "1.0", current),)
    done = run(old, new)
    assert done.exit_code == 1
    assert "different versions of the standard" in done.stdout


def test_hostile_values_come_out_escaped(old: Path, new: Path) -> None:
    actors = read_json(new / "actors.json")
    actors[0]["name"]["en"] = HOSTILE
    write_json(new / "actors.json", actors)
    done = run(old, new)
    assert done.exit_code == 1
    for piece in RAW_PIECES:
        assert piece not in done.stdout
    assert "-> 'Canada\\u001b[2J\\u0007\\r\\u202eerror: all is well\\u009b31m'" in done.stdout
    as_json = run(old, new, "--format", "json")
    for piece in RAW_PIECES:
        assert piece not in as_json.stdout
    # Escaped, not changed: the JSON holds the value exactly.
    (change,) = json.loads(as_json.stdout)["records"]
    assert change["fields"][0]["new"] == HOSTILE


def test_json_output_round_trips(old: Path, new: Path) -> None:
    actors = read_json(new / "actors.json")
    assert actors[1]["id"] == "norway"
    old_french = actors[1]["name"]["fr"]
    actors[1]["name"]["fr"] = "Royaume de Norvège"
    actors.insert(0, {"id": "a\nb", "name": None})
    write_json(new / "actors.json", actors)
    result = diff(old, new)
    done = run(old, new, "--format", "json")
    assert done.exit_code == 1
    document = json.loads(done.stdout)
    assert document == result.to_dict()
    assert PackageDiff.from_dict(document) == result
    assert document["differs"] is True
    assert document["counts"]["actor"] == {"added": 1, "removed": 0, "changed": 1}
    # An added value has no "old", a changed one both.
    fields = [f for r in document["records"] for f in r["fields"]]
    changed = {
        "pointer": "/name/fr",
        "kind": "changed",
        "old": old_french,
        "new": "Royaume de Norvège",
    }
    assert changed in fields
    assert all("old" not in f for f in fields if f["kind"] == "added")


# -- unreadable input ---------------------------------------------------------------------------


def _broken_json(package: Path) -> str:
    (package / "events.json").write_text('[{"id": "x",}', encoding="utf-8")
    return "events.json"


def _refused_path(package: Path) -> str:
    descriptor = read_json(package / "datapackage.json")
    descriptor["resources"][0]["path"] = "../outside.json"
    write_json(package / "datapackage.json", descriptor)
    return "datapackage.json"


def _no_descriptor(package: Path) -> str:
    (package / "datapackage.json").unlink()
    return "new"


def _missing(package: Path) -> str:
    shutil.rmtree(package)
    return "new"


def _broken_descriptor(package: Path) -> str:
    (package / "datapackage.json").write_text("{", encoding="utf-8")
    return "datapackage.json"


@pytest.mark.parametrize(
    "breaking", [_broken_json, _refused_path, _no_descriptor, _missing, _broken_descriptor]
)
def test_an_unreadable_package_exits_2_with_one_line_naming_the_file(
    old: Path, new: Path, breaking: Any
) -> None:
    file = breaking(new)
    with pytest.raises(DiffError) as raised:
        diff(old, new)
    assert str(raised.value).startswith("cannot read the new package: ")
    assert raised.value.issues
    done = run(old, new)
    assert done.exit_code == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("error: cannot read the new package: ")
    assert file in line
    assert "Traceback" not in done.output


def test_an_unreadable_old_package_is_named_as_the_old_one(old: Path, new: Path) -> None:
    _broken_json(old)
    done = run(old, new)
    assert done.exit_code == 2
    assert "cannot read the old package" in done.stderr and "events.json:1:" in done.stderr


# -- properties ---------------------------------------------------------------------------------

_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=12,
)
_records = st.lists(
    st.dictionaries(st.sampled_from(["name", "a/b", "c~d", "list"]), _values, max_size=3).flatmap(
        lambda fields: st.sampled_from(["x", "y", "z", None]).map(
            lambda record_id: fields if record_id is None else {**fields, "id": record_id}
        )
    ),
    max_size=5,
)


def _tokens(pointer: str) -> list[str]:
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def _apply_field(record: Any, change: FieldChange) -> Any:
    """``record`` with one change made (removals are made last index first, see below)."""
    if change.pointer == "":
        return change.new
    *path, last = _tokens(change.pointer)
    parent = record
    for token in path:
        parent = parent[int(token)] if isinstance(parent, list) else parent[token]
    if isinstance(parent, list):
        index = int(last)
        if change.kind == "removed":
            del parent[index]
        elif change.kind == "added":
            assert index == len(parent), change
            parent.append(change.new)
        else:
            parent[index] = change.new
    elif change.kind == "removed":
        del parent[last]
    else:
        parent[last] = change.new
    return record


def apply(records: list[Any], changes: list[RecordChange]) -> dict[Any, Any]:
    """The records of one type with the changes made: removals from the end first, then the
    rest in order (so list items are removed and appended at the right positions)."""
    keyed = {key: copy.deepcopy(record) for key, record in keyed_records(records).items()}
    for change in changes:
        key = (change.id, change.occurrence)
        if change.kind == "added":
            keyed[key] = change.fields[0].new
        elif change.kind == "removed":
            del keyed[key]
        else:
            record = keyed[key]
            for field in reversed(change.fields):
                if field.kind == "removed":
                    record = _apply_field(record, field)
            for field in change.fields:
                if field.kind != "removed":
                    record = _apply_field(record, field)
            keyed[key] = record
    return keyed


@settings(max_examples=300, deadline=None)
@given(_records, _records)
def test_applying_the_changes_to_the_old_records_gives_the_new(
    old_records: list[Any], new_records: list[Any]
) -> None:
    changes = compare_records("actor", old_records, new_records)
    assert compare_records("actor", old_records, old_records) == []
    rebuilt = apply(old_records, changes)
    expected = keyed_records(new_records)
    assert rebuilt.keys() == expected.keys()
    assert all(same_value(rebuilt[key], expected[key]) for key in expected)
    assert all(change.fields for change in changes)


def test_the_public_api_offers_the_comparison() -> None:
    assert hsdata.diff is diff
    assert issubclass(DiffError, hsdata.HsdataError)
