"""``hsdata upgrade``: migrate a data package to a newer version of the standard.

Exit codes, as for ``hsdata validate``: 0 upgraded and valid (warnings
allowed), 1 upgraded but the result has errors, 2 refused (unreadable input,
unknown version, a downgrade, an unsafe path) with nothing written.
"""

from __future__ import annotations

import re

import click

from .._i18n import tr, translated
from .._upgrade import upgrade
from . import main
from ._common import exit_with, print_report
from ._options import report_format_option


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
    "--publisher-name",
    multiple=True,
    metavar="[LANG=]NAME",
    help="Who publishes the package (1.2 and later); repeat for other languages, "
    "e.g. --publisher-name 'nb=Utenriksdepartementet'. Without LANG= the name is English.",
)
@click.option(
    "--publisher-id",
    metavar="SCHEME:ID",
    help="The publisher's identifier, e.g. wikidata:Q16 or orgId:XM-DAC-41301.",
)
@click.option("--publisher-url", metavar="URL", help="The publisher's web address.")
@click.option(
    "--reporting",
    type=click.Choice(["primary", "secondary"]),
    help="primary: the publisher reports its own work; secondary: someone else's.",
)
@click.option(
    "--reporting-on",
    multiple=True,
    metavar="[LANG=]NAME",
    help="Whose work a secondary publisher reports, e.g. 'Government of Canada'.",
)
@click.option(
    "--namespace",
    metavar="URI",
    help="The http(s) address ending in '/' under which the publisher names its records "
    "(default: the package's id, when it is such an address).",
)
@click.option(
    "--license",
    "license_name",
    metavar="NAME",
    help="The licence of the data, e.g. CC-BY-4.0 (default: the package's licenses).",
)
@click.option(
    "--published",
    metavar="YYYY-MM-DDThh:mm:ssZ",
    help="When this release is published, in UTC (default: the time of the upgrade).",
)
@report_format_option
def upgrade_command(
    *,
    path: str,
    target: str | None,
    output: str | None,
    in_place: bool,
    publisher_name: tuple[str, ...],
    publisher_id: str | None,
    publisher_url: str | None,
    reporting: str | None,
    reporting_on: tuple[str, ...],
    namespace: str | None,
    license_name: str | None,
    published: str | None,
    output_format: str,
) -> None:
    """Upgrade the data package PACKAGE (a folder or its datapackage.json; default: the
    current folder) from the version of the standard it declares to a newer one.

    Give --output OUTDIR or --in-place. Records are migrated step by step
    (1.0 to 1.1: a post's heldOn becomes attestedOn), 'hsdata:version' and
    each resource's jsonSchema are updated, and the result is validated. A
    package already at the version asked for is left as it is.

    1.2 adds facts about the publisher and the release: give them with
    --publisher-name, --reporting and (unless the package states them)
    --namespace and --license; --publisher-id, --publisher-url,
    --reporting-on and --published are optional. The upgrade says which
    are missing and writes nothing until they are given.

    Exit status: 0 upgraded and valid, 1 upgraded but invalid, 2 refused
    (nothing written).
    """
    if (output is None) == (not in_place):
        raise click.UsageError(
            translated(tr("give either --output OUTDIR or --in-place (exactly one)"))
        )
    report = upgrade(
        path,
        target,
        output=output,
        in_place=in_place,
        publisher_name=_language_map(publisher_name, "--publisher-name"),
        publisher_id=publisher_id,
        publisher_url=publisher_url,
        reporting=reporting,
        reporting_on=_language_map(reporting_on, "--reporting-on"),
        namespace=namespace,
        license=license_name,
        published=published,
    )
    print_report(report, output_format)
    exit_with(report)


_TAGGED = re.compile(r"([a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)=(.*)", re.DOTALL)


def _language_map(values: tuple[str, ...], option: str) -> dict[str, str] | None:
    """``LANG=TEXT`` values (a plain TEXT is English) as a language map; None if none given."""
    if not values:
        return None
    texts: dict[str, str] = {}
    for value in values:
        match = _TAGGED.fullmatch(value)
        language, text = (match.group(1), match.group(2)) if match else ("en", value)
        if not text.strip():
            raise click.BadParameter(f"{option} needs a name after {language}=", param_hint=option)
        if language in texts:
            raise click.BadParameter(f"{option} gives two names in {language}", param_hint=option)
        texts[language] = text
    return texts
