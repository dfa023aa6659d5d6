"""Registries of publishers (issue 16): the file format, ``hsdata registry check`` and ``fetch``.

The registry lists the canonical package, the Norwegian example (which
depends on the canonical one) and a broken copy of the canonical package.
Fetching is tested against an HTTP server started on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import functools
import json
import shutil
import threading
import time
import zipfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

import hsdata
from hsdata._registry import (
    FETCH_FAILED,
    INVALID,
    fetch_registry,
    read_registry,
    registry_schema,
)
from hsdata.cli import main

REPO = Path(__file__).resolve().parents[2]
CANONICAL = REPO / "data"
NORWAY = REPO / "examples" / "norway-nb"
MISSING = "registry-package-missing"


def _write(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def _dataset(dataset_id: str, publisher: str, **more: Any) -> dict[str, Any]:
    return {
        "id": dataset_id,
        "title": {"en": f"The {dataset_id} package"},
        "publisher": publisher,
        "license": "CC-BY-4.0",
        "modified": "2026-12-01",
        **more,
    }


def _registry(*datasets: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": "Publishers of hsdata (test)",
        "publishers": [
            {"id": "hsca", "name": "hsdata maintainers", "identifier": "wikidata:Q1"},
            {"id": "mfa-no", "name": {"nb": "Utenriksdepartementet"}},
            {"id": "broken", "name": "A publisher with a broken package"},
        ],
        "datasets": list(datasets),
    }


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the canonical package whose first actor has an unknown type."""
    folder = tmp_path / "broken"
    shutil.copytree(CANONICAL, folder)
    actors = json.loads((folder / "actors.json").read_text(encoding="utf-8"))
    actors[0]["type"] = "notAType"
    _write(folder / "actors.json", actors)
    return folder


@pytest.fixture
def registry(tmp_path: Path, broken: Path) -> Path:
    return _write(
        tmp_path / "registry.json",
        _registry(
            _dataset("canonical", "hsca", path=str(CANONICAL)),
            _dataset(
                "norway",
                "mfa-no",
                path=str(NORWAY),
                dependencies={"hsca": "canonical"},
                accessURL="https://example.org/norway",
            ),
            _dataset("broken", "broken", path="broken"),
        ),
    )


def _by_id(summary: hsdata.RegistrySummary) -> dict[str, hsdata.DatasetSummary]:
    return {dataset.id: dataset for dataset in summary.datasets}


# -- the format ---------------------------------------------------------------------------------


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(registry_schema())


def test_the_documented_example_follows_the_schema() -> None:
    page = (REPO / "docs" / "registry.rst").read_text(encoding="utf-8")
    block = page.split(".. code-block:: json\n", 1)[1].split("\n\n\n", 1)[0]
    example = json.loads("\n".join(line[3:] for line in block.splitlines()))
    assert list(jsonschema.Draft202012Validator(registry_schema()).iter_errors(example)) == []


def test_a_registry_that_is_not_json_is_located(tmp_path: Path) -> None:
    path = tmp_path / "registry.json"
    path.write_text('{\n  "publishers": [\n    {"id": "a",}\n  ]\n}\n', encoding="utf-8")
    registry, issues = read_registry(path)
    assert registry is None
    assert [(i.line, i.unreadable) for i in issues] == [(3, True)]


