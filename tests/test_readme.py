"""The README's examples work as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click

from hsdata.cli import all_commands, main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def test_the_readme_starts_with_the_two_commands() -> None:
    first, second = blocks("sh")[:2]
    assert "pip install ." in first
    assert first.strip().endswith("hsdata validate")
    assert 'pip install -e ".[dev]"' in second
    assert second.strip().endswith("python -m pytest")


def test_the_ci_script_runs_the_readme_test_command() -> None:
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert '.venv/bin/pip install --quiet -e ".[dev]"' in ci
    assert "\n.venv/bin/python -m pytest" in ci


def test_the_python_example_runs() -> None:
    (python,) = blocks("python")
    namespace: dict[str, object] = {}
    exec(compile(python, "README.md", "exec"), namespace)
    assert namespace["report"].exit_code == 2  # type: ignore[attr-defined]
    assert str(namespace["lysoen"].name) == "Lysøen Partnership"  # type: ignore[attr-defined]
    assert set(namespace["tables"]) >= {"actors", "events", "partnerships"}  # type: ignore[call-overload]


def test_every_command_line_in_the_readme_uses_real_commands_and_options() -> None:
    for block in blocks("sh"):
        for line in block.splitlines():
            command = line.split("#")[0].strip()
            if not command.startswith("hsdata "):
                continue
            words = shlex.split(command)[1:]
            # Options of the group itself (such as --lang fr) come before the command's name.
            takes_value = {
                opt: not getattr(param, "is_flag", False)
                for param in main.params
                for opt in getattr(param, "opts", [])
            }
            while words and words[0] in takes_value:
                words = words[1 + takes_value[words[0]] :]
            sub = all_commands().get(words[0])
            assert isinstance(sub, click.Command), f"no command {words[0]!r} in: {line}"
            known = {opt for param in sub.params for opt in getattr(param, "opts", [])}
            used = {word for word in words[1:] if word.startswith("-")}
            assert used <= known, f"unknown options {used - known} in: {line}"
