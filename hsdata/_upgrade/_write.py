"""Writing the upgraded package: to a new folder, or in place through a journal.

With an output folder, the whole package (descriptor, resource files, local
extension folders) is written into a folder filled beside it and swapped in
at the end.

An upgrade in place is all-or-nothing across files, and resumable: the new
files are first written beside their targets, a journal
(``.hsdata-upgrade.json``) lists them, then they are renamed over the old
ones, the descriptor last, and the journal is removed. A run that finds a
journal finishes the renames it lists (when every new file is complete) or
removes what an interrupted run left (when it stopped before its files were
complete), and says which in its report (:func:`_recover`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import stat
from pathlib import Path, PurePosixPath

from .._files import OutputError, reason_of, staged_folder, write_bytes
from .._i18n import tr
from .._reporting import Issue, clean
from ._plan import _File, _inside, _Plan, _read_bytes, _relative
from ._results import (
    RULE_INTERRUPTED,
    RULE_UNSAFE,
    RULE_WRITE,
    UpgradeChange,
    _refusal,
    _Unreadable,
)

#: The journal of an upgrade in place, in the package folder while its files are replaced.
JOURNAL_NAME = ".hsdata-upgrade.json"
_NEW_SUFFIX = ".hsdata-upgrade-new"
_JOURNAL_FORMAT = "hsdata-upgrade-journal/1"

# Fault injection for the tests (tests/hostile/test_upgrade_faults.py), never set in use: when
# the environment variable below holds N, the process kills itself (SIGKILL) at the N-th point
# of an upgrade in place, counted from 1: each journal write, each new file half written and
# then whole, each rename, the journal's removal. The tests kill at every point in turn.
_KILL_AT_VARIABLE = "HSDATA_TEST_UPGRADE_KILL_AT"
_points = [0]


def _point() -> None:
    wanted = os.environ.get(_KILL_AT_VARIABLE)
    if not wanted:
        return
    _points[0] += 1
    if str(_points[0]) == wanted:
        os.kill(os.getpid(), signal.SIGKILL)


class _WriteFailed(Exception):
    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def _write_failure(
    error: OSError | OutputError, path: Path, shown_as: str, after: str
) -> _WriteFailed:
    message = (
        str(error).rstrip(".")
        if isinstance(error, OutputError)
        else tr(
            "Could not write {path}: {reason}", path=str(path), reason=reason_of(error).rstrip(".")
        )
    )
    return _WriteFailed(
        _refusal(RULE_WRITE, tr("{message}; {after}", message=message, after=after), file=shown_as)
    )


def _new_file_of(path: Path) -> Path:
    """Where the new text of ``path`` waits to be renamed over it."""
    return path.with_name(f".{path.name}{_NEW_SUFFIX}")


def _write_new_file(path: Path, data: bytes, mode: int) -> None:
    """Write a file that must not exist as a link, flushed to disk, with ``mode``."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        half = len(data) // 2
        for part in (data[:half], data[half:]):
            view = memoryview(part)
            while view:
                view = view[os.write(handle, view) :]
            os.fsync(handle)
            _point()
        os.fchmod(handle, mode)
    finally:
        os.close(handle)


def _sync_folders(folders: set[Path]) -> None:
    for folder in folders:
        with contextlib.suppress(OSError):
            handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            try:
                os.fsync(handle)
            finally:
                os.close(handle)


