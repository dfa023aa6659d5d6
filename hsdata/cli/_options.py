"""The options several ``hsdata`` commands share, declared once so that they read the same.

The conventions every command follows (tests/test_cli_consistency.py checks them):

- the package a command works on is its first argument, never an option
  (``hsdata validate PACKAGE``, ``hsdata export --format csv PACKAGE OUT``);
  where it may be left out, the command works on the canonical data set;
- ``--format``/``-f`` chooses what is written (reports: text, json, github);
- ``--output``/``-o`` names a folder to write to; ``--force`` replaces what is there;
- ``--record-type TYPE`` names a record type; ``--allow-network`` lets hsdata
  fetch the extensions (and dependencies without a local copy) a package declares by URL,
  and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from .._reporting import FORMATS

F = TypeVar("F", bound=Callable[..., Any])

#: The help of ``--format`` wherever it chooses the format of a report.
REPORT_FORMAT_HELP = "text for people, json for programs, github for annotations on pull requests."

#: The help of ``--allow-network``, the same for every command.
ALLOW_NETWORK_HELP = (
    "Fetch the extensions a package declares by URL (http or https), and the dependencies it "
    "declares by URL that have no local copy. Nothing else is ever fetched; without this flag, "
    "such an extension is refused and the network is not used."
)


def format_option(choices: Sequence[str], help_text: str) -> Callable[[F], F]:
    """``--format``/``-f`` among ``choices`` (text first, the default), as ``output_format``."""

    def decorate(function: F) -> F:
        return click.option(
            "--format",
            "-f",
            "output_format",
            type=click.Choice(choices),
            default="text",
            show_default=True,
            help=help_text,
        )(function)

    return decorate


#: ``--format``/``-f`` text|json|github, for the commands that print a report.
report_format_option = format_option(FORMATS, REPORT_FORMAT_HELP)


def allow_network_option(function: F) -> F:
    """``--allow-network``: fetch extensions declared by URL, nothing else."""
    return click.option("--allow-network", is_flag=True, help=ALLOW_NETWORK_HELP)(function)


#: The help of ``--force`` wherever it goes with ``--output DIR``.
FORCE_HELP = "Replace the files of a folder that holds some."


def output_folder_options(help_text: str) -> Callable[[F], F]:
    """``--output``/``-o`` DIR (required, ``help_text`` says what goes there) and ``--force``,
    for the commands that write a whole folder."""

    def decorate(function: F) -> F:
        function = click.option("--force", is_flag=True, help=FORCE_HELP)(function)
        return click.option(
            "--output",
            "-o",
            required=True,
            metavar="DIR",
            type=click.Path(file_okay=False, path_type=str),
            help=help_text,
        )(function)

    return decorate
