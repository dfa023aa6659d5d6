"""Every install instruction names this project's own distribution, extras, home and release.

The name ``hsdata`` on the Python Package Index belongs to an unrelated
project, so an instruction saying ``pip install hsdata`` would install someone
else's code. The distribution name, extras, version and home are stated once,
in pyproject.toml; these tests read every place that tells people what to
install or where the project lives, and compare.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

REPO_ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
DISTRIBUTION = PROJECT["name"]
EXTRAS = set(PROJECT["optional-dependencies"])
RELEASE = PROJECT["version"]
HOME = PROJECT["urls"]["Homepage"]

sys.path.insert(0, str(REPO_ROOT / "docs" / "_ext"))
from hsdocs.project import fill_tokens  # noqa: E402

#: Separate programs the docs suggest installing beside hsdata (to browse an export):
#: named on purpose, and never confused with this project.
OTHER_TOOLS = frozenset({"datasette"})


def instruction_files() -> list[Path]:
    """Every file that may tell a person what to install."""
    found = [
        REPO_ROOT / "README.md",
        REPO_ROOT / "action.yml",
        REPO_ROOT / ".pre-commit-hooks.yaml",
    ]
    found += sorted((REPO_ROOT / "docs").glob("*.rst"))
    # The changelog's translation is left out: it records what each release said then.
    found += sorted(
        p for p in (REPO_ROOT / "docs" / "locales").rglob("*.po") if p.stem != "changelog"
    )
    found += sorted((REPO_ROOT / "hsdata").rglob("*.py"))
    found += sorted((REPO_ROOT / "extensions").rglob("*.md"))
    return [path for path in found if path.is_file()]


def texts() -> dict[str, str]:
    """File (relative) -> its text, with the docs' build-time tokens filled in."""
    return {
        path.relative_to(REPO_ROOT).as_posix(): fill_tokens(path.read_text(encoding="utf-8"))
        for path in instruction_files()
    }


#: ``pip install`` and what follows it on the line, up to the end of a literal (not
#: "to pip install, such as ...", which is prose).
_PIP_INSTALL = re.compile(r"pip install(?![,;:])\b([^\n`]*)")
#: A requirement in prose or code: a distribution name with extras in brackets...
_WITH_EXTRAS = re.compile(r"(?<![\w./-])(hsdata[\w.-]*)\[([^\]\n]*)\]")
#: ... or pinned to a version.
_PINNED = re.compile(r"(?<![\w./-])(hsdata[\w.-]*)==([\w.]+\w)")


def requirements_of(arguments: str) -> list[str]:
    """The requirement specifiers among the arguments of one ``pip install`` (options dropped)."""
    # Drop the end of a sentence or a message; keep quoting so that shlex can split.
    arguments = re.split(r"[)#;]|\s--?\s|\"\s*\)|'\s*\)|&&", arguments)[0]
    try:
        words = shlex.split(arguments)
    except ValueError:
        words = arguments.split()
    found: list[str] = []
    for quoted in words:
        word = quoted.strip("'\"").rstrip(".,")
        if not word or word.startswith("-") or "$" in word:
            continue  # options, variables ($GITHUB_ACTION_PATH) and empty words
        found.append(word)
    return found


def check_requirement(text: str) -> str | None:
    """Why a requirement named in an instruction is wrong, or None when it is ours."""
    if text.startswith("."):  # the checkout itself: ".", ".[dev]"
        extras = set(re.findall(r"[\w-]+", text.partition("[")[2]))
        unknown = extras - EXTRAS
        return f"extras {sorted(unknown)} are not defined" if unknown else None
    if "{" in text:  # a message template: 'hsdata-standard[{extra}]'
        text = re.sub(r"\{[^}]*\}", "all", text)
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return f"{text!r} is not a requirement pip understands"
    if canonicalize_name(requirement.name) in OTHER_TOOLS:
        return None
    if canonicalize_name(requirement.name) != canonicalize_name(DISTRIBUTION):
        return f"names the distribution {requirement.name!r}, not {DISTRIBUTION!r}"
    unknown = set(requirement.extras) - EXTRAS
    if unknown:
        return f"extras {sorted(unknown)} are not defined in pyproject.toml"
    pinned = [spec.version for spec in requirement.specifier if spec.operator == "=="]
    if pinned and pinned != [RELEASE]:
        return f"pins {pinned[0]}, not this release {RELEASE}"
    return None


def logical_lines(name: str, text: str) -> list[tuple[int, str]]:
    """Numbered lines; in a gettext catalogue a string continued on the next line joins it."""
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if name.endswith(".po") and line.startswith('"') and lines and lines[-1][1].endswith('"'):
            first, previous = lines[-1]
            lines[-1] = (first, previous[:-1] + line[1:])
        else:
            lines.append((number, line))
    return lines


