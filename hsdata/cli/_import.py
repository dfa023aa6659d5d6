"""``hsdata import``: turn a filled spreadsheet template into hsdata JSON."""

from __future__ import annotations

import codecs
from pathlib import Path

import click

from .._files import OutputError
from .._i18n import tr, translated
from .._spreadsheet import import_spreadsheet
from . import main
from ._common import exit_with, fail, print_report, why
from ._options import allow_network_option, report_format_option


@main.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@report_format_option
@click.option("--no-validate", is_flag=True, help="Convert only; do not validate the result.")
@allow_network_option
@click.option(
    "--encoding",
    metavar="NAME",
    help="The character encoding of CSV files (default: UTF-8). Give cp1252 to import, "
    "without saving them again, CSV files Excel saved as plain 'CSV' on Windows.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace OUTDIR if it already holds files (it is replaced only once the new files "
    "are all written).",
)
def import_command(
    *,
    source: Path,
    outdir: Path,
    output_format: str,
    no_validate: bool,
    allow_network: bool,
    force: bool,
    encoding: str | None,
) -> None:
    """Turn a filled template (SOURCE: .xlsx, or a folder of CSV files) into JSON in OUTDIR.

    Writes one JSON file per record type and a datapackage.json, then
    validates them. Problems are reported at their sheet, row and column
    (such as 'actor!C5 (name@en)'). Exit 0: valid; 1: invalid; 2: unreadable
    or not written. OUTDIR must be empty or new unless --force is given.
    """
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise click.BadParameter(
                translated(
                    tr(
                        "{encoding} is not an encoding Python knows (such as utf-8 or cp1252)",
                        encoding=repr(encoding),
                    )
                ),
                param_hint="--encoding",
            ) from None
    try:
        report = import_spreadsheet(
            source,
            outdir,
            allow_network=allow_network,
            validate=not no_validate,
            force=force,
            encoding=encoding,
        )
    except OutputError as exc:
        fail(why(exc))
    print_report(report, output_format)
    exit_with(report)
