"""Dependencies (standard 1.2): references 'prefix:id' checked against a local copy.

The referring package is a copy of the minimal 1.2 package in which the
actor 'icrc' has the parent 'hsca:united-nations' and an engagement the
forum 'hsca:un-security-council', records of the canonical package declared
under the prefix 'hsca'. The canonical package is copied into the test's
folder so that each test can move, zip, alter or remove it. Each rule is
failed by one change, at its place, with the option that supplies a copy
named.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from loopback import LoopbackServer, reach_loopback_directly, refuse_connections

import hsdata
from hsdata._paths import canonical_data_dir
from hsdata.cli import main

MINIMAL = Path(__file__).resolve().parent / "validator" / "fixtures_v12" / "minimal"
CANONICAL = json.loads((canonical_data_dir() / "datapackage.json").read_text(encoding="utf-8"))


def _edit(path: Path, change: Callable[[Any], None]) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _declaration(**more: Any) -> dict[str, Any]:
    return {
        "prefix": "hsca",
        "name": CANONICAL["name"],
        "version": CANONICAL["version"],
        "namespace": CANONICAL["hsdata:namespace"],
        **more,
    }


def _declare(package: Path, declaration: dict[str, Any]) -> None:
    _edit(package / "datapackage.json", lambda d: d.update({"hsdata:dependencies": [declaration]}))


@pytest.fixture
def canonical(tmp_path: Path) -> Path:
    return Path(shutil.copytree(canonical_data_dir(), tmp_path / "canonical"))


@pytest.fixture
def package(tmp_path: Path, canonical: Path) -> Path:
    """The minimal package, declaring the canonical copy at '../canonical' and referring to it."""
    target = Path(shutil.copytree(MINIMAL, tmp_path / "package"))
    _declare(target, _declaration(path="../canonical"))
    _edit(target / "actors.json", lambda actors: actors[2].update(parent="hsca:united-nations"))
    _edit(
        target / "engagements.json",
        lambda records: records[0].update(forum="hsca:un-security-council"),
    )
    return target


def _found(report: hsdata.Report) -> list[tuple[str, str | None]]:
    for issue in report.issues:
        assert issue.message and "Traceback" not in issue.message
        assert issue.docs_url == hsdata.RULES[issue.rule].docs_url
    return [(issue.rule, issue.pointer) for issue in report.issues]


def _zip(folder: Path, archive: Path, *, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(archive, "w") as handle:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                handle.write(path, path.relative_to(folder).as_posix())
        for name, data in (extra or {}).items():
            handle.writestr(name, data)
    return archive


@pytest.fixture
def blocked(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every attempt to connect a socket is recorded and fails."""
    return refuse_connections(monkeypatch)


def test_references_into_the_declared_copy_resolve(package: Path, blocked: list[object]) -> None:
    report = hsdata.validate(package)
    assert _found(report) == []
    assert blocked == []


def test_a_record_the_dependency_lacks_is_unresolved(package: Path) -> None:
    _edit(package / "actors.json", lambda actors: actors[2].update(parent="hsca:atlantis"))
    report = hsdata.validate(package)
    assert _found(report) == [("ref-unresolved", "/2/parent")]
    assert "'hsca'" in report.issues[0].message and "'atlantis'" in report.issues[0].message


def test_a_record_of_another_type_is_unresolved(package: Path) -> None:
    # 'landmines' is an issue area of the canonical package, not an actor.
    _edit(package / "actors.json", lambda actors: actors[2].update(parent="hsca:landmines"))
    assert _found(hsdata.validate(package)) == [("ref-unresolved", "/2/parent")]


def test_an_undeclared_prefix(package: Path) -> None:
    _edit(package / "actors.json", lambda actors: actors[2].update(parent="other:canada"))
    assert _found(hsdata.validate(package)) == [("dependency-undeclared", "/2/parent")]


def test_no_copy_names_the_prefix_the_place_and_the_option(
    package: Path, canonical: Path, blocked: list[object]
) -> None:
    shutil.rmtree(canonical)
    report = hsdata.validate(package)
    # One issue for the dependency, none for each reference into it.
    assert _found(report) == [("dependency-missing", "/hsdata:dependencies/0/path")]
    issue = report.issues[0]
    assert issue.file is not None and issue.file.endswith("datapackage.json")
    assert issue.line is not None and issue.line > 1
    assert "'hsca'" in issue.message and "'../canonical'" in issue.message
    assert "--dependency hsca=PATH" in issue.message
    assert blocked == []


