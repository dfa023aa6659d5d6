"""hsdata upgrade to 1.2: records kept; the publisher facts asked for, never invented."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from versions.conftest import CANONICAL_1_1, RELEASE

import hsdata
from hsdata import ExitCode
from hsdata._paths import canonical_data_dir
from hsdata.cli import main

pytestmark = pytest.mark.skipif(
    "1.2" not in hsdata.available_versions(), reason="needs standard 1.2"
)

#: The commit whose data/ folder tests/versions/canonical_1_1 copies.
RELEASE_1_1_COMMIT = "cc99324"

#: The options the canonical data was upgraded with, on the command line.
RELEASE_OPTIONS = [
    "--publisher-name",
    "hsdata maintainers",
    "--reporting",
    "secondary",
    "--reporting-on",
    "Government of Canada",
    "--reporting-on",
    "fr=gouvernement du Canada",
    "--published",
    "2026-12-02T00:00:00Z",
]


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, document: Any) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def small_package(folder: Path, version: str, **descriptor: Any) -> Path:
    """A package of one source, one actor with a post, one event with a location."""
    folder.mkdir()
    citation = {"source": "memo", "quote": "Canada hosted the meeting in Ottawa."}
    post = {"organization": "canada", "type": "foreignMinister"}
    post |= {"heldOn": "1997-12-03"} if version == "1.0" else {"attestedOn": ["1997-12-03"]}
    records = {
        "source": [{"id": "memo", "type": "policyStatement", "title": {"en": "Memo"}}],
        "actor": [
            {
                "id": "canada",
                "type": "state",
                "name": {"en": "Canada"},
                "country": "CA",
                "citations": [citation],
            },
            {
                "id": "minister",
                "type": "person",
                "name": {"en": "A Minister"},
                "posts": [post],
                "citations": [citation],
            },
        ],
        "event": [
            {
                "id": "meeting",
                "type": "meeting",
                "name": {"en": "Meeting", "nb": "Møte"},
                "status": "held",
                "date": {"start": "1998-05"},
                "location": {"name": {"en": "Ottawa"}, "country": "CA"},
                "participants": [{"actor": "canada", "role": "host"}],
                "citations": [citation],
            },
        ],
    }
    files = {"source": "sources", "actor": "actors", "event": "events"}
    resources = []
    for record_type, stem in files.items():
        write_json(folder / f"{stem}.json", records[record_type])
        resources.append(
            {
                "name": stem,
                "path": f"{stem}.json",
                "hsdata:recordType": record_type,
                "jsonSchema": f"https://w3id.org/hsdata/schema/{version}/{record_type}.json",
            }
        )
    write_json(
        folder / "datapackage.json",
        {
            "name": "small",
            "hsdata:version": version,
            "licenses": [{"name": "CC0-1.0"}],
            **descriptor,
            "resources": resources,
        },
    )
    return folder


def loaded_records(package: Path) -> dict[str, list[dict[str, Any]]]:
    """The package's records by type, through the loader (types without records left out)."""
    return {t: records for t, records in hsdata.load(package).to_dicts().items() if records}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


# -- records and descriptor ------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_a_small_package_reaches_1_2_valid_and_complete(tmp_path: Path, version: str) -> None:
    package = small_package(tmp_path / "package", version)
    before = loaded_records(package)
    out = tmp_path / "out"
    report = hsdata.upgrade(
        package,
        "1.2",
        output=out,
        publisher_name={"nb": "Utenriksdepartementet"},
        publisher_id="wikidata:Q1197345",
        reporting="primary",
        namespace="https://example.org/ud/",
        published="2026-12-01T09:30:00Z",
    )
    assert report.exit_code is ExitCode.VALID, report.issues
    assert report.target_version == "1.2" and report.written
    assert [s.split(":")[0] for s in report.steps] == (
        ["1.0 -> 1.1", "1.1 -> 1.2"] if version == "1.0" else ["1.1 -> 1.2"]
    )
    assert hsdata.validate(out).schema_version == "1.2"
    after = loaded_records(out)
    if version == "1.0":  # the one record change 1.0 -> 1.1 makes
        post = before["actor"][1]["posts"][0]
        post["attestedOn"] = [post.pop("heldOn")]
    assert after == before
    descriptor = read_json(out / "datapackage.json")
    assert descriptor["hsdata:publisher"] == {
        "name": {"nb": "Utenriksdepartementet"},
        "identifier": {"scheme": "wikidata", "id": "Q1197345"},
        "reporting": "primary",
    }
    assert descriptor["hsdata:namespace"] == "https://example.org/ud/"
    assert descriptor["hsdata:published"] == "2026-12-01T09:30:00Z"
    assert {c.kind for c in report.changes} >= {
        "descriptor-namespace",
        "descriptor-publisher",
        "descriptor-published",
    }


def test_facts_the_descriptor_states_are_used(tmp_path: Path) -> None:
    package = small_package(
        tmp_path / "package",
        "1.1",
        id="https://example.org/small",
        contributors=[
            {"title": "Example Ministry", "path": "https://example.org/", "roles": ["publisher"]}
        ],
    )
    report = hsdata.upgrade(package, "1.2", in_place=True, reporting="primary")
    assert report.exit_code is ExitCode.VALID, report.issues
    descriptor = read_json(package / "datapackage.json")
    assert descriptor["hsdata:namespace"] == "https://example.org/small/"
    assert descriptor["hsdata:publisher"] == {
        "name": {"en": "Example Ministry"},
        "url": "https://example.org/",
        "reporting": "primary",
    }
    published = descriptor["hsdata:published"]  # the time of the upgrade
    assert len(published) == 20 and published.endswith("Z")
    messages = " ".join(c.message for c in report.changes)
    assert "from the package's id" in messages and "time of this upgrade" in messages


