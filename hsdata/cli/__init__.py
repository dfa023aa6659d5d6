"""The ``hsdata`` command-line interface.

Each command lives in its own module and registers itself on :data:`main`.
The library never imports this package; it only calls the library.
"""

from __future__ import annotations

import click

from .._version import STANDARD_VERSION, __version__
from ._common import HsdataGroup, language_option


@click.group(cls=HsdataGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, prog_name="hsdata", message=f"%(prog)s %(version)s (standard {STANDARD_VERSION})"
)
@language_option
def main() -> None:
    """hsdata: validate, load and export human security cooperation data.

    Run 'hsdata COMMAND --help' for the options of a command.
    """


__all__ = ["main"]

# Commands register themselves on ``main`` when imported.
from . import (  # noqa: E402, F401
    _compile,
    _diff,
    _export,
    _import,
    _info,
    _merge,
    _registry,
    _serve,
    _template,
    _upgrade,
    _validate,
)