def test_a_declaration_without_a_path_needs_a_supplied_copy(package: Path, canonical: Path) -> None:
    _declare(package, _declaration())
    report = hsdata.validate(package)
    assert _found(report) == [("dependency-missing", "/hsdata:dependencies/0")]
    assert "no path" in report.issues[0].message
    assert _found(hsdata.validate(package, dependencies={"hsca": canonical})) == []


def test_each_missing_key_of_a_declaration_is_reported_once(package: Path, canonical: Path) -> None:
    # jsonschema gives one error per missing key; each names the key once, not once per error.
    _declare(package, {"prefix": "hsca", "path": "../canonical"})
    report = hsdata.validate(package)
    missing = [i.message for i in report.issues if i.rule == "package-hsdata-invalid"]
    named = [
        key
        for message in missing
        for key in ("name", "version", "namespace")
        if f"has no {key}," in message
    ]
    assert sorted(named) == ["name", "namespace", "version"], missing
    assert len(missing) == 3, missing


def test_a_supplied_copy_is_used_when_the_path_holds_none(
    package: Path, canonical: Path, tmp_path: Path
) -> None:
    moved = canonical.rename(tmp_path / "elsewhere")
    assert _found(hsdata.validate(package, dependencies={"hsca": moved})) == []
    # The supplied copy is judged like the declared one.
    _edit(package / "actors.json", lambda actors: actors[2].update(parent="hsca:atlantis"))
    assert _found(hsdata.validate(package, dependencies={"hsca": moved})) == [
        ("ref-unresolved", "/2/parent")
    ]
    # A supplied path that holds nothing is said as such.
    report = hsdata.validate(package, dependencies={"hsca": tmp_path / "nothing"})
    assert ("dependency-missing", "/hsdata:dependencies/0/path") in _found(report)
    assert "'" + str(tmp_path / "nothing") in report.issues[0].message


def test_a_zipped_copy_is_read_through_the_safe_reader(
    package: Path, canonical: Path, tmp_path: Path
) -> None:
    _zip(canonical, tmp_path / "canonical.zip")
    shutil.rmtree(canonical)
    _declare(package, _declaration(path="../canonical.zip"))
    assert _found(hsdata.validate(package)) == []
    _edit(package / "actors.json", lambda actors: actors[2].update(parent="hsca:atlantis"))
    assert _found(hsdata.validate(package)) == [("ref-unresolved", "/2/parent")]


def test_an_unsafe_zipped_copy_is_refused(package: Path, canonical: Path, tmp_path: Path) -> None:
    _zip(canonical, tmp_path / "canonical.zip", extra={"../escape.txt": b"x"})
    _declare(package, _declaration(path="../canonical.zip"))
    report = hsdata.validate(package)
    assert _found(report) == [("dependency-missing", "/hsdata:dependencies/0/path")]
    assert "not a readable data package" in report.issues[0].message
    assert not (tmp_path / "escape.txt").exists()


def test_the_digest_of_the_copy(package: Path, canonical: Path) -> None:
    digest = hashlib.sha256((canonical / "datapackage.json").read_bytes()).hexdigest()
    _declare(package, _declaration(path="../canonical", sha256=digest))
    assert _found(hsdata.validate(package)) == []
    _declare(package, _declaration(path="../canonical", sha256="0" * 64))
    report = hsdata.validate(package)
    assert _found(report) == [("dependency-digest-mismatch", "/hsdata:dependencies/0/sha256")]
    assert digest in report.issues[0].message


def test_a_copy_that_is_another_package(package: Path) -> None:
    _declare(
        package,
        _declaration(
            path="../canonical",
            name="other-package",
            version="0.9.0",
            namespace="https://example.org/other/",
        ),
    )
    report = hsdata.validate(package)
    assert _found(report) == [
        ("dependency-mismatch", "/hsdata:dependencies/0/name"),
        ("dependency-mismatch", "/hsdata:dependencies/0/version"),
        ("dependency-mismatch", "/hsdata:dependencies/0/namespace"),
    ]
    assert CANONICAL["hsdata:namespace"] in report.issues[2].message


