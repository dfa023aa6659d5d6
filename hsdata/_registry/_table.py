"""The registry summary as a table for people."""

from __future__ import annotations

from .._i18n import tr, translated
from .._reporting import clean
from ._check import RegistrySummary
from ._format import display_name

__all__ = ["summary_table"]

#: The column headings, translated when the table is made.
_HEADINGS = (
    tr("publisher"),
    tr("data set"),
    tr("valid"),
    tr("errors"),
    tr("warnings"),
    tr("records"),
    tr("modified"),
    tr("published"),
)


def _rows(summary: RegistrySummary) -> list[tuple[str, ...]]:
    names = {p["id"]: display_name(p["name"]) for p in summary.publishers}
    rows: list[tuple[str, ...]] = []
    for dataset in summary.datasets:
        counts = dataset.report.counts()
        rows.append(
            (
                clean(names.get(dataset.publisher, dataset.publisher), 40),
                dataset.id,
                translated(tr("yes") if dataset.valid else tr("NO")),
                str(counts["error"]),
                str(counts["warning"]),
                str(sum(dataset.records_by_type.values())),
                clean(dataset.modified, 25),
                clean(dataset.published or "-", 25),
            )
        )
    return rows


def summary_table(summary: RegistrySummary) -> str:
    """One line per data set, then its issues by rule and records by type when it has any."""
    rows = [tuple(translated(heading) for heading in _HEADINGS), *_rows(summary)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADINGS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    for dataset in summary.datasets:
        by_rule = dataset.report.by_rule()
        if by_rule:
            listed = ", ".join(f"{rule} {count}" for rule, count in sorted(by_rule.items()))
            lines.append(
                translated(tr("{id}: issues by rule: {listed}", id=dataset.id, listed=listed))
            )
        if dataset.records_by_type:
            listed = ", ".join(
                f"{kind} {count}" for kind, count in sorted(dataset.records_by_type.items())
            )
            lines.append(
                translated(tr("{id}: records by type: {listed}", id=dataset.id, listed=listed))
            )
    valid = sum(1 for d in summary.datasets if d.valid)
    lines.append(
        translated(
            tr("{valid} of {count} packages valid", valid=valid, count=len(summary.datasets))
        )
    )
    return "\n".join(lines) + "\n"
