"""The run: records through the record checks and the integrity index, to one report.

:class:`_Run` carries one validation (of a package or of loose files) from
its records to its :class:`Report`: each record is checked alone
(:mod:`._record`, on several processes for a large JSON Lines file:
:mod:`._parallel`) and folded into the :class:`~._integrity.IntegrityIndex`
for the checks across records; at the end the issues are capped per file
and rule, located at lines and columns (:mod:`._locate`) and sorted. Every
outcome is an :class:`Issue`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .._i18n import tr
from .._package import RecordItem, read_json_lines
from .._reporting import Issue, Report, clean, make_issue
from .._schemas import SchemaSet
from ._integrity import IntegrityIndex
from ._locate import LineOffsets, is_json_lines, locate
from ._parallel import ShareResult, check_in_workers, usable_for
from ._record import RecordChecker, check_record
from ._schema_check import SchemaUnusable

#: Called now and then with the number of records checked so far.
Progress = Callable[[int], None]

_PROGRESS_EVERY = 5000

#: The most issues of one rule listed for one file; the others are counted, so that a
#: file broken everywhere gives a readable report in bounded memory.
MAX_LISTED = 1000

_checkers: dict[int, tuple[SchemaSet, RecordChecker]] = {}


def checker_for(schema_set: SchemaSet) -> RecordChecker:
    """The :class:`RecordChecker` of a schema set, built once per set."""
    cached = _checkers.get(id(schema_set))
    if cached is None or cached[0] is not schema_set:
        cached = (schema_set, RecordChecker(schema_set))
        _checkers[id(schema_set)] = cached
    return cached[1]


# -- the run: records through checks and the integrity index -------------------------------------


@dataclass
class _Run:
    schema_set: SchemaSet
    progress: Progress | None = None
    checked_types: set[str] | None = None  # reference targets to check (None: every type)
    workers: int = 1  # processes for large JSON Lines files
    issues: list[Issue] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)
    json_lines: set[str] = field(default_factory=set)  # the files among paths read line by line
    records: int = 0
    index: IntegrityIndex = field(default_factory=IntegrityIndex)

    def __post_init__(self) -> None:
        self.checker = checker_for(self.schema_set)
        self.broken_types: set[str] = set()
        self.unreadable_types: set[str] = set()
        self._listed: Counter[tuple[str | None, str]] = Counter()
        self._suppressed: Counter[tuple[str | None, str]] = Counter()
        #: where the lines of the files checked by workers are (see LineOffsets)
        self.line_offsets: dict[str, LineOffsets] = {}

    def _add(self, issue: Issue) -> None:
        """Keep an issue, unless its file already has MAX_LISTED of its rule (then count it)."""
        key = (issue.file, issue.rule)
        if self._listed[key] < MAX_LISTED:
            self._listed[key] += 1
            self.issues.append(issue)
        else:
            self._suppressed[key] += 1

    def add_file(self, display: str, path: Path | None, *, json_lines: bool | None = None) -> None:
        """Name a file the report covers; ``json_lines``: read line by line (default: by suffix)."""
        if display not in self.files:
            self.files.append(display)
        if path is not None:
            self.paths[display] = path
            if is_json_lines(path) if json_lines is None else json_lines:
                self.json_lines.add(display)

    def check_items(
        self, items: Iterable[RecordItem | Issue], display: str, record_type: str
    ) -> None:
        for item in items:
            if isinstance(item, Issue):
                self._add(item)
                if item.unreadable:
                    # Records of this type may be missing: references to them cannot be judged.
                    self.unreadable_types.add(record_type)
                continue
            self._check_item(item, display, record_type)

    def check_json_lines(self, path: Path, display: str, record_type: str) -> None:
        """Check a JSON Lines file: on several processes when it is large, else here."""
        if record_type not in self.broken_types and usable_for(
            path, self.workers, self.checker, record_type
        ):
            results = check_in_workers(
                path,
                display,
                record_type,
                checker=self.checker,
                index=self.index,
                workers=self.workers,
            )
            self._merge_shares(results, display, record_type)
            return
        self.check_items(read_json_lines(path, display), display, record_type)

    def _merge_shares(self, results: Iterable[ShareResult], display: str, record_type: str) -> None:
        """Fold the workers' findings in, share by share in file order."""
        index = self.index
        seen_any = False
        offsets = self.line_offsets.setdefault(display, LineOffsets())
        for result in results:
            seen_any = seen_any or result.lines_with_records > 0
            offsets.add(result.first_line, result.offset, result.line_ends)
            self.records += result.records
            for issue in result.issues:
                self._add(issue)
            result.fold_into(index, record_type)
            if self.progress is not None:
                self.progress(self.records)
        if not seen_any:
            self.check_items(
                [
                    make_issue(
                        "json-empty",
                        tr("the file is empty: a JSON Lines file holds one record per line"),
                        file=display,
                        unreadable=True,
                    )
                ],
                display,
                record_type,
            )

    def _check_item(self, item: RecordItem, display: str, record_type: str) -> None:
        self.records += 1
        if self.progress is not None and self.records % _PROGRESS_EVERY == 0:
            self.progress(self.records)
        record = item.value
        record_id = record.get("id") if isinstance(record, dict) else None
        record_id = record_id if isinstance(record_id, str) else None
        if record_type not in self.broken_types:
            try:
                usual = self.checker.usual(record_type)
                found = (
                    []
                    if usual is not None and usual(record)
                    else check_record(record, record_type, self.checker)
                )
            except SchemaUnusable as exc:
                self.broken_types.add(record_type)
                self._add(
                    make_issue(
                        "schema-reference-unresolvable",
                        tr(
                            "the schemas of hsdata {version} cannot be used, so no record was "
                            "checked against them: {error}",
                            version=self.schema_set.version,
                            error=clean(str(exc), 300),
                        ),
                        file=display,
                        unreadable=True,
                    )
                )
                found = []
            for issue in found:
                self._add(
                    replace(
                        issue,
                        file=display,
                        line=item.line,
                        pointer=item.pointer + (issue.pointer or ""),
                        record=record_id,
                        record_type=record_type,
                    )
                )
        if isinstance(record, dict):
            line = item.line
            code = (
                self.index.place_code(display, line, is_line=True)
                if line is not None
                else self.index.place_code(display, item.index, is_line=False, prefix=item.prefix)
            )
            self.index.add_record(record, record_type, self.schema_set, code)

    def finish(self) -> Report:
        for issue in self.index.finish():
            if self._judged(issue):
                self._add(issue)
        issues = locate(self.issues, self.paths, self.json_lines, self.line_offsets)
        for (file, rule), count in sorted(self._suppressed.items(), key=str):
            issues.append(
                make_issue(
                    rule,
                    tr(
                        "{count:,} more issues of this kind in this file are not listed "
                        "(only the first {listed:,} are)",
                        count=count,
                        listed=MAX_LISTED,
                    ),
                    file=file,
                )
            )
        if self.progress is not None:
            self.progress(self.records)
        return Report(
            issues=tuple(sorted(issues, key=lambda i: i.sort_key())),
            files=tuple(self.files),
            records_checked=self.records,
            schema_version=self.schema_set.version,
            suppressed=sum(self._suppressed.values()),
        )

    def _judged(self, issue: Issue) -> bool:
        """False for a reference issue whose target type was not (fully) read."""
        if issue.rule not in ("ref-unresolved", "ref-wrong-type", "citation-unknown-source"):
            return True
        target = _target_of(issue, self.schema_set)
        if target in self.unreadable_types:
            return False
        return self.checked_types is None or target in self.checked_types


def _target_of(issue: Issue, schema_set: SchemaSet) -> str | None:
    """The record type a reference issue's field points at."""
    if issue.record_type is None or issue.pointer is None:
        return None
    if issue.rule == "citation-unknown-source":
        return "source"
    generic = tuple("*" if token.isdigit() else token for token in issue.pointer.split("/")[1:])
    for binding in schema_set.reference_fields_of(issue.record_type):
        if generic[-len(binding.path) :] == binding.path:
            return binding.target
    return None
