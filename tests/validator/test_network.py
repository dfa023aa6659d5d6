"""Asking for the network: extensions declared by URL are fetched only with ``allow_network``.

Without it, no socket is ever connected and the extension is refused with
its rule. With it, the extension is fetched: here from a small HTTP server on
the loopback interface that the test starts and stops.
"""

from __future__ import annotations

import csv
import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from loopback import LoopbackServer, reach_loopback_directly, refuse_connections

from hsdata import ExitCode
from hsdata._paths import extensions_root
from hsdata._validator import validate
from hsdata.cli import main

COMMITMENT: dict[str, Any] = {
    "amount": 250000,
    "currency": "NOK",
    "committed": "1999-03",
    "purpose": {"en": "Illustrative figure for the test.", "fr": "Montant fictif pour le test."},
    "citations": [
        {
            "source": "human-security-concept-and-action",
            "section": "1. Lysoen Partnership with Norway.",
            "paragraph": 1,
        }
    ],
}


def _funding_url(served: LoopbackServer) -> str:
    return f"{served.base}funding/"


@pytest.fixture
def direct(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No proxy from the environment: the loopback server is reached directly."""
    reach_loopback_directly(monkeypatch, tmp_path / "fetch-cache")


@pytest.fixture
def served(direct: None) -> Iterator[LoopbackServer]:
    """A loopback HTTP server of the bundled extensions."""
    root = extensions_root()
    assert root is not None and (root / "funding" / "extension.json").is_file()
    with LoopbackServer(root) as server:
        yield server


@pytest.fixture
def blocked(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every attempt to connect a socket is recorded and fails."""
    return refuse_connections(monkeypatch)


def _declare(package: Path, url: str) -> Path:
    """Declare the extension at ``url`` and use a field it adds; return the descriptor."""
    descriptor_path = package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    descriptor["hsdata:extensions"] = [url]
    descriptor_path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    partnerships_path = package / "partnerships.json"
    partnerships = json.loads(partnerships_path.read_text(encoding="utf-8"))
    partnerships[0]["members"][1]["funding"] = [COMMITMENT]
    partnerships_path.write_text(json.dumps(partnerships, indent=2), encoding="utf-8")
    return descriptor_path


def _cli(*args: str) -> tuple[int, Any]:
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, json.loads(result.stdout)


def test_url_extension_is_refused_without_the_network(package: Path, blocked: list[object]) -> None:
    descriptor = _declare(package, "http://127.0.0.1:9/funding/")
    report = validate(descriptor)
    assert not report.valid
    refused = [i for i in report.issues if i.rule == "extension-network-refused"]
    assert [(i.pointer, i.file) for i in refused] == [("/hsdata:extensions/0", str(descriptor))]
    assert "http://127.0.0.1:9/funding/" in refused[0].message
    code, result = _cli("validate", str(package))
    assert code == 1
    assert "extension-network-refused" in result["rules"]
    assert blocked == []


def test_allow_network_fetches_the_extension(package: Path, served: LoopbackServer) -> None:
    descriptor = _declare(package, _funding_url(served))
    report = validate(descriptor, allow_network=True)
    assert report.valid, [(i.rule, i.message) for i in report.issues]
    assert report.exit_code is ExitCode.VALID
    assert "/funding/extension.json" in served.requested
    assert "/funding/partnership-schema.json" in served.requested
    # the extension's closed currency codelist now applies to the fetched field
    partnerships = json.loads((package / "partnerships.json").read_text(encoding="utf-8"))
    partnerships[0]["members"][1]["funding"][0]["currency"] = "KRONE"
    (package / "partnerships.json").write_text(json.dumps(partnerships), encoding="utf-8")
    rules = [i.rule for i in validate(descriptor, allow_network=True).errors]
    assert rules == ["codelist-closed"]


def test_load_fetches_a_declared_extension_only_when_allowed(
    package: Path, served: LoopbackServer
) -> None:
    import hsdata

    _declare(package, _funding_url(served))
    with pytest.raises(hsdata.InvalidDataError, match="extension-network-refused"):
        hsdata.load(package)
    dataset = hsdata.load(package, allow_network=True)
    member = dataset.partnerships.json(dataset.partnerships.at(0).id)["members"][1]
    assert member["funding"] == [COMMITMENT]


def test_allow_network_on_the_command_line(package: Path, served: LoopbackServer) -> None:
    _declare(package, _funding_url(served))
    code, result = _cli("validate", str(package), "--allow-network")
    assert code == 0, result["issues"]
    assert served.requested
    served.requested.clear()
    code, result = _cli("validate", str(package))
    assert code == 1
    assert "extension-network-refused" in result["rules"]
    assert served.requested == []


def test_a_fetch_that_fails_is_reported(package: Path, direct: None) -> None:
    # A port just freed: nothing listens on it, so the connection is refused at once.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    descriptor = _declare(package, f"http://127.0.0.1:{port}/funding/")
    report = validate(descriptor, allow_network=True)
    rules = [i.rule for i in report.errors if i.rule.startswith("extension-")]
    assert rules == ["extension-unreadable"], [(i.rule, i.message) for i in report.issues]
    assert report.exit_code is not ExitCode.VALID


def test_zip_package_with_a_url_extension(
    package: Path, served: LoopbackServer, tmp_path: Path
) -> None:
    _declare(package, _funding_url(served))
    archive = Path(shutil.make_archive(str(tmp_path / "pkg"), "zip", package))
    assert validate(archive, allow_network=True).valid
    refused = validate(archive).errors
    assert [(i.rule, i.file) for i in refused if i.rule.startswith("extension-")] == [
        ("extension-network-refused", f"{archive}!/datapackage.json")
    ]


def test_import_validates_with_the_same_permission(tmp_path: Path, served: LoopbackServer) -> None:
    template = tmp_path / "csv"
    runner = CliRunner()
    made = runner.invoke(
        main, ["template", str(template), "--format", "csv", "--extension", "funding"]
    )
    assert made.exit_code == 0, made.output
    sheet = template / "package.csv"
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    # The extensions cell names the bundled one (as a plain list or JSON): point it at the URL.
    (row,) = [row for row in rows if row and row[0] == "hsdata:extensions"]
    assert "funding" in row[1]
    row[1] = json.dumps([_funding_url(served)])
    # An import needs a package name of its own and a record (else it is refused for that).
    (name,) = [row for row in rows if row and row[0] == "name"]
    name[1] = "network-permission"
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    sources = template / "source.csv"
    with sources.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    record = {"id": "a-source", "type": "report", "title@en": "A source"}
    with sources.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, [record.get(column, "") for column in header]])
    code, result = _cli("import", str(template), str(tmp_path / "out"), "--allow-network")
    assert code == 0, result["issues"]
    assert "/funding/extension.json" in served.requested
    code, result = _cli("import", str(template), str(tmp_path / "out2"))
    assert code != 0
    assert "extension-network-refused" in result["rules"]
