"""Every ``hsdata`` command follows the same conventions (written in hsdata/cli/_options.py).

The test walks the click commands themselves, so a new command, or a new
option on an old one, is held to them without being listed here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from hsdata._reporting import FORMATS
from hsdata.cli import all_commands, main
from hsdata.cli._export import PACKAGE_OPTION_REMOVED_IN, package_and_out
from hsdata.cli._options import ALLOW_NETWORK_HELP, REPORT_FORMAT_HELP

DATA = Path(__file__).parents[1] / "data"

#: Commands that read one package: it is their first argument.
ONE_PACKAGE = {"validate", "info", "export", "upgrade"}

#: Options that name the package a command works on: never allowed, except an alias
#: kept for a while with a deprecation warning.
PACKAGE_OPTIONS = {"--package", "--path", "--input"}


def commands() -> dict[str, click.Command]:
    return dict(all_commands())


def options(command: click.Command) -> dict[str, click.Option]:
    return {
        name: param
        for param in command.params
        if isinstance(param, click.Option)
        for name in param.opts
        if name.startswith("--")
    }


def test_every_command_is_walked() -> None:
    # The walk below must see the commands that read a package.
    assert set(commands()) >= ONE_PACKAGE


@pytest.mark.parametrize("name", sorted(ONE_PACKAGE))
def test_the_package_is_the_first_argument(name: str) -> None:
    command = commands()[name]
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    assert arguments, f"hsdata {name} takes no argument"
    metavar = arguments[0].make_metavar(click.Context(command))
    assert "PACKAGE" in metavar, f"hsdata {name}: its first argument is {metavar}, not PACKAGE"


@pytest.mark.parametrize("name", sorted(all_commands()))
def test_no_command_names_its_package_by_an_option(name: str) -> None:
    for option_name, option in options(commands()[name]).items():
        if option_name in PACKAGE_OPTIONS:
            assert (option.help or "").startswith("Deprecated"), (
                f"hsdata {name} {option_name}: the package is an argument, not an option"
            )


def test_shared_options_are_declared_alike() -> None:
    seen: dict[str, list[tuple[str, click.Option]]] = defaultdict(list)
    for name, command in commands().items():
        for option_name, option in options(command).items():
            seen[option_name].append((name, option))
    # the options more than one command has, and what must be true of each
    assert {"--format", "--force", "--allow-network", "--record-type"} <= {
        o for o, uses in seen.items() if len(uses) > 1
    }
    for name, option in seen["--format"]:
        assert "-f" in option.opts, f"hsdata {name} --format has no -f"
        choices = list(getattr(option.type, "choices", ()))
        if set(choices) == set(FORMATS):
            assert option.help == REPORT_FORMAT_HELP, f"hsdata {name} --format"
    for name, option in seen["--output"]:
        assert "-o" in option.opts, f"hsdata {name} --output has no -o"
    for name, option in seen["--force"]:
        assert option.is_flag, name
        assert (option.help or "").startswith("Replace "), f"hsdata {name} --force: {option.help}"
    for name, option in seen["--allow-network"]:
        assert option.is_flag, name
        assert option.help == ALLOW_NETWORK_HELP, f"hsdata {name} --allow-network: {option.help}"
    for name, option in seen["--record-type"]:
        assert option.metavar == "TYPE", f"hsdata {name} --record-type"


def test_every_option_says_what_it_does() -> None:
    for name, command in commands().items():
        for option_name, option in options(command).items():
            if option_name not in ("--help", "--version"):
                assert option.help, f"hsdata {name} {option_name} has no help"


# -- hsdata export [PACKAGE] OUT ------------------------------------------------------------------


def test_export_arguments() -> None:
    assert package_and_out(("out",), None) == (None, "out")
    assert package_and_out(("pkg", "out"), None) == ("pkg", "out")
    with pytest.raises(click.UsageError, match="give OUT"):
        package_and_out((), None)
    with pytest.raises(click.UsageError, match="too many arguments"):
        package_and_out(("a", "b", "c"), None)
    with pytest.raises(click.UsageError, match="only OUT"):
        package_and_out(("a", "b"), "pkg")


def test_export_takes_the_package_as_its_first_argument(tmp_path: Path) -> None:
    out = tmp_path / "data.jsonld"
    result = CliRunner().invoke(main, ["export", "-f", "jsonld", str(DATA), str(out)])
    assert result.exit_code == 0, result.output
    assert "deprecated" not in result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["@graph"]


def test_export_package_option_still_works_with_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "data.jsonld"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "hsdata",
            "export",
            "-f",
            "jsonld",
            "--package",
            str(DATA),
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    removed_in = PACKAGE_OPTION_REMOVED_IN
    expected = f"warning: --package is deprecated and will be removed in hsdata {removed_in};"
    assert result.stderr.startswith(expected)
    assert json.loads(out.read_text(encoding="utf-8"))["@graph"]


def test_export_with_too_many_arguments_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "-f", "csv", "a", "b", "c"])
    assert result.exit_code == 2
    assert "too many arguments" in result.stderr
