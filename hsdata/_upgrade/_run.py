"""The entry point :func:`upgrade`: recover, plan, write, then validate the result.

A run first finishes (or undoes) an upgrade in place that was interrupted,
then plans the upgrade (:mod:`._plan`), writes it (:mod:`._write`) and
validates the upgraded package against its new version, so that its report
says whether the result is valid as well as what changed.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from .._files import reason_of
from .._package import open_package
from .._reporting import Issue, Report, clean
from .._validator import validate
from ._plan import _plan_upgrade
from ._results import (
    RULE_INTERRUPTED,
    RULE_UNSAFE,
    UpgradeChange,
    UpgradeError,
    UpgradeReport,
    _refusal,
    _Unreadable,
)
from ._write import (
    JOURNAL_NAME,
    _check_output,
    _recover,
    _write_in_place,
    _write_output,
    _WriteFailed,
)


def upgrade(
    path: str | os.PathLike[str] = ".",
    to: str | None = None,
    *,
    output: str | os.PathLike[str] | None = None,
    in_place: bool = False,
    validate_result: bool = True,
) -> UpgradeReport:
    """Upgrade the data package at ``path`` to version ``to`` of the standard (default: the newest).

    ``path`` is a package folder, its ``datapackage.json`` or (with
    ``output``) a zip of the package. Give exactly one of ``output`` (a new
    or empty folder outside the package, which receives the upgraded
    datapackage.json, its resource files and its local extension folders,
    all at once) or ``in_place=True`` (all changed files replaced together,
    resumable after an interruption). Problems with the data become issues
    in the returned :class:`UpgradeReport`; nothing is written when any file
    cannot be read or migrated, and a write that fails leaves the package as
    it was (exit code 2). Only asking for both or neither of ``output`` and
    ``in_place`` raises :class:`UpgradeError`.

    >>> import tempfile, hsdata
    >>> from hsdata._paths import canonical_data_dir
    >>> out = tempfile.mkdtemp() + "/upgraded"
    >>> report = hsdata.upgrade(canonical_data_dir(), output=out)
    >>> report.exit_code, report.target_version == hsdata.available_versions()[-1]
    (<ExitCode.VALID: 0>, True)
    >>> hsdata.validate(out).schema_version == report.target_version
    True
    """
    if (output is None) == (not in_place):
        raise UpgradeError("give either an output folder or in_place=True (exactly one)")
    given = Path(path)
    shown_output = str(output) if output is not None else None
    folder = given if given.is_dir() else given.absolute().parent
    recovered: tuple[UpgradeChange, list[str]] | None = None
    try:
        if in_place and given.suffix.lower() == ".zip":
            raise _Unreadable(
                _refusal(
                    RULE_UNSAFE,
                    "a zipped package cannot be upgraded in place; give --output OUTDIR",
                    file=clean(str(given)),
                )
            )
        if in_place:
            recovered = _recover(folder)
        elif os.path.lexists(folder / JOURNAL_NAME):
            raise _Unreadable(
                _refusal(
                    RULE_INTERRUPTED,
                    "an upgrade in place of this package was interrupted; upgrade it in place "
                    "again to finish it before writing it elsewhere",
                    file=clean(str(folder / JOURNAL_NAME)),
                )
            )
    except _Unreadable as refused:
        return UpgradeReport(issues=(refused.issue,), output=shown_output)
    except OSError as error:
        issue = _refusal(
            RULE_INTERRUPTED,
            f"an interrupted upgrade could not be finished: {reason_of(error)}",
            file=clean(str(folder / JOURNAL_NAME)),
        )
        return UpgradeReport(issues=(issue,), output=shown_output)
    done = (recovered[0],) if recovered else ()
    done_files = tuple(recovered[1]) if recovered else ()
    with open_package(given) as package:
        try:
            plan = _plan_upgrade(package, to)
        except _Unreadable as refused:
            return UpgradeReport(
                changes=done,
                issues=(refused.issue,),
                files=done_files,
                output=shown_output,
                written=bool(done_files),
            )
        summary = UpgradeReport(
            source_version=plan.source_version,
            target_version=plan.target_version,
            steps=tuple(f"{s.source} -> {s.target}: {s.summary}" for s in plan.chain),
            changes=done + tuple(plan.changes),
            output=shown_output,
        )
        target_dir = plan.package.folder
        if output is not None:
            refusal = _check_output(Path(output), plan.package.folder)
            if refusal is not None:
                return replace(summary, changes=(), issues=(refusal,))
            target_dir = Path(output).resolve()
        try:
            if output is not None:
                written = _write_output(plan, Path(output))
            else:
                written = _write_in_place(plan)
        except _WriteFailed as failed:
            # Nothing was upgraded: the report lists no step (it would read as done).
            return replace(
                summary, steps=(), changes=done, issues=(failed.issue,), files=done_files
            )
        descriptor_name = plan.package.descriptor_path.name
    issues: tuple[Issue, ...] = ()
    if validate_result:
        checked: Report = validate(target_dir / descriptor_name)
        # The upgrade was made: a file its result cannot read (a number too large, kept as it
        # was written) makes the result invalid (exit 1), not the upgrade refused (exit 2).
        issues = tuple(replace(i, unreadable=False) for i in checked.issues)
    files = done_files + tuple(written)
    return replace(summary, issues=issues, files=files, output=str(target_dir), written=bool(files))