def test_the_1_1_canonical_release_upgrades_without_losing_a_record(tmp_path: Path) -> None:
    release = tmp_path / "release-1.1"
    shutil.copytree(CANONICAL_1_1, release)
    out = tmp_path / "out"
    report = hsdata.upgrade(release, output=out, **RELEASE)
    assert report.exit_code is ExitCode.VALID, report.issues
    assert loaded_records(out) == loaded_records(release)
    for path in release.glob("*.json"):
        if path.name != "datapackage.json":
            assert (out / path.name).read_bytes() == path.read_bytes(), path.name
    descriptor = read_json(out / "datapackage.json")
    current = read_json(canonical_data_dir() / "datapackage.json")
    for key in ("hsdata:version", "hsdata:namespace", "hsdata:publisher", "licenses"):
        assert descriptor[key] == current[key], key  # as the canonical data was upgraded


def test_the_kept_1_1_release_is_the_one_in_git(tmp_path: Path) -> None:
    git = shutil.which("git")
    root = Path(__file__).resolve().parents[1]
    if (
        git is None
        or subprocess.run(
            [git, "-C", str(root), "cat-file", "-e", f"{RELEASE_1_1_COMMIT}^{{commit}}"],
            capture_output=True,
            check=False,
        ).returncode
    ):
        pytest.skip("no git history here (a shallow clone or an unpacked archive)")
    for path in sorted(CANONICAL_1_1.glob("*.json")):
        shown = subprocess.run(
            [git, "-C", str(root), "show", f"{RELEASE_1_1_COMMIT}:data/{path.name}"],
            capture_output=True,
            check=True,
        )
        assert shown.stdout == path.read_bytes(), path.name


# -- refusals ---------------------------------------------------------------------------------


def test_without_publisher_facts_nothing_is_written(tmp_path: Path) -> None:
    package = small_package(tmp_path / "package", "1.1")
    (package / "datapackage.json").write_text(
        json.dumps({**read_json(package / "datapackage.json"), "licenses": []}), encoding="utf-8"
    )
    before = snapshot(package)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["upgrade", str(package), "--output", str(out)])
    assert result.exit_code == 2, result.output
    for option in ("--publisher-name", "--reporting", "--namespace", "--license"):
        assert option in result.output, option
    assert "upgrade-release-details" in result.output and "nothing was written" in result.output
    assert not out.exists()
    result = CliRunner().invoke(main, ["upgrade", str(package), "--in-place"])
    assert result.exit_code == 2
    assert snapshot(package) == before


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--namespace", "https://example.org/no-slash", "ending in '/'"),
        ("--namespace", "ftp://example.org/", "ending in '/'"),
        ("--published", "2026-12-01", "YYYY-MM-DDThh:mm:ssZ"),
        ("--published", "2026-02-30T10:00:00Z", "YYYY-MM-DDThh:mm:ssZ"),
        ("--publisher-id", "Q16", "SCHEME:ID"),
        ("--publisher-url", "example.org", "not an http(s) address"),
    ],
)
def test_an_unusable_value_is_refused(tmp_path: Path, option: str, value: str, words: str) -> None:
    package = small_package(tmp_path / "package", "1.1", id="https://example.org/small")
    before = snapshot(package)
    given = ["--publisher-name", "X", "--reporting", "primary", option, value]
    result = CliRunner().invoke(main, ["upgrade", str(package), "--in-place", *given])
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert snapshot(package) == before


def test_language_tagged_names_on_the_command_line(tmp_path: Path) -> None:
    package = small_package(tmp_path / "package", "1.1", id="https://example.org/small")
    result = CliRunner().invoke(
        main,
        [
            "upgrade",
            str(package),
            "--in-place",
            "--publisher-name",
            "nb=Utenriksdepartementet",
            "--publisher-name",
            "Norwegian Ministry of Foreign Affairs",
            "--reporting",
            "primary",
        ],
    )
    assert result.exit_code == 0, result.output
    assert read_json(package / "datapackage.json")["hsdata:publisher"]["name"] == {
        "nb": "Utenriksdepartementet",
        "en": "Norwegian Ministry of Foreign Affairs",
    }
    result = CliRunner().invoke(
        main,
        [
            "upgrade",
            str(package),
            "--in-place",
            "--publisher-name",
            "nb=",
        ],
    )
    assert result.exit_code == 2 and "needs a name" in result.output


# -- an up-to-date package -------------------------------------------------------------------------


def test_an_up_to_date_package_is_not_written(tmp_path: Path) -> None:
    package = tmp_path / "canonical"
    shutil.copytree(canonical_data_dir(), package, ignore=shutil.ignore_patterns("csv"))
    before = snapshot(package)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["upgrade", str(package), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "no change needed" in result.output
    assert "written" not in result.output
    assert not out.exists()
    result = CliRunner().invoke(main, ["upgrade", str(package), "--in-place", "-f", "json"])
    document = json.loads(result.output)
    assert (document["written"], document["files"], document["changes"]) == (False, [], [])
    assert snapshot(package) == before


def test_the_canonical_data_was_upgraded_with_these_options(tmp_path: Path) -> None:
    """The documented command reproduces the canonical descriptor's publisher from 1.1."""
    release = tmp_path / "release-1.1"
    shutil.copytree(CANONICAL_1_1, release)
    result = CliRunner().invoke(main, ["upgrade", str(release), "--in-place", *RELEASE_OPTIONS])
    assert result.exit_code == 0, result.output
    upgraded = read_json(release / "datapackage.json")
    current = read_json(canonical_data_dir() / "datapackage.json")
    assert upgraded["hsdata:publisher"] == current["hsdata:publisher"]
    assert upgraded["hsdata:namespace"] == current["hsdata:namespace"]
