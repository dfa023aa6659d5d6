"""What the docs say about the project itself, read from pyproject.toml.

The distribution name, the release, the extras and the project's home are
stated once, in ``pyproject.toml``; the site takes every mention of them from
here. Code blocks cannot hold reStructuredText substitutions, so a page writes
a token such as ``{{distribution}}`` in its code blocks and the build replaces
it (:func:`fill_tokens`); prose uses the substitutions of :func:`rst_epilog`
(``|distribution|``), which keep translatable messages free of version numbers.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

import hsdata

REPO_ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class ProjectFacts:
    distribution: str
    release: str
    extras: frozenset[str]
    home: str

    @property
    def site(self) -> str:
        """Where the documentation site is served (GitHub Pages of the home), ending in '/'.

        w3id.org redirects ``https://w3id.org/hsdata/`` addresses here (``w3id/.htaccess``).
        """
        owner, _, name = self.repository.partition("/")
        return f"https://{owner.lower()}.github.io/{name}/"

    @property
    def repository(self) -> str:
        """``owner/name`` of the home on GitHub (what ``uses:`` in a workflow names)."""
        return self.home.removeprefix("https://github.com/").strip("/")


@cache
def project_facts() -> ProjectFacts:
    with (REPO_ROOT / "pyproject.toml").open("rb") as handle:
        project = tomllib.load(handle)["project"]
    return ProjectFacts(
        distribution=project["name"],
        release=project["version"],
        extras=frozenset(project.get("optional-dependencies", {})),
        home=project["urls"]["Homepage"],
    )


def tokens(standard_version: str | None = None) -> dict[str, str]:
    """Token -> text, for the code blocks of the site."""
    facts = project_facts()
    return {
        "{{distribution}}": facts.distribution,
        "{{release}}": facts.release,
        "{{home}}": facts.home,
        "{{repository}}": facts.repository,
        "{{site}}": facts.site,
        "{{standard_version}}": standard_version or hsdata.STANDARD_VERSION,
    }


def fill_tokens(text: str, standard_version: str | None = None) -> str:
    for token, value in tokens(standard_version).items():
        text = text.replace(token, value)
    return text


def rst_epilog(standard_version: str) -> str:
    """Substitutions for prose: the same facts, without putting them in messages."""
    facts = project_facts()
    return "\n".join(
        [
            "",
            f".. |distribution| replace:: ``{facts.distribution}``",
            f".. |install-command| replace:: ``pip install {facts.distribution}``",
            f'.. |version-field| replace:: ``"hsdata:version": "{standard_version}"``',
            f".. |event-schema-id| replace:: "
            f"``https://w3id.org/hsdata/schema/{standard_version}/event.json``",
            "",
        ]
    )
