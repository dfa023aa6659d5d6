"""The one package reader: every tool reads a package the same way.

The central promise: whatever validates loads, with the very records the
validator checked, however the package names, types, lays out or writes the
paths of its resources. The other tests pin the reader's rules (record type,
paths) and the places that used to read packages their own way.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hsdata
from hsdata._loader import clear_cache
from hsdata._package import open_package, read_package
from hsdata._paths import canonical_data_dir

CANONICAL = canonical_data_dir()
SCHEMA = "https://w3id.org/hsdata/schema/{version}/{stem}.json"


def _canonical_descriptor() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CANONICAL / "datapackage.json").read_text(encoding="utf-8"))
    return data


def _records_by_type() -> dict[str, list[Any]]:
    """The canonical records, by record type, read straight from the files."""
    descriptor = _canonical_descriptor()
    records: dict[str, list[Any]] = {}
    for resource in descriptor["resources"]:
        data = json.loads((CANONICAL / resource["path"]).read_text(encoding="utf-8"))
        records.setdefault(resource["hsdata:recordType"], []).extend(data)
    return records


def _stem(record_type: str) -> str:
    return "issue-area" if record_type == "issueArea" else record_type


# -- whatever validates loads, with the same records ---------------------------------------------

#: How a resource may say what it holds: both ways, only jsonSchema, only hsdata:recordType.
TYPINGS = ("both", "schema-only", "declared-only")
#: How its file may be laid out.
LAYOUTS = ("json", "jsonl", "inline", "two-parts")


@st.composite
def package_shapes(draw: st.DrawFn) -> list[dict[str, Any]]:
    """For each record type: a resource name, a typing, a layout, a folder and separator."""
    shapes = []
    for record_type in sorted(_records_by_type()):
        shapes.append(
            {
                "record_type": record_type,
                "name": draw(st.sampled_from(["r", "data", "x-y", "things"])) + f"-{len(shapes)}",
                "typing": draw(st.sampled_from(TYPINGS)),
                "layout": draw(st.sampled_from(LAYOUTS)),
                "folder": draw(st.sampled_from(["", "sub", "a/b"])),
                "backslash": draw(st.booleans()),
            }
        )
    return shapes


def _write_package(folder: Path, shapes: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """A package of the canonical records laid out as ``shapes`` say; the records by type."""
    version = _canonical_descriptor()["hsdata:version"]
    records = _records_by_type()
    resources = []
    for number, shape in enumerate(shapes):
        record_type = shape["record_type"]
        items = records[record_type]
        resource: dict[str, Any] = {"name": shape["name"]}
        if shape["typing"] in ("both", "schema-only"):
            resource["jsonSchema"] = SCHEMA.format(version=version, stem=_stem(record_type))
        if shape["typing"] in ("both", "declared-only"):
            resource["hsdata:recordType"] = record_type
        sub = folder / shape["folder"] if shape["folder"] else folder
        sub.mkdir(parents=True, exist_ok=True)
        separator = "\\" if shape["backslash"] else "/"
        prefix = shape["folder"].replace("/", separator) + separator if shape["folder"] else ""
        layout = shape["layout"]
        if layout == "inline":
            resource["data"] = items
        elif layout == "jsonl":
            name = f"file{number}.jsonl"
            (sub / name).write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in items), encoding="utf-8"
            )
            resource["path"] = prefix + name
        elif layout == "two-parts" and len(items) > 1:
            half = len(items) // 2
            paths = []
            for part, chunk in enumerate((items[:half], items[half:])):
                name = f"file{number}-{part}.json"
                (sub / name).write_text(json.dumps(chunk, ensure_ascii=False), encoding="utf-8")
                paths.append(prefix + name)
            resource["path"] = paths
        else:
            name = f"file{number}.json"
            (sub / name).write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
            resource["path"] = prefix + name
        resources.append(resource)
    # The canonical descriptor's hsdata keys come along: a version may require some
    # (1.2: namespace, publisher, published, licenses).
    hsdata_keys = {
        key: value
        for key, value in _canonical_descriptor().items()
        if key.startswith("hsdata:") or key == "licenses"
    }
    descriptor = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "shaped",
        **hsdata_keys,
        "hsdata:version": version,
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return records


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(shapes=package_shapes())
def test_whatever_validates_loads_with_the_same_records(
    tmp_path_factory: pytest.TempPathFactory, shapes: list[dict[str, Any]]
) -> None:
    folder = tmp_path_factory.mktemp("shaped")
    written = _write_package(folder, shapes)
    report = hsdata.validate(folder)
    if not report.valid:
        # Only a resource typed by hsdata:recordType alone may be refused, and then it is
        # an error of its own: the package must name each resource's schema.
        assert any(s["typing"] == "declared-only" for s in shapes)
        assert {i.rule for i in report.errors} == {"package-resource-schema"}
        return
    clear_cache()
    dataset = hsdata.load(folder)
    for record_type, records in written.items():
        loaded = dataset.to_dicts().get(record_type, [])
        assert loaded == records, f"{record_type} records differ between validate and load"


def _alike(name: str = "r", **shape: Any) -> list[dict[str, Any]]:
    """One shape for every record type: resources '{name}-0', '{name}-1'... laid out alike."""
    plain = {"typing": "both", "layout": "json", "folder": "", "backslash": False}
    return [
        {**plain, **shape, "record_type": record_type, "name": f"{name}-{number}"}
        for number, record_type in enumerate(sorted(_records_by_type()))
    ]


def test_a_resource_named_unlike_its_type_loads_every_record(tmp_path: Path) -> None:
    shapes = _alike("whatever", typing="schema-only")
    written = _write_package(tmp_path, shapes)
    assert hsdata.validate(tmp_path).valid
    dataset = hsdata.load(tmp_path)
    assert dataset.counts() == {t: len(r) for t, r in written.items()}
    # Linked-data addresses are record URIs (1.2): their collection is the record type's
    # file name in the standard, whatever the resource holding it is called.
    prefixes = {node["@id"].rsplit("/", 1)[0] for node in dataset.to_jsonld()["@graph"]}
    schemas = dataset.schema_set
    assert prefixes == {
        schemas.schema_id(record_type).rsplit("/", 1)[1].removesuffix(".json") + "s"
        for record_type in written
    }


def test_a_backslash_path_reads_the_same_file_everywhere(tmp_path: Path) -> None:
    shapes = _alike("r", folder="a/b", backslash=True)
    written = _write_package(tmp_path, shapes)
    assert hsdata.validate(tmp_path).valid
    assert hsdata.load(tmp_path).counts() == {t: len(r) for t, r in written.items()}
    with open_package(tmp_path) as package:
        shown = [f.shown for r in package.resources for f in r.files]
    assert all("\\" not in name and "a/b/" in name for name in shown)


def test_inline_records_are_loaded_as_they_are_validated(tmp_path: Path) -> None:
    shapes = _alike("r", layout="inline")
    written = _write_package(tmp_path, shapes)
    assert hsdata.validate(tmp_path).valid
    assert hsdata.load(tmp_path).counts() == {t: len(r) for t, r in written.items()}


# -- the rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        ({"jsonSchema": SCHEMA.format(version="1.1", stem="event")}, "event"),
        (
            {
                "jsonSchema": SCHEMA.format(version="1.1", stem="issue-area"),
                "hsdata:recordType": "event",
            },
            "issueArea",
        ),
        ({"hsdata:recordType": "actor"}, "actor"),
        ({"hsdata:recordType": "nonsense"}, None),
        ({"name": "events"}, None),
        ({"jsonSchema": "https://example.org/event.json", "name": "events"}, None),
    ],
)
def test_the_record_type_rule(tmp_path: Path, resource: dict[str, Any], expected: str) -> None:
    (tmp_path / "x.json").write_text("[]", encoding="utf-8")
    descriptor = {
        "hsdata:version": "1.1",
        "resources": [{"name": "x", "path": "x.json", **resource}],
    }
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    package = read_package(tmp_path / "datapackage.json")
    assert [r.record_type for r in package.resources] == [expected]


def _one_resource_package(folder: Path, path: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = {
        "hsdata:version": "1.1",
        "resources": [
            {
                "name": "events",
                "path": path,
                "jsonSchema": SCHEMA.format(version="1.1", stem="event"),
            }
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


def _fifo(folder: Path) -> str:
    os.mkfifo(folder / "pipe.json")
    return "pipe.json"


def _link_out(folder: Path) -> str:
    (folder.parent / "outside.json").write_text("[]", encoding="utf-8")
    (folder / "link.json").symlink_to(folder.parent / "outside.json")
    return "link.json"


UNSAFE_PATHS = {
    "absolute": lambda folder: "/etc/passwd",
    "windows-absolute": lambda folder: "C:\\data\\events.json",
    "climbing": lambda folder: "../outside.json",
    "climbing-backslash": lambda folder: "sub\\..\\..\\outside.json",
    "device": lambda folder: "../../../../../../dev/zero",
    "fifo": _fifo,
    "symlink-out": _link_out,
    "url": lambda folder: "https://example.org/events.json",
    "folder": lambda folder: ".",
}


@pytest.mark.parametrize("kind", sorted(UNSAFE_PATHS))
def test_an_unsafe_path_is_refused_by_every_reader(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "package"
    folder.mkdir()
    package_dir = _one_resource_package(folder, UNSAFE_PATHS[kind](folder))
    report = hsdata.validate(package_dir)
    assert not report.valid
    assert any(i.pointer == "/resources/0/path" for i in report.issues)
    with pytest.raises(hsdata.InvalidDataError):
        hsdata.load(package_dir)
    with pytest.raises(hsdata.SpreadsheetError, match=r"resources/0/path"):
        hsdata.write_template(tmp_path / "out.xlsx", package=package_dir)
    assert not (tmp_path / "out.xlsx").exists()


def test_a_fifo_descriptor_is_refused_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "datapackage.json")
    report = hsdata.validate(tmp_path / "datapackage.json")
    assert report.exit_code == hsdata.ExitCode.UNREADABLE
    assert "not a regular file" in report.issues[0].message


# -- limits --------------------------------------------------------------------------------------


def test_every_package_rule_honours_the_listed_issue_cap(tmp_path: Path) -> None:
    stem = SCHEMA.format(version="1.1", stem="event")
    descriptor = {
        "hsdata:version": "1.1",
        "resources": [
            {"name": f"r{n}", "path": f"missing-{n}.json", "jsonSchema": stem} for n in range(1500)
        ],
    }
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = hsdata.validate(tmp_path)
    missing = [i for i in report.issues if i.rule == "package-resource-missing"]
    from hsdata._validator._run import MAX_LISTED

    assert len(missing) == MAX_LISTED + 1  # the listed ones, and one that counts the rest
    assert sum("500 more issues of this kind" in i.message for i in missing) == 1
    assert report.suppressed == 500


def _empty_name_zip(path: Path) -> None:
    """A zip whose second entry has an empty name (zipfile cannot write one)."""
    import struct
    import zlib

    entries = [("datapackage.json", b"{}"), ("", b"x")]
    body = central = b""
    for name, data in entries:
        encoded, crc = name.encode(), zlib.crc32(data)
        offset = len(body)
        sizes = (crc, len(data), len(data), len(encoded))
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, *sizes, 0) + encoded + data
        central += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, *sizes, 0, 0, 0, 0, 0, offset
            )
            + encoded
        )
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(central), len(body), 0)
    path.write_bytes(body + central + end)


def test_a_zip_entry_without_a_name_is_refused_not_a_crash(tmp_path: Path) -> None:
    archive = tmp_path / "odd.zip"
    _empty_name_zip(archive)
    report = hsdata.validate(archive)
    assert [i.rule for i in report.issues] == ["package-archive-unsafe"]
    with pytest.raises(hsdata.InvalidDataError, match="empty name"):
        hsdata.load(archive)
    for command in (
        ["info", str(archive)],
        ["export", "--format", "csv", str(archive), str(tmp_path / "o")],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "hsdata", *command],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 2, result.stdout + result.stderr
        assert "Traceback" not in result.stderr and "empty name" in result.stderr


_UNPACK_SLOWLY = """
import sys, time
from pathlib import Path
from hsdata._package import _archive, open_package

