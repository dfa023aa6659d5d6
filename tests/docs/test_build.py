"""The documentation builds clean, offline, in English and French, and its examples run."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DOCS, REPO_ROOT, Build

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", ["html-en", "html-fr", "doctest", "gettext", "html-newest"])
def test_build_is_clean(doc_builds: dict[str, Build], name: str) -> None:
    build = doc_builds[name]
    assert build.returncode == 0, build.report()
    # -W turns warnings into a failed build; -q leaves nothing else on stderr.
    assert "WARNING" not in build.stderr, build.stderr
    assert "ERROR" not in build.stderr, build.stderr


def test_doctests_ran_and_passed(doc_builds: dict[str, Build]) -> None:
    build = doc_builds["doctest"]
    assert build.returncode == 0, build.report()
    output = (build.outdir / "output.txt").read_text(encoding="utf-8")
    totals = re.search(r"(\d+) tests?\s*\n\s*(\d+) failures? in tests", output)
    assert totals is not None, output
    ran, failed = int(totals.group(1)), int(totals.group(2))
    assert failed == 0, output
    # The publisher's guide alone holds a dozen examples; the API docstrings add more.
    assert ran >= 12, output


def test_the_build_writes_nothing_into_the_source_tree(doc_builds: dict[str, Build]) -> None:
    assert all(build.returncode == 0 for build in doc_builds.values())
    compiled = sorted(p.relative_to(DOCS) for p in DOCS.rglob("*.mo"))
    assert compiled == [], f"compiled catalogues were written into docs/: {compiled}"


def test_html_pages_exist(html_en: Build, html_fr: Build) -> None:
    for page in ("index", "purpose", "model", "schema", "codelists", "examples", "guide"):
        assert (html_en.outdir / f"{page}.html").is_file()
    for page in ("rules", "figures", "versioning", "changelog", "contributing", "cli", "api"):
        assert (html_en.outdir / f"{page}.html").is_file()
        assert (html_fr.outdir / f"{page}.html").is_file()
    assert re.search(r'<html[^>]* lang="fr"', html_fr.page("index.html"))
    assert re.search(r'<html[^>]* lang="en"', html_en.page("index.html"))


def test_docs_code_passes_ruff() -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed; install the test extra: pip install -e '.[test]'")
    for command in (["check"], ["format", "--check"]):
        done = subprocess.run(
            [ruff, *command, "docs", "tests/docs"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
