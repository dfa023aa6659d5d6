"""``hsdata registry check|fetch REGISTRY``: every package a registry of publishers lists."""

from __future__ import annotations

import json
from typing import NoReturn

import click

from .._files import OutputError, write_text
from .._i18n import tr, translated
from .._registry import (
    SUMMARY_FILE,
    RegistrySummary,
    check_registry,
    fetch_registry,
    summary_table,
)
from .._reporting import ExitCode, clean, format_text
from . import main
from ._common import exit_with, fail, note, wants_color, why
from ._options import format_option, output_folder_options

_FORMATS = ("text", "json")


@main.group(name="registry")
def registry_group() -> None:
    """Check the packages a registry of publishers lists (see the registry page of the docs).

    A registry is a JSON file listing publishers and their data sets: where
    each package is (a local path, a downloadURL), its licence and when it
    was last modified. Exit status: 0 when every package is valid, 1 when one
    is not (or could not be downloaded), 2 when the registry cannot be read.
    """


def _show(summary: RegistrySummary, output_format: str) -> NoReturn:
    if output_format == "json":
        click.echo(json.dumps(summary.as_json(), ensure_ascii=False, indent=2))
    else:
        if summary.datasets:
            click.echo(summary_table(summary), nl=False)
        report = summary.report
        if report.issues:
            click.echo(format_text(report, color=wants_color(output_format)), nl=False)
    exit_with(summary)


_format_option = format_option(
    _FORMATS, "text for people (a table per data set, then the issues), json for programs."
)


@registry_group.command(name="check")
@click.argument("registry", metavar="REGISTRY", type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=str),
    help="Also write the summary per publisher, as JSON, to FILE.",
)
@_format_option
def check_command(*, registry: str, output: str | None, output_format: str) -> None:
    """Validate every package REGISTRY lists, from its local path; never uses the network.

    Each data set's path (a package folder, its datapackage.json or a .zip)
    is relative to the registry file. A data set that depends on another
    package names its copy in its dependencies: the id of another data set
    of the registry, or a path.
    """
    try:
        summary = check_registry(registry)
    except OSError as exc:
        fail(_unreadable_registry(registry, exc))
    if output is not None:
        try:
            write_text(output, json.dumps(summary.as_json(), ensure_ascii=False, indent=2) + "\n")
        except OutputError as exc:
            fail(why(exc))
    _show(summary, output_format)


def _unreadable_registry(registry: str, exc: OSError) -> str:
    return translated(
        tr(
            "cannot read the registry {registry}: {reason}",
            registry=clean(registry, 300),
            reason=str(exc.strerror or exc),
        )
    )


@registry_group.command(name="fetch")
@click.argument("registry", metavar="REGISTRY", type=click.Path(dir_okay=False, path_type=str))
@output_folder_options(
    f"The folder to download the packages into (with registry.json and {SUMMARY_FILE})."
)
@click.option(
    "--allow-network",
    is_flag=True,
    help="Download each data set's downloadURL (http or https, within a deadline and size "
    "limit, public addresses only unless HSDATA_ALLOW_HOSTS names the host). Required: "
    "without it nothing is fetched.",
)
@_format_option
def fetch_command(
    *, registry: str, output: str, allow_network: bool, force: bool, output_format: str
) -> None:
    """Download every package REGISTRY lists into DIR, then validate each one.

    DIR gets one folder per downloaded data set, named by its id, a copy of
    the registry (registry.json) whose paths lead to the downloaded copies,
    and the summary per publisher (summary.json). DIR is written whole or
    not at all. A download that fails is reported with its data set, and the
    other packages are still checked.
    """
    if not allow_network:
        fail(
            translated(
                tr(
                    "fetching a registry's packages uses the network, which hsdata never does "
                    "unless told to: give --allow-network"
                )
            ),
            ExitCode.UNREADABLE,
        )
    try:
        summary = fetch_registry(registry, output, allow_network=True, force=force)
    except OutputError as exc:
        fail(why(exc))
    except OSError as exc:
        fail(_unreadable_registry(registry, exc))
    note(translated(tr("downloaded into {folder}", folder=clean(output, 300))))
    _show(summary, output_format)
