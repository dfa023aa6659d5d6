"""Every page of the site links to the same page in the other language (issue 15).

The English edition is the site's root and the French edition lives under
``<site>/fr/``. Each page carries a visible link to its counterpart, named in the
counterpart's language (``lang`` and ``hreflang`` set), and ``<link
rel="alternate" hreflang>`` entries in its head for English, French and
``x-default``, pointing at the published addresses that the two editions give
as their canonical addresses. The templates are in ``docs/_templates``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import Build

#: Where each edition lives in the site, and its name written in its own language.
EDITIONS = {"en": "", "fr": "fr/"}
NAMES = {"en": "English", "fr": "Français"}

#: Pages checked one by one: the home, the guide, the schema reference, the rule
#: catalogue, and two pages Furo draws with their own templates.
PAGES = ["index.html", "guide.html", "schema.html", "rules.html", "search.html", "genindex.html"]


@dataclass(frozen=True)
class SwitcherLink:
    href: str
    hreflang: str | None
    lang: str | None
    text: str


@dataclass
class PageLanguages:
    """What a page says about its language and its counterparts."""

    lang: str | None = None
    canonical: str | None = None
    alternates: dict[str, str] = field(default_factory=dict)
    switcher: list[SwitcherLink] = field(default_factory=list)


class _LanguageReader(HTMLParser):
    """Reads <html lang>, the canonical and alternate links, and the switcher's links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = PageLanguages()
        self._nav_depth = 0  # > 0 inside <nav class="hsdocs-languages">
        self._link: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.found.lang = attributes.get("lang")
        elif tag == "link" and attributes.get("rel") == "canonical":
            self.found.canonical = attributes.get("href")
        elif tag == "link" and attributes.get("rel") == "alternate":
            hreflang, href = attributes.get("hreflang"), attributes.get("href")
            if hreflang and href:
                self.found.alternates[hreflang] = href
        elif tag == "nav" and "hsdocs-languages" in (attributes.get("class") or "").split():
            self._nav_depth = 1
        elif tag == "nav" and self._nav_depth:
            self._nav_depth += 1
        elif tag == "a" and self._nav_depth and attributes.get("href"):
            self._link, self._text = attributes, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1
        elif tag == "a" and self._link is not None:
            self.found.switcher.append(
                SwitcherLink(
                    href=self._link["href"] or "",
                    hreflang=self._link.get("hreflang"),
                    lang=self._link.get("lang"),
                    text=" ".join("".join(self._text).split()),
                )
            )
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._text.append(data)


def read_languages(page: str) -> PageLanguages:
    reader = _LanguageReader()
    reader.feed(page)
    reader.close()
    return reader.found


def edition_of(site_path: str) -> str:
    """The language of a page from its path in the site ('fr/rules.html' -> 'fr')."""
    for code, folder in EDITIONS.items():
        if folder and site_path.startswith(folder):
            return code
    return "en"


def counterpart(site_path: str, language: str) -> str:
    """The same page's path in another edition."""
    inside = site_path.removeprefix(EDITIONS[edition_of(site_path)])
    return EDITIONS[language] + inside


def language_problems(
    site_path: str,
    page: PageLanguages,
    others: dict[str, PageLanguages],
    exists: Callable[[str], bool],
) -> list[str]:
    """What is wrong with a page's language links; others are its counterparts by language."""
    here = edition_of(site_path)
    problems = []
    if page.lang != here:
        problems.append(f"{site_path}: <html lang> is {page.lang!r}, not {here!r}")
    for code, other in others.items():
        target = counterpart(site_path, code)
        links = [link for link in page.switcher if link.hreflang == code]
        if len(links) != 1:
            problems.append(f"{site_path}: {len(links)} switcher link(s) to {code}, not 1")
            continue
        link = links[0]
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(site_path), link.href))
        if resolved != target:
            problems.append(f"{site_path}: the {code} link {link.href} leads to {resolved}")
        if not exists(resolved):
            problems.append(f"{site_path}: the {code} link leads to {resolved}, not in the site")
        if link.lang != code:
            problems.append(f"{site_path}: the {code} link has lang={link.lang!r}")
        if link.text != NAMES[code]:
            problems.append(
                f"{site_path}: the {code} link reads {link.text!r}, not {NAMES[code]!r}"
            )
        if page.alternates.get(code) != other.canonical:
            problems.append(
                f"{site_path}: alternate {code} is {page.alternates.get(code)!r}, "
                f"the {code} page's address is {other.canonical!r}"
            )
    if page.canonical is None or page.alternates.get(here) != page.canonical:
        problems.append(f"{site_path}: alternate {here} is not the page's own canonical address")
    english = page.canonical if here == "en" else others["en"].canonical
    if english is None or page.alternates.get("x-default") != english:
        problems.append(f"{site_path}: x-default is not the English page")
    extra = set(page.alternates) - set(EDITIONS) - {"x-default"}
    if extra:
        problems.append(f"{site_path}: alternates for unknown languages {sorted(extra)}")
    return problems


