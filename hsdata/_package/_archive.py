"""Opening a zipped data package without trusting it.

A zip file from a stranger can try to write outside the folder it is
unpacked into (entries named ``../x`` or ``/etc/x``), hide a symbolic link,
or expand a few kilobytes into gigabytes (a "zip bomb"). The archive is
checked entry by entry before anything is written, the bytes actually
inflated are counted (the sizes an archive declares can lie), and the
entries are written only into a fresh temporary folder.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import tempfile
import zipfile
from collections import Counter
from pathlib import Path, PurePosixPath

from .._reporting import RULES, Issue, Report, Rule, Severity, register

#: The largest total size a zipped package may inflate to.
MAX_TOTAL_BYTES = 2 * 1024**3
#: The largest ratio of inflated to compressed size allowed for an entry
#: bigger than :data:`_RATIO_FLOOR` (JSON compresses about 10:1; bombs 1000:1).
MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024
#: The most entries a zipped package may hold.
MAX_ENTRIES = 10_000
_CHUNK = 1024 * 1024

ARCHIVE_UNSAFE = "package-archive-unsafe"
ARCHIVE_UNREADABLE = "package-archive-unreadable"

for _rule in (
    Rule(
        ARCHIVE_UNSAFE,
        Severity.ERROR,
        "package",
        "The zip archive is unsafe to unpack",
        "A zipped package may only hold files inside the package: no entry may have an "
        "absolute name, climb out with '..', or be a symbolic link, and the archive may not "
        "expand far beyond its own size (a 'zip bomb'). hsdata refuses the whole archive "
        "and unpacks nothing.",
    ),
    Rule(
        ARCHIVE_UNREADABLE,
        Severity.ERROR,
        "package",
        "The zip archive cannot be read",
        "The file is not a zip archive, is damaged, or is encrypted, so the package inside "
        "cannot be read.",
    ),
):
    register(_rule)


class ArchiveRefused(Exception):
    """The archive was refused; ``report`` says why (an unreadable issue)."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.issues[0].message if report.issues else "archive refused")
        self.report = report


def _refuse(rule_id: str, message: str, archive: Path, entry: str | None = None) -> ArchiveRefused:
    rule = RULES[rule_id]
    issue = Issue(
        rule=rule.id,
        severity=rule.severity,
        message=message,
        file=str(archive) if entry is None else f"{archive}!/{entry}",
        docs_url=rule.docs_url,
        unreadable=True,
    )
    return ArchiveRefused(Report(issues=(issue,), files=(str(archive),)))


def _check_name(name: str, info: zipfile.ZipInfo, archive: Path) -> PurePosixPath:
    shown = name.encode("unicode_escape").decode("ascii")[:200]
    if not name.strip("/."):
        # An empty name (or one of only dots and slashes) names no file: zipfile itself
        # fails on it, and no tool agrees on where it would be unpacked.
        raise _refuse(ARCHIVE_UNSAFE, f"entry {shown!r} has an empty name", archive)
    if "\\" in name or "\x00" in name:
        raise _refuse(
            ARCHIVE_UNSAFE, f"entry {shown!r} has a backslash or NUL in its name", archive
        )
    path = PurePosixPath(name)
    if path.is_absolute() or (path.parts and path.parts[0].endswith(":")):
        raise _refuse(ARCHIVE_UNSAFE, f"entry {shown!r} has an absolute path", archive)
    if ".." in path.parts:
        raise _refuse(
            ARCHIVE_UNSAFE, f"entry {shown!r} climbs out of the archive with '..'", archive
        )
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise _refuse(ARCHIVE_UNSAFE, f"entry {shown!r} is a symbolic link", archive)
    return path


def extract_package(archive: Path, into: Path) -> Path:
    """Unpack a zipped package into the empty folder ``into``; return its datapackage.json.

    Raises :class:`ArchiveRefused` (nothing left half-written matters: ``into``
    is a temporary folder the caller removes) when the archive is unsafe or
    unreadable, or holds no datapackage.json.
    """
    try:
        handle = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(ARCHIVE_UNREADABLE, f"not a readable zip archive: {exc}", archive) from None
    with handle:
        infos = handle.infolist()
        if len(infos) > MAX_ENTRIES:
            raise _refuse(
                ARCHIVE_UNSAFE,
                f"the archive has {len(infos)} entries (at most {MAX_ENTRIES})",
                archive,
            )
        checked = [(info, _check_name(info.filename, info, archive)) for info in infos]
        # Two entries of one name: which one a tool unpacks differs, so the archive is refused.
        names = Counter(relative.parts for info, relative in checked if not info.is_dir())
        twice = next((parts for parts, count in names.items() if count > 1), None)
        if twice is not None:
            shown = "/".join(twice).encode("unicode_escape").decode("ascii")[:200]
            raise _refuse(ARCHIVE_UNSAFE, f"entry {shown!r} is in the archive twice", archive)
        total = 0
        for info, relative in checked:
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise _refuse(
                    ARCHIVE_UNREADABLE, "the archive is encrypted", archive, info.filename
                )
            target = into.joinpath(*relative.parts)
            written = 0
            try:
                # Inside the try: an entry named like a folder of another, or a name too
                # long for the file system, fails here and is reported like any bad entry.
                target.parent.mkdir(parents=True, exist_ok=True)
                with handle.open(info) as source, target.open("wb") as sink:
                    while chunk := source.read(_CHUNK):
                        written += len(chunk)
                        total += len(chunk)
                        if total > MAX_TOTAL_BYTES:
                            raise _refuse(
                                ARCHIVE_UNSAFE,
                                f"the archive inflates to more than {MAX_TOTAL_BYTES} bytes",
                                archive,
                            )
                        if written > _RATIO_FLOOR and written > MAX_RATIO * max(
                            info.compress_size, 1
                        ):
                            raise _refuse(
                                ARCHIVE_UNSAFE,
                                f"entry inflates more than {MAX_RATIO} times its compressed "
                                "size (a zip bomb?)",
                                archive,
                                info.filename,
                            )
                        sink.write(chunk)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                # An OSError's own text names the temporary folder: show only its reason.
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
                raise _refuse(
                    ARCHIVE_UNREADABLE,
                    f"entry cannot be unpacked: {reason}",
                    archive,
                    info.filename,
                ) from None
    descriptors = sorted(into.rglob("datapackage.json"), key=lambda p: len(p.parts))
    if not descriptors:
        raise _refuse(ARCHIVE_UNREADABLE, "the archive holds no datapackage.json", archive)
    return descriptors[0]


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    """A private temporary folder to unpack an archive into."""
    return tempfile.TemporaryDirectory(prefix="hsdata-zip-")


def relabel(report: Report, folder: Path, archive: str) -> Report:
    """The report with files unpacked into ``folder`` shown as ``archive!/name``.

    The temporary folder's path is replaced wherever it appears (file names and
    messages), so that no report names a folder that no longer exists.
    """
    prefixes = sorted({str(folder), str(folder.resolve())}, key=len, reverse=True)

    def inside(text: str) -> str:
        for prefix in prefixes:
            text = text.replace(prefix + os.sep, f"{archive}!/").replace(prefix, f"{archive}!")
        return text

    def file_of(name: str | None) -> str | None:
        return None if name is None else inside(name)

    return dataclasses.replace(
        report,
        issues=tuple(
            dataclasses.replace(i, file=file_of(i.file), message=inside(i.message))
            for i in report.issues
        ),
        files=tuple(inside(f) for f in report.files),
    )
