"""``hsdata info``: what a data package holds, in a few lines."""

from __future__ import annotations

import json
from typing import Any

import click

from .. import Dataset
from .._i18n import listed, tr, translated
from .._reporting import clean
from . import main
from ._common import load_or_exit


def summarise(dataset: Dataset) -> dict[str, Any]:
    """The facts ``hsdata info`` shows, as JSON-ready values."""
    span = dataset.date_span()
    return {
        "location": dataset.location,
        "name": dataset.descriptor.get("name"),
        "title": dataset.descriptor.get("title"),
        "schemaVersion": dataset.schema_version,
        "records": len(dataset),
        "counts": dataset.counts(),
        "dateSpan": None if span is None else [span[0].isoformat(), span[1].isoformat()],
        "languages": dict(dataset.languages().most_common()),
        "warnings": len(dataset.report.warnings),
        "partnerships": [
            {
                "id": p.id,
                "name": str(p.name),
                "type": p.type,
                "status": p.status,
                "members": len(p.members),
                "events": len(p.timeline()),
            }
            for p in dataset.partnerships.records()
        ],
    }


@main.command("info")
@click.argument("path", required=False, metavar="[PACKAGE]")
@click.option(
    "--format",
    "-f",
    "format_",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="'text' for people, 'json' for programs.",
)
def info_command(path: str | None, format_: str) -> None:
    """Summarise a data package: records by type, date span, languages, partnerships.

    PACKAGE is a package folder, its datapackage.json or a .zip; without it,
    the canonical data set bundled with hsdata. The package is validated
    first: invalid data exits 1, input that cannot be read exits 2.
    """
    dataset = load_or_exit(path)
    facts = summarise(dataset)
    if format_ == "json":
        click.echo(json.dumps(facts, indent=2, ensure_ascii=False))
        return
    title = facts["title"] or facts["name"] or translated(tr("hsdata data package"))
    click.echo(clean(str(title), 200))
    where = {"location": clean(facts["location"], 300), "version": facts["schemaVersion"]}
    click.echo(
        translated(
            tr(
                "  from {location} (hsdata {version}, valid, {warnings} warnings)",
                warnings=facts["warnings"],
                **where,
            )
            if facts["warnings"]
            else tr("  from {location} (hsdata {version}, valid)", **where)
        )
    )
    click.echo(translated(tr("Records: {count}", count=facts["records"])))
    for record_type, count in facts["counts"].items():
        click.echo(f"  {record_type:<12} {count:>8}")
    span = facts["dateSpan"]
    click.echo(
        translated(
            tr("Dates: {start} to {end}", start=span[0], end=span[1]) if span else tr("Dates: none")
        )
    )
    languages = [
        tr("{tag} ({count} texts)", tag=tag, count=n) for tag, n in facts["languages"].items()
    ]
    click.echo(
        translated(
            tr("Languages: {languages}", languages=listed(languages, ", "))
            if languages
            else tr("Languages: none")
        )
    )
    click.echo(translated(tr("Partnerships: {count}", count=len(facts["partnerships"]))))
    for p in facts["partnerships"]:
        click.echo(
            translated(
                tr(
                    "  {id}: {name} ({type}, {status}, {members} members, {events} events)",
                    id=p["id"],
                    name=clean(p["name"], 120),
                    type=p["type"],
                    status=p["status"],
                    members=p["members"],
                    events=p["events"],
                )
            )
        )