def test_a_schema_error_names_its_line_and_pointer(tmp_path: Path) -> None:
    document = _registry(_dataset("canonical", "hsca", path=str(CANONICAL)))
    document["datasets"][0]["modified"] = "yesterday"
    path = _write(tmp_path / "registry.json", document)
    registry, issues = read_registry(path)
    assert registry is None
    [issue] = issues
    assert (issue.rule, issue.pointer, issue.unreadable) == (
        INVALID,
        "/datasets/0/modified",
        True,
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    assert '"modified": "yesterday"' in lines[issue.line - 1]  # type: ignore[operator]
    assert "Data set 1" in issue.message and "'yesterday'" in issue.message


def test_a_missing_field_points_at_its_entry(tmp_path: Path) -> None:
    entry = _dataset("canonical", "hsca", path=str(CANONICAL))
    del entry["license"]
    path = _write(tmp_path / "registry.json", _registry(entry))
    _, issues = read_registry(path)
    assert [(i.pointer, "'license'" in i.message) for i in issues] == [("/datasets/0", True)]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[issues[0].line - 1].strip() == "{"  # type: ignore[operator]
    assert '"id": "canonical"' in lines[issues[0].line]  # type: ignore[index]


def test_a_data_set_without_path_or_download_url_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "registry.json", _registry(_dataset("canonical", "hsca")))
    _, issues = read_registry(path)
    assert [i.pointer for i in issues] == ["/datasets/0"]
    assert "neither a local path nor a downloadURL" in issues[0].message


def test_a_download_url_of_another_scheme_is_refused(tmp_path: Path) -> None:
    entry = _dataset("canonical", "hsca", downloadURL="ftp://example.org/canonical.zip")
    path = _write(tmp_path / "registry.json", _registry(entry))
    _, issues = read_registry(path)
    assert [(i.rule, i.pointer) for i in issues] == [(INVALID, "/datasets/0/downloadURL")]
    assert "http or https" in issues[0].message


def test_an_unknown_publisher_and_a_repeated_id_are_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "registry.json",
        _registry(
            _dataset("canonical", "hsca", path="a"),
            _dataset("canonical", "nobody", path="b"),
        ),
    )
    _, issues = read_registry(path)
    assert sorted(i.pointer or "" for i in issues) == ["/datasets/1/id", "/datasets/1/publisher"]
    assert all(i.line is not None for i in issues)


def test_a_key_written_twice_makes_the_registry_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "registry.json"
    path.write_text('{"publishers": [], "publishers": [], "datasets": []}', encoding="utf-8")
    registry, issues = read_registry(path)
    assert registry is None and issues and all(i.unreadable for i in issues)


# -- check ----------------------------------------------------------------------------------------


def test_check_validates_every_package_and_summarises_each(registry: Path) -> None:
    summary = hsdata.check_registry(registry)
    found = _by_id(summary)
    assert (found["canonical"].valid, found["norway"].valid, found["broken"].valid) == (
        True,
        True,
        False,
    )
    assert summary.exit_code == 1
    assert found["broken"].report.by_rule() == {"codelist-closed": 1}
    canonical_actors = json.loads((CANONICAL / "actors.json").read_text(encoding="utf-8"))
    assert found["canonical"].records_by_type["actor"] == len(canonical_actors)
    descriptor = json.loads((NORWAY / "datapackage.json").read_text(encoding="utf-8"))
    assert found["norway"].published == descriptor["hsdata:published"]
    assert found["norway"].modified == "2026-12-01"


def test_the_norwegian_package_needs_its_dependency(tmp_path: Path) -> None:
    # A copy elsewhere: its own path to the canonical data no longer leads anywhere.
    copy = tmp_path / "norway"
    shutil.copytree(NORWAY, copy)
    without = _write(tmp_path / "without.json", _registry(_dataset("no", "mfa-no", path="norway")))
    assert not _by_id(hsdata.check_registry(without))["no"].valid
    with_copy = _write(
        tmp_path / "with.json",
        _registry(_dataset("no", "mfa-no", path="norway", dependencies={"hsca": str(CANONICAL)})),
    )
    assert _by_id(hsdata.check_registry(with_copy))["no"].valid


