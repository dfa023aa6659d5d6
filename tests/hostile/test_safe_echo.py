"""Every value the validator echoes back is shown safely, in every output format.

A value may try to rewrite the terminal (ANSI escapes), fake a line of
output (newlines, carriage returns, Unicode line separators), disguise text
(bidirectional overrides), inject a GitHub workflow command (a newline then
``::error::``, or ``%0A`` that the runner decodes), inject rich markup, or
simply be megabytes long. In text, JSON and GitHub output, control
characters are escaped, long values are cut, and each issue is exactly one
workflow command.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import hsdata
from hsdata import validate
from hsdata._validator import format_report

from .conftest import read_json, run_cli, write_json

PAYLOADS = [
    "\n::error file=.github/workflows/x.yml,line=1::injected",
    "\r\n::warning::injected",
    "%0A::error::injected",
    "x\u2028::error::injected",
    "\x1b[2J\x1b[31mred\x1b[0m",
    "\u202egnp.exe",
    "bell\x07nul\x00del\x7f",
    "[bold red]markup[/bold red]",
    "::stop-commands::token",
    "y" * 50_000,
]

#: Characters that must never reach the output raw.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile(package: Path) -> Path:
    """The package with every payload in an echoed place: a code, a field name, an id, a ref."""
    events = read_json(package / "events.json")
    for n, payload in enumerate(PAYLOADS):
        event = events[n % len(events)]
        slot = n % 4
        if slot == 0:
            event["type"] = payload
        elif slot == 1:
            event[payload] = payload
        elif slot == 2:
            event["id"] = payload
        else:
            event["partnership"] = payload
    write_json(package / "events.json", events)
    return package


def _check_lines(output: str) -> None:
    assert not FORBIDDEN.search(output), repr(FORBIDDEN.search(output))
    for line in output.split("\n"):
        assert len(line) < 3000, line[:200]


def test_github_output_is_one_command_per_issue(hostile: Path) -> None:
    report = validate(hostile)
    run = run_cli("validate", "--format", "github", hostile)
    assert run.exit_code == 1
    _check_lines(run.stdout)
    lines = run.stdout.rstrip("\n").split("\n")
    assert len(lines) == len(report.issues) + 1
    for line in lines[:-1]:
        assert re.match(
            r"::(error|warning) file=[^:\n]*(,line=\d+(,col=\d+)?)?,title=[a-z-]+::", line
        )
        data = line.split("::", 2)[2]
        # the runner decodes %25, %0D and %0A in data: none may decode to a line break
        assert "%0A" not in data.replace("%25", "") and "%0D" not in data.replace("%25", "")
    assert lines[-1].startswith("::notice title=hsdata validate::")
    assert "injected" in run.stdout  # shown, but harmless


def test_json_output_holds_only_escaped_and_cut_values(hostile: Path) -> None:
    run = run_cli("validate", "--format", "json", hostile)
    assert run.exit_code == 1
    _check_lines(run.stdout)
    document = json.loads(run.stdout)
    for issue in document["issues"]:
        for key in ("message", "record", "pointer", "file"):
            value = issue[key]
            if value is not None:
                assert not FORBIDDEN.search(value), (key, value)
                assert "\n" not in value and "\r" not in value
        assert len(issue["message"]) <= 1000
    assert "\\u001b" in run.stdout or "\\\\u001b" in run.stdout  # the escape is visible


@pytest.mark.parametrize("color", [False, True])
def test_text_output_escapes_everything(hostile: Path, color: bool) -> None:
    report = validate(hostile)
    text = format_report(report, "text", color=color)
    if color:  # rich's own colours are the only escapes allowed
        text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    _check_lines(text)
    assert "[bold red]markup[/bold red]" in text  # shown literally, not as markup
    assert "\\n::error" in text


def test_the_loader_error_message_cannot_forge_a_line(hostile: Path) -> None:
    with pytest.raises(hsdata.InvalidDataError) as raised:
        hsdata.load(hostile)
    message = str(raised.value)
    _check_lines(message)
    for line in message.split("\n")[1:]:
        assert line.startswith("  "), line  # every line is one of the issues listed


@pytest.mark.parametrize(
    "name", ["a\nb::error::x.json", "\x1b[31mred.json", "a,b:c%0A.json", "\u202eevil.json"]
)
def test_hostile_file_names_are_escaped(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("[{]", encoding="utf-8")
    for fmt in ("github", "json", "text"):
        run = run_cli("validate", "--format", fmt, "--record-type", "event", path)
        assert run.exit_code == 2
        _check_lines(run.stdout)
        if fmt == "github":
            (command, notice) = run.stdout.rstrip("\n").split("\n")
            assert command.startswith("::error file=") and notice.startswith("::notice")
            file_property = command.split(",line=")[0]
            assert ":" not in file_property.removeprefix("::error file=")


def test_a_missing_path_with_control_characters_is_escaped() -> None:
    run = run_cli("validate", "--format", "github", "no\nsuch\x1b[31m.json")
    assert run.exit_code == 2
    _check_lines(run.stdout)
    assert len(run.stdout.rstrip("\n").split("\n")) == 2
