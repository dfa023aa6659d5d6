"""Build the documentation once per test session, into temporary folders.

The English and French HTML editions, the doctest run and the gettext
catalogues are built with ``python -m sphinx`` in subprocesses (two at a
time, for CI's two cores), exactly as the README tells people to build them:
warnings are errors (``-W``) and every cross-reference must resolve (``-n``), and
the French edition goes into ``fr/`` inside the English site.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

import hsdata

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS = REPO_ROOT / "docs"


@dataclass(frozen=True)
class Build:
    """One finished Sphinx build: where it went and what it printed."""

    name: str
    outdir: Path
    returncode: int
    stdout: str
    stderr: str

    def page(self, name: str) -> str:
        path = self.outdir / name
        assert path.is_file(), f"{self.name} build has no {name}:\n{self.stderr}"
        return path.read_text(encoding="utf-8")

    def report(self) -> str:
        return f"sphinx {self.name} build failed ({self.returncode}):\n{self.stdout}\n{self.stderr}"


BUILDS: dict[str, list[str]] = {
    "html-en": ["-b", "html", "-W", "--keep-going", "-n"],
    "html-fr": ["-b", "html", "-W", "--keep-going", "-n", "-D", "language=fr"],
    "doctest": ["-b", "doctest", "-W", "--keep-going", "-n"],
    "gettext": ["-b", "gettext", "-W", "--keep-going"],
    # The newest published version of the standard (which may mark fields deprecated).
    "html-newest": [
        "-b",
        "html",
        "-W",
        "--keep-going",
        "-n",
        "-D",
        f"hsdata_version={hsdata.available_versions()[-1]}",
    ],
}


#: Where each build goes inside the build folder, as the README's commands put it: the
#: French edition inside the English site, under the folder its language switcher links to.
OUTDIRS: dict[str, str] = {
    "html-en": "html",
    "html-fr": "html/fr",
    "doctest": "doctest",
    "gettext": "gettext",
    "html-newest": "html-newest",
}


def _run(name: str, root: Path) -> Build:
    outdir = root / OUTDIRS[name]
    command = [sys.executable, "-m", "sphinx", *BUILDS[name], "-q", str(DOCS), str(outdir)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO_ROOT)
    return Build(name, outdir, done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="session")
def doc_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    root = tmp_path_factory.mktemp("docs")
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(BUILDS, pool.map(lambda name: _run(name, root), BUILDS), strict=True))


def _built(doc_builds: dict[str, Build], name: str) -> Build:
    build = doc_builds[name]
    assert build.returncode == 0, build.report()
    return build


@pytest.fixture(scope="session")
def html_en(doc_builds: dict[str, Build]) -> Build:
    return _built(doc_builds, "html-en")


@pytest.fixture(scope="session")
def html_fr(doc_builds: dict[str, Build]) -> Build:
    return _built(doc_builds, "html-fr")


@pytest.fixture(scope="session")
def html_newest(doc_builds: dict[str, Build]) -> Build:
    return _built(doc_builds, "html-newest")


@pytest.fixture(scope="session")
def gettext_build(doc_builds: dict[str, Build]) -> Build:
    return _built(doc_builds, "gettext")


def html_ids(page: str) -> set[str]:
    """Every HTML id on a page."""
    return {html.unescape(m) for m in re.findall(r'\sid="([^"]+)"', page)}


def element_text(page: str, element_id: str) -> str:
    """The text of the element with this id, up to the end of its table row or section."""
    start = page.find(f'id="{html.escape(element_id)}"')
    assert start >= 0, f"no element with id {element_id!r}"
    start = page.index(">", start) + 1
    end_candidates = [
        i for i in (page.find("</tr>", start), page.find("</section>", start)) if i > 0
    ]
    fragment = page[start : min(end_candidates)] if end_candidates else page[start:]
    return visible_text(fragment)


def visible_text(fragment: str) -> str:
    """The text of an HTML fragment: no tags or entities, quotes and spaces normalised."""
    return normalised(html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def normalised(text: str) -> str:
    """Plain text with typographic quotes made plain and runs of spaces collapsed.

    Sphinx turns ' into a typographic apostrophe; comparing normalised texts
    checks the words, not the typography.
    """
    for fancy, plain in (
        ("’", "'"),
        ("‘", "'"),
        ("“", '"'),
        ("”", '"'),
        ("\u00a0", " "),
        ("…", "..."),
    ):
        text = text.replace(fancy, plain)
    # A web address that ends a sentence is set apart from its full stop on the page.
    text = re.sub(r"(https?://\S+?) \.", r"\1.", text)
    return " ".join(text.split())