def test_a_package_that_is_not_there_is_an_issue_of_the_registry(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.json", _registry(_dataset("gone", "hsca", path="nothing-here")))
    summary = hsdata.check_registry(path)
    [issue] = summary.report.issues
    assert (issue.rule, issue.pointer, summary.exit_code) == (MISSING, "/datasets/0/path", 1)


def test_cli_check_writes_the_summary_per_publisher(registry: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.json"
    result = CliRunner().invoke(
        main, ["registry", "check", str(registry), "--output", str(out), "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    written = json.loads(out.read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == written
    publishers = {p["id"]: p for p in written["publishers"]}
    assert (publishers["hsca"]["valid"], publishers["broken"]["valid"]) == (True, False)
    [broken_set] = publishers["broken"]["datasets"]
    assert broken_set["issuesByRule"] == {"codelist-closed": 1}
    assert broken_set["recordsByType"]["actor"] > 0
    assert publishers["mfa-no"]["name"] == "Utenriksdepartementet"


def test_cli_check_prints_a_table(registry: Path) -> None:
    result = CliRunner().invoke(main, ["registry", "check", str(registry)])
    assert result.exit_code == 1
    rows = {line.split()[-7]: line for line in result.stdout.splitlines() if "2026-12-01" in line}
    assert set(rows) == {"canonical", "norway", "broken"}
    assert " NO " in rows["broken"] and " yes " in rows["canonical"]
    assert "codelist-closed" in result.stdout


def test_cli_check_exits_2_on_an_unreadable_registry(tmp_path: Path) -> None:
    path = tmp_path / "registry.json"
    path.write_text('{"publishers": [', encoding="utf-8")
    result = CliRunner().invoke(main, ["registry", "check", str(path)])
    assert result.exit_code == 2
    missing = CliRunner().invoke(main, ["registry", "check", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "error:" in missing.stderr


def test_a_valid_registry_exits_0(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "r.json", _registry(_dataset("canonical", "hsca", path=str(CANONICAL)))
    )
    assert CliRunner().invoke(main, ["registry", "check", str(path)]).exit_code == 0


# -- fetch ----------------------------------------------------------------------------------------


def _zip(folder: Path, archive: Path) -> None:
    with zipfile.ZipFile(archive, "w") as handle:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                handle.write(path, path.relative_to(folder).as_posix())


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Slow(_Quiet):
    """Sends its headers, then nothing for longer than any test's deadline."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "100")
        self.end_headers()
        time.sleep(3)


@contextlib.contextmanager
def _server(root: Path, handler: type[SimpleHTTPRequestHandler] = _Quiet) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A server on 127.0.0.1 publishing the canonical package as a zip and the Norwegian one
    as a datapackage.json with its files beside it."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("HSDATA_ALLOW_HOSTS", "127.0.0.1")
    root = tmp_path / "published"
    root.mkdir()
    _zip(CANONICAL, root / "canonical.zip")
    shutil.copytree(NORWAY, root / "norway")
    with _server(root) as base:
        yield base


def _remote(base: str) -> dict[str, Any]:
    return _registry(
        _dataset("canonical", "hsca", downloadURL=base + "canonical.zip"),
        _dataset(
            "norway",
            "mfa-no",
            downloadURL=base + "norway/datapackage.json",
            dependencies={"hsca": "canonical"},
        ),
    )


def test_fetch_downloads_every_package_then_checks_it(published: str, tmp_path: Path) -> None:
    registry = _write(tmp_path / "registry.json", _remote(published))
    out = tmp_path / "downloaded"
    summary = fetch_registry(registry, out, allow_network=True)
    assert [(d.id, d.valid) for d in summary.datasets] == [("canonical", True), ("norway", True)]
    assert summary.exit_code == 0
    assert (out / "canonical" / "package.zip").is_file()
    assert (out / "norway" / "events.json").is_file()
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["valid"] is True
    # The copy of the registry leads to the downloaded packages: checked again offline.
    again = hsdata.check_registry(out / "registry.json")
    assert [(d.id, d.valid) for d in again.datasets] == [("canonical", True), ("norway", True)]


def test_cli_fetch(published: str, tmp_path: Path) -> None:
    registry = _write(tmp_path / "registry.json", _remote(published))
    out = tmp_path / "downloaded"
    result = CliRunner().invoke(
        main, ["registry", "fetch", str(registry), "--allow-network", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "2 of 2 packages valid" in result.stdout
    again = CliRunner().invoke(
        main, ["registry", "fetch", str(registry), "--allow-network", "--output", str(out)]
    )
    assert again.exit_code == 2 and "--force" in again.stderr


def test_fetch_without_allow_network_refuses(tmp_path: Path) -> None:
    registry = _write(tmp_path / "registry.json", _remote("http://127.0.0.1:9/"))
    out = tmp_path / "downloaded"
    result = CliRunner().invoke(main, ["registry", "fetch", str(registry), "--output", str(out)])
    assert result.exit_code == 2
    assert "--allow-network" in result.stderr
    assert not out.exists()


def test_a_host_not_allowed_is_refused(
    published: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HSDATA_ALLOW_HOSTS")
    registry = _write(tmp_path / "registry.json", _remote(published))
    summary = fetch_registry(registry, tmp_path / "out", allow_network=True)
    issues = summary.report.issues
    assert [(i.rule, i.pointer) for i in issues] == [
        (FETCH_FAILED, "/datasets/0/downloadURL"),
        (FETCH_FAILED, "/datasets/1/downloadURL"),
    ]
    assert "loopback" in issues[0].message and "HSDATA_ALLOW_HOSTS" in issues[0].message
    assert summary.exit_code == 1


def test_a_package_too_large_is_refused(published: str, tmp_path: Path) -> None:
    registry = _write(tmp_path / "registry.json", _remote(published))
    summary = fetch_registry(registry, tmp_path / "out", allow_network=True, max_bytes=1000)
    found = _by_id(summary)
    [issue] = found["canonical"].report.issues
    assert issue.rule == FETCH_FAILED and "more than the 1,000" in issue.message
    assert not (tmp_path / "out" / "canonical").exists()


def test_a_server_too_slow_is_cut_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HSDATA_ALLOW_HOSTS", "127.0.0.1")
    with _server(tmp_path, _Slow) as base:
        registry = _write(
            tmp_path / "registry.json",
            _registry(_dataset("slow", "hsca", downloadURL=base + "slow.zip")),
        )
        started = time.monotonic()
        summary = fetch_registry(registry, tmp_path / "out", allow_network=True, deadline=0.5)
        assert time.monotonic() - started < 2.5
    [issue] = summary.report.issues
    assert issue.rule == FETCH_FAILED and "0.5 seconds" in issue.message


def test_a_failed_download_leaves_the_others_checked(published: str, tmp_path: Path) -> None:
    document = _remote(published)
    document["datasets"][1]["downloadURL"] = published + "nothing.zip"
    registry = _write(tmp_path / "registry.json", document)
    summary = fetch_registry(registry, tmp_path / "out", allow_network=True)
    found = _by_id(summary)
    assert found["canonical"].valid
    assert [i.rule for i in found["norway"].report.issues] == [FETCH_FAILED]
    assert "404" in found["norway"].report.issues[0].message


def test_a_field_the_format_does_not_have_is_pointed_at(tmp_path: Path) -> None:
    entry = _dataset("canonical", "hsca", path=str(CANONICAL), colour="red")
    path = _write(tmp_path / "registry.json", _registry(entry))
    _, issues = read_registry(path)
    assert [i.pointer for i in issues] == ["/datasets/0/colour"]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert '"colour"' in lines[issues[0].line - 1]  # type: ignore[operator]
    assert issues[0].message == "Data set 1 has 'colour', which is not a field of the format."


def test_a_registry_that_is_not_an_object_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "registry.json"
    path.write_text("[]\n", encoding="utf-8")
    registry, issues = read_registry(path)
    assert registry is None
    assert [(i.rule, i.pointer, i.line) for i in issues] == [(INVALID, "", 1)]
    assert "must be an object" in issues[0].message
