"""Extensions: the merge patch, loading and checking an extension, applying it to schemas."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from hsdata import load_schema_set
from hsdata._extensions import (
    ExtensionError,
    apply_extensions,
    bundled_extensions,
    check_extension,
    load_extension,
    merge_patch,
)

from . import currency_codelist
from .conftest import EXAMPLE_COMMITMENT, FUNDING_DIR, read_json, write_json

# -- JSON Merge Patch: the examples of RFC 7386, appendix A -------------------------------------

RFC_7386_CASES = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("target", "patch", "expected"), RFC_7386_CASES)
def test_merge_patch_follows_rfc_7386(target: Any, patch: Any, expected: Any) -> None:
    before = json.dumps(target)
    assert merge_patch(target, patch) == expected
    assert json.dumps(target) == before, "the target must not be changed in place"


# -- the funding extension ----------------------------------------------------------------------


def test_funding_is_bundled_and_checks_clean() -> None:
    assert "funding" in bundled_extensions()
    report = check_extension(FUNDING_DIR)
    assert report.valid, [i.message for i in report.issues]
    assert report.issues == ()
    extension = load_extension("funding")
    assert extension.title == {"en": "Funding", "fr": "Financement"}
    assert extension.compatibility == ("1.0", "1.1", "1.2")
    assert set(extension.patches) == {"partnership"}


def test_currency_codelist_is_generated_from_iso_4217() -> None:
    committed = (FUNDING_DIR / "codelists" / "currency.csv").read_text(encoding="utf-8")
    assert committed == currency_codelist.render(), (
        "currency.csv is out of date: run python tests/toolchain/currency_codelist.py"
    )


def test_applying_funding_returns_a_new_schema_set_and_leaves_the_base_alone() -> None:
    base = load_schema_set("1.0")
    base_partnership = json.dumps(base.record_schema("partnership"), sort_keys=True)
    extended = apply_extensions(base, None, ["funding"])
    assert extended is not base
    assert json.dumps(base.record_schema("partnership"), sort_keys=True) == base_partnership
    assert "currency.csv" not in base.codelists
    assert "donor" not in base.codelists["memberRole.csv"]

    member = extended.record_schema("partnership")["$defs"]["Member"]
    assert member["properties"]["funding"]["items"] == {"$ref": "#/$defs/FundingCommitment"}
    # what the patch does not touch is kept
    assert member["required"] == ["actor", "role"]
    currency = extended.codelists["currency.csv"]
    assert {"CAD", "NOK", "EUR", "DEM"} <= set(currency.codes)
    assert currency.titles["NOK"] == {"en": "Norwegian Krone", "fr": "Couronne norvégienne"}
    assert extended.codelists["memberRole.csv"].codes[-1] == "donor"
    assert extended.codelists["memberRole.csv"].titles["donor"]["fr"] == "Donateur"
    fields = {(f.record_type, f.path): f for f in extended.codelist_fields}
    field = fields[("partnership", ("members", "*", "funding", "*", "currency"))]
    assert field.codelist == "currency.csv"
    assert not field.open
    # the closed codelist is repeated as the schema's enum, as in the standard itself
    commitment = extended.record_schema("partnership")["$defs"]["FundingCommitment"]
    assert commitment["properties"]["currency"]["enum"] == list(currency.codes)


def _partnership_errors(schema_set: Any, partnership: dict[str, Any]) -> list[str]:
    validator = Draft202012Validator(
        schema_set.record_schema("partnership"), registry=schema_set.registry
    )
    return [error.message for error in validator.iter_errors(partnership)]


def test_extended_schema_accepts_funding_and_refuses_an_unknown_currency() -> None:
    base = load_schema_set("1.0")
    extended = apply_extensions(base, None, ["funding"])
    partnership = read_json(FUNDING_DIR.parents[1] / "data" / "partnerships.json")[0]
    partnership["members"][0]["funding"] = [dict(EXAMPLE_COMMITMENT)]
    assert _partnership_errors(extended, partnership) == []
    # without the extension the same record is invalid: 'funding' is unknown
    assert _partnership_errors(base, partnership)
    partnership["members"][0]["funding"][0]["currency"] = "CAN"
    errors = _partnership_errors(extended, partnership)
    assert len(errors) == 1
    assert "'CAN' is not one of" in errors[0]


# -- broken extensions are reported, with file and place ----------------------------------------


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A writable copy of the funding extension, to break in each test."""
    target = tmp_path / "pkg" / "ext"
    shutil.copytree(FUNDING_DIR, target)
    return target


def _issues(location: Path) -> list[tuple[str, str, str | None]]:
    report = check_extension(location)
    assert not report.valid
    return [(i.rule, Path(i.file or "").name, i.pointer) for i in report.issues]


def test_descriptor_that_is_not_json(broken: Path) -> None:
    (broken / "extension.json").write_text('{"name": ', encoding="utf-8")
    report = check_extension(broken)
    assert [(i.rule, i.file) for i in report.issues] == [
        ("extension-unreadable", str(broken / "extension.json"))
    ]
    assert "not valid JSON" in report.issues[0].message
    assert report.exit_code == 1


