"""The start-up cache (hsdata._cache): kept answers are read back, bad ones rebuilt.

The answers kept are the current-codes copies of the schemas and what
frictionless says of a descriptor; a report must be the same whether they
were built in this run or read from the cache.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import hsdata
from hsdata import _cache
from hsdata._validator import _packages, _run


def _files_of(kind: str) -> list[Path]:
    return sorted((_cache.compiled_folder() / kind).glob("*.json"))


def test_an_answer_is_kept_and_read_back() -> None:
    built: list[int] = []

    def build() -> list[int]:
        built.append(1)
        return [1, 2, 3]

    key = _cache.digest_of("inputs")
    assert _cache.cached("demo", key, build) == [1, 2, 3]
    assert _cache.cached("demo", key, build) == [1, 2, 3]
    assert built == [1]  # the second answer came from the file
    (kept,) = _files_of("demo")
    assert kept.name == f"{key}.json"


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"", b'{"kind": "demo", "key": "other", "value": [9]}', b"[1, 2]"],
    ids=["corrupt", "empty", "another key", "not an object"],
)
def test_a_bad_file_is_ignored_and_written_again(content: bytes) -> None:
    key = _cache.digest_of("bad", content)
    folder = _cache.compiled_folder() / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{key}.json").write_bytes(content)
    assert _cache.cached("demo", key, lambda: [7]) == [7]
    assert json.loads((folder / f"{key}.json").read_bytes())["value"] == [7]


def test_a_file_load_refuses_is_built_again() -> None:
    key = _cache.digest_of("shape")
    _cache.cached("demo", key, lambda: {"a": 1})

    def load(value: object) -> dict[str, int]:
        raise KeyError("not the shape expected")

    assert _cache.cached("demo", key, lambda: {"b": 2}, load=load) == {"b": 2}


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_cache_that_cannot_be_written_is_only_slower(tmp_path: Path, monkeypatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    monkeypatch.setenv(_cache.CACHE_DIR_VARIABLE, str(locked))
    assert _cache.cached("demo", _cache.digest_of("x"), lambda: [5]) == [5]
    assert not list(locked.iterdir())


def test_a_cache_folder_that_is_a_file_is_only_slower(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv(_cache.CACHE_DIR_VARIABLE, str(blocker))
    assert _cache.cached("demo", _cache.digest_of("x"), lambda: [5]) == [5]


def test_the_key_depends_on_every_part_and_the_version() -> None:
    assert _cache.digest_of("a", "b") != _cache.digest_of("b", "a")
    assert _cache.digest_of("ab") != _cache.digest_of("a", "b")
    assert _cache.digest_of(b"a") == _cache.digest_of("a")


def _invalid_descriptor_package(tmp_path: Path) -> Path:
    folder = tmp_path / "package"
    folder.mkdir()
    (folder / "datapackage.json").write_text(
        json.dumps(
            {
                "name": "Not A Valid Name",
                "profile": "https://w3id.org/hsdata/schema/1.0/datapackage.json",
                "resources": [],
            }
        )
    )
    return folder


def test_frictionless_answers_come_back_the_same_from_the_cache(
    tmp_path: Path, monkeypatch
) -> None:
    package = _invalid_descriptor_package(tmp_path)
    first = hsdata.validate(package)
    assert any(i.rule == "package-descriptor-invalid" for i in first.issues)
    assert len(_files_of("frictionless-descriptor")) == 1

    def no_frictionless(descriptor: object) -> list[str]:
        raise AssertionError("frictionless was run although its answer was kept")

    monkeypatch.setattr(_packages, "_frictionless_messages", no_frictionless)
    second = hsdata.validate(package)
    assert second.issues == first.issues


def test_a_corrupt_frictionless_answer_is_rebuilt(tmp_path: Path) -> None:
    package = _invalid_descriptor_package(tmp_path)
    first = hsdata.validate(package)
    (kept,) = _files_of("frictionless-descriptor")
    kept.write_bytes(b'{"kind": "frictionless-descriptor", "key": "')
    assert hsdata.validate(package).issues == first.issues
    assert json.loads(kept.read_bytes())["value"]


def test_a_failing_frictionless_is_reported_and_not_kept(monkeypatch, tmp_path: Path) -> None:
    import frictionless

    def broken(descriptor: object) -> object:
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(frictionless.Package, "validate_descriptor", broken)
    issues = _packages._frictionless_issues({"resources": []}, "datapackage.json")
    assert [i.message for i in issues] == [
        "the datapackage.json could not be checked: broken on purpose"
    ]
    assert _files_of("frictionless-descriptor") == []


def test_codes_copies_from_the_cache_are_the_ones_built() -> None:
    from hsdata._validator._schema_check import CompiledSchemas

    schema_set = hsdata.load_schema_set()
    built = CompiledSchemas(schema_set)._current_codes_copies()
    assert len(_files_of("codes-copies")) == 1
    read = CompiledSchemas(schema_set)._current_codes_copies()
    assert read == built == CompiledSchemas(schema_set)._codes_copies({})


def test_the_canonical_report_is_the_same_with_a_warm_cache(monkeypatch) -> None:
    # The process keeps one checker per schema set; an earlier test's checker would
    # have made its copies already, so this run starts without one.
    monkeypatch.setattr(_run, "_checkers", {})
    cold = hsdata.validate(workers=1)
    warm = hsdata.validate(workers=1)
    assert _files_of("codes-copies") and _files_of("frictionless-descriptor")
    assert warm == cold
