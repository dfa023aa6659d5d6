"""Every https://w3id.org/hsdata/ address reaches a file of the built site, through w3id/.htaccess.

The schemas' ``$id``s, the validator's rule links, the JSON-LD contexts, the
codelists (CSV and JSON) and the file-level schemas are all published under
``https://w3id.org/hsdata/``. w3id.org redirects them with the rules kept in
``w3id/.htaccess``; the documentation build publishes the files at the paths
the rules lead to. These tests follow each address as w3id.org would and look
for the file in the English HTML build.
"""

from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import hsdata

from .conftest import DOCS, REPO_ROOT, Build, html_ids

sys.path.insert(0, str(DOCS / "_ext"))
from hsdocs.project import project_facts
from hsdocs.publish import codelist_json, site_files

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

W3ID = "https://w3id.org/hsdata/"
HTACCESS = REPO_ROOT / "w3id" / ".htaccess"


@dataclass(frozen=True)
class Redirect:
    pattern: re.Pattern[str]
    target: str


def redirects(text: str) -> list[Redirect]:
    """The RewriteRules of an .htaccess, in order (every rule here ends the rewriting: L)."""
    found = []
    for line in text.splitlines():
        words = line.split()
        if words[:1] == ["RewriteRule"]:
            assert len(words) == 4 and "L" in words[3].strip("[]").split(","), line
            found.append(Redirect(re.compile(words[1]), words[2]))
    return found


REDIRECTS = redirects(HTACCESS.read_text(encoding="utf-8"))
SITE = project_facts().site


def followed(address: str, rules: list[Redirect] = REDIRECTS) -> tuple[str, str]:
    """(path in the site, fragment) that an address under w3id.org/hsdata/ redirects to."""
    assert address.startswith(W3ID), address
    address, _, fragment = address.partition("#")
    path = address.removeprefix(W3ID).partition("?")[0]
    for rule in rules:
        match = rule.pattern.match(path)
        if match:
            target = rule.pattern.sub(rule.target.replace("$", "\\"), path, count=1)
            assert target.startswith(SITE), f"{address} redirects away from the site: {target}"
            relative = target.removeprefix(SITE)
            if relative == "" or relative.endswith("/"):
                relative += "index.html"
            return relative, fragment
    raise AssertionError(f"no redirect rule in w3id/.htaccess matches {address}")


def addresses() -> dict[str, str]:
    """Every published address -> where it was found."""
    found: dict[str, str] = {}
    pattern = re.compile(r"https://w3id\.org/hsdata/[^\"'\s<>`)\\]*")
    for path in sorted((REPO_ROOT / "schema").rglob("*")):
        if path.suffix not in {".json", ".jsonld"}:
            continue
        text = path.read_text(encoding="utf-8")
        for address in pattern.findall(text):
            # Publishers' record namespaces (.../data/...) are examples, not published files.
            if "/data/" not in address:
                found.setdefault(address.rstrip(".,:;"), str(path.relative_to(REPO_ROOT)))
        if path.suffix == ".json":
            schema_id = json.loads(text).get("$id")
            if isinstance(schema_id, str):
                found[schema_id] = str(path.relative_to(REPO_ROOT))
    for version in hsdata.available_versions():
        found[f"{W3ID}schema/{version}/"] = "the versions page"
        found[f"{W3ID}schema/{version}/context.jsonld"] = "the JSON-LD context"
        for csv_path in (REPO_ROOT / "schema" / version / "codelists").glob("*.csv"):
            for suffix in (".csv", ".json"):
                name = csv_path.with_suffix(suffix).name
                found[f"{W3ID}schema/{version}/codelists/{name}"] = "a codelist"
    for rule in hsdata.RULES.values():
        found[rule.docs_url] = f"rule {rule.id}"
    for name, url in project_facts_urls().items():
        if url.startswith(W3ID):
            found[url] = f"pyproject.toml [project.urls] {name}"
    return found


def project_facts_urls() -> dict[str, str]:
    text = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    urls: dict[str, str] = tomllib.loads(text)["project"]["urls"]
    return urls


