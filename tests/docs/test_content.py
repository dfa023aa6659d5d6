"""The built reference covers the whole standard, read independently from its sources."""

from __future__ import annotations

import csv
import html
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest

import hsdata

from .conftest import REPO_ROOT, Build, element_text, html_ids, normalised, visible_text

pytestmark = pytest.mark.slow

SCHEMA_DIR = REPO_ROOT / "schema" / hsdata.STANDARD_VERSION
DATA_DIR = REPO_ROOT / "data"


def _schemas() -> dict[str, dict[str, Any]]:
    """Schema file stem -> schema, for every JSON Schema except the meta-schema."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(SCHEMA_DIR.glob("*.json"))
        if path.stem != "meta-schema"
    }


def _owner(stem: str) -> str:
    head, *rest = stem.split("-")
    return head + "".join(part.capitalize() for part in rest)


def expected_fields() -> list[tuple[str, str, dict[str, Any]]]:
    """(anchor, field name, subschema) of every property of every schema and definition."""
    found = []
    for stem, schema in _schemas().items():
        owner = _owner(stem)
        if stem != "common":
            for name, sub in schema.get("properties", {}).items():
                found.append((f"{owner}.{name}", name, sub))
        for def_name, definition in schema.get("$defs", {}).items():
            for name, sub in definition.get("properties", {}).items():
                found.append((f"{owner}.{def_name}.{name}", name, sub))
    return found


def test_the_standard_has_fields_to_check() -> None:
    assert len(expected_fields()) > 80


def test_every_schema_field_is_in_the_reference(html_en: Build) -> None:
    page = html_en.page("schema.html")
    ids = html_ids(page)
    missing = [anchor for anchor, _name, _sub in expected_fields() if anchor not in ids]
    assert missing == [], f"fields missing from schema.html: {missing}"
    for anchor, name, sub in expected_fields():
        row = element_text(page, anchor)
        assert row.startswith(name), (anchor, row[:80])
        assert normalised(sub["title"]) in row, (anchor, sub["title"])
        assert normalised(sub["description"]) in row, (anchor, sub["description"])


def test_required_and_codelist_fields_are_marked(html_en: Build) -> None:
    page = html_en.page("schema.html")
    for stem, schema in _schemas().items():
        if stem == "common":
            continue
        owner = _owner(stem)
        for name in schema.get("required", []):
            assert "required" in element_text(page, f"{owner}.{name}"), (owner, name)
        for name, sub in schema.get("properties", {}).items():
            codelist = sub.get("codelist") or sub.get("items", {}).get("codelist")
            if codelist:
                row = element_text(page, f"{owner}.{name}")
                assert codelist.removesuffix(".csv") in row, (owner, name)
                assert ("open codelist" if sub.get("openCodelist") else "closed codelist") in row


def test_record_types_and_definitions_have_sections(html_en: Build) -> None:
    ids = html_ids(html_en.page("schema.html"))
    for stem, schema in _schemas().items():
        owner = _owner(stem)
        if stem != "common":
            assert f"schema-{owner}" in ids
        for def_name in schema.get("$defs", {}):
            assert f"{owner}.{def_name}" in ids


def test_examples_in_the_reference_come_from_the_data(html_en: Build) -> None:
    row = element_text(html_en.page("schema.html"), "event.type")
    assert 'Example: "signing"' in row
    row = element_text(html_en.page("schema.html"), "partnership.reportedMemberCount")
    # An object-valued field: short enough to show whole, taken from the Human Security Network.
    assert '"minimum": 13' in row


def _codelists() -> dict[str, list[dict[str, str]]]:
    found = {}
    for path in sorted((SCHEMA_DIR / "codelists").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            found[path.stem] = list(csv.DictReader(handle))
    return found


def test_every_codelist_code_is_in_the_reference(html_en: Build) -> None:
    page = html_en.page("codelists.html")
    ids = html_ids(page)
    codelists = _codelists()
    assert sum(len(rows) for rows in codelists.values()) > 300
    for stem, rows in codelists.items():
        assert f"codelist-{stem}" in ids, stem
        for row in rows:
            anchor = f"{stem}-{row['code']}"
            assert anchor in ids, anchor
            text = element_text(page, anchor)
            assert text.startswith(row["code"]), (anchor, text[:60])
            assert normalised(row["title"]) in text, (anchor, row["title"])
            assert normalised(row["title_fr"]) in text, (anchor, row["title_fr"])


def test_every_rule_has_its_entry_where_messages_link(html_en: Build) -> None:
    assert len(hsdata.RULES) > 0, "the validator registered no rules"
    page = html_en.page("rules.html")
    ids = html_ids(page)
    for rule_id, rule in hsdata.RULES.items():
        assert rule.docs_url.endswith(f"/rules.html#{rule_id}")
        assert rule_id in ids, f"rules.html has no anchor #{rule_id}"
        entry = element_text(page, rule_id)
        assert normalised(rule.title) in entry, rule_id
        assert str(rule.severity) in entry, rule_id


def test_every_command_is_in_the_cli_reference(html_en: Build) -> None:
    import click

    from hsdata.cli import all_commands, main

    page = html_en.page("cli.html")
    ids = html_ids(page)
    assert isinstance(main, click.Group)
    assert all_commands(), "the hsdata command has no sub-commands"
    for name, command in all_commands().items():
        if command.hidden:
            continue
        assert f"cli-{name}" in ids, name
        section = element_text(page, f"cli-{name}")
        assert f"hsdata {name}" in section
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.opts[0] in section, (name, param.opts[0])


def test_every_public_name_is_in_the_api_reference(html_en: Build) -> None:
    ids = html_ids(html_en.page("api.html"))
    missing = [
        name for name in hsdata.__all__ if not name.startswith("__") and f"hsdata.{name}" not in ids
    ]
    assert missing == [], f"public names missing from api.html: {missing}"


@pytest.mark.parametrize(
    ("record_type", "file_name", "record_id"),
    [
        ("partnership", "partnerships.json", "lysoen-partnership"),
        ("event", "events.json", "human-security-luncheon-new-york-1998"),
        ("event", "events.json", "landmines-treaty-signing-ottawa-1997"),
    ],
)
def test_worked_examples_are_the_published_records(
    html_en: Build, record_type: str, file_name: str, record_id: str
) -> None:
    page = html_en.page("examples.html")
    start = page.find(f'id="record-{record_type}-{record_id}"')
    assert start >= 0, record_id
    block = re.search(r"<pre>(.*?)</pre>", page[start:], flags=re.DOTALL)
    assert block is not None
    shown = json.loads(html.unescape(re.sub(r"<[^>]+>", "", block.group(1))))
    records = json.loads((DATA_DIR / file_name).read_text(encoding="utf-8"))
    assert shown == next(r for r in records if r["id"] == record_id)


def test_model_diagram_shows_every_reference(html_en: Build) -> None:
    page = html_en.page("model.html")
    diagram = page[page.index('class="hsdocs-svg hsdocs-model"') :]
    diagram = diagram[: diagram.index("</svg>")]
    schemas = hsdata.load_schema_set()
    for record_type in schemas.record_types:
        assert f"schema.html#schema-{record_type}" in diagram, record_type
    for ref in schemas.reference_fields:
        if "citations" in ref.path:
            continue  # said once, in the source box
        shown = ".".join(ref.path).replace(".*", "[]")
        assert f">{shown}</text>" in diagram, shown


def test_timeline_keeps_partial_dates_and_lists_undated_events(html_en: Build) -> None:
    page = html_en.page("figures.html")
    assert page.count('role="img"') >= 2
    events = json.loads((DATA_DIR / "events.json").read_text(encoding="utf-8"))
    text = visible_text(page)
    for event in events:
        start = (event.get("date") or {}).get("start")
        if start is None:
            undated = text[text.index("Events the sources give no date for") :]
            assert normalised(event["name"]["en"]) in undated, event["id"]
        else:
            assert normalised(event["name"]["en"]) in text, event["id"]
    # '1998-12' is shown as published: a month, never padded to a day.
    assert "1998-12" in text
    assert "1998-12-01" not in text


def test_changelog_is_included(html_en: Build) -> None:
    changelog = (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## \[([^\]]+)\]", changelog, flags=re.MULTILINE)
    page = visible_text(html_en.page("changelog.html"))
    assert versions
    for version in versions:
        assert version in page


def test_no_page_links_to_the_network(html_en: Build) -> None:
    # The site is built offline and must not pull scripts, fonts or styles from elsewhere.
    for path in Path(html_en.outdir).glob("*.html"):
        page = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link)[^>]+>", page):
            if 'rel="canonical"' in tag or 'rel="alternate"' in tag:
                continue  # published addresses (its own, other languages'), nothing to load
            assert "http://" not in tag and "https://" not in tag, (path.name, tag)


def test_pages_name_their_published_address(html_en: Build, html_fr: Build) -> None:
    rules_url = next(iter(hsdata.RULES.values())).docs_url.split("#")[0]
    assert f'<link rel="canonical" href="{rules_url}"' in html_en.page("rules.html")
    french = rules_url.replace("/docs/", "/docs/fr/")
    assert f'<link rel="canonical" href="{french}"' in html_fr.page("rules.html")


def test_deprecated_fields_are_marked(html_newest: Build) -> None:
    newest = hsdata.available_versions()[-1]
    page = html_newest.page("schema.html")
    assert f"https://w3id.org/hsdata/schema/{newest}/event.json" in page
    marked = 0
    for path in sorted((REPO_ROOT / "schema" / newest).glob("*.json")):
        if path.stem == "meta-schema":
            continue
        schema = json.loads(path.read_text(encoding="utf-8"))
        owner = _owner(path.stem)
        objects = [(None, schema)] if path.stem != "common" else []
        objects += list(schema.get("$defs", {}).items())
        for def_name, definition in objects:
            for name, sub in definition.get("properties", {}).items():
                anchor = f"{owner}.{def_name}.{name}" if def_name else f"{owner}.{name}"
                row = element_text(page, anchor)
                assert ("deprecated" in row.split(name, 1)[1][:40]) == bool(
                    sub.get("deprecated")
                ), anchor
                marked += bool(sub.get("deprecated"))
    # Version 1.1 deprecates a field (posts' heldOn); a newest version with none
    # would leave this test checking only the absence of marks.
    assert marked >= 1 or newest == "1.0"


def test_versioning_page_lists_versions_and_their_changes(html_en: Build) -> None:
    text = visible_text(html_en.page("versioning.html"))
    versions = hsdata.available_versions()
    for version in versions:
        assert version in text
    for older, newer in itertools.pairwise(versions):
        assert f"{older} → {newer}" in text
        old = hsdata.load_schema_set(older)
        new = hsdata.load_schema_set(newer)
        for name in sorted(set(new.codelists) & set(old.codelists)):
            for code in set(new.codelists[name].codes) - set(old.codelists[name].codes):
                assert f"{name.removesuffix('.csv')}: {code}" in text
