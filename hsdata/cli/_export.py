"""``hsdata export``: write a data package in one of the registered export formats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .._export import MissingExtraError, exporters, find_exporter
from .._files import OutputError, staged_folder
from .._i18n import tr, translated
from .._reporting import clean
from . import main
from ._common import fail, load_or_exit, note, progress_bar, why

#: The release that no longer accepts ``--package`` (deprecated in 1.2: the package is
#: the first argument, as for every other command).
PACKAGE_OPTION_REMOVED_IN = "1.3"

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
    "package_option",
    metavar="PACKAGE",
    help="Deprecated (removed in hsdata " + PACKAGE_OPTION_REMOVED_IN + "): give the package as "
    "the first argument instead.",
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
    help="Replace OUT if it already holds files (for CSV, a folder: its tables are replaced, "
    "other files are kept).",
)
@click.argument("arguments", nargs=-1, metavar="[PACKAGE] OUT")
def export_command(
    *,
    format_: str,
    package_option: str | None,
    base: str | None,
    force: bool,
    arguments: tuple[str, ...],
) -> None:
    """Export a validated data package as CSV tables, JSON-LD, Turtle or N-Triples.

    PACKAGE is a folder, its datapackage.json or a .zip (default: the
    canonical data set bundled with hsdata); OUT is where the export is
    written ('-' for standard output, for the text formats). The package is
    validated first; invalid data is not exported (exit 1),
    and input that cannot be read exits 2.

    \b
    Examples:
      hsdata export --format csv data/csv
      hsdata export --format jsonld my-package/ my-package.jsonld
      hsdata export --format turtle my-package.ttl

    The CSV tables are normalised (one per record type, link tables for
    members, participants, issue areas, citations and texts by language)
    and their datapackage.json declares primary and foreign keys, so
    'frictionless validate OUT/datapackage.json' checks them. The one
    change made to the data: a text cell starting with = + - @ a tab or a
    carriage return (or an apostrophe) gets an apostrophe in front, so
    spreadsheets never run it as a formula.
    """
    package, out = package_and_out(arguments, package_option)
    dataset = load_or_exit(package)
    chosen = find_exporter(format_)
    options: dict[str, Any] = {"base": base} if "base" in chosen.options else {}
    if "force" in chosen.options:  # a file format that refuses to replace OUT (sqlite)
        options["force"] = force
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
        note(translated(_wrote(len(dataset), chosen.summary, str(written))))
    except MissingExtraError as exc:
        fail(str(exc))
    except OutputError as exc:
        fail(why(exc))
    except OSError as exc:
        fail(
            translated(
                tr(
                    "cannot write {path}: {reason}",
                    path=clean(out, 300),
                    reason=clean(str(exc), 500),
                )
            )
        )


def _wrote(count: int, summary: str, written: str) -> str:
    """What an export wrote, one whole sentence per bundled format (others: their summary)."""
    said = {"count": count, "written": written}
    if summary == "CSV tables described by":
        return tr("Wrote {count} records as CSV tables described by {written}", **said)
    if summary == "JSON-LD to":
        return tr("Wrote {count} records as JSON-LD to {written}", **said)
    if summary == "N-Triples to":
        return tr("Wrote {count} records as N-Triples to {written}", **said)
    if summary == "Turtle to":
        return tr("Wrote {count} records as Turtle to {written}", **said)
    if summary == "an SQLite database to":
        return tr("Wrote {count} records as an SQLite database to {written}", **said)
    return tr("Wrote {count} records as {summary} {written}", summary=summary, **said)


def package_and_out(
    arguments: tuple[str, ...], package_option: str | None
) -> tuple[str | None, str]:
    """The package (None: the canonical data) and OUT, from ``[PACKAGE] OUT`` or the old
    ``--package PACKAGE OUT``, which still works with a warning on stderr."""
    if package_option is not None:
        note(
            translated(
                tr(
                    "warning: --package is deprecated and will be removed in hsdata {version}; "
                    "give the package as the first argument: hsdata export --format FORMAT "
                    "PACKAGE OUT",
                    version=PACKAGE_OPTION_REMOVED_IN,
                )
            )
        )
        if len(arguments) != 1:
            raise click.UsageError(
                translated(
                    tr(
                        "with --package, give only OUT; better, drop --package: "
                        "hsdata export --format FORMAT PACKAGE OUT"
                    )
                )
            )
        return package_option, arguments[0]
    if len(arguments) == 1:
        return None, arguments[0]
    if len(arguments) == 2:
        return arguments[0], arguments[1]
    if not arguments:
        raise click.UsageError("give OUT, where to write the export: hsdata export [PACKAGE] OUT")
    raise click.UsageError(
        f"too many arguments ({len(arguments)}); give at most a package and OUT: "
        "hsdata export [PACKAGE] OUT"
    )