def install_problems(files: dict[str, str]) -> list[str]:
    problems = []
    for name, text in files.items():
        for line_number, line in logical_lines(name, text):
            named = [r for m in _PIP_INSTALL.finditer(line) for r in requirements_of(m.group(1))]
            named += [f"{m.group(1)}[{m.group(2)}]" for m in _WITH_EXTRAS.finditer(line)]
            named += [f"{m.group(1)}=={m.group(2)}" for m in _PINNED.finditer(line)]
            for requirement in dict.fromkeys(named):
                problem = check_requirement(requirement)
                if problem:
                    problems.append(f"{name}:{line_number}: {requirement}: {problem}")
    return problems


def test_the_distribution_name_is_not_the_unrelated_hsdata() -> None:
    assert canonicalize_name(DISTRIBUTION) != "hsdata"


def test_every_install_instruction_names_this_project_and_its_extras() -> None:
    files = texts()
    assert len(files) > 30
    problems = install_problems(files)
    assert not problems, "\n".join(problems)
    # The instructions the brief is about are really there (and so were checked).
    everything = "\n".join(files.values())
    assert f"pip install {DISTRIBUTION}" in files["README.md"]
    assert f"pip install {DISTRIBUTION}" in files["docs/guide.rst"]
    assert f"{DISTRIBUTION}==" in files["action.yml"]
    assert f"pip install '{DISTRIBUTION}[" in everything


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("pip install hsdata", "names the distribution 'hsdata'"),
        ("needs openpyxl: pip install 'hsdata[xlsx]'", "names the distribution 'hsdata'"),
        ("the ``hsdata[xlsx]`` extra", "names the distribution 'hsdata'"),
        (f"pip install '{DISTRIBUTION}[excel]'", "extras ['excel'] are not defined"),
        (f"such as {DISTRIBUTION}==0.9.0 (pinned)", "pins 0.9.0"),
        (f"such as {DISTRIBUTION}=={RELEASE}.", None),
        (f'What to pip install, such as "{DISTRIBUTION}==0.9.0".', "pins 0.9.0"),
        ('pip install -e ".[docs,nothing]"', "extras ['nothing'] are not defined"),
        ("pip install --quiet some-other-package", "names the distribution 'some-other-package'"),
        (f"pip install --quiet '{DISTRIBUTION}[{{extra}}]'", None),
        ('python -m pip install --quiet "${HSDATA_SPEC:-$GITHUB_ACTION_PATH}"', None),
        (f'pip install -e ".[dev]" && pip install "{DISTRIBUTION}[rdf]"', None),
    ],
)
def test_the_check_finds_wrong_instructions(line: str, expected: str | None) -> None:
    problems = install_problems({"example": line})
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in problems[0], problems


# -- the project's home: stated once, no placeholder left -------------------------------------

_PLACEHOLDERS = re.compile(
    r"OWNER/|YOUR[-_]?ORG|example\.(org|com)/hsdata|\bTODO\b|\bFIXME\b|<your|github\.com/hsdata/"
)


@pytest.mark.parametrize(
    "name", ["README.md", "docs/guide.rst", "docs/editors.rst", "action.yml", "w3id/README.md"]
)
def test_no_placeholder_a_reader_must_guess(name: str) -> None:
    text = fill_tokens((REPO_ROOT / name).read_text(encoding="utf-8"))
    found = [m.group(0) for m in _PLACEHOLDERS.finditer(text)]
    assert not found, f"{name} has placeholders: {found}"


def test_every_mention_of_the_repository_is_the_home_in_pyproject() -> None:
    repository = HOME.removeprefix("https://github.com/")
    assert HOME.startswith("https://github.com/") and repository.count("/") == 1
    for name, text in texts().items():
        for mention in re.findall(r"github\.com/([\w.-]+/[\w.-]+)", text):
            if "hsdata" in mention.lower():
                assert mention.removesuffix(".git") == repository, f"{name}: github.com/{mention}"
        for mention in re.findall(r"uses:\s*([\w.-]+/hsdata[\w.-]*)@v?([\w.]+)", text):
            assert mention == (repository, RELEASE), f"{name}: uses: {mention}"
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"repo: {HOME}\n    rev: v{RELEASE}" in readme
    assert f"uses: {repository}@v{RELEASE}" in readme


def test_placeholder_check_catches_the_old_mentions() -> None:
    for old in ("https://github.com/OWNER/hsdata", "uses: OWNER/hsdata@v1.0.0"):
        assert _PLACEHOLDERS.search(old)
