"""The documented commands build the site in the layout its language links expect.

The README and the contributors' page tell people how to build the two HTML
editions. The pages' language switcher and ``hreflang`` links assume the French
edition sits in ``fr/`` inside the English site (``EDITIONS`` in
``test_language_switcher``), so the French command must write there. The test
suite's own builds (``conftest``) use the same options and the same layout, so the
switcher tests check the site the documented commands make. Nothing is built here.
"""

from __future__ import annotations

import posixpath
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import BUILDS, DOCS, OUTDIRS, REPO_ROOT
from .test_language_switcher import EDITIONS

#: Where the documented commands put their output, relative to the repository.
BUILD_DIR = "docs/_build"

#: The files that tell people how to build the site.
INSTRUCTIONS = [REPO_ROOT / "README.md", DOCS / "contributing.rst"]


@dataclass(frozen=True)
class SphinxCommand:
    """One ``python -m sphinx`` command: its options, source and output folders."""

    options: tuple[str, ...]
    source: str
    outdir: str

    @property
    def builder(self) -> str:
        options = list(self.options)
        return options[options.index("-b") + 1] if "-b" in options else "html"

    @property
    def language(self) -> str:
        options = list(self.options)
        for at, option in enumerate(options[:-1]):
            if option == "-D" and options[at + 1].startswith("language="):
                return options[at + 1].removeprefix("language=")
        return "en"


def sphinx_commands(text: str, where: str) -> list[SphinxCommand]:
    """Every ``python -m sphinx`` command line of a text, comments left out."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip().startswith("python -m sphinx "):
            continue
        words = shlex.split(line, comments=True)
        assert len(words) >= 5, f"{where}:{number}: no source and output folder in {line!r}"
        *options, source, outdir = words[3:]
        found.append(SphinxCommand(tuple(options), source, posixpath.normpath(outdir)))
    return found


def html_editions(commands: list[SphinxCommand], where: str) -> dict[str, SphinxCommand]:
    """The HTML build command of each language, exactly one each."""
    editions: dict[str, SphinxCommand] = {}
    for command in commands:
        if command.builder != "html":
            continue
        assert command.language not in editions, f"{where}: two {command.language} commands"
        editions[command.language] = command
    assert sorted(editions) == sorted(EDITIONS), f"{where}: HTML editions {sorted(editions)}"
    return editions


def plain(options: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Options without the ones that change no output: ``-q``, and ``-b html`` (the default)."""
    kept: list[str] = []
    words = iter(options)
    for option in words:
        if option == "-b":
            builder = next(words)
            if builder != "html":
                kept += [option, builder]
        elif option != "-q":
            kept.append(option)
    return tuple(kept)


def layout_problems(editions: dict[str, SphinxCommand], where: str) -> list[str]:
    """Where each edition's command writes, against where the switcher links lead."""
    root = editions["en"].outdir
    problems = []
    for code, command in sorted(editions.items()):
        expected = posixpath.normpath(posixpath.join(root, EDITIONS[code]))
        if command.outdir != expected:
            problems.append(
                f"{where}: the {code} edition is built into {command.outdir}, but the "
                f"language links expect it at {expected}"
            )
    return problems


@pytest.fixture(params=INSTRUCTIONS, ids=lambda path: path.name)
def instructions(request: pytest.FixtureRequest) -> tuple[str, list[SphinxCommand]]:
    path: Path = request.param
    where = path.relative_to(REPO_ROOT).as_posix()
    return where, sphinx_commands(path.read_text(encoding="utf-8"), where)


def test_the_french_edition_is_built_where_the_switcher_links_point(
    instructions: tuple[str, list[SphinxCommand]],
) -> None:
    where, commands = instructions
    editions = html_editions(commands, where)
    assert layout_problems(editions, where) == []
    assert editions["en"].outdir.startswith(BUILD_DIR + "/"), editions["en"].outdir


def test_the_instructions_agree(instructions: tuple[str, list[SphinxCommand]]) -> None:
    where, commands = instructions
    readme = sphinx_commands((REPO_ROOT / "README.md").read_text(encoding="utf-8"), "README")
    assert html_editions(commands, where) == html_editions(readme, "README")


def test_the_test_builds_are_the_documented_ones() -> None:
    """The docs tests build each edition with the README's options, in its layout."""
    readme = sphinx_commands((REPO_ROOT / "README.md").read_text(encoding="utf-8"), "README")
    editions = html_editions(readme, "README")
    for code, command in editions.items():
        name = f"html-{code}"
        assert plain(BUILDS[name]) == plain(command.options), name
        assert command.source == "docs", name
        documented = posixpath.relpath(command.outdir, BUILD_DIR)
        assert OUTDIRS[name] == documented, f"{name}: tests build into {OUTDIRS[name]}"


def _command(line: str) -> SphinxCommand:
    (command,) = sphinx_commands(line, "example")
    return command


def test_a_french_edition_beside_the_english_one_is_reported() -> None:
    editions = {
        "en": _command("python -m sphinx -n docs docs/_build/html"),
        "fr": _command("python -m sphinx -n -D language=fr docs docs/_build/html-fr"),
    }
    assert layout_problems(editions, "README.md") == [
        "README.md: the fr edition is built into docs/_build/html-fr, but the "
        "language links expect it at docs/_build/html/fr"
    ]


def test_a_french_edition_inside_the_english_one_passes() -> None:
    editions = {
        "en": _command("python -m sphinx -n docs docs/_build/html  # English"),
        "fr": _command("python -m sphinx -n -D language=fr docs docs/_build/html/fr/"),
    }
    assert editions["fr"].language == "fr"
    assert layout_problems(editions, "README.md") == []