def _journal(state: str, plan: _Plan, files: list[_File]) -> bytes:
    entries = [
        {
            "file": item.relative,
            "new": _relative(_new_file_of(item.path), plan.package.folder),
            "sha256": hashlib.sha256(item.new_data or b"").hexdigest(),
        }
        for item in files
    ]
    document = {
        "format": _JOURNAL_FORMAT,
        "state": state,
        "from": plan.source_version,
        "to": plan.target_version,
        "files": entries,
    }
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def _write_in_place(plan: _Plan) -> list[str]:
    """Replace the changed files all together or not at all (see the module's docstring)."""
    changed = [item for item in plan.files if item.new_data is not None]
    if plan.descriptor.new_data is not None:
        changed.append(plan.descriptor)  # last: the package says its new version only at the end
    if not changed:
        return []
    folder = plan.package.folder
    journal = folder / JOURNAL_NAME
    folders = {folder, *(item.path.parent for item in changed)}
    root = folder.resolve()
    for item in changed:
        parts = item.relative.split("/")
        if item.path.is_symlink() or item.path.parent.resolve() != root.joinpath(*parts[:-1]):
            raise _WriteFailed(
                _refusal(
                    RULE_UNSAFE,
                    tr(
                        "the file is, or is reached through, a symbolic link, and an upgrade in "
                        "place never writes through one; upgrade with --output instead"
                    ),
                    file=item.shown,
                )
            )
    written: list[_File] = []
    current: _File | None = None
    try:
        write_bytes(journal, _journal("staging", plan, changed), root=folder)
        _point()
        for item in changed:
            current = item
            assert item.new_data is not None
            _write_new_file(
                _new_file_of(item.path), item.new_data, stat.S_IMODE(item.path.stat().st_mode)
            )
        current = None
        _sync_folders(folders)
        write_bytes(journal, _journal("committing", plan, changed), root=folder)
        _point()
    except (OSError, OutputError) as error:
        _remove_new_files(changed, journal)
        where = current or plan.descriptor
        raise _write_failure(
            error,
            current.path if current else journal,
            where.shown,
            tr("the package was left as it was"),
        ) from None
    try:
        for item in changed:
            os.replace(_new_file_of(item.path), item.path)
            written.append(item)
            _point()
    except OSError as error:
        failed = changed[len(written)]
        try:
            for item in reversed(written):
                write_bytes(item.path, item.data, root=folder)
            _remove_new_files(changed, journal)
        except (OSError, OutputError):
            after = tr("putting back the files already replaced failed too: restore the package")
        else:
            after = tr("the package was left as it was")
        raise _write_failure(error, failed.path, failed.shown, after) from None
    _sync_folders(folders)
    # Every file is in place: a journal that cannot be removed only makes the next run finish
    # an upgrade that is already complete.
    with contextlib.suppress(OSError):
        journal.unlink()
        _sync_folders({folder})
    _point()
    return [str(item.path) for item in changed]


def _remove_new_files(files: list[_File], journal: Path) -> None:
    for item in files:
        with contextlib.suppress(FileNotFoundError):
            _new_file_of(item.path).unlink()
    with contextlib.suppress(FileNotFoundError):
        journal.unlink()


def _journal_files(folder: Path, journal: Path) -> tuple[str, list[tuple[Path, Path, str]]]:
    """The state a journal records and its (file, new file, digest) triples, each checked to be
    a place inside the package an upgrade writes (a journal is input like any other)."""
    shown_journal = clean(str(journal))

    def refuse(why: str) -> _Unreadable:
        return _Unreadable(
            _refusal(
                RULE_INTERRUPTED,
                tr(
                    "the journal of an interrupted upgrade {why}; restore the package from a "
                    "copy and remove the journal",
                    why=why,
                ),
                file=shown_journal,
            )
        )

    try:
        if not stat.S_ISREG(journal.lstat().st_mode):
            raise refuse(tr("is not a regular file"))
        document = json.loads(_read_bytes(journal, shown_journal))
    except (OSError, ValueError):
        raise refuse(tr("cannot be read")) from None
    root = folder.resolve()
    files = document.get("files") if isinstance(document, dict) else None
    state = document.get("state") if isinstance(document, dict) else None
    if (
        not isinstance(document, dict)
        or document.get("format") != _JOURNAL_FORMAT
        or state not in ("staging", "committing")
        or not isinstance(files, list)
    ):
        raise refuse(tr("is not one hsdata wrote"))
    found: list[tuple[Path, Path, str]] = []
    for entry in files:
        relative = entry.get("file") if isinstance(entry, dict) else None
        digest = entry.get("sha256") if isinstance(entry, dict) else None
        parts = PurePosixPath(relative).parts if isinstance(relative, str) else ()
        if (
            not parts
            or any(p in ("..", ".", "") for p in parts)
            or relative.startswith("/")  # type: ignore[union-attr]
            or not isinstance(digest, str)
        ):
            raise refuse(tr("names a file outside the package"))
        target = folder.joinpath(*parts)
        if target.parent.resolve() != root.joinpath(*parts[:-1]):
            raise refuse(tr("names a file through a symbolic link"))
        if entry.get("new") != _relative(_new_file_of(target), folder):
            raise refuse(tr("names a new file hsdata would not write"))
        found.append((target, _new_file_of(target), digest))
    return str(state), found


