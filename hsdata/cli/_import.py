"""``hsdata import``: turn a filled spreadsheet template into hsdata JSON."""

from __future__ import annotations

from pathlib import Path

import click

from .._files import OutputError
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
) -> None:
    """Turn a filled template (SOURCE: .xlsx, or a folder of CSV files) into JSON in OUTDIR.

    Writes one JSON file per record type and a datapackage.json, then
    validates them. Problems are reported at their sheet, row and column
    (such as 'actor!C5 (name@en)'). Exit 0: valid; 1: invalid; 2: unreadable
    or not written. OUTDIR must be empty or new unless --force is given.
    """
    try:
        report = import_spreadsheet(
            source, outdir, allow_network=allow_network, validate=not no_validate, force=force
        )
    except OutputError as exc:
        fail(why(exc))
    print_report(report, output_format)
    exit_with(report)
