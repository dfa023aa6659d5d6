"""The example packages in examples/: another publisher's package, valid with the canonical one.

examples/norway-nb is written in Norwegian Bokmål only and refers to the
canonical package's records through the dependency declared under 'hsca'
(path ../../data). It must validate offline (warnings only: no English
text), every prefixed reference must resolve, and breaking the declaration
must give the dependency rules.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import hsdata
from hsdata._paths import canonical_data_dir

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "norway-nb"
#: A whole JSON string that is a reference 'hsca:id' (notes that name one in a sentence aside).
PREFIXED = re.compile(r'"(hsca:[a-z0-9]+(?:-[a-z0-9]+)*)"')


def _prefixed_references() -> Counter[str]:
    found: Counter[str] = Counter()
    for path in EXAMPLE.glob("*.json"):
        if path.name != "datapackage.json":
            found.update(PREFIXED.findall(path.read_text(encoding="utf-8")))
    return found


@pytest.fixture
def copied(tmp_path: Path) -> Path:
    """The example beside a copy of the canonical package, at the same relative place."""
    shutil.copytree(canonical_data_dir(), tmp_path / "data")
    return Path(shutil.copytree(EXAMPLE, tmp_path / "examples" / "norway-nb"))


def _descriptor(package: Path) -> dict[str, Any]:
    return json.loads((package / "datapackage.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _rules(report: hsdata.Report) -> Counter[str]:
    return Counter(issue.rule for issue in report.issues)


def test_the_example_validates_offline_with_warnings_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    report = hsdata.validate(EXAMPLE)
    assert report.exit_code == hsdata.ExitCode.VALID, [(i.rule, i.message) for i in report.errors]
    assert set(_rules(report)) == {"language-english-missing"}
    assert report.schema_version == "1.2"


def test_the_example_is_in_norwegian_bokmal_only() -> None:
    languages: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            tags = all(re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", k) for k in value)
            if value and tags and all(isinstance(v, str) for v in value.values()):
                languages.update(value)
                return
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in EXAMPLE.glob("*.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    assert languages == {"nb"}


def test_the_dependency_is_the_canonical_package() -> None:
    canonical = _descriptor(canonical_data_dir())
    (declared,) = _descriptor(EXAMPLE)["hsdata:dependencies"]
    assert declared["prefix"] == "hsca"
    assert (declared["name"], declared["version"], declared["namespace"]) == (
        canonical["name"],
        canonical["version"],
        canonical["hsdata:namespace"],
    )
    assert (EXAMPLE / declared["path"]).resolve() == canonical_data_dir().resolve()


def test_every_prefixed_reference_resolves(copied: Path) -> None:
    references = _prefixed_references()
    assert {"hsca:norway", "hsca:canada", "hsca:landmines", "hsca:lysoen-partnership"} <= set(
        references
    )
    # Each resolves: renamed to an identifier the canonical package does not have, every
    # one of them is reported, and nothing else is.
    for path in copied.glob("*.json"):
        if path.name != "datapackage.json":
            text = path.read_text(encoding="utf-8")
            gone = PREFIXED.sub(lambda m: f'"{m.group(1)}-gone"', text)
            path.write_text(gone, encoding="utf-8")
    report = hsdata.validate(copied)
    unresolved = [i for i in report.issues if i.rule == "ref-unresolved"]
    assert len(unresolved) == sum(references.values())
    assert all("'hsca'" in issue.message for issue in unresolved)
    assert not report.errors[len(unresolved) :] and len(report.errors) == len(unresolved)


def test_the_example_loads_and_follows_references_into_the_canonical_package() -> None:
    dataset = hsdata.load(EXAMPLE)
    canonical = dataset.dependencies["hsca"]
    hosting = dataset.records("engagement")["norge-vertskap-oslo-1997"]
    assert hosting.actor is canonical.actors["norway"]
    assert [area.id for area in hosting.issue_areas] == ["landmines"]
    lysoen = dataset.records("engagement")["norge-lysoen-landminer"]
    assert lysoen.partnership is canonical.partnerships["lysoen-partnership"]
    ministry = dataset.actors["utenriksdepartementet"]
    assert ministry.parent is canonical.actors["norway"]


def test_a_broken_digest_is_reported(copied: Path) -> None:
    descriptor = _descriptor(copied)
    descriptor["hsdata:dependencies"][0]["sha256"] = "f" * 64
    (copied / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    report = hsdata.validate(copied)
    assert _rules(report)["dependency-digest-mismatch"] == 1
    assert report.exit_code == hsdata.ExitCode.INVALID


def test_without_the_path_the_dependency_is_missing(copied: Path) -> None:
    descriptor = _descriptor(copied)
    del descriptor["hsdata:dependencies"][0]["path"]
    (copied / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    report = hsdata.validate(copied)
    assert [i.rule for i in report.errors] == ["dependency-missing"]
    assert "--dependency hsca=PATH" in report.errors[0].message
    supplied = hsdata.validate(copied, dependencies={"hsca": canonical_data_dir()})
    assert supplied.errors == ()
