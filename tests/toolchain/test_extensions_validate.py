"""A package declaring the funding extension, through the validator end to end."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from hsdata._validator import validate
from hsdata.cli import main

from .conftest import read_json, write_json


def test_package_with_the_funding_extension_validates(funded_package: Path) -> None:
    report = validate(funded_package / "datapackage.json")
    assert report.valid, [(i.rule, i.message) for i in report.errors]
    assert report.exit_code == 0
    result = CliRunner().invoke(main, ["validate", str(funded_package)])
    assert result.exit_code == 0, result.output


def test_without_declaring_the_extension_funding_is_unknown(funded_package: Path) -> None:
    descriptor = read_json(funded_package / "datapackage.json")
    del descriptor["hsdata:extensions"]
    write_json(funded_package / "datapackage.json", descriptor)
    report = validate(funded_package / "datapackage.json")
    assert not report.valid
    assert any(i.pointer == "/0/members/0/funding" for i in report.errors), report.errors


def test_wrong_currency_fails_with_the_codelist_rule(funded_package: Path) -> None:
    partnerships = read_json(funded_package / "partnerships.json")
    partnerships[0]["members"][0]["funding"][0]["currency"] = "CAN"
    write_json(funded_package / "partnerships.json", partnerships)
    report = validate(funded_package / "datapackage.json")
    assert [(i.rule, i.pointer) for i in report.errors] == [
        ("codelist-closed", "/0/members/0/funding/0/currency")
    ]
    assert "currency" in report.errors[0].message
    assert "CAN" in report.errors[0].message
    assert report.exit_code == 1


def test_added_member_role_is_accepted_only_with_the_extension(funded_package: Path) -> None:
    partnerships = read_json(funded_package / "partnerships.json")
    assert partnerships[1]["type"] == "multilateral"
    partnerships[1]["members"][0]["role"] = "donor"
    write_json(funded_package / "partnerships.json", partnerships)
    assert validate(funded_package / "datapackage.json").issues == ()
    descriptor = read_json(funded_package / "datapackage.json")
    descriptor["hsdata:extensions"] = []
    write_json(funded_package / "datapackage.json", descriptor)
    partnerships[0]["members"][0].pop("funding")
    write_json(funded_package / "partnerships.json", partnerships)
    rules = [i.rule for i in validate(funded_package / "datapackage.json").issues]
    assert rules == ["codelist-open-unknown"], rules


def test_broken_extension_declared_by_a_package_is_reported(funded_package: Path) -> None:
    extension = funded_package / "my-extension"
    extension.mkdir()
    (extension / "extension.json").write_text("{", encoding="utf-8")
    descriptor = read_json(funded_package / "datapackage.json")
    descriptor["hsdata:extensions"] = ["my-extension", "https://example.org/ext/"]
    write_json(funded_package / "datapackage.json", descriptor)
    report = validate(funded_package / "datapackage.json")
    rules = sorted(i.rule for i in report.issues if i.rule.startswith("extension-"))
    assert rules == ["extension-network-refused", "extension-unreadable"]
    assert not report.valid
