"""``hsdata compile RELEASE... --output DIR``: dated releases into current records with history."""

from __future__ import annotations

import click

from .._compile import HISTORY_FILE, CompileError, compile_releases
from .._files import OutputError
from .._i18n import tr, translated
from .._reporting import clean
from . import main
from ._common import fail, note, why
from ._options import allow_network_option, output_folder_options


@main.command(name="compile")
@click.argument("releases", nargs=-1, required=True, metavar="RELEASE...")
@output_folder_options("The folder to write the compiled package to.")
@allow_network_option
def compile_command(
    *, releases: tuple[str, ...], output: str, force: bool, allow_network: bool
) -> None:
    """Compile dated releases of one package, oldest first, into its current records
    with the history of each record.

    Each RELEASE is a package folder, its datapackage.json or a .zip, whose
    datapackage.json gives hsdata:published and hsdata:namespace. DIR gets the
    newest release's records and record-history.json: for each record URI, the
    releases that added, changed (which fields) or removed the record. Releases
    out of date order or of different namespaces are refused (exit status 2).
    """
    try:
        compiled = compile_releases(releases, allow_network=allow_network)
        written = compiled.write(output, force=force)
    except (CompileError, OutputError) as exc:
        fail(why(exc))
    changes = sum(len(entries) for entries in compiled.history.values())
    note(
        translated(
            tr(
                "compiled {releases} releases into {folder}: {records} records, {changes} "
                "changes in {history}",
                releases=len(compiled.releases),
                folder=clean(str(written), 300),
                records=len(compiled.history),
                changes=changes,
                history=HISTORY_FILE,
            )
        )
    )