@dataclass(frozen=True)
class Site:
    """The two editions as the published site: English at the root, French under fr/."""

    editions: dict[str, Path]

    def file(self, site_path: str) -> Path:
        return self.editions[edition_of(site_path)] / site_path.removeprefix(
            EDITIONS[edition_of(site_path)]
        )

    def exists(self, site_path: str) -> bool:
        return self.file(site_path).is_file()

    def languages(self, site_path: str) -> PageLanguages:
        return read_languages(self.file(site_path).read_text(encoding="utf-8"))

    def problems(self, site_path: str) -> list[str]:
        here = edition_of(site_path)
        others = {
            code: self.languages(counterpart(site_path, code)) for code in EDITIONS if code != here
        }
        return language_problems(site_path, self.languages(site_path), others, self.exists)


@pytest.fixture(scope="module")
def site(html_en: Build, html_fr: Build) -> Site:
    """The site as the README's commands build it: one folder, each edition in its place."""
    root = html_en.outdir
    editions = {code: root / folder for code, folder in EDITIONS.items()}
    assert html_fr.outdir == editions["fr"], f"the French edition went to {html_fr.outdir}"
    return Site(editions)


@pytest.mark.slow
@pytest.mark.parametrize("language", sorted(EDITIONS))
@pytest.mark.parametrize("name", PAGES)
def test_page_links_to_its_counterpart(site: Site, name: str, language: str) -> None:
    site_path = EDITIONS[language] + name
    assert site.exists(site_path), f"the site has no {site_path}"
    assert site.problems(site_path) == []


@pytest.mark.slow
def test_every_page_of_both_editions_has_the_switcher(site: Site) -> None:
    """Every page Sphinx wrote (not the schema files and their index pages)."""
    checked, problems = 0, []
    inside = {folder.rstrip("/") for folder in EDITIONS.values() if folder}
    for code, folder in EDITIONS.items():
        root = site.editions[code]
        for path in sorted(root.rglob("*.html")):
            relative = path.relative_to(root).as_posix()
            if relative.split("/")[0] in {"schema", "_static", "_images"}:
                continue
            if code == "en" and relative.split("/")[0] in inside:
                continue  # another edition's page, checked with its own edition
            checked += 1
            problems += site.problems(folder + relative)
    assert checked >= 2 * len(PAGES)
    assert problems == []


def _page(lang: str, canonical: str, alternates: dict[str, str], switcher: str) -> str:
    links = "".join(
        f'<link rel="alternate" hreflang="{c}" href="{h}">' for c, h in alternates.items()
    )
    return (
        f'<html lang="{lang}"><head><link rel="canonical" href="{canonical}">{links}</head>'
        f'<body><nav class="hsdocs-languages" aria-label="Language">{switcher}</nav>'
        '<a href="elsewhere.html" hreflang="fr">Français</a></body></html>'
    )


BASE = "https://example.org/docs/"
GOOD_ALTERNATES = {"en": BASE + "a.html", "fr": BASE + "fr/a.html", "x-default": BASE + "a.html"}
GOOD_LINK = '<a href="fr/a.html" hreflang="fr" lang="fr">Français</a>'
FRENCH_A = PageLanguages(lang="fr", canonical=BASE + "fr/a.html")


def _problems(page: str, exists: Callable[[str], bool] = lambda path: True) -> list[str]:
    return language_problems("a.html", read_languages(page), {"fr": FRENCH_A}, exists)


def test_a_correct_page_has_no_problem() -> None:
    assert _problems(_page("en", BASE + "a.html", GOOD_ALTERNATES, GOOD_LINK)) == []


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (_page("fr", BASE + "a.html", GOOD_ALTERNATES, GOOD_LINK), "<html lang> is 'fr'"),
        (_page("en", BASE + "a.html", GOOD_ALTERNATES, ""), "0 switcher link(s) to fr"),
        (
            _page("en", BASE + "a.html", GOOD_ALTERNATES, GOOD_LINK.replace("fr/a", "fr/b")),
            "leads to fr/b.html",
        ),
        (
            _page("en", BASE + "a.html", GOOD_ALTERNATES, GOOD_LINK.replace("Français", "French")),
            "reads 'French'",
        ),
        (
            _page("en", BASE + "a.html", GOOD_ALTERNATES, GOOD_LINK.replace(' lang="fr"', "")),
            "has lang=None",
        ),
        (
            _page("en", BASE + "a.html", {**GOOD_ALTERNATES, "fr": BASE + "a.html"}, GOOD_LINK),
            "alternate fr is",
        ),
        (
            _page(
                "en",
                BASE + "a.html",
                {**GOOD_ALTERNATES, "x-default": BASE + "fr/a.html"},
                GOOD_LINK,
            ),
            "x-default is not the English page",
        ),
        (
            _page("en", BASE + "b.html", GOOD_ALTERNATES, GOOD_LINK),
            "alternate en is not the page's own canonical address",
        ),
    ],
)
def test_a_wrong_page_is_reported(page: str, expected: str) -> None:
    problems = _problems(page)
    assert any(expected in problem for problem in problems), problems


def test_a_link_to_a_missing_page_is_reported() -> None:
    page = _page("en", BASE + "a.html", GOOD_ALTERNATES, GOOD_LINK)
    problems = _problems(page, exists=lambda path: False)
    assert problems == ["a.html: the fr link leads to fr/a.html, not in the site"]
