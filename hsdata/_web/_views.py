"""What the pages show, worked out from a report or a package (no HTTP here).

:func:`issue_groups` orders a report for reading (errors first, by file and
rule, each issue at its place with its value); :class:`DataView` answers the
questions of the data pages (counts, dates, languages, pictures, records and
the links between them) for one package, reading it once.
"""

from __future__ import annotations

import json
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from .._reporting import Issue, Severity, clean
from ._checks import (
    Outcome,
    Place,
    message_without_place,
    package_records,
    place_of,
    severity_order,
    value_at,
)
from ._figures import Records, draw_network, draw_timeline, figure_svg, text_in, timeline_spans
from ._text import gettext, message_in, rule_title_in

#: The most issues shown for one rule of one file (the counts say how many there are).
MAX_SHOWN_PER_RULE = 200
#: The most records listed on a data page.
MAX_LISTED = 500


@dataclass
class IssueView:
    severity: str
    message: str
    place: Place
    record: str | None
    value: str | None


@dataclass
class RuleGroup:
    rule: str
    severity: str
    title: str
    docs_url: str | None
    issues: list[IssueView] = field(default_factory=list)
    hidden: int = 0


@dataclass
class FileGroup:
    file: str
    rules: list[RuleGroup] = field(default_factory=list)


def _shown_value(found: tuple[bool, Any]) -> str | None:
    ok, value = found
    if not ok:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return clean(text, 200)


class _Values:
    """The values at issues' pointers in a single uploaded JSON or JSON Lines file."""

    def __init__(self, outcome: Outcome, upload: Path | None) -> None:
        self.document: Any = None
        self.lines: list[bytes] | None = None
        self.kind = outcome.kind
        if upload is None or outcome.kind not in ("json", "jsonl"):
            return
        try:
            data = upload.read_bytes()
            if outcome.kind == "json":
                self.document = orjson.loads(data)
            else:
                self.lines = data.split(b"\n")
        except (OSError, orjson.JSONDecodeError):
            self.document = None

    def at(self, issue: Issue) -> str | None:
        if self.kind == "json":
            return _shown_value(value_at(self.document, issue.pointer))
        if self.lines is not None and issue.line and 0 < issue.line <= len(self.lines):
            try:
                record = orjson.loads(self.lines[issue.line - 1])
            except orjson.JSONDecodeError:
                return None
            return _shown_value(value_at(record, issue.pointer))
        return None


def issue_groups(outcome: Outcome, upload: Path | None, language: str) -> list[FileGroup]:
    """The report's issues by file, then rule, errors first, with places and values."""
    values = _Values(outcome, upload)
    files: dict[str, FileGroup] = {}
    rules: dict[tuple[str, str], RuleGroup] = {}
    for issue in sorted(outcome.report.issues, key=severity_order):
        file = clean(issue.file or outcome.display, 300)
        group = files.setdefault(file, FileGroup(file))
        key = (file, issue.rule)
        rule_group = rules.get(key)
        if rule_group is None:
            title = rule_title_in(issue.rule, language)
            rule_group = RuleGroup(issue.rule, issue.severity.value, title, issue.docs_url)
            rules[key] = rule_group
            group.rules.append(rule_group)
        if len(rule_group.issues) >= MAX_SHOWN_PER_RULE:
            rule_group.hidden += 1
            continue
        place = place_of(issue, outcome.spreadsheet)
        rule_group.issues.append(
            IssueView(
                severity=issue.severity.value,
                message=message_without_place(message_in(issue.message, language), place),
                place=place,
                record=clean(issue.record, 200) if issue.record else None,
                value=values.at(issue),
            )
        )
    return list(files.values())


def verdict(outcome: Outcome) -> str:
    """The one sentence at the top of a report (a key of the page's catalogue)."""
    report = outcome.report
    if any(i.unreadable for i in report.issues):
        return "The file could not be read: see why below."
    if not report.valid:
        return "The file is not valid: correct the errors below and check it again."
    if report.warnings:
        return "The file is valid, with warnings to read."
    return "The file is valid."


def severity_counts(outcome: Outcome) -> dict[str, int]:
    counted = Counter(i.severity for i in outcome.report.issues)
    return {"errors": counted[Severity.ERROR], "warnings": counted[Severity.WARNING]}


# -- exploring a package --------------------------------------------------------------------


@dataclass(frozen=True)
class RecordLink:
    record_type: str
    id: str
    name: str


