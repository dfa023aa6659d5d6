"""The French edition is French: no page of it may be mostly English.

Every page's translatable texts come from the gettext build of the current
sources (so a new page, or a changed paragraph, is seen at once); a text
counts as English when the French catalogue has no translation for it, or a
"translation" identical to the English. Texts with no words of prose (code,
identifiers, URLs, numbers) are left out of the count.
"""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from .conftest import DOCS, Build

pytestmark = pytest.mark.slow

LOCALE = DOCS / "locales" / "fr" / "LC_MESSAGES"

#: The most a page may leave in English, as a share of its texts of prose.
MOST_ENGLISH = 0.20

#: Pages that stay in English on purpose, and why.
ENGLISH_ONLY = {
    # The changelog is the project's record of what changed, written once in English at
    # each release (CHANGELOG.md, included as it is); the French page says so.
    "changelog": "the release history is kept in English only",
}

UPDATE = (
    "python -m sphinx -b gettext docs docs/_build/gettext && "
    "sphinx-intl update -p docs/_build/gettext -d docs/locales -l fr"
)

_NOT_PROSE = re.compile(
    r"``.*?``"  # inline code
    r"|:[a-z:]+:`[^`]*`"  # roles: :ref:`...`, :func:`...`
    r"|`[^`]*<[^>]*>`_"  # links with a target
    r"|https?://\S+"  # bare URLs
    r"|\$?[A-Za-z_][\w.]*[_.(][\w.()]*"  # identifiers such as hsdata.load or heldOn_x
    r"|[\d.,:;/%×x\-+]+"  # numbers and units
)


def has_prose(text: str) -> bool:
    """True when a text holds words to translate, once code, identifiers, URLs and
    numbers are taken out: at least two words of letters.

    >>> has_prose("``0``"), has_prose("1,000,000"), has_prose("2.49"), has_prose("Fields added")
    (False, False, False, True)
    """
    rest = _NOT_PROSE.sub(" ", text)
    return len(re.findall(r"[^\W\d_]{2,}", rest)) >= 2


def english_share(template_ids: list[str], translations: dict[str, str]) -> tuple[float, list[str]]:
    """The share of a page's texts of prose left in English, and those texts."""
    prose = [text for text in template_ids if has_prose(text)]
    english = [text for text in prose if translations.get(text, text) == text]
    return (len(english) / len(prose) if prose else 0.0), english


def _translations(page: str) -> dict[str, str]:
    path = LOCALE / f"{page}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    return {m.id: m.string for m in catalogue if m.id and m.string and not m.fuzzy}


def test_the_share_counts_only_prose() -> None:
    share, english = english_share(
        ["Fields added", "``0``", "Options of a command", "1,000,000"],
        {"Fields added": "Champs ajoutés", "Options of a command": "Options of a command"},
    )
    assert share == 0.5
    assert english == ["Options of a command"]


def test_no_page_of_the_french_edition_is_mostly_english(gettext_build: Build) -> None:
    pages = sorted(path.stem for path in gettext_build.outdir.glob("*.pot"))
    assert {"guide", "schema", "rules", "security"} <= set(pages)
    mostly_english = []
    for page in pages:
        if page in ENGLISH_ONLY:
            continue
        with (gettext_build.outdir / f"{page}.pot").open("rb") as handle:
            template = [m.id for m in read_po(handle) if m.id]
        share, english = english_share(template, _translations(page))
        if share > MOST_ENGLISH:
            mostly_english.append(
                f"{page}: {share:.0%} of its texts are English (first: {english[0][:80]!r}); "
                f"run {UPDATE}, then translate docs/locales/fr/LC_MESSAGES/{page}.po"
            )
    assert mostly_english == [], "\n".join(mostly_english)


def test_the_pages_kept_in_english_are_pages() -> None:
    sources = {path.stem for path in DOCS.iterdir() if path.suffix in (".rst", ".md")}
    assert set(ENGLISH_ONLY) <= sources
