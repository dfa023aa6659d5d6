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

from .._i18n import Message, current_language, tr, translated
from ._catalogue_fr import rule_title
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


#: Counted words: the English template for one and for several (the French catalogue
#: translates both; French uses the singular for 0 and 1).
_COUNTED = {
    "error": ("{count:,} error", "{count:,} errors"),
    "warning": ("{count:,} warning", "{count:,} warnings"),
    "file": ("{count:,} file", "{count:,} files"),
    "record": ("{count:,} record checked", "{count:,} records checked"),
}


def _plural(count: int, word: str, language: str = "en") -> str:
    one, several = _COUNTED[word]
    singular = count <= 1 if language == "fr" else count == 1
    # Not a literal template: the tests check _COUNTED's templates against the catalogue.
    return translated(tr(one if singular else several, count=count), language)


def _language(language: str | None) -> str:
    return language or current_language()


def summary(report: Report, language: str | None = None) -> str:
    """One line: '3 errors, 1 warning in 2 files (1,234 records checked)'.

    >>> summary(Report(files=("a.json",), records_checked=1234))
    'No problems in 1 file (1,234 records checked)'
    >>> summary(Report(files=("a.json",), records_checked=1234), "fr")
    'Aucun problème dans 1 fichier (1234 enregistrements vérifiés)'
    """
    language = _language(language)
    counts = report.counts()
    files_with_issues = len({i.file for i in report.issues if i.file is not None})
    checked = _plural(report.records_checked, "record", language)
    if not report.issues:
        files = _plural(len(report.files), "file", language)
        return translated(
            tr("No problems in {files} ({checked})", files=files, checked=checked), language
        )
    errors = _plural(counts["error"], "error", language)
    warnings = _plural(counts["warning"], "warning", language)
    if files_with_issues:
        files = _plural(files_with_issues, "file", language)
        message = tr(
            "{errors}, {warnings} in {files} ({checked})",
            errors=errors,
            warnings=warnings,
            files=files,
            checked=checked,
        )
    else:
        message = tr(
            "{errors}, {warnings} ({checked})", errors=errors, warnings=warnings, checked=checked
        )
    text = translated(message, language)
    if report.suppressed:
        text += translated(tr("; {count:,} more not listed", count=report.suppressed), language)
    if report.exit_code == 2:
        text += translated(tr("; some input could not be read"), language)
    return text


def issue_dict(issue: Issue, language: str | None = None) -> dict[str, Any]:
    """One issue as JSON-ready data, every string from the input made safe to show.

    The message and the rule's title are in ``language``; the rule id never changes.
    """
    language = _language(language)
    return {
        "file": clean(issue.file, 500) if issue.file is not None else None,
        "line": issue.line,
        "column": issue.column,
        "pointer": clean(issue.pointer, 160) if issue.pointer is not None else None,
        "record": clean(issue.record, 200) if issue.record is not None else None,
        "recordType": issue.record_type,
        "rule": issue.rule,
        "title": rule_title(issue.rule, language),
        "severity": issue.severity.value,
        "message": clean(translated(issue.message, language), _MAX_MESSAGE),
        "docsUrl": issue.docs_url,
        "unreadable": issue.unreadable,
    }


#: The longest string of a change report's JSON: its issues' messages are already cut to
#: 1,000 characters before escaping, which may lengthen them; this cut is for the rest.
_MAX_JSON_STRING = 10_000


def _cleaned(value: Any, language: str) -> Any:
    """Every string inside JSON-ready data made safe to show (what a change report holds),
    messages in ``language``."""
    if isinstance(value, Message):
        return clean(translated(value, language), _MAX_JSON_STRING)
    if isinstance(value, str):
        return clean(value, _MAX_JSON_STRING)
    if isinstance(value, dict):
        return {key: _cleaned(item, language) for key, item in value.items()}
    if isinstance(value, list):
        return [_cleaned(item, language) for item in value]
    return value


