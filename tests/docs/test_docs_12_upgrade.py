"""The 1.1 -> 1.2 upgrade command that docs/upgrading.rst shows runs as written.

The command is read from the page, pointed at a copy of the canonical data's
1.1 release, and run with the real command-line program; the options it
names must exist, and the package it writes must carry what they say.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import DOCS, REPO_ROOT

RELEASE_1_1 = REPO_ROOT / "tests" / "versions" / "canonical_1_1"


def documented_command(section: str = "From 1.1 to 1.2") -> list[str]:
    """The first ``hsdata upgrade`` shell command of a section of upgrading.rst."""
    text = (DOCS / "upgrading.rst").read_text(encoding="utf-8")
    start = text.index(f"\n{section}\n")
    block = re.search(r"\.\. code-block:: sh\n\n((?:[ ]{3}.*\n)+)", text[start:])
    assert block is not None, f"no shell example under {section!r}"
    command = block.group(1).replace("\\\n", " ")
    words = shlex.split(command)
    assert words[:2] == ["hsdata", "upgrade"], words
    return words


def run_upgrade(words: list[str], package: Path, output: Path) -> subprocess.CompletedProcess[str]:
    """Run the documented words with the package and output folders put in."""
    places = {"data": str(package), "data-1.2": str(output)}
    arguments = [places.get(word, word) for word in words[1:]]
    return subprocess.run(
        [sys.executable, "-m", "hsdata", *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )


def test_the_documented_upgrade_to_1_2_runs(tmp_path: Path) -> None:
    package = tmp_path / "data"
    shutil.copytree(RELEASE_1_1, package)
    words = documented_command()
    done = run_upgrade(words, package, tmp_path / "data-1.2")
    assert done.returncode == 0, done.stdout + done.stderr
    descriptor = json.loads((tmp_path / "data-1.2" / "datapackage.json").read_text("utf-8"))
    assert descriptor["hsdata:version"] == "1.2"
    publisher = descriptor["hsdata:publisher"]
    given = [words[i + 1] for i, word in enumerate(words) if word == "--publisher-name"]
    assert given, "the documented command gives no --publisher-name"
    for value in given:
        language, _, name = value.rpartition("=")
        assert publisher["name"][language or "en"] == name
    reporting = words[words.index("--reporting") + 1]
    assert publisher["reporting"] == reporting
    assert descriptor["hsdata:namespace"] == words[words.index("--namespace") + 1]


def test_without_a_publisher_the_upgrade_names_the_option(tmp_path: Path) -> None:
    package = tmp_path / "data"
    shutil.copytree(RELEASE_1_1, package)
    words = ["hsdata", "upgrade", "data", "--output", "data-1.2"]
    done = run_upgrade(words, package, tmp_path / "data-1.2")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "--publisher-name" in done.stdout + done.stderr
    assert not (tmp_path / "data-1.2").exists()
