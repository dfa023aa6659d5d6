"""``hsdata export``: write a data package in one of the registered export formats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .._export import MissingExtraError, exporters, find_exporter
from .._files import OutputError, staged_folder
from .._reporting import clean
from . import main
from ._common import fail, load_or_exit, note, progress_bar, why

#: The export formats and what each writes, as the formats registered themselves.
FORMATS = {exporter.name: exporter.description for exporter in exporters()}


@main.command("export")
@click.option(
    "-f",
    "--format",
    "format_",
    type=click.Choice(sorted(FORMATS)),
    required=True,
    help="What to write: " + "; ".join(f"'{k}': {v}" for k, v in FORMATS.items()) + ".",
)
@click.option(
    "-p",
    "--package",
    "package",
    metavar="PATH",
    help="The package to export: a folder, its datapackage.json or a .zip "
    "(default: the canonical data set bundled with hsdata).",
)
@click.option(
    "--base",
    metavar="IRI",
    help="For JSON-LD, Turtle and N-Triples: the IRI record IRIs are relative to "
    "(default: the package's id).",
)
@click.option(
    "--force",
    is_flag=True,
    help="For CSV (a folder): replace the tables in OUT if it already holds files "
    "(other files are kept).",
)
@click.argument("out", metavar="OUT")
def export_command(
    *, format_: str, package: str | None, base: str | None, force: bool, out: str
) -> None:
    """Export a validated data package as CSV tables, JSON-LD, Turtle or N-Triples.

    The package is validated first; invalid data is not exported (exit 1),
    and input that cannot be read exits 2.

    \b
    Examples:
      hsdata export --format csv data/csv
      hsdata export --format jsonld --package my-package/ my-package.jsonld
      hsdata export --format turtle my-package.ttl

    The CSV tables are normalised (one per record type, link tables for
    members, participants, issue areas, citations and texts by language)
    and their datapackage.json declares primary and foreign keys, so
    'frictionless validate OUT/datapackage.json' checks them. The one
    change made to the data: a text cell starting with = + - @ a tab or a
    carriage return (or an apostrophe) gets an apostrophe in front, so
    spreadsheets never run it as a formula.
    """
    dataset = load_or_exit(package)
    chosen = find_exporter(format_)
    options: dict[str, Any] = {"base": base} if "base" in chosen.options else {}
    try:
        if chosen.writes == "folder":
            # a fresh folder swapped in at the end: OUT holds the old tables or the new ones
            with (
                staged_folder(out, force=force) as staging,
                progress_bar(len(dataset), f"Writing the {chosen.name} export") as progress,
            ):
                if "progress" in chosen.options:
                    options["progress"] = progress
                written = Path(out) / dataset.export(format_, staging, **options).name
        elif out == "-" and chosen.text is not None:
            click.echo(chosen.text(dataset, **options), nl=False)
            return
        else:
            written = dataset.export(format_, out, **options)
        note(f"Wrote {len(dataset)} records as {chosen.summary} {written}")
    except MissingExtraError as exc:
        fail(str(exc))
    except OutputError as exc:
        fail(why(exc))
    except OSError as exc:
        fail(f"cannot write {clean(out, 300)}: {clean(str(exc), 500)}")
