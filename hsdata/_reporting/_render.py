"""Reports as text for people, JSON for programs, and GitHub workflow annotations.

Two kinds of report are rendered here: a validation :class:`Report` (issues)
and a report of changes made, such as an upgrade's (a :class:`ChangeReport`:
a header of changes, then the issues found in the result). Each renderer
returns a string and never prints. Every field that may come from the input
(file names, record identifiers, messages quoting values) is made safe again
here, whatever produced it: control characters escaped, long values cut.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol

from ._report import ExitCode, Issue, Report, Severity
from ._safe import clean

#: The output formats, by name.
FORMATS = ("text", "json", "github")

_MAX_MESSAGE = 1000


class Change(Protocol):
    """One change made to the data: its kind, a sentence, and where it was made."""

    @property
    def kind(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def file(self) -> str | None: ...
    @property
    def line(self) -> int | None: ...
    @property
    def record(self) -> str | None: ...
    @property
    def pointer(self) -> str | None: ...


class ChangeReport(Protocol):
    """A report of changes made to a package (an upgrade's), then of the issues in the result.

    :class:`hsdata.UpgradeReport` is one. ``to_dict`` gives its JSON shape.
    """

    @property
    def source_version(self) -> str | None: ...
    @property
    def target_version(self) -> str | None: ...
    @property
    def steps(self) -> Sequence[str]: ...
    @property
    def changes(self) -> Sequence[Change]: ...
    @property
    def issues(self) -> Sequence[Issue]: ...
    @property
    def files(self) -> Sequence[str]: ...
    @property
    def output(self) -> str | None: ...
    @property
    def written(self) -> bool: ...
    @property
    def errors(self) -> Sequence[Issue]: ...
    @property
    def exit_code(self) -> ExitCode: ...
    def counts(self) -> dict[str, int]: ...
    def to_dict(self) -> dict[str, Any]: ...


#: What the renderers take: a validation report or a report of changes.
RenderableReport = Report | ChangeReport


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def summary(report: Report) -> str:
    """One line: '3 errors, 1 warning in 2 files (1,234 records checked)'.

    >>> summary(Report(files=("a.json",), records_checked=1234))
    'No problems in 1 file (1,234 records checked)'
    """
    counts = report.counts()
    files_with_issues = len({i.file for i in report.issues if i.file is not None})
    checked = f"({_plural(report.records_checked, 'record')} checked)"
    if not report.issues:
        return f"No problems in {_plural(len(report.files), 'file')} {checked}"
    found = f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}"
    where = f" in {_plural(files_with_issues, 'file')}" if files_with_issues else ""
    text = f"{found}{where} {checked}"
    if report.suppressed:
        text += f"; {report.suppressed:,} more not listed"
    if report.exit_code == 2:
        text += "; some input could not be read"
    return text


def issue_dict(issue: Issue) -> dict[str, Any]:
    """One issue as JSON-ready data, every string from the input made safe to show."""
    return {
        "file": clean(issue.file, 500) if issue.file is not None else None,
        "line": issue.line,
        "column": issue.column,
        "pointer": clean(issue.pointer, 160) if issue.pointer is not None else None,
        "record": clean(issue.record, 200) if issue.record is not None else None,
        "recordType": issue.record_type,
        "rule": issue.rule,
        "severity": issue.severity.value,
        "message": clean(issue.message, _MAX_MESSAGE),
        "docsUrl": issue.docs_url,
        "unreadable": issue.unreadable,
    }


#: The longest string of a change report's JSON: its issues' messages are already cut to
#: 1,000 characters before escaping, which may lengthen them; this cut is for the rest.
_MAX_JSON_STRING = 10_000


def _cleaned(value: Any) -> Any:
    """Every string inside JSON-ready data made safe to show (what a change report holds)."""
    if isinstance(value, str):
        return clean(value, _MAX_JSON_STRING)
    if isinstance(value, dict):
        return {key: _cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return value


def format_json(report: RenderableReport) -> str:
    """The report as one JSON object.

    A validation report gives its issues, counts, files, schema version and
    exit code; a change report gives the shape of its ``to_dict()``.
    """
    if not isinstance(report, Report):
        return json.dumps(_cleaned(report.to_dict()), ensure_ascii=False, indent=2) + "\n"
    document = {
        "valid": report.valid,
        "exitCode": int(report.exit_code),
        "schemaVersion": report.schema_version,
        "files": [clean(f, 500) for f in report.files],
        "recordsChecked": report.records_checked,
        "counts": report.counts(),
        "suppressed": report.suppressed,
        "rules": report.by_rule(),
        "issues": [issue_dict(i) for i in report.issues],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(
    command: str,
    title: str,
    message: str,
    *,
    file: str | None,
    line: int | None,
    column: int | None = None,
    pointer: str | None = None,
    record: str | None = None,
) -> str:
    """One GitHub workflow command; every piece from the input is cleaned, then escaped."""
    props = []
    if file:
        props.append(f"file={_escape_property(clean(file, 500))}")
    if line is not None:
        props.append(f"line={line}")
        if column is not None:
            props.append(f"col={column}")
    props.append(f"title={_escape_property(clean(title, 160))}")
    where = ""
    if pointer:
        where = f" [{clean(pointer, 160)}]"
    if record:
        where += f" (record {clean(record, 100)})"
    text = clean(message, _MAX_MESSAGE) + where
    return f"::{command} {','.join(props)}::{_escape_data(text)}"


def _issue_annotation(issue: Issue) -> str:
    return _annotation(
        "error" if issue.severity is Severity.ERROR else "warning",
        issue.rule,
        issue.message,
        file=issue.file,
        line=issue.line,
        column=issue.column,
        pointer=issue.pointer,
        record=issue.record,
    )


def format_github(report: RenderableReport) -> str:
    """GitHub Actions workflow commands, one per issue (and per change), then a summary notice.

    >>> from hsdata import Issue, Severity
    >>> issue = Issue("x-rule", Severity.ERROR, "50% bad, see: here", file="a,b.json", line=3)
    >>> print(format_github(Report(issues=(issue,), files=("a,b.json",))), end="")
    ::error file=a%2Cb.json,line=3,title=x-rule::50%25 bad, see: here
    ::notice title=hsdata validate::1 error, 0 warnings in 1 file (0 records checked)
    """
    if not isinstance(report, Report):
        lines = [
            _annotation(
                "notice",
                change.kind,
                change.message,
                file=change.file,
                line=change.line,
                pointer=change.pointer,
                record=change.record,
            )
            for change in report.changes
        ]
        lines.extend(_issue_annotation(issue) for issue in report.issues)
        outcome = _change_outcome(report) or _change_header(report)[:1] or [[("No change.", "")]]
        text = "".join(piece for piece, _ in outcome[0])
        lines.append(f"::notice title=hsdata upgrade::{_escape_data(text)}")
        return "\n".join(lines) + "\n"
    lines = [_issue_annotation(issue) for issue in report.issues]
    lines.append(f"::notice title=hsdata validate::{_escape_data(summary(report))}")
    return "\n".join(lines) + "\n"


#: A line of the text report: pieces of text, each with its rich style ('' for none).
_Line = list[tuple[str, str]]


def _issue_lines(issues: Iterable[Issue]) -> Iterator[_Line]:
    """Issues grouped by file, each with where it is; a blank line after the last."""
    current: str | None = None
    for issue in issues:
        file = clean(issue.file or "<input>", 500)
        if file != current:
            if current is not None:
                yield []
            yield [(file, "bold underline")]
            current = file
        where = ""
        if issue.line is not None:
            where = f"{issue.line}:{issue.column}" if issue.column is not None else f"{issue.line}"
        style = "red bold" if issue.severity is Severity.ERROR else "yellow bold"
        yield [
            ("  ", ""),
            (f"{where:<9} ", "dim"),
            (f"{issue.severity.value:<7} ", style),
            (clean(issue.message, _MAX_MESSAGE), ""),
            (f"  {issue.rule}", "cyan"),
        ]
        details = []
        if issue.record:
            details.append(f"record {clean(issue.record, 100)}")
        if issue.pointer:
            details.append(f"at {clean(issue.pointer, 160)}")
        if details:
            yield [("            " + ", ".join(details), "dim")]
    if current is not None:
        yield []


def _text_lines(report: Report) -> Iterator[_Line]:
    """The lines of the text report, issues grouped by file, then the summary."""
    yield from _issue_lines(report.issues)
    final = "green bold" if report.valid else "red bold" if report.errors else ""
    yield [(summary(report), final)]


def _change_outcome(report: ChangeReport) -> list[_Line]:
    """The last line of a change report: refused, or how many files were written and the verdict."""
    if report.exit_code is ExitCode.UNREADABLE:
        return [[("Upgrade refused: nothing was written.", "red bold")]]
    if not report.written:
        return []
    errors = len(report.errors)
    verdict = "valid" if not errors else f"invalid ({_plural(errors, 'error')})"
    written = f"{len(report.files)} file(s) written; the upgraded package is {verdict}."
    return [[(written, "red bold" if errors else "green bold")]]


def _change_header(report: ChangeReport) -> list[_Line]:
    """The versions and steps of a change report, or that no change was needed."""
    if not (report.source_version and report.target_version):
        return []
    source = clean(report.source_version, 20)
    target = clean(report.target_version, 20)
    if report.steps:
        into = f" in {clean(report.output, 300)}" if report.output else ""
        header = [[(f"Upgraded from hsdata {source} to {target}{into}", "bold")]]
        return header + [[(f"  step {clean(step, 200)}", "")] for step in report.steps]
    if report.exit_code is not ExitCode.UNREADABLE:
        return [[(f"Already at hsdata {target}: no change needed", "bold")]]
    return []


def _change_text_lines(report: ChangeReport) -> Iterator[_Line]:
    """The lines of a change report: versions and steps, changes counted and listed, issues."""
    header = _change_header(report)
    yield from header
    for kind, count in sorted(report.counts().items()):
        yield [(f"  {count:4d} × {clean(kind, 80)}", "")]
    for change in report.changes:
        where = clean(change.file or "", 500)
        if change.line is not None:
            where += f":{change.line}"
        if change.pointer:
            where += f" {clean(change.pointer, 160)}"
        if change.record:
            where += f" [{clean(change.record, 100)}]"
        yield [(where, "dim"), (f": {clean(change.message, _MAX_MESSAGE)}", "")]
    if report.issues and (header or report.changes):
        yield []
    yield from _issue_lines(report.issues)
    yield from _change_outcome(report)


def format_text(report: RenderableReport, *, color: bool = False, width: int = 100) -> str:
    """The report for people: issues grouped by file, then a summary line.

    A change report starts with what changed. Without colour the lines are
    written out directly (rich, which draws the colours, takes about half a
    millisecond a line: seconds for a large report).
    """
    lines = _text_lines(report) if isinstance(report, Report) else _change_text_lines(report)
    if not color:
        return "".join("".join(text for text, _ in pieces) + "\n" for pieces in lines)
    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        color_system="standard",
        width=width,
        highlight=False,
        emoji=False,
        soft_wrap=True,
    )
    for pieces in lines:
        line = Text()
        for text, style in pieces:
            line.append(text, style=style or None)
        console.print(line)
    return buffer.getvalue()


_FORMATTERS: dict[str, Callable[[RenderableReport], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}


def format_report(report: RenderableReport, format: str = "text", *, color: bool = False) -> str:
    """The report in one of the output formats: 'text', 'json' or 'github'.

    >>> print(format_report(Report(files=("events.json",), records_checked=2)), end="")
    No problems in 1 file (2 records checked)
    """
    if format == "text":
        return format_text(report, color=color)
    try:
        return _FORMATTERS[format](report)
    except KeyError:
        raise ValueError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}") from None
