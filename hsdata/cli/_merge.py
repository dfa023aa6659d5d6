"""``hsdata merge PKG... --output DIR``: packages of several publishers joined into one."""

from __future__ import annotations

import click

from .._files import OutputError
from .._i18n import tr, translated
from .._merge import DEFAULT_NAMESPACE, MergeError, MergeResult, merge
from .._reporting import clean
from . import main
from ._common import exit_with, fail, note, print_report, why
from ._options import output_folder_options, report_format_option

SCHEDULER_HELP = (
    "Run the validation of each package on the Dask cluster whose scheduler is at this "
    "address (such as tcp://10.0.0.5:8786); needs the dask extra. The paths must name the "
    "same files on the workers."
)


def run_merge(
    packages: tuple[str, ...], output: str, force: bool, namespace: str, scheduler: str | None
) -> MergeResult:
    """The merge, here or on the cluster named by ``scheduler``."""
    if scheduler is None:
        return merge(packages, output, namespace=namespace, force=force)
    from .. import dask as on_dask

    try:
        client = on_dask.connect(scheduler)
    except (ImportError, OSError) as exc:
        fail(
            translated(
                tr(
                    "cannot use the Dask scheduler {scheduler}: {reason}",
                    scheduler=clean(scheduler, 300),
                    reason=why(exc),
                )
            )
        )
    with client:
        return on_dask.merge_many(packages, client, output, namespace=namespace, force=force)


@main.command(name="merge")
@click.argument("packages", nargs=-1, required=True, metavar="PKG...")
@output_folder_options("The folder to write the merged package to.")
@click.option(
    "--namespace",
    default=DEFAULT_NAMESPACE,
    show_default=True,
    help="The hsdata:namespace of the merged package (an http(s) URI ending in '/').",
)
@click.option("--scheduler", metavar="ADDRESS", default=None, help=SCHEDULER_HELP)
@report_format_option
def merge_command(
    *,
    packages: tuple[str, ...],
    output: str,
    force: bool,
    namespace: str,
    scheduler: str | None,
    output_format: str,
) -> None:
    """Merge hsdata 1.2 packages of several publishers into one package.

    Each PKG is a package folder, its datapackage.json or a .zip. Every record
    keeps its publisher: its id becomes the publisher's prefix and its own id
    (hsca-canada), and merge-provenance.json gives its original URI. References
    between the packages (hsca:canada) become local references. Records of the
    same thing from different publishers (the same external identifier) are
    matched, and where they contradict each other the report says so (rule
    merge-conflict, a warning) naming both sources. The report lists every
    package's issues; DIR is written only when no package has errors.

    Examples:
      hsdata merge data examples/norway-nb --output merged/
      hsdata merge a.zip b.zip --output merged/ --scheduler tcp://10.0.0.5:8786
    """
    try:
        result = run_merge(packages, output, force, namespace, scheduler)
    except (MergeError, OutputError) as exc:
        fail(why(exc))
    print_report(result.report, output_format)
    if result.output is not None:
        count = sum(len(records) for records in result.records.values())
        note(
            translated(
                tr(
                    "merged {packages} packages into {folder}: {count} records, {matched} "
                    "matched across publishers",
                    packages=len(result.inputs),
                    folder=clean(str(result.output), 300),
                    count=count,
                    matched=len(result.provenance["entities"]),
                )
            )
        )
    else:
        note(translated(tr("the merged package was not written: the packages above have errors")))
    exit_with(result.report)