def format_json(report: RenderableReport, language: str | None = None) -> str:
    """The report as one JSON object.

    A validation report gives its issues, counts, files, schema version and
    exit code; a change report gives the shape of its ``to_dict()``. Messages are in
    ``language`` (the current language unless given); keys and rule ids never change.
    """
    language = _language(language)
    if not isinstance(report, Report):
        document = _cleaned(report.to_dict(), language)
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    document = {
        "valid": report.valid,
        "exitCode": int(report.exit_code),
        "schemaVersion": report.schema_version,
        "files": [clean(f, 500) for f in report.files],
        "recordsChecked": report.records_checked,
        "counts": report.counts(),
        "suppressed": report.suppressed,
        "rules": report.by_rule(),
        "issues": [issue_dict(i, language) for i in report.issues],
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
    language: str = "en",
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
        where += translated(tr(" (record {record})", record=clean(record, 100)), language)
    text = clean(message, _MAX_MESSAGE) + where
    return f"::{command} {','.join(props)}::{_escape_data(text)}"


def _issue_annotation(issue: Issue, language: str) -> str:
    return _annotation(
        "error" if issue.severity is Severity.ERROR else "warning",
        issue.rule,
        translated(issue.message, language),
        file=issue.file,
        line=issue.line,
        column=issue.column,
        pointer=issue.pointer,
        record=issue.record,
        language=language,
    )


def format_github(report: RenderableReport, language: str | None = None) -> str:
    """GitHub Actions workflow commands, one per issue (and per change), then a summary notice.

    >>> from hsdata import Issue, Severity
    >>> issue = Issue("x-rule", Severity.ERROR, "50% bad, see: here", file="a,b.json", line=3)
    >>> print(format_github(Report(issues=(issue,), files=("a,b.json",))), end="")
    ::error file=a%2Cb.json,line=3,title=x-rule::50%25 bad, see: here
    ::notice title=hsdata validate::1 error, 0 warnings in 1 file (0 records checked)
    """
    language = _language(language)
    if not isinstance(report, Report):
        lines = [
            _annotation(
                "notice",
                change.kind,
                translated(change.message, language),
                file=change.file,
                line=change.line,
                pointer=change.pointer,
                record=change.record,
                language=language,
            )
            for change in report.changes
        ]
        lines.extend(_issue_annotation(issue, language) for issue in report.issues)
        no_change = [[(translated(tr("No change."), language), "")]]
        outcome = (
            _change_outcome(report, language) or _change_header(report, language)[:1] or no_change
        )
        text = "".join(piece for piece, _ in outcome[0])
        lines.append(f"::notice title=hsdata upgrade::{_escape_data(text)}")
        return "\n".join(lines) + "\n"
    lines = [_issue_annotation(issue, language) for issue in report.issues]
    lines.append(f"::notice title=hsdata validate::{_escape_data(summary(report, language))}")
    return "\n".join(lines) + "\n"


#: A line of the text report: pieces of text, each with its rich style ('' for none).
_Line = list[tuple[str, str]]


def _severity_word(severity: Severity, language: str) -> str:
    word = tr("error") if severity is Severity.ERROR else tr("warning")
    return translated(word, language)


def _issue_lines(issues: Iterable[Issue], language: str) -> Iterator[_Line]:
    """Issues grouped by file, each with where it is and the rule's title; a blank line
    after the last."""
    width = max(len(_severity_word(severity, language)) for severity in Severity)
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
            (f"{_severity_word(issue.severity, language):<{width}} ", style),
            (clean(translated(issue.message, language), _MAX_MESSAGE), ""),
            (f"  {issue.rule}", "cyan"),
        ]
        details = []
        title = rule_title(issue.rule, language)
        if title:
            details.append(title)
        if issue.record:
            record = clean(issue.record, 100)
            details.append(translated(tr("record {record}", record=record), language))
        if issue.pointer:
            pointer = clean(issue.pointer, 160)
            details.append(translated(tr("at {pointer}", pointer=pointer), language))
        if details:
            yield [("            " + "; ".join(details), "dim")]
    if current is not None:
        yield []


