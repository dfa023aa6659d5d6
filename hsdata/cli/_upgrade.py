"""``hsdata upgrade``: migrate a data package to a newer version of the standard.

Exit codes, as for ``hsdata validate``: 0 upgraded and valid (warnings
allowed), 1 upgraded but the result has errors, 2 refused (unreadable input,
unknown version, a downgrade, an unsafe path) with nothing written.
"""

from __future__ import annotations

import json
import sys

import click

from .._reporting import ExitCode
from .._upgrade import UpgradeReport, upgrade
from . import main


def format_upgrade_report(report: UpgradeReport) -> str:
    """The report as text for people: what changed, counted and listed, then any issues."""
    lines: list[str] = []
    if report.source_version and report.target_version:
        if report.steps:
            lines.append(
                f"Upgraded from hsdata {report.source_version} to {report.target_version}"
                + (f" in {report.output}" if report.output else "")
            )
            lines.extend(f"  step {step}" for step in report.steps)
        elif report.exit_code is not ExitCode.UNREADABLE:
            lines.append(f"Already at hsdata {report.target_version}: no change needed")
    for kind, count in sorted(report.counts().items()):
        lines.append(f"  {count:4d} × {kind}")
    for change in report.changes:
        where = change.file or ""
        if change.line is not None:
            where += f":{change.line}"
        record = f" [{change.record}]" if change.record else ""
        pointer = f" {change.pointer}" if change.pointer else ""
        lines.append(f"{where}{pointer}{record}: {change.message}")
    for issue in report.issues:
        record = f" [{issue.record}]" if issue.record else ""
        pointer = f" {issue.pointer}" if issue.pointer else ""
        lines.append(
            f"{issue.location}{pointer}{record}: {issue.severity}: {issue.message} ({issue.rule})"
        )
    if report.exit_code is ExitCode.UNREADABLE:
        lines.append("Upgrade refused: nothing was written.")
    elif report.written:
        errors = len(report.errors)
        verdict = "valid" if not errors else f"invalid ({errors} error{'s' if errors != 1 else ''})"
        lines.append(f"{len(report.files)} file(s) written; the upgraded package is {verdict}.")
    return "\n".join(lines) + "\n"


@main.command("upgrade")
@click.argument("path", required=False, default=".", metavar="[PATH]")
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
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs.",
)
def upgrade_command(
    path: str, target: str | None, output: str | None, in_place: bool, output_format: str
) -> None:
    """Upgrade the data package at PATH (a folder or its datapackage.json; default: the
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
    if output_format == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_upgrade_report(report), nl=False)
    sys.exit(int(report.exit_code))
