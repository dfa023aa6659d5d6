"""Reports as text for people, JSON for programs, and GitHub workflow annotations.

Each reporter returns a string and never prints. Every field that may come
from the input (file names, messages quoting values) is made safe again here,
whatever produced the issue: control characters escaped, long values cut.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from typing import Any

from ._report import Issue, Report, Severity
from ._safe import clean

#: The output formats, by name.
FORMATS = ("text", "json", "github")

_MAX_MESSAGE = 1000


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


def format_json(report: Report) -> str:
    """The report as one JSON object (issues, counts, files, schema version, exit code)."""
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


def format_github(report: Report) -> str:
    """GitHub Actions workflow commands, one per issue, then a notice with the summary.

    >>> from hsdata import Issue, Severity
    >>> issue = Issue("x-rule", Severity.ERROR, "50% bad, see: here", file="a,b.json", line=3)
    >>> print(format_github(Report(issues=(issue,), files=("a,b.json",))), end="")
    ::error file=a%2Cb.json,line=3,title=x-rule::50%25 bad, see: here
    ::notice title=hsdata validate::1 error, 0 warnings in 1 file (0 records checked)
    """
    lines = []
    for issue in report.issues:
        command = "error" if issue.severity is Severity.ERROR else "warning"
        props = []
        if issue.file:
            props.append(f"file={_escape_property(clean(issue.file, 500))}")
        if issue.line is not None:
            props.append(f"line={issue.line}")
            if issue.column is not None:
                props.append(f"col={issue.column}")
        props.append(f"title={_escape_property(issue.rule)}")
        where = ""
        if issue.pointer:
            where = f" [{clean(issue.pointer, 160)}]"
        if issue.record:
            where += f" (record {clean(issue.record, 100)})"
        message = clean(issue.message, _MAX_MESSAGE) + where
        lines.append(f"::{command} {','.join(props)}::{_escape_data(message)}")
    lines.append(f"::notice title=hsdata validate::{_escape_data(summary(report))}")
    return "\n".join(lines) + "\n"


#: A line of the text report: pieces of text, each with its rich style ('' for none).
_Line = list[tuple[str, str]]


def _text_lines(report: Report) -> Iterator[_Line]:
    """The lines of the text report, issues grouped by file, then the summary."""
    current: str | None = None
    for issue in report.issues:
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
    if report.issues:
        yield []
    final = "green bold" if report.valid else "red bold" if report.errors else ""
    yield [(summary(report), final)]


def format_text(report: Report, *, color: bool = False, width: int = 100) -> str:
    """The report for people: issues grouped by file, then a summary line.

    Without colour the lines are written out directly (rich, which draws the
    colours, takes about half a millisecond a line: seconds for a large report).
    """
    lines = _text_lines(report)
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


_FORMATTERS: dict[str, Callable[[Report], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}


def format_report(report: Report, format: str = "text", *, color: bool = False) -> str:
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
