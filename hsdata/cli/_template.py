"""``hsdata template``: write a spreadsheet template to fill in."""

from __future__ import annotations

from pathlib import Path

import click

from .._errors import HsdataError
from .._i18n import tr, translated
from .._spreadsheet import write_template
from . import main
from ._common import fail, language_option, why
from ._options import allow_network_option


@main.command("template")
@click.argument("out", type=click.Path(dir_okay=True, path_type=Path))
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(["xlsx", "csv"]),
    default="xlsx",
    show_default=True,
    help="An .xlsx workbook, or a folder holding one CSV file per sheet.",
)
@click.option(
    "--from",
    "package",
    type=click.Path(exists=True, path_type=Path),
    help="Fill the sheets with the records of this data package (datapackage.json or folder).",
)
@click.option(
    "--extension",
    "extensions",
    multiple=True,
    help="Add the columns of an extension (a bundled name, or a folder relative to the "
    "current directory, which is also where 'hsdata import' looks for it); repeatable.",
)
@allow_network_option
@language_option
@click.option(
    "--force",
    is_flag=True,
    help="Replace OUT if it already holds files (with --format csv, a folder).",
)
def template_command(
    *,
    out: Path,
    output_format: str,
    package: Path | None,
    extensions: tuple[str, ...],
    allow_network: bool,
    force: bool,
) -> None:
    """Write a spreadsheet template to OUT: one sheet per record type and nested list.

    Each sheet has the columns of its records (language maps as name@en,
    name@fr; lists of identifiers separated by semicolons), drop-downs of the
    codelists, and an instructions sheet. With --from, the sheets hold the
    package's records, ready to edit; 'hsdata import' turns them back into JSON.
    """
    try:
        write_template(
            out,
            package=package,
            format=output_format,
            extensions=extensions,
            allow_network=allow_network,
            force=force,
        )
    except (HsdataError, OSError) as exc:
        fail(why(exc))
    click.echo(translated(tr("wrote {path}", path=out)))