def _text_lines(report: Report, language: str) -> Iterator[_Line]:
    """The lines of the text report, issues grouped by file, then the summary."""
    yield from _issue_lines(report.issues, language)
    final = "green bold" if report.valid else "red bold" if report.errors else ""
    yield [(summary(report, language), final)]


def _change_outcome(report: ChangeReport, language: str) -> list[_Line]:
    """The last line of a change report: refused, or how many files were written and the verdict."""
    if report.exit_code is ExitCode.UNREADABLE:
        return [[(translated(tr("Upgrade refused: nothing was written."), language), "red bold")]]
    if not report.written:
        return []
    errors = len(report.errors)
    if errors:
        written = tr(
            "{count} file(s) written; the upgraded package is invalid ({errors}).",
            count=len(report.files),
            errors=_plural(errors, "error", language),
        )
    else:
        written = tr(
            "{count} file(s) written; the upgraded package is valid.", count=len(report.files)
        )
    return [[(translated(written, language), "red bold" if errors else "green bold")]]


def _change_header(report: ChangeReport, language: str) -> list[_Line]:
    """The versions and steps of a change report, or that no change was needed."""
    if not (report.source_version and report.target_version):
        return []
    source = clean(report.source_version, 20)
    target = clean(report.target_version, 20)
    if report.steps:
        if report.output:
            upgraded = tr(
                "Upgraded from hsdata {source} to {target} in {output}",
                source=source,
                target=target,
                output=clean(report.output, 300),
            )
        else:
            upgraded = tr("Upgraded from hsdata {source} to {target}", source=source, target=target)
        header = [[(translated(upgraded, language), "bold")]]
        return header + [
            [
                (
                    "  "
                    + translated(
                        tr("step {step}", step=clean(translated(step, language), 200)), language
                    ),
                    "",
                )
            ]
            for step in report.steps
        ]
    if report.exit_code is not ExitCode.UNREADABLE:
        already = tr("Already at hsdata {target}: no change needed", target=target)
        return [[(translated(already, language), "bold")]]
    return []


def _change_text_lines(report: ChangeReport, language: str) -> Iterator[_Line]:
    """The lines of a change report: versions and steps, changes counted and listed, issues."""
    header = _change_header(report, language)
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
        message = clean(translated(change.message, language), _MAX_MESSAGE)
        yield [(where, "dim"), (f": {message}", "")]
    if report.issues and (header or report.changes):
        yield []
    yield from _issue_lines(report.issues, language)
    yield from _change_outcome(report, language)


def format_text(
    report: RenderableReport,
    *,
    color: bool = False,
    width: int = 100,
    language: str | None = None,
) -> str:
    """The report for people: issues grouped by file, then a summary line.

    A change report starts with what changed. Without colour the lines are
    written out directly (rich, which draws the colours, takes about half a
    millisecond a line: seconds for a large report). Messages, rule titles and the
    summary are in ``language`` (the current language unless given).
    """
    language = _language(language)
    lines = (
        _text_lines(report, language)
        if isinstance(report, Report)
        else _change_text_lines(report, language)
    )
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


_FORMATTERS: dict[str, Callable[[RenderableReport, str | None], str]] = {
    "json": format_json,
    "github": format_github,
}


def format_report(
    report: RenderableReport,
    format: str = "text",
    *,
    color: bool = False,
    language: str | None = None,
) -> str:
    """The report in one of the output formats: 'text', 'json' or 'github', in ``language``
    ('en' or 'fr'; the current language unless given).

    >>> print(format_report(Report(files=("events.json",), records_checked=2)), end="")
    No problems in 1 file (2 records checked)
    """
    if format == "text":
        return format_text(report, color=color, language=language)
    try:
        formatter = _FORMATTERS[format]
    except KeyError:
        raise ValueError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}") from None
    return formatter(report, language)
