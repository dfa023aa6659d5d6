"""The ``hsdata`` command-line interface.

Each command lives in its own module and registers itself on :data:`main`
when that module is imported, which happens the first time the command is
asked for (see :data:`COMMAND_MODULES`). The library never imports this
package; it only calls the library.
"""

from __future__ import annotations

import click

from .._version import STANDARD_VERSION, __version__
from ._common import HsdataGroup, language_option

#: Each command and the module that defines it: a module is imported only when its
#: command runs (or help lists them all), so that 'hsdata validate' starts without
#: loading the exporters, the spreadsheet reader or the web application.
COMMAND_MODULES = {
    "compile": "_compile",
    "diff": "_diff",
    "export": "_export",
    "import": "_import",
    "info": "_info",
    "merge": "_merge",
    "registry": "_registry",
    "serve": "_serve",
    "template": "_template",
    "upgrade": "_upgrade",
    "validate": "_validate",
}


@click.group(
    cls=HsdataGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    lazy_commands={name: f"{__name__}.{module}" for name, module in COMMAND_MODULES.items()},
)
@click.version_option(
    __version__, prog_name="hsdata", message=f"%(prog)s %(version)s (standard {STANDARD_VERSION})"
)
@language_option
def main() -> None:
    """hsdata: validate, load and export human security cooperation data.

    Run 'hsdata COMMAND --help' for the options of a command.
    """


def all_commands() -> dict[str, click.Command]:
    """Every command by name, each module loaded (for what walks the whole interface:
    the documentation, the tests); ``main.commands`` holds only those used so far."""
    ctx = click.Context(main)
    found = {name: main.get_command(ctx, name) for name in main.list_commands(ctx)}
    return {name: command for name, command in found.items() if command is not None}


__all__ = ["COMMAND_MODULES", "all_commands", "main"]