def _digest_of(path: Path) -> str | None:
    """The SHA-256 of a regular file (never read through a link), or None if there is none."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _recover(folder: Path) -> tuple[UpgradeChange, list[str]] | None:
    """Finish or undo an upgrade in place that was interrupted, if its journal is there."""
    journal = folder / JOURNAL_NAME
    # A journal being written when the process stopped leaves its temporary file (named by
    # hsdata._files.write_bytes); the journal itself was not there yet, or is the older one.
    for stray in folder.glob(f".{JOURNAL_NAME}.*.tmp"):
        with contextlib.suppress(OSError):
            if stat.S_ISREG(stray.lstat().st_mode):
                stray.unlink()
    if not os.path.lexists(journal):
        return None
    state, files = _journal_files(folder, journal)
    shown_journal = clean(str(journal))
    if state == "staging":
        # Stopped before every new file was whole: nothing was replaced yet.
        for _, new_file, _ in files:
            with contextlib.suppress(FileNotFoundError):
                new_file.unlink()
        journal.unlink()
        _sync_folders({folder})
        return (
            UpgradeChange(
                "interrupted-upgrade-undone",
                "an earlier upgrade in place stopped before it had replaced any file; the new "
                "files it had begun were removed, and the package was upgraded from its old files",
                shown_journal,
            ),
            [],
        )
    pending: list[tuple[Path, Path]] = []
    for target, new_file, digest in files:
        if os.path.lexists(new_file):
            if _digest_of(new_file) != digest:
                raise _Unreadable(
                    _refusal(
                        RULE_INTERRUPTED,
                        tr(
                            "the new file {file} of an interrupted upgrade is not the one it "
                            "wrote, so the upgrade cannot be finished; restore the package from "
                            "a copy and remove the journal",
                            file=clean(str(new_file)),
                        ),
                        file=shown_journal,
                    )
                )
            pending.append((new_file, target))
        elif _digest_of(target) != digest:
            raise _Unreadable(
                _refusal(
                    RULE_INTERRUPTED,
                    tr(
                        "{file} changed after an interrupted upgrade had replaced it, so the "
                        "upgrade cannot be finished; restore the package from a copy and remove "
                        "the journal",
                        file=clean(str(target)),
                    ),
                    file=shown_journal,
                )
            )
    for new_file, target in pending:
        os.replace(new_file, target)
    _sync_folders({folder, *(target.parent for target, _, _ in files)})
    journal.unlink()
    _sync_folders({folder})
    return (
        UpgradeChange(
            "interrupted-upgrade-finished",
            tr(
                "an earlier upgrade in place was interrupted while it replaced the package's "
                "files; it was finished ({replaced} of {count} file(s) replaced now)",
                replaced=len(pending),
                count=len(files),
            ),
            shown_journal,
        ),
        [str(target) for _, target in pending],
    )


def _check_output(output: Path, package_dir: Path) -> Issue | None:
    resolved = output.resolve()
    if _inside(resolved, package_dir.resolve()):
        return _refusal(
            RULE_UNSAFE,
            tr(
                "the output folder {output} is inside the package folder {package}; choose a "
                "folder elsewhere, or upgrade in place",
                output=clean(str(output)),
                package=clean(str(package_dir)),
            ),
        )
    if resolved.exists() and (not resolved.is_dir() or any(resolved.iterdir())):
        return _refusal(
            RULE_UNSAFE,
            tr(
                "the output folder {output} already exists and is not empty; name a new folder",
                output=clean(str(output)),
            ),
        )
    return None


def _write_output(plan: _Plan, output: Path) -> list[str]:
    """Write the whole package into a folder filled beside ``output`` and swapped in at the end."""
    written: list[str] = []
    current = plan.descriptor
    try:
        with staged_folder(output, force=False) as staging:
            for item in [plan.descriptor, *plan.files]:
                current = item
                _copy_into(staging, item.relative, item.new_data or item.data, item.path)
                written.append(str(output.resolve() / item.relative))
            for entry in plan.extension_folders:
                source_folder = plan.package.folder / entry
                for source in sorted(source_folder.rglob("*")):
                    if source.is_symlink() or not source.is_file():
                        continue  # never followed, even inside the package
                    relative = f"{entry}/{source.relative_to(source_folder).as_posix()}"
                    current = _File(source, relative, relative, b"")
                    _copy_into(staging, relative, source.read_bytes(), source)
                    written.append(str(output.resolve() / relative))
    except (OSError, OutputError) as error:
        raise _write_failure(
            error,
            output / current.relative,
            clean(str(output / current.relative)),
            tr("nothing was left in {folder}", folder=clean(str(output))),
        ) from None
    return written


def _copy_into(staging: Path, relative: str, data: bytes, source: Path) -> None:
    destination = staging.joinpath(*relative.split("/"))
    destination.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(destination, data, root=staging)
    with contextlib.suppress(OSError):
        os.chmod(destination, stat.S_IMODE(source.stat().st_mode))  # the file keeps its mode
