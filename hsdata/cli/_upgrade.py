"""``hsdata upgrade``: migrate a data package to a newer version of the standard.

Exit codes, as for ``hsdata validate``: 0 upgraded and valid (warnings
allowed), 1 upgraded but the result has errors, 2 refused (unreadable input,
unknown version, a downgrade, an unsafe path) with nothing written.
"""

from __future__ import annotations

import click

from .._reporting import FORMATS
from .._upgrade import upgrade
from . import main
from ._common import exit_with, print_report


@main.command("upgrade")
@click.argument("path", required=False, default=".", metavar="[PACKAGE]")
@click.option(
    "--to",
    "target",
    metavar="X.Y",
    help="The version of the standard to upgrade to (default: the newest this hsdata bundles).",
)
@click.option(
    "--output",
    "-o",
    metavar="OUTDIR",
    help="Write the upgraded package to this new (or empty) folder outside the package.",
)
@click.option("--in-place", is_flag=True, help="Rewrite the package's own files.")
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people, json for programs, github for annotations on pull requests.",
)
def upgrade_command(
    path: str, target: str | None, output: str | None, in_place: bool, output_format: str
) -> None:
    """Upgrade the data package PACKAGE (a folder or its datapackage.json; default: the
    current folder) from the version of the standard it declares to a newer one.

    Give --output OUTDIR or --in-place. Records are migrated step by step
    (1.0 to 1.1: a post's heldOn becomes attestedOn), 'hsdata:version' and
    each resource's jsonSchema are updated, and the result is validated.

    Exit status: 0 upgraded and valid, 1 upgraded but invalid, 2 refused
    (nothing written).
    """
    if (output is None) == (not in_place):
        raise click.UsageError("give either --output OUTDIR or --in-place (exactly one)")
    report = upgrade(path, target, output=output, in_place=in_place)
    print_report(report, output_format)
    exit_with(report)