class DataView:
    """One package seen through the data pages; read once, on first use, in a worker thread."""

    def __init__(self, package: Path, base: str) -> None:
        self.package = package
        self.base = base  # the URL the data pages of this package start with
        self.figures = base.removesuffix("/data") + "/figures"
        self._lock = threading.Lock()
        self._records: dict[str, list[dict[str, Any]]] | None = None
        self._summary: dict[str, Any] | None = None
        self._figures: dict[tuple[str, str], str] = {}

    # Reading ---------------------------------------------------------------------------------

    def records(self) -> dict[str, list[dict[str, Any]]]:
        with self._lock:
            if self._records is None:
                self._records = package_records(self.package)
                self._index = {
                    str(r["id"]): (kind, r)
                    for kind, found in self._records.items()
                    for r in found
                    if isinstance(r.get("id"), str)
                }
                self._linked_from: dict[str, list[tuple[str, str]]] = defaultdict(list)
                for target, (kind, record) in self._index.items():
                    for linked in sorted(set(self._ids_in(record, skip=target))):
                        self._linked_from[linked].append((kind, target))
            return self._records

    def _ids_in(self, value: Any, skip: str) -> Iterator[str]:
        """The identifiers of other records a record names, anywhere in its fields."""
        if isinstance(value, str):
            if value != skip and value in self._index:
                yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from self._ids_in(item, skip)
        elif isinstance(value, list):
            for item in value:
                yield from self._ids_in(item, skip)

    def summary(self) -> dict[str, Any]:
        """Counts by type, date span and languages, from the loader (the package is valid)."""
        from .._loader import load

        with self._lock:
            if self._summary is None:
                dataset = load(self.package)
                span = dataset.date_span()
                self._summary = {
                    "title": dataset.descriptor.get("title") or dataset.descriptor.get("name"),
                    "records": len(dataset),
                    "counts": dataset.counts(),
                    "span": None if span is None else (span[0].isoformat(), span[1].isoformat()),
                    "languages": dict(dataset.languages().most_common()),
                    "version": dataset.schema_version,
                }
            return self._summary

    # Pages -----------------------------------------------------------------------------------

    def name_of(self, record: dict[str, Any], language: str) -> str:
        name = text_in(record.get("name") or record.get("title"), language)
        return clean(name or str(record.get("id", "")), 200)

    def search(self, query: str, language: str) -> tuple[int, list[RecordLink]]:
        """The records whose identifier or name (in any language) holds ``query``."""
        wanted = query.casefold().strip()
        found: list[RecordLink] = []
        total = 0
        for kind, records in self.records().items():
            for record in records:
                names = record.get("name")
                texts = [str(record.get("id", ""))]
                texts += [str(v) for v in names.values()] if isinstance(names, dict) else []
                if wanted and not any(wanted in t.casefold() for t in texts):
                    continue
                total += 1
                if len(found) < MAX_LISTED:
                    found.append(
                        RecordLink(
                            kind, clean(str(record.get("id")), 200), self.name_of(record, language)
                        )
                    )
        return total, found

    def record(self, kind: str, record_id: str) -> dict[str, Any] | None:
        self.records()
        found = self._index.get(record_id)
        return found[1] if found is not None and found[0] == kind else None

    def link(self, record_id: str, language: str) -> RecordLink | None:
        self.records()
        found = self._index.get(record_id)
        if found is None:
            return None
        return RecordLink(found[0], clean(record_id, 200), self.name_of(found[1], language))

    def links_of(self, record: dict[str, Any], language: str) -> list[RecordLink]:
        self.records()
        own = str(record.get("id", ""))
        ids = sorted(set(self._ids_in(record, skip=own)))
        return [link for i in ids if (link := self.link(i, language)) is not None]

    def linked_from(self, record_id: str, language: str) -> list[RecordLink]:
        self.records()
        return [
            link
            for _kind, i in self._linked_from.get(record_id, [])
            if (link := self.link(i, language))
        ]

    def figure(self, name: str, language: str) -> str | None:
        """The timeline or network picture as SVG in ``language``; None when nothing to draw."""
        from .._schemas import load_schema_set

        records: Records = self.records()
        version = str(self.summary()["version"])
        key = (name, language)
        with self._lock:
            if key in self._figures:
                return self._figures[key] or None
            label: Callable[[str], str] = gettext(language)
            codelists = load_schema_set(version).codelists
            svg = ""
            if name == "timeline":
                spans, _undated = timeline_spans(records, codelists, language)
                if spans:
                    svg = figure_svg(draw_timeline(spans, label), "hsdata-timeline")
            elif records.get("partnership"):
                svg = figure_svg(
                    draw_network(records, codelists, language, label), "hsdata-network"
                )
            self._figures[key] = svg
            return svg or None
