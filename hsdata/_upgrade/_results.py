"""The rules an upgrade reports by, and what it hands back: its changes and its report.

Every refusal (the reason nothing was written) is an :class:`~hsdata.Issue`
under one of the rules below; inside the upgrade it travels as
:class:`_Unreadable` until :func:`~hsdata._upgrade.upgrade` puts it in the
:class:`UpgradeReport`. Asking for an upgrade that cannot work at all raises
:class:`UpgradeError`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .._errors import HsdataError
from .._reporting import (
    ExitCode,
    Issue,
    Rule,
    Severity,
    errors_of,
    exit_code_of,
    issue_dict,
    make_issue,
    register,
)


class UpgradeError(HsdataError, ValueError):
    """The upgrade was asked for in a way that cannot work (not a data problem)."""


def _rule(rule_id: str, title: str, explanation: str) -> Rule:
    return register(Rule(rule_id, Severity.ERROR, "upgrade", title, explanation))


RULE_UNREADABLE = _rule(
    "upgrade-unreadable",
    "A file of the package cannot be read for upgrading",
    "The datapackage.json or one of its resources is missing, is not UTF-8 JSON (or JSON "
    "Lines), repeats a field in one object, or does not hold a list of records. Nothing was "
    "written: fix the file (validating the package says more) and upgrade again.",
)
RULE_VERSION = _rule(
    "upgrade-version",
    "The package cannot be upgraded to the version asked for",
    "The package does not declare the version of the standard it follows in 'hsdata:version', "
    "declares one this hsdata does not know, or the version asked for is older than the "
    "package's (hsdata upgrades, never downgrades) or not a published version. Nothing was "
    "written.",
)
RULE_UNSAFE = _rule(
    "upgrade-unsafe-path",
    "The upgrade would read or write outside its folders",
    "A resource path is absolute, a URL, leads out of the package folder (with '..' or through "
    "a symbolic link), or the output folder is inside the package or not empty. hsdata never "
    "follows a path out of the package and never writes over the data it reads. Nothing was "
    "written.",
)
RULE_DETAILS = _rule(
    "upgrade-release-details",
    "The new version needs facts about the publisher that only the publisher can give",
    "From 1.2 on, a package states who publishes it and whether it reports its own work or "
    "someone else's, the namespace its records are named under, its licence and when it was "
    "published. The upgrade takes them from its options (hsdata upgrade --publisher-name, "
    "--publisher-id, --reporting, --namespace, --license, --published) or from what the "
    "descriptor already says (a contributor whose role is publisher, an http(s) id), and never "
    "invents them: the message names each option still needed, or the value that is not "
    "usable. Nothing was written.",
)
RULE_WRITE = _rule(
    "upgrade-write",
    "The upgraded package could not be written",
    "A file of the upgraded package could not be written (the disk is full, the folder is "
    "read-only, a symbolic link is in the way...). Every file already written was put back, "
    "so the package is as it was: fix the cause and upgrade again.",
)
RULE_INTERRUPTED = _rule(
    "upgrade-interrupted",
    "An interrupted upgrade cannot be finished",
    "The package folder holds the journal of an upgrade in place that was interrupted "
    "(.hsdata-upgrade.json), and the files it lists are not the ones it wrote, or the upgrade "
    "was asked to write elsewhere. Run 'hsdata upgrade --in-place' on the package to finish "
    "it; if that fails, restore the package from a copy and remove the journal.",
)


def _refusal(
    rule: Rule,
    message: str,
    *,
    file: str | None = None,
    pointer: str | None = None,
    line: int | None = None,
    column: int | None = None,
) -> Issue:
    return make_issue(
        rule.id, message, file=file, pointer=pointer, line=line, column=column, unreadable=True
    )


class _Unreadable(Exception):
    """A refusal, raised where it is found and put in the report by the entry point."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


@dataclass(frozen=True)
class UpgradeChange:
    """One change an upgrade made: its kind, a sentence, and where it was made.

    ``kind`` is a short stable name (``standard-version``, ``resource-schema``,
    ``post-attested-on``, ...); ``pointer`` is a JSON Pointer into ``file``
    (for JSON Lines, into the record on ``line``).
    """

    kind: str
    message: str
    file: str | None = None
    line: int | None = None
    record: str | None = None
    pointer: str | None = None


@dataclass(frozen=True)
class UpgradeReport:
    """What an upgrade did: the changes made, and the problems that stopped or followed it.

    ``issues`` holds the reasons nothing was written (exit code 2) or, once
    the package was written, what validating it against the new version
    found (errors give exit code 1; warnings are allowed).

    >>> report = UpgradeReport(source_version="1.0", target_version="1.1", changes=(
    ...     UpgradeChange("post-attested-on", "heldOn moved to attestedOn", "actors.json"),))
    >>> report.exit_code, report.counts()
    (<ExitCode.VALID: 0>, {'post-attested-on': 1})
    """

    source_version: str | None = None
    target_version: str | None = None
    steps: tuple[str, ...] = ()
    changes: tuple[UpgradeChange, ...] = ()
    issues: tuple[Issue, ...] = ()
    files: tuple[str, ...] = ()
    output: str | None = None
    written: bool = False

    @property
    def errors(self) -> tuple[Issue, ...]:
        return errors_of(self.issues)

    @property
    def valid(self) -> bool:
        """True when the upgrade ran and its result has no errors."""
        return not self.errors

    @property
    def exit_code(self) -> ExitCode:
        """2 if the upgrade was refused, 1 if the upgraded package is invalid, else 0."""
        return exit_code_of(self.issues)

    def counts(self) -> dict[str, int]:
        """How many changes of each kind were made."""
        return dict(Counter(c.kind for c in self.changes))

    def __iter__(self) -> Iterator[UpgradeChange]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data (what ``--format json`` prints)."""
        return {
            "sourceVersion": self.source_version,
            "targetVersion": self.target_version,
            "steps": list(self.steps),
            "output": self.output,
            "written": self.written,
            "files": list(self.files),
            "exitCode": int(self.exit_code),
            "counts": self.counts(),
            "changes": [
                {k: v for k, v in vars(change).items() if v is not None} for change in self.changes
            ],
            "issues": [issue_dict(i) for i in self.issues],
        }