def test_the_redirects_lead_to_the_site_of_the_projects_home() -> None:
    assert REDIRECTS, "w3id/.htaccess has no RewriteRule"
    assert SITE == "https://hsdata-standard.github.io/hsdata/"
    for rule in REDIRECTS:
        assert rule.target.startswith(SITE), rule.target
    assert "RewriteEngine on" in HTACCESS.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (f"{W3ID}schema/1.1/event.json", ("schema/1.1/event.json", "")),
        (f"{W3ID}schema/1.1/codelists/eventType.csv", ("schema/1.1/codelists/eventType.csv", "")),
        (f"{W3ID}docs/rules.html#json-syntax", ("rules.html", "json-syntax")),
        (f"{W3ID}docs/fr/rules.html", ("fr/rules.html", "")),
        (f"{W3ID}docs/", ("index.html", "")),
        (W3ID, ("index.html", "")),
        (f"{W3ID}ns#Event", ("schema.html", "Event")),
        (f"{W3ID}vocab/1.2/keywords", ("schema/1.2/meta-schema.json", "")),
    ],
)
def test_addresses_follow_the_rules(address: str, expected: tuple[str, str]) -> None:
    assert followed(address) == expected


def test_an_address_no_rule_matches_is_reported() -> None:
    with pytest.raises(AssertionError, match="no redirect rule"):
        followed(f"{W3ID}somewhere/else.json")


def test_the_published_files_are_the_schema_folders_and_codelists_as_json() -> None:
    files = site_files()
    for version in hsdata.available_versions():
        folder = REPO_ROOT / "schema" / version
        for path in folder.rglob("*"):
            if path.is_file():
                relative = path.relative_to(folder).as_posix()
                assert files[f"schema/{version}/{relative}"] == path.read_bytes(), relative
        assert f"schema/{version}/index.html" in files
        assert f"schema/{version}/files/events.json" in files
    csv_text = "code,title,title_fr\nsigning,Signing,Signature\n"
    assert json.loads(codelist_json(csv_text)) == [
        {"code": "signing", "title": "Signing", "title_fr": "Signature"}
    ]
    codelist = json.loads(files["schema/1.1/codelists/eventType.json"])
    assert "signing" in {row["code"] for row in codelist}


@pytest.mark.slow
def test_every_address_reaches_a_file_of_the_built_site(html_en: Build) -> None:
    found = addresses()
    assert len(found) > 100
    missing = []
    for address, where in sorted(found.items()):
        relative, fragment = followed(address)
        target = html_en.outdir / relative
        if not target.is_file():
            missing.append(f"{address} ({where}) -> {relative}: no such file in the site")
        elif (
            fragment
            and address.startswith(f"{W3ID}docs/")
            and fragment not in html_ids(target.read_text(encoding="utf-8"))
        ):
            missing.append(f"{address} ({where}) -> {relative}: no element #{fragment}")
    assert not missing, "\n".join(missing)


@pytest.mark.slow
def test_every_w3id_link_on_the_site_reaches_a_file(html_en: Build, html_fr: Build) -> None:
    links: set[str] = set()
    for page in html_en.outdir.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        links |= set(re.findall(r'href="(https://w3id\.org/hsdata/[^"]*)"', text))
    assert links
    for link in sorted(links):
        relative, _ = followed(link)
        # The French edition (the hreflang alternates lead there) is published under fr/.
        french = relative.startswith("fr/")
        built = html_fr.outdir / relative[3:] if french else html_en.outdir / relative
        assert built.is_file(), f"{link} -> {relative}"


@pytest.mark.slow
def test_the_vs_code_settings_on_the_editors_page_name_published_file_schemas(
    html_en: Build,
) -> None:
    page = html_en.page("editors.html")
    block = re.search(r'<div class="highlight-json.*?<pre>(.*?)</pre>', page, re.S)
    assert block is not None, "no JSON code block on the editors page"
    text = re.sub(r"<[^>]+>", "", block.group(1))
    settings = json.loads(html.unescape(text))
    entries = settings["json.schemas"]
    version = hsdata.STANDARD_VERSION
    names = {Path(entry["url"]).name for entry in entries}
    published = {p.name for p in (REPO_ROOT / "schema" / version / "files").glob("*.json")}
    assert {"datapackage.json", "events.json", "actors.json"} <= names <= published
    for entry in entries:
        assert entry["url"].startswith(f"{W3ID}schema/{version}/files/"), entry
        relative, _ = followed(entry["url"])
        assert (html_en.outdir / relative).is_file(), entry["url"]
        assert entry["fileMatch"] and all(isinstance(m, str) for m in entry["fileMatch"])
