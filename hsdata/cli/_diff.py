"""``hsdata diff OLD NEW``: what changed between two releases of a package."""

from __future__ import annotations

import json
from typing import Any

import click

from .._diff import DiffError, FieldChange, PackageDiff, RecordChange, diff
from .._i18n import listed, tr, translated
from .._reporting import ExitCode, clean, shown
from . import main
from ._common import fail
from ._options import ALLOW_NETWORK_HELP

#: The longest value shown in a line of text output, in characters.
_VALUE_LIMIT = 80


def shown_value(value: Any) -> str:
    """A value from the data for a line of text: texts quoted, lists and objects as short JSON.

    >>> shown_value("Canada\\n"), shown_value(3), shown_value({"en": "A"})
    ("'Canada\\\\n'", '3', '{"en": "A"}')
    """
    if isinstance(value, (list, dict)):
        return clean(json.dumps(value, ensure_ascii=False), _VALUE_LIMIT)
    return shown(value, _VALUE_LIMIT)


def field_line(change: FieldChange) -> str:
    """One field change: ``/name/fr: 'Canada' -> 'Le Canada'``."""
    where = clean(change.pointer or "/", 200)
    if change.kind == "added":
        return tr("{where}: added {value}", where=where, value=shown_value(change.new))
    if change.kind == "removed":
        return tr("{where}: removed (was {value})", where=where, value=shown_value(change.old))
    return tr(
        "{where}: {old} -> {new}",
        where=where,
        old=shown_value(change.old),
        new=shown_value(change.new),
    )


def record_name(change: RecordChange) -> str:
    """How a record is named in a line: its type and id (and which, when ids repeat)."""
    if change.id is None:
        return tr(
            "{type} without an id (number {number})",
            type=change.record_type,
            number=change.occurrence + 1,
        )
    named = {"type": change.record_type, "id": shown(change.id, 200)}
    if change.occurrence:
        return tr(
            "{type} {id} (record {number} with this id)", number=change.occurrence + 1, **named
        )
    return tr("{type} {id}", **named)


_MARKS = {"added": "+", "removed": "-", "changed": "~"}


def summary_line(result: PackageDiff) -> str:
    """``N records added, N removed, N changed (actor: ...; event: ...)``."""
    totals = {kind: len(result.of_kind(kind)) for kind in ("added", "removed", "changed")}
    line = (
        tr("{added} record added, {removed} removed, {changed} changed", **totals)
        if totals["added"] == 1
        else tr("{added} records added, {removed} removed, {changed} changed", **totals)
    )
    by_type = [
        tr(
            "{type}: {counts}",
            type=record_type,
            counts=listed([_counted(kind, n) for kind, n in counts.items() if n], ", "),
        )
        for record_type, counts in result.counts().items()
    ]
    if not by_type:
        return line
    return tr("{summary} ({by_type})", summary=line, by_type=listed(by_type))


def _counted(kind: str, count: int) -> str:
    if kind == "added":
        return tr("{count} added", count=count)
    if kind == "removed":
        return tr("{count} removed", count=count)
    return tr("{count} changed", count=count)


def format_text(result: PackageDiff) -> str:
    """The comparison for people: a summary line, then a line per change."""
    old_version, new_version = result.versions
    lines: list[str] = [
        tr(
            "Comparing {old} (hsdata {old_version}) with {new} (hsdata {new_version})",
            old=clean(result.old, 300),
            old_version=clean(str(old_version)),
            new=clean(result.new, 300),
            new_version=clean(str(new_version)),
        ),
        summary_line(result),
    ]
    if not result.same_version:
        lines.append(
            tr(
                "note: the packages follow different versions of the standard and are compared "
                "as they are; upgrade the old one first ('hsdata upgrade') to compare like with "
                "like"
            )
        )
    if result.descriptor:
        lines.append(tr("~ the package descriptor"))
        lines.extend(f"    {translated(field_line(change))}" for change in result.descriptor)
    for resource in result.resources:
        lines.append(
            tr(
                "{mark} resource {name}",
                mark=_MARKS[resource.kind],
                name=shown(resource.name, 200),
            )
        )
        lines.extend(f"    {translated(field_line(change))}" for change in resource.fields)
    for record in result.records:
        lines.append(f"{_MARKS[record.kind]} {translated(record_name(record))}")
        if record.kind == "changed":
            lines.extend(f"    {translated(field_line(change))}" for change in record.fields)
    if not result.differs:
        lines.append(tr("No differences."))
    return "\n".join(translated(line) for line in lines) + "\n"


@main.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option(
    "--format",
    "-f",
    "format_",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="'text' for people, 'json' for programs (the whole comparison).",
)
@click.option(
    "--record-type",
    "record_types",
    multiple=True,
    metavar="TYPE",
    help="Compare only records of this type (such as 'actor'); may be repeated. The "
    "descriptor and resources are then left out.",
)
@click.option(
    "--allow-network",
    is_flag=True,
    help=ALLOW_NETWORK_HELP,
)
@click.pass_context
def diff_command(
    ctx: click.Context,
    *,
    old: str,
    new: str,
    format_: str,
    record_types: tuple[str, ...],
    allow_network: bool,
) -> None:
    """Compare two releases of a data package: records added, removed and changed.

    OLD and NEW are each a package folder, its datapackage.json or a .zip.
    Records are matched by type and id, and every change is shown field by
    field as a JSON Pointer with the old and new value. Exit codes, as for
    'diff': 0 no differences, 1 differences, 2 a package cannot be read.
    """
    try:
        result = diff(
            old,
            new,
            record_types=record_types or None,
            allow_network=allow_network,
        )
    except DiffError as exc:
        fail(str(exc))
    if format_ == "json":
        # Every character beyond ASCII escaped: lossless, and nothing in the data can act
        # on a terminal the output is shown on.
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=True))
    else:
        click.echo(format_text(result), nl=False)
    ctx.exit(int(ExitCode.INVALID) if result.differs else int(ExitCode.VALID))
