"""The entry point :func:`upgrade`: recover, plan, write, then validate the result.

A run first finishes (or undoes) an upgrade in place that was interrupted,
then plans the upgrade (:mod:`._plan`), writes it (:mod:`._write`) and
validates the upgraded package against its new version, so that its report
says whether the result is valid as well as what changed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from .._files import reason_of
from .._i18n import tr
from .._package import open_package
from .._reporting import Issue, Report, clean
from .._validator import validate
from ._plan import _Plan, _plan_upgrade
from ._results import (
    RULE_INTERRUPTED,
    RULE_UNSAFE,
    UpgradeChange,
    UpgradeError,
    UpgradeReport,
    _refusal,
    _Unreadable,
)
from ._steps import ReleaseDetails
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
    publisher_name: str | Mapping[str, str] | None = None,
    publisher_id: str | None = None,
    publisher_url: str | None = None,
    reporting: str | None = None,
    reporting_on: str | Mapping[str, str] | None = None,
    namespace: str | None = None,
    license: str | None = None,
    published: str | None = None,
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
    ``in_place`` raises :class:`UpgradeError`. A package that already follows
    ``to`` is left alone: nothing is written, not even to ``output``.

    From 1.2 on a package states facts about its publisher and release that
    no earlier version held; an upgrade to 1.2 takes them from
    ``publisher_name`` (a text, taken as English, or ``{language tag:
    text}``), ``publisher_id`` (``SCHEME:ID``, e.g. ``wikidata:Q16``),
    ``publisher_url``, ``reporting`` (``primary``: the publisher reports its
    own work; ``secondary``: someone else's), ``reporting_on`` (whose work,
    for secondary reporting), ``namespace`` (an http(s) URI ending in ``/``),
    ``license`` and ``published`` (``YYYY-MM-DDThh:mm:ssZ``; default: now),
    else from what the descriptor already says (a contributor whose role is
    publisher; the package's http(s) ``id`` for the namespace; its
    ``licenses``). When a fact is still missing the upgrade is refused
    (rule ``upgrade-release-details``, naming each option) and nothing is
    written.

    >>> import tempfile, hsdata
    >>> from hsdata._paths import canonical_data_dir
    >>> out = tempfile.mkdtemp() + "/upgraded"
    >>> report = hsdata.upgrade(canonical_data_dir(), output=out)
    >>> report.exit_code, report.target_version == hsdata.available_versions()[-1]
    (<ExitCode.VALID: 0>, True)
    >>> report.changes, report.written  # the canonical data follows the newest version
    ((), False)
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
                    tr("a zipped package cannot be upgraded in place; give --output OUTDIR"),
                    file=clean(str(given)),
                )
            )
        if in_place:
            recovered = _recover(folder)
        elif os.path.lexists(folder / JOURNAL_NAME):
            raise _Unreadable(
                _refusal(
                    RULE_INTERRUPTED,
                    tr(
                        "an upgrade in place of this package was interrupted; upgrade it in "
                        "place again to finish it before writing it elsewhere"
                    ),
                    file=clean(str(folder / JOURNAL_NAME)),
                )
            )
    except _Unreadable as refused:
        return UpgradeReport(issues=(refused.issue,), output=shown_output)
    except OSError as error:
        issue = _refusal(
            RULE_INTERRUPTED,
            tr("an interrupted upgrade could not be finished: {reason}", reason=reason_of(error)),
            file=clean(str(folder / JOURNAL_NAME)),
        )
        return UpgradeReport(issues=(issue,), output=shown_output)
    details = ReleaseDetails(
        publisher_name=_language_map(publisher_name),
        publisher_id=publisher_id,
        publisher_url=publisher_url,
        reporting=reporting,
        reporting_on=_language_map(reporting_on),
        namespace=namespace,
        license=license,
        published=published,
    )
    done = (recovered[0],) if recovered else ()
    done_files = tuple(recovered[1]) if recovered else ()
    with open_package(given) as package:
        try:
            plan = _plan_upgrade(package, to, details)
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
            steps=tuple(
                tr(
                    "{source} -> {target}: {summary}",
                    source=s.source,
                    target=s.target,
                    summary=s.summary,
                )
                for s in plan.chain
            ),
            changes=done + tuple(plan.changes),
            output=shown_output,
        )
        target_dir = plan.package.folder
        if _nothing_to_write(plan):
            # Already at the version asked for: an output folder would only be a copy, and a
            # report saying files were written would read as if something had changed.
            output = None
            shown_output = None
            summary = replace(summary, output=None)
        if output is not None:
            refusal = _check_output(Path(output), plan.package.folder)
            if refusal is not None:
                return replace(summary, changes=(), issues=(refusal,))
            target_dir = Path(output).resolve()
        try:
            if output is not None:
                written = _write_output(plan, Path(output))
            elif _nothing_to_write(plan):
                written = []
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
    return replace(
        summary,
        issues=issues,
        files=files,
        output=str(target_dir) if files or shown_output else None,
        written=bool(files),
    )


def _nothing_to_write(plan: _Plan) -> bool:
    """True when no step ran and no file changed: the package already follows the version."""
    return (
        not plan.chain
        and plan.descriptor.new_data is None
        and all(item.new_data is None for item in plan.files)
    )


def _language_map(value: str | Mapping[str, str] | None) -> dict[str, str] | None:
    """A language map from what the caller gave: a plain text is taken as English."""
    if value is None:
        return None
    if isinstance(value, str):
        return {"en": value}
    return dict(value)
