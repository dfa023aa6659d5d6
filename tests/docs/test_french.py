"""The French edition: schema texts and codelist titles in French, and no drift."""

from __future__ import annotations

import csv
import json

import pytest
from babel.messages.pofile import read_po

import hsdata

from .conftest import DOCS, REPO_ROOT, Build, element_text, normalised, visible_text

pytestmark = pytest.mark.slow

LOCALE = DOCS / "locales" / "fr" / "LC_MESSAGES"
SCHEMA_DIR = REPO_ROOT / "schema" / hsdata.STANDARD_VERSION
#: Pages published in full in French: the standard's reference pages, and the
#: introduction a government reads first. Every text on them must be translated.
STANDARD_PAGES = ("schema", "codelists", "index", "purpose", "model", "figures")


def _translations(page: str) -> dict[str, str]:
    with (LOCALE / f"{page}.po").open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    return {m.id: m.string for m in catalogue if m.id and m.string and not m.fuzzy}


@pytest.mark.parametrize("page", STANDARD_PAGES)
def test_every_text_of_the_standard_has_a_french_translation(
    gettext_build: Build, page: str
) -> None:
    with (gettext_build.outdir / f"{page}.pot").open("rb") as handle:
        template = read_po(handle)
    translated = _translations(page)
    missing = [m.id for m in template if m.id and m.id not in translated]
    assert missing == [], (
        f"{len(missing)} texts of {page} have no French translation (first: {missing[:3]}). "
        "Run: python -m sphinx -b gettext docs docs/_build/gettext && "
        "sphinx-intl update -p docs/_build/gettext -d docs/locales -l fr, "
        f"then translate the new entries in docs/locales/fr/LC_MESSAGES/{page}.po"
    )


def test_french_schema_reference_shows_translated_descriptions(html_fr: Build) -> None:
    page = html_fr.page("schema.html")
    translated = _translations("schema")
    checked = 0
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        if path.stem in ("meta-schema", "common"):
            continue
        schema = json.loads(path.read_text(encoding="utf-8"))
        owner = path.stem.split("-")[0] + "".join(p.capitalize() for p in path.stem.split("-")[1:])
        for name, sub in schema["properties"].items():
            row = element_text(page, f"{owner}.{name}")
            for text in (sub["title"], sub["description"]):
                french = translated[text]
                assert normalised(french) in row, (owner, name, french)
                checked += 1
    assert checked > 100
    # Spot check, in the words a Canadian reader expects.
    assert "Identificateur" in visible_text(page)
    assert "Domaines d'action" in visible_text(page)


def test_french_codelists_show_french_titles(html_fr: Build) -> None:
    page = html_fr.page("codelists.html")
    with (SCHEMA_DIR / "codelists" / "eventType.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        shown = element_text(page, f"eventType-{row['code']}")
        assert normalised(row["title_fr"]) in shown
        # From 1.2 the codelist's own French description, not a translation of the page.
        assert normalised(row["description_fr"]) in shown
        assert normalised(row["description"]) not in shown
    text = visible_text(page)
    assert "Listes de codes" in text
    assert "liste ouverte" in text and "liste fermée" in text
    assert "Une cérémonie au cours de laquelle un instrument" in text


def test_english_edition_is_untouched_by_the_translations(html_en: Build) -> None:
    text = visible_text(html_en.page("schema.html"))
    assert "Identificateur" not in text
    assert "The actor's identifier, unique among actors." in text


def _labels_in_extension() -> set[str]:
    """Every literal UI label the hsdocs extension writes through label(...)."""
    import ast

    found: set[str] = set()
    for path in sorted((DOCS / "_ext" / "hsdocs").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "label"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def test_every_label_of_the_extension_has_a_french_translation() -> None:
    import sys

    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        from hsdocs.rules import CATEGORY_TITLES
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    labels = _labels_in_extension()
    assert {"Example:", "open codelist", "required"} <= labels
    # Labels chosen at run time: rule severities and category titles.
    labels |= {str(severity) for severity in hsdata.Severity}
    labels |= set(CATEGORY_TITLES.values())
    translated = _translations("hsdocs")
    missing = sorted(labels - set(translated))
    assert missing == [], f"add French for these labels to {LOCALE / 'hsdocs.po'}: {missing}"
