"""``hsdata validate``: check data and report in text, JSON or GitHub annotations.

Exit codes: 0 valid (warnings allowed), 1 invalid data, 2 usage error or
input that cannot be read. Whatever happens, the outcome is printed in the
format asked for, never as a traceback: even a mistyped option comes out as
JSON under ``--format json``.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from .._errors import HsdataError
from .._i18n import Message, tr
from .._reporting import FORMATS, ExitCode, Report, clean, make_issue
from .._validator import validate
from . import main
from ._common import TranslatedCommand, exit_with, print_report, record_counter
from ._options import allow_network_option, report_format_option


def _format_in(args: Sequence[str]) -> str:
    """The --format asked for on a command line that may not parse."""
    chosen = "text"
    for index, arg in enumerate(args):
        if arg in ("--format", "-f") and index + 1 < len(args):
            chosen = args[index + 1]
        elif arg.startswith("--format="):
            chosen = arg.split("=", 1)[1]
        elif arg.startswith("-f") and len(arg) > 2:
            chosen = arg[2:]
    return chosen if chosen in FORMATS else "text"


def _usage_report(message: str) -> Report:
    return Report(
        issues=(make_issue("input-usage", clean(message, 500), unreadable=True),),
    )


class _ValidateCommand(TranslatedCommand):
    """A command whose usage errors are reported in the format asked for."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)  # click's parser consumes the list it is given
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            output_format = _format_in(given)
            if output_format == "text":
                raise
            print_report(_usage_report(exc.format_message()), output_format)
            ctx.exit(int(ExitCode.UNREADABLE))
        raise AssertionError("unreachable")  # pragma: no cover


@main.command(name="validate", cls=_ValidateCommand)
@click.argument(
    "paths", nargs=-1, metavar="[PACKAGE]...", type=click.Path(dir_okay=True, path_type=str)
)
@report_format_option
@click.option(
    "--schema-version",
    metavar="X.Y",
    help="The version of the standard to check against (default: what the data declares).",
)
@click.option(
    "--record-type",
    metavar="TYPE",
    help="The type of the records in files whose names do not say it (event, issueArea, ...).",
)
@click.option(
    "--dependency",
    "dependencies",
    multiple=True,
    metavar="PREFIX=PATH",
    callback=lambda ctx, param, given: dependency_copies(given),
    help="A local copy (folder, datapackage.json or .zip) of the package declared under PREFIX "
    "in hsdata:dependencies, used when the declaration's own path holds none. Repeatable.",
)
@allow_network_option
def validate_command(
    *,
    paths: tuple[str, ...],
    output_format: str,
    schema_version: str | None,
    record_type: str | None,
    dependencies: dict[str, str],
    allow_network: bool,
) -> None:
    """Check hsdata data: a package folder, its datapackage.json, a .zip holding a
    package, files of records (JSON or JSON Lines), or, with no PATH, the canonical
    data bundled with hsdata.

    Exit status: 0 valid (warnings allowed), 1 invalid, 2 usage error or
    unreadable input.
    """
    try:
        with record_counter("validating…") as progress:
            report = validate(
                list(paths) if paths else None,
                schema_version=schema_version,
                record_type=record_type,
                progress=progress,
                allow_network=allow_network,
                dependencies=dependencies,
            )
    except Exception as exc:  # the report, never a traceback, must come out
        report = _failure_report(exc, schema_version)
    print_report(report, output_format)
    exit_with(report)


def dependency_copies(given: Sequence[str]) -> dict[str, str]:
    """``--dependency PREFIX=PATH`` options as {prefix: path}; a malformed one is a usage error.

    >>> dependency_copies(["hsca=../data", "other=dep.zip"])
    {'hsca': '../data', 'other': 'dep.zip'}
    """
    copies: dict[str, str] = {}
    for option in given:
        prefix, separator, path = option.partition("=")
        if not separator or not prefix or not path:
            raise click.BadParameter(
                f"{clean(option, 200)!r} is not PREFIX=PATH (for example hsca=../data)",
                param_hint="'--dependency'",
            )
        copies[prefix] = path
    return copies


def _failure_report(exc: Exception, schema_version: str | None) -> Report:
    if not isinstance(exc, HsdataError):
        return Report(
            issues=(
                make_issue(
                    "input-internal-error",
                    tr(
                        "hsdata failed with {error}: {reason}",
                        error=type(exc).__name__,
                        reason=clean(str(exc), 300),
                    ),
                    unreadable=True,
                ),
            )
        )
    # A message made with tr() is kept whole, so that the report says it in its language.
    said = exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], Message) else None
    return Report(
        issues=(
            make_issue(
                "input-schema-version-unknown" if schema_version is not None else "input-usage",
                said if said is not None else clean(str(exc), 500),
                unreadable=True,
            ),
        )
    )