def test_a_zipped_package_may_not_look_outside_itself(package: Path, tmp_path: Path) -> None:
    archive = _zip(package, tmp_path / "package.zip")
    report = hsdata.validate(archive)
    assert _found(report) == [("dependency-missing", "/hsdata:dependencies/0/path")]
    assert "leads out of the zipped package" in report.issues[0].message


def test_the_network_is_not_used_unless_allowed(
    package: Path, canonical: Path, blocked: list[object]
) -> None:
    shutil.rmtree(canonical)
    _declare(package, _declaration(path="../canonical", url="http://127.0.0.1:9/canonical.zip"))
    report = hsdata.validate(package)
    assert _found(report) == [("dependency-missing", "/hsdata:dependencies/0/path")]
    assert "--allow-network" in report.issues[0].message
    assert blocked == []


@pytest.fixture
def served(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, canonical: Path
) -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server of a folder holding canonical.zip and the canonical package."""
    reach_loopback_directly(monkeypatch, tmp_path / "fetch-cache")
    root = tmp_path / "published"
    shutil.copytree(canonical, root / "canonical")
    _zip(canonical, root / "canonical.zip")
    with LoopbackServer(root) as server:
        yield server.base, server.requested


@pytest.mark.parametrize("published", ["canonical.zip", "canonical/datapackage.json"])
def test_allowed_the_network_fetches_a_dependency_without_a_local_copy(
    package: Path, canonical: Path, served: tuple[str, list[str]], published: str
) -> None:
    base, requested = served
    shutil.rmtree(canonical)
    _declare(package, _declaration(path="../canonical", url=base + published))
    assert _found(hsdata.validate(package, allow_network=True)) == []
    assert f"/{published}" in requested
    _edit(package / "actors.json", lambda actors: actors[2].update(parent="hsca:atlantis"))
    assert _found(hsdata.validate(package, allow_network=True)) == [("ref-unresolved", "/2/parent")]


def test_the_command_line_option(package: Path, canonical: Path, tmp_path: Path) -> None:
    moved = canonical.rename(tmp_path / "elsewhere")
    runner = CliRunner()
    result = runner.invoke(main, ["validate", str(package), "-f", "json"])
    assert result.exit_code == 1
    assert [i["rule"] for i in json.loads(result.stdout)["issues"]] == ["dependency-missing"]
    result = runner.invoke(
        main, ["validate", str(package), "--dependency", f"hsca={moved}", "-f", "json"]
    )
    assert result.exit_code == 0, result.stdout
    result = runner.invoke(main, ["validate", str(package), "--dependency", "hsca", "-f", "json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["issues"][0]["rule"] == "input-usage"


def test_the_loader_follows_references_into_the_dependency(package: Path) -> None:
    dataset = hsdata.load(package)
    assert set(dataset.dependencies) == {"hsca"}
    assert dataset.actors["icrc"].parent is dataset.dependencies["hsca"].actors["united-nations"]
    assert dataset.actors["hsca:canada"] is dataset.dependencies["hsca"].actors["canada"]
    with pytest.raises(KeyError):
        dataset.actors["hsca:atlantis"]
    with pytest.raises(KeyError):
        dataset.actors["other:canada"]


def test_the_loader_refuses_a_package_whose_dependency_is_missing(
    package: Path, canonical: Path
) -> None:
    shutil.rmtree(canonical)
    with pytest.raises(hsdata.InvalidDataError, match="dependency-missing"):
        hsdata.load(package)


def test_dependencies_that_depend_on_each_other_load(package: Path, canonical: Path) -> None:
    # The canonical copy declares the package back: loading stops where the cycle closes.
    _edit(
        canonical / "datapackage.json",
        lambda d: d.update(
            {
                "hsdata:dependencies": [
                    {
                        "prefix": "mini",
                        "name": "hsdata-minimal-1-2",
                        "version": "1.0.0",
                        "namespace": "https://example.org/hsdata/minimal/",
                        "path": "../package",
                    }
                ]
            }
        ),
    )
    dataset = hsdata.load(package)
    canonical_set = dataset.dependencies["hsca"]
    assert canonical_set.actors["canada"].name.get("en") == "Canada"
    assert dict(canonical_set.dependencies) == {}
    # Loaded on its own, the canonical copy does follow its dependency.
    assert set(hsdata.load(canonical).dependencies) == {"mini"}
