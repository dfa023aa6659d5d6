"""hsdata compile / hsdata.compile_releases: three dated releases built in the test's folder.

Release 1 is the minimal 1.2 package; release 2 renames an actor in French
and adds an issue area; release 3 removes that issue area again and adds a
source. The compiled package must be release 3's records plus a history per
record URI, and be a valid package itself.
"""

from __future__ import annotations

import itertools
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import hsdata
from hsdata._compile import HISTORY_FILE, record_uri
from hsdata.cli import main

MINIMAL = Path(__file__).resolve().parent / "validator" / "fixtures_v12" / "minimal"
NAMESPACE = json.loads((MINIMAL / "datapackage.json").read_text(encoding="utf-8"))[
    "hsdata:namespace"
]


def _edit(path: Path, change: Callable[[Any], None]) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _release(
    folder: Path, source: Path, published: str, version: str, change: Callable[[Path], None]
) -> Path:
    target = Path(shutil.copytree(source, folder))
    _edit(
        target / "datapackage.json",
        lambda d: d.update({"hsdata:published": published, "version": version}),
    )
    change(target)
    return target


def _second(package: Path) -> None:
    _edit(package / "actors.json", lambda actors: actors[0]["name"].update(fr="Norvège"))

    def add_area(areas: list[Any]) -> None:
        areas.append({**areas[0], "id": "mine-clearance", "label": {"en": "Mine clearance"}})
        areas[-1].pop("broader", None)

    _edit(package / "issue-areas.json", add_area)


def _third(package: Path) -> None:
    _edit(package / "issue-areas.json", lambda areas: areas.pop())

    def add_source(sources: list[Any]) -> None:
        sources.append({**sources[0], "id": "gazette-2002", "issued": "2002-03"})

    _edit(package / "sources.json", add_source)


@pytest.fixture
def releases(tmp_path: Path) -> list[Path]:
    first = _release(tmp_path / "r1", MINIMAL, "2026-01-01T00:00:00Z", "1.0.0", lambda p: None)
    second = _release(tmp_path / "r2", first, "2026-06-01T00:00:00Z", "1.1.0", _second)
    third = _release(tmp_path / "r3", second, "2026-12-01T00:00:00Z", "1.2.0", _third)
    return [first, second, third]


def _changes(
    compiled: hsdata.CompiledReleases, uri: str
) -> list[tuple[str, str | None, list[str]]]:
    return [(e.change, e.version, list(e.fields)) for e in compiled.history[uri]]


def test_the_three_releases_are_valid(releases: list[Path]) -> None:
    for release in releases:
        report = hsdata.validate(release)
        assert report.exit_code == hsdata.ExitCode.VALID, [
            (i.rule, i.message) for i in report.issues
        ]


def test_history_per_record_uri(releases: list[Path]) -> None:
    compiled = hsdata.compile_releases(releases)
    assert [r.version for r in compiled.releases] == ["1.0.0", "1.1.0", "1.2.0"]
    norway = record_uri(NAMESPACE, "actor", "norway")
    assert norway == NAMESPACE + "actors/norway"
    assert _changes(compiled, norway) == [
        ("added", "1.0.0", []),
        ("changed", "1.1.0", ["/name/fr"]),
    ]
    area = NAMESPACE + "issue-areas/mine-clearance"
    assert _changes(compiled, area) == [("added", "1.1.0", []), ("removed", "1.2.0", [])]
    assert _changes(compiled, NAMESPACE + "sources/gazette-2002") == [("added", "1.2.0", [])]
    # An unchanged record has its one 'added'.
    assert _changes(compiled, NAMESPACE + "actors/canada") == [("added", "1.0.0", [])]
    assert compiled.history[norway][1].published == "2026-06-01T00:00:00Z"