def test_descriptor_missing_english_and_compatibility(broken: Path) -> None:
    descriptor = read_json(broken / "extension.json")
    descriptor["description"] = {"fr": "Financement"}
    descriptor["compatibility"] = "1.0"
    descriptor["version"] = "one"
    write_json(broken / "extension.json", descriptor)
    assert _issues(broken) == [
        ("extension-descriptor", "extension.json", "/description"),
        ("extension-descriptor", "extension.json", "/version"),
        ("extension-descriptor", "extension.json", "/compatibility"),
    ]


def test_listed_file_that_is_missing(broken: Path) -> None:
    (broken / "partnership-schema.json").unlink()
    report = check_extension(broken)
    assert [i.rule for i in report.issues] == ["extension-unreadable"]
    assert report.issues[0].file == str(broken / "partnership-schema.json")


def test_an_extension_without_a_codelists_key_is_read(broken: Path) -> None:
    """'codelists' may be left out when the extension only patches schemas."""
    shutil.rmtree(broken / "codelists")
    descriptor = read_json(broken / "extension.json")
    del descriptor["codelists"]
    write_json(broken / "extension.json", descriptor)
    report = check_extension(broken)  # was a KeyError
    # the patch still names the currency codelist the extension no longer brings
    assert {i.rule for i in report.issues} == {"extension-patch"}
    assert all("currency.csv" in i.message for i in report.issues)


def test_file_present_but_not_listed(broken: Path) -> None:
    write_json(broken / "event-schema.json", {"properties": {}})
    assert _issues(broken) == [("extension-descriptor", "extension.json", "/schemas")]


def test_patch_that_breaks_the_meta_schema(broken: Path) -> None:
    patch = read_json(broken / "partnership-schema.json")
    currency = patch["$defs"]["FundingCommitment"]["properties"]["currency"]
    del currency["openCodelist"]  # codelist without openCodelist: the meta-schema forbids it
    patch["$defs"]["FundingCommitment"]["properties"]["amount"]["type"] = "money"
    write_json(broken / "partnership-schema.json", patch)
    report = check_extension(broken)
    assert {i.rule for i in report.issues} == {"extension-patch"}
    pointers = sorted(i.pointer or "" for i in report.issues)
    assert pointers == [
        "/$defs/FundingCommitment/properties/amount/type",
        "/$defs/FundingCommitment/properties/currency",
    ]
    assert all(i.file and i.file.endswith("partnership-schema.json") for i in report.issues)


def test_added_field_without_title_or_description_is_a_warning(broken: Path) -> None:
    patch = read_json(broken / "partnership-schema.json")
    del patch["$defs"]["FundingCommitment"]["properties"]["purpose"]["description"]
    patch["$defs"]["Member"]["properties"]["funding"]["title"] = ""
    write_json(broken / "partnership-schema.json", patch)
    report = check_extension(broken)
    assert report.valid  # warnings only
    assert [(i.rule, i.severity.value, i.pointer) for i in report.issues] == [
        ("extension-field-undocumented", "warning", "/$defs/FundingCommitment/properties/purpose"),
        ("extension-field-undocumented", "warning", "/$defs/Member/properties/funding"),
    ]


def test_patch_of_a_schema_that_does_not_exist(broken: Path) -> None:
    descriptor = read_json(broken / "extension.json")
    descriptor["schemas"] = ["grant-schema.json"]
    write_json(broken / "extension.json", descriptor)
    (broken / "partnership-schema.json").rename(broken / "grant-schema.json")
    report = check_extension(broken)
    assert [i.rule for i in report.issues] == ["extension-patch"]
    assert "patches no schema" in report.issues[0].message


def test_patch_naming_a_codelist_nobody_provides(broken: Path) -> None:
    descriptor = read_json(broken / "extension.json")
    descriptor["codelists"] = ["+memberRole.csv"]
    write_json(broken / "extension.json", descriptor)
    (broken / "codelists" / "currency.csv").unlink()
    report = check_extension(broken)
    assert [i.rule for i in report.issues] == ["extension-patch"]
    assert "currency.csv" in report.issues[0].message


def test_patch_with_a_ref_that_does_not_resolve(broken: Path) -> None:
    patch = read_json(broken / "partnership-schema.json")
    patch["$defs"]["Member"]["properties"]["funding"]["items"] = {"$ref": "#/$defs/Nowhere"}
    write_json(broken / "partnership-schema.json", patch)
    report = check_extension(broken)
    assert [i.rule for i in report.issues] == ["extension-patch"]
    assert "#/$defs/Nowhere" in report.issues[0].message


def test_codelist_changes_must_make_sense(broken: Path) -> None:
    codelists = broken / "codelists"
    (codelists / "+memberRole.csv").write_text(
        "code,title,title_fr,description,deprecated\nparty,Party,Partie,Twice.,\n",
        encoding="utf-8",
    )
    (codelists / "-eventType.csv").write_text("code,title\nparade,Parade\n", encoding="utf-8")
    (codelists / "+nothing.csv").write_text("code,title\nx,X\n", encoding="utf-8")
    descriptor = read_json(broken / "extension.json")
    descriptor["codelists"] += ["-eventType.csv", "+nothing.csv"]
    write_json(broken / "extension.json", descriptor)
    report = check_extension(broken)
    messages = sorted(i.message for i in report.issues)
    assert [i.rule for i in report.issues] == ["extension-codelist"] * 3
    assert "adds codes memberRole.csv already has: 'party'" in messages[0]
    assert "+nothing.csv changes the codelist nothing.csv, which does not exist" in messages[1]
    assert "removes codes eventType.csv does not have: 'parade'" in messages[2]


