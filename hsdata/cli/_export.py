"""``hsdata export``: write a data package as CSV tables or JSON-LD."""

from __future__ import annotations

from pathlib import Path

import click

from .._files import OutputError, staged_folder
from .._reporting import clean
from . import main
from ._common import fail, load_or_exit, note, progress_bar

#: The export formats and what each writes.
FORMATS = {
    "csv": "normalised CSV tables and a datapackage.json (Data Package 2.0) into OUT, a folder",
    "jsonld": "one JSON-LD document (schema.org, W3C ORG, SKOS) into OUT, a file "
    "(a folder: OUT/NAME.jsonld; '-': stdout)",
}


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
    help="For JSON-LD: the IRI record IRIs are relative to (default: the package's id).",
)
@click.option(
    "--force",
    is_flag=True,
    help="For CSV: replace the tables in OUT if it already holds files (other files are kept).",
)
@click.argument("out", metavar="OUT")
def export_command(
    *, format_: str, package: str | None, base: str | None, force: bool, out: str
) -> None:
    """Export a validated data package as CSV tables or JSON-LD.

    The package is validated first; invalid data is not exported (exit 1),
    and input that cannot be read exits 2.

    \b
    Examples:
      hsdata export --format csv data/csv
      hsdata export --format jsonld --package my-package/ my-package.jsonld

    The CSV tables are normalised (one per record type, link tables for
    members, participants, issue areas, citations and texts by language)
    and their datapackage.json declares primary and foreign keys, so
    'frictionless validate OUT/datapackage.json' checks them. The one
    change made to the data: a text cell starting with = + - @ a tab or a
    carriage return (or an apostrophe) gets an apostrophe in front, so
    spreadsheets never run it as a formula.
    """
    dataset = load_or_exit(package)
    try:
        if format_ == "csv":
            from .._export import write_csv_package

            # a fresh folder swapped in at the end: OUT holds the old tables or the new ones
            with (
                staged_folder(out, force=force) as staging,
                progress_bar(len(dataset), "Writing CSV tables") as progress,
            ):
                written = Path(out) / write_csv_package(dataset, staging, progress=progress).name
            note(f"Wrote {len(dataset)} records as CSV tables described by {written}")
        else:
            from .._export import to_jsonld, write_jsonld

            if out == "-":
                import json

                click.echo(json.dumps(to_jsonld(dataset, base=base), indent=2, ensure_ascii=False))
            else:
                target = Path(out)
                if target.is_dir():
                    target = target / f"{dataset.descriptor.get('name') or 'hsdata'}.jsonld"
                written = write_jsonld(dataset, target, base=base)
                note(f"Wrote {len(dataset)} records as JSON-LD to {written}")
    except OutputError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {clean(out, 300)}: {clean(str(exc), 500)}")