def test_the_history_is_what_diff_says(releases: list[Path]) -> None:
    compiled = hsdata.compile_releases(releases)
    for old, new in itertools.pairwise(releases):
        result = hsdata.diff(old, new)
        version = json.loads((new / "datapackage.json").read_text())["version"]
        for change in result.records:
            assert change.id is not None
            uri = record_uri(NAMESPACE, change.record_type, change.id)
            (entry,) = [e for e in compiled.history[uri] if e.version == version]
            assert entry.change == change.kind
            if change.kind == "changed":
                assert list(entry.fields) == [f.pointer for f in change.fields]


def test_the_compiled_package_is_the_newest_release_with_its_history(
    releases: list[Path], tmp_path: Path
) -> None:
    out = hsdata.compile_releases(releases).write(tmp_path / "compiled")
    report = hsdata.validate(out)
    assert report.exit_code == hsdata.ExitCode.VALID, [(i.rule, i.message) for i in report.issues]
    newest = hsdata.load(releases[-1])
    compiled = hsdata.load(out)
    assert compiled.to_dicts() == newest.to_dicts()
    history = json.loads((out / HISTORY_FILE).read_text(encoding="utf-8"))
    assert history["namespace"] == NAMESPACE
    assert [r["published"] for r in history["releases"]] == [
        "2026-01-01T00:00:00Z",
        "2026-06-01T00:00:00Z",
        "2026-12-01T00:00:00Z",
    ]
    assert history["records"][NAMESPACE + "issue-areas/mine-clearance"][-1]["change"] == "removed"
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in descriptor["resources"] if r["path"] == HISTORY_FILE]
    assert resource["hsdata:recordType"] == "recordHistory" and "jsonSchema" not in resource


def test_releases_out_of_date_order_are_refused(releases: list[Path]) -> None:
    with pytest.raises(hsdata.CompileError, match="not in date order") as refused:
        hsdata.compile_releases([releases[0], releases[2], releases[1]])
    assert "r2" in str(refused.value) and "2026-06-01T00:00:00Z" in str(refused.value)
    with pytest.raises(hsdata.CompileError, match="not in date order"):
        hsdata.compile_releases([releases[0], releases[0]])


def test_releases_of_different_namespaces_are_refused(releases: list[Path]) -> None:
    _edit(
        releases[2] / "datapackage.json",
        lambda d: d.update({"hsdata:namespace": "https://example.org/another/"}),
    )
    with pytest.raises(hsdata.CompileError, match="different namespaces") as refused:
        hsdata.compile_releases(releases)
    assert "https://example.org/another/" in str(refused.value)


def test_a_package_without_a_publication_date_is_not_a_release(releases: list[Path]) -> None:
    _edit(releases[1] / "datapackage.json", lambda d: d.pop("hsdata:published"))
    with pytest.raises(hsdata.CompileError, match="no hsdata:published"):
        hsdata.compile_releases(releases)
    with pytest.raises(hsdata.CompileError, match="no release"):
        hsdata.compile_releases([])


def test_a_zipped_release_compiles_like_its_folder(releases: list[Path], tmp_path: Path) -> None:
    archive = tmp_path / "r1.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in sorted(releases[0].iterdir()):
            handle.write(path, path.name)
    from_zip = hsdata.compile_releases([archive, *releases[1:]])
    from_folders = hsdata.compile_releases(releases)
    assert from_zip.history_document()["records"] == from_folders.history_document()["records"]


def test_the_command(releases: list[Path], tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "compiled"
    paths = [str(p) for p in releases]
    result = runner.invoke(main, ["compile", *paths, "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / HISTORY_FILE).is_file() and (out / "datapackage.json").is_file()
    # An existing folder is replaced only with --force, and then all at once.
    again = runner.invoke(main, ["compile", *paths, "--output", str(out)])
    assert again.exit_code == 2 and "--force" in again.stderr
    assert runner.invoke(main, ["compile", *paths, "-o", str(out), "--force"]).exit_code == 0
    wrong = runner.invoke(main, ["compile", paths[1], paths[0], "-o", str(tmp_path / "x")])
    assert wrong.exit_code == 2 and "not in date order" in wrong.stderr
    assert not (tmp_path / "x").exists()