real = _archive.extract_package
def slow(archive, into):
    print("unpacking", flush=True)
    time.sleep(60)
    return real(archive, into)
_archive.extract_package = slow
import hsdata._package._reader as reader
reader.extract_package = slow
with open_package(Path(sys.argv[1])) as package:
    pass
"""


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_unpacking_leaves_no_temporary_folder(
    tmp_path: Path, signal_number: int
) -> None:
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in CANONICAL.glob("*.json"):
            zipped.write(file, file.name)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with subprocess.Popen(
        [sys.executable, "-c", _UNPACK_SLOWLY, str(archive)],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "unpacking"
            assert [p.name for p in scratch.iterdir() if p.name.startswith("hsdata-zip-")]
            child.send_signal(signal_number)
            child.wait(timeout=30)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert child.returncode != 0
    deadline = time.monotonic() + 5
    while any(scratch.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(scratch.iterdir()), "the unpacked folder was left behind"


def test_the_loader_reuses_the_schemas_the_validator_resolved(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shutil.copytree(CANONICAL, tmp_path / "package")
    calls: list[str] = []
    from hsdata._package import _reader

    real = _reader.load_schema_set

    def counting(version: str) -> Any:
        calls.append(version)
        return real(version)

    monkeypatch.setattr(_reader, "load_schema_set", counting)
    dataset = hsdata.load(tmp_path / "package")
    assert len(calls) == 1
    assert dataset.schema_set.version == calls[0]


def _many_resources(folder: Path, count: int, **changes: dict[str, Any]) -> Path:
    """A package of ``count`` event resources (empty files); ``changes`` edit some by index."""
    stem = SCHEMA.format(version="1.1", stem="event")
    resources = []
    for n in range(count):
        (folder / f"e{n}.json").write_text("[]", encoding="utf-8")
        resources.append({"name": f"e{n}", "path": f"e{n}.json", "jsonSchema": stem})
    for index, change in changes.items():
        resources[int(index.removeprefix("r"))].update(change)
    descriptor = {"hsdata:version": "1.1", "name": "many", "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


def _descriptor_messages(report: hsdata.Report) -> list[str]:
    return [i.message for i in report.issues if i.rule == "package-descriptor-invalid"]


def test_the_data_package_checks_still_see_a_repeated_name_among_many(tmp_path: Path) -> None:
    _many_resources(tmp_path, 60, r41={"name": "e7"})
    assert any("not unique" in m for m in _descriptor_messages(hsdata.validate(tmp_path)))


def test_the_data_package_checks_still_see_one_odd_resource_among_many(tmp_path: Path) -> None:
    _many_resources(tmp_path, 60, r33={"bytes": "many"})
    messages = _descriptor_messages(hsdata.validate(tmp_path))
    assert any("'many' is not of type 'integer'" in m for m in messages)


def test_the_data_package_checks_of_a_package_of_alike_resources_are_unchanged(
    tmp_path: Path,
) -> None:
    _many_resources(tmp_path, 40)
    assert hsdata.validate(tmp_path).valid


@pytest.mark.parametrize(
    ("name", "declared", "json_lines"),
    [
        ("events.json", None, False),
        ("events.jsonl", None, True),
        ("events.NDJSON", None, True),
        ("events.json", "jsonl", True),
        ("events.txt", "ndjson", True),
        ("events.jsonl", "json", False),
        ("events.jsonl", "csv", True),  # a format that is not JSON: the suffix decides
    ],
)
def test_the_format_rule(tmp_path: Path, name: str, declared: str | None, json_lines: bool) -> None:
    (tmp_path / name).write_text("[]", encoding="utf-8")
    resource: dict[str, Any] = {"name": "x", "path": name}
    if declared is not None:
        resource["format"] = declared
    descriptor = {"hsdata:version": "1.1", "resources": [resource]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    package = read_package(tmp_path / "datapackage.json")
    assert [f.json_lines for f in package.resources[0].files] == [json_lines]


def test_a_declared_format_is_read_and_located_as_it_says(tmp_path: Path) -> None:
    """A .json file the descriptor calls JSON Lines validates, loads and places issues by line."""
    events = _records_by_type()["event"]
    events[1] = {**events[1], "status": "nonsense"}
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in events)
    (tmp_path / "events.json").write_text(lines, encoding="utf-8")
    stem = SCHEMA.format(version="1.1", stem="event")
    descriptor = {
        "hsdata:version": "1.1",
        "resources": [
            {"name": "events", "path": "events.json", "format": "jsonl", "jsonSchema": stem}
        ],
    }
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = hsdata.validate(tmp_path)
    (issue,) = [i for i in report.errors if i.pointer == "/status"]
    assert (issue.line, issue.column) == (2, lines.split("\n")[1].index('"status"') + 1)
    assert report.records_checked == len(events)
