"""What validation finds: issues, gathered into a report.

Invalid data is a result, not an exception: every problem the validator
finds, down to an unreadable file, becomes an :class:`Issue` in a
:class:`Report`. Exceptions are kept for "could not run at all" (see
:mod:`hsdata._errors`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    """How serious an issue is. Errors make data invalid; warnings do not."""

    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


class ExitCode(int, Enum):
    """The command-line exit codes, also available on a report."""

    VALID = 0
    INVALID = 1
    UNREADABLE = 2


@dataclass(frozen=True)
class Issue:
    """One problem found in the data, with where it is and what rule it breaks.

    ``file`` is the path as given by the user (or relative to the package);
    ``line`` and ``column`` count from 1 and are set when the input is JSON
    or JSON Lines; ``pointer`` is a JSON Pointer (RFC 6901) into the file;
    ``record`` is the identifier of the record concerned, when there is one.
    ``unreadable`` marks issues that stopped a file from being read at all.
    """

    rule: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    pointer: str | None = None
    record: str | None = None
    record_type: str | None = None
    docs_url: str | None = None
    unreadable: bool = False

    @property
    def location(self) -> str:
        """'file:line:column' (as much of it as is known), for messages."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file or "", self.line or 0, self.column or 0, self.pointer or "", self.rule)


def errors_of(issues: Iterable[Issue]) -> tuple[Issue, ...]:
    """The issues that are errors (warnings left out), in their order."""
    return tuple(i for i in issues if i.severity is Severity.ERROR)


def exit_code_of(issues: Iterable[Issue]) -> ExitCode:
    """2 if an issue stopped some input from being read, 1 if any is an error, else 0."""
    issues = tuple(issues)
    if any(i.unreadable for i in issues):
        return ExitCode.UNREADABLE
    if errors_of(issues):
        return ExitCode.INVALID
    return ExitCode.VALID


@dataclass(frozen=True)
class Report:
    """The outcome of validating one or more inputs.

    >>> report = Report(issues=(Issue("example", Severity.WARNING, "A warning."),))
    >>> report.valid, report.exit_code, report.counts()
    (True, <ExitCode.VALID: 0>, {'error': 0, 'warning': 1})
    """

    issues: tuple[Issue, ...] = ()
    files: tuple[str, ...] = ()
    records_checked: int = 0
    schema_version: str | None = None
    suppressed: int = 0
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def errors(self) -> tuple[Issue, ...]:
        return errors_of(self.issues)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)

    @property
    def valid(self) -> bool:
        """True when there are no errors (warnings are allowed)."""
        return not self.errors

    @property
    def exit_code(self) -> ExitCode:
        """2 if some input could not be read at all, 1 if invalid, else 0."""
        return exit_code_of(self.issues)

    def counts(self) -> dict[str, int]:
        counted = Counter(i.severity.value for i in self.issues)
        return {"error": counted["error"], "warning": counted["warning"]}

    def by_rule(self) -> dict[str, int]:
        return dict(Counter(i.rule for i in self.issues))

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    @classmethod
    def merge(cls, reports: Iterable[Report]) -> Report:
        """One report holding the issues and files of several."""
        reports = list(reports)
        return cls(
            issues=tuple(sorted((i for r in reports for i in r.issues), key=Issue.sort_key)),
            files=tuple(f for r in reports for f in r.files),
            records_checked=sum(r.records_checked for r in reports),
            schema_version=next((r.schema_version for r in reports if r.schema_version), None),
            suppressed=sum(r.suppressed for r in reports),
        )