def test_codelist_without_code_column(broken: Path) -> None:
    (broken / "codelists" / "currency.csv").write_text("Code,Title\nCAD,x\n", encoding="utf-8")
    report = check_extension(broken)
    assert [i.rule for i in report.issues] == ["extension-codelist"]
    assert "no column code or title" in report.issues[0].message


def test_removing_a_code_from_a_closed_codelist_updates_the_enum(broken: Path) -> None:
    (broken / "codelists" / "-partnershipType.csv").write_text(
        "code,title\ncoalition,Coalition\n", encoding="utf-8"
    )
    descriptor = read_json(broken / "extension.json")
    descriptor["codelists"].append("-partnershipType.csv")
    write_json(broken / "extension.json", descriptor)
    extended = apply_extensions(load_schema_set("1.0"), broken.parent, ["ext"])
    assert extended.record_schema("partnership")["properties"]["type"]["enum"] == [
        "bilateral",
        "multilateral",
        "network",
    ]
    assert "coalition" not in extended.codelists["partnershipType.csv"]


def test_incompatible_version(broken: Path) -> None:
    descriptor = read_json(broken / "extension.json")
    descriptor["compatibility"] = ["9.9"]
    write_json(broken / "extension.json", descriptor)
    with pytest.raises(ExtensionError) as caught:
        apply_extensions(load_schema_set("1.0"), broken.parent, ["ext"])
    assert [i.rule for i in caught.value.issues] == ["extension-incompatible"]
    assert "works with hsdata 9.9, not 1.0" in str(caught.value)


# -- how a package names its extensions ---------------------------------------------------------


def test_local_path_and_descriptor_path_are_both_accepted(broken: Path) -> None:
    base = load_schema_set("1.0")
    for entry in ("ext", "ext/", "ext/extension.json"):
        assert "currency.csv" in apply_extensions(base, broken.parent, [entry]).codelists


@pytest.mark.parametrize("entry", ["../ext", "/etc", "missing", "ext/../../ext"])
def test_paths_outside_the_package_or_unknown_are_refused(broken: Path, entry: str) -> None:
    with pytest.raises(ExtensionError) as caught:
        apply_extensions(load_schema_set("1.0"), broken.parent, [entry])
    (issue,) = caught.value.issues
    assert issue.rule == "extension-not-found"
    assert issue.pointer == "/hsdata:extensions/0"
    assert issue.file == str(broken.parent / "datapackage.json")


def test_symbolic_links_out_of_the_package_are_refused(broken: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(broken, outside)
    package = broken.parent
    (package / "linked").symlink_to(outside, target_is_directory=True)
    (broken / "codelists" / "currency.csv").unlink()
    (broken / "codelists" / "currency.csv").symlink_to(outside / "codelists" / "currency.csv")
    for entry in ("linked", "ext"):
        with pytest.raises(ExtensionError) as caught:
            apply_extensions(load_schema_set("1.0"), package, [entry])
        (issue,) = caught.value.issues
        assert issue.rule == "extension-not-found"
        assert "outside the package" in issue.message


def test_declaring_something_other_than_a_list_is_an_error() -> None:
    with pytest.raises(ExtensionError) as caught:
        apply_extensions(load_schema_set("1.0"), None, "funding")  # type: ignore[arg-type]
    assert caught.value.issues[0].pointer == "/hsdata:extensions"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served_extension(
    broken: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The extension folder served over HTTP on the loopback interface, which is allowed
    (hsdata refuses loopback addresses unless told otherwise); fetches are cached aside."""
    monkeypatch.setenv("HSDATA_ALLOW_HOSTS", "127.0.0.1")
    monkeypatch.setenv("HSDATA_CACHE_DIR", str(tmp_path / "cache"))
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(broken.parent))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/ext/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_url_is_refused_unless_the_network_is_allowed(served_extension: str) -> None:
    base = load_schema_set("1.0")
    with pytest.raises(ExtensionError) as caught:
        apply_extensions(base, None, [served_extension])
    assert [i.rule for i in caught.value.issues] == ["extension-network-refused"]
    extended = apply_extensions(base, None, [served_extension], allow_network=True)
    assert "currency.csv" in extended.codelists
    assert "donor" in extended.codelists["memberRole.csv"]


def test_url_that_cannot_be_fetched_is_an_issue(served_extension: str) -> None:
    with pytest.raises(ExtensionError) as caught:
        apply_extensions(
            load_schema_set("1.0"), None, [served_extension + "nothing/"], allow_network=True
        )
    assert [i.rule for i in caught.value.issues] == ["extension-unreadable"]
    assert "404" in caught.value.issues[0].message
