"""Source texts held in a package: the files that source records name by ``fileName``.

The rule: a source's text is *in the package* when a file of exactly the
source's ``fileName`` is in the package folder itself (beside the
``datapackage.json``). The name comes from the data, so it is read under the
package reader's path rules: a plain file name (no ``/``, ``\\``, ``..`` or
NUL), a regular file inside the package (no link leading out of it, no FIFO),
at most :data:`MAX_SOURCE_TEXT_BYTES`, UTF-8 text (a byte order mark is
allowed and dropped).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .._i18n import tr
from ._input import UTF8_BOM
from ._reader import path_problem

#: The largest source text read; a plain-text source is far smaller.
MAX_SOURCE_TEXT_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class SourceText:
    """A source's text file found in a package: its text, or why it could not be read."""

    file_name: str
    text: str | None
    """The text, decoded (byte order mark dropped); None when it could not be read."""
    sha256: str | None
    """The SHA-256 digest of the file's bytes, in lowercase hexadecimal."""
    problem: str | None = None
    """Why the file could not be read, as the end of a sentence; None when it was read."""


def plain_file_name(name: object) -> bool:
    """Whether a ``fileName`` names a file directly in a folder (and nothing else)."""
    return (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and not any(c in name for c in "/\\\0")
    )


def read_source_text(folder: Path, root: Path, file_name: str) -> SourceText | None:
    """The text file ``file_name`` in the package folder; None when there is none.

    ``root`` is ``folder`` with its links resolved. A name that is not a
    plain file name is never looked up (the schema reports it).
    """
    if not plain_file_name(file_name):
        return None
    path = folder / file_name
    try:
        os.lstat(path)
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        pass  # path_problem below says why
    problem = path_problem(file_name, folder, root, "", "")
    if problem is not None:
        why = (
            tr("is a symbolic link leading outside the package folder")
            if problem.rule == "package-path-symlink"
            else tr("is not a regular file that can be opened")
        )
        return SourceText(file_name, None, None, why)
    return _read(path, file_name)


def _read(path: Path, file_name: str) -> SourceText:
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        reason = tr("is a symbolic link") if exc.errno == errno.ELOOP else tr("cannot be opened")
        return SourceText(file_name, None, None, reason)
    with os.fdopen(descriptor, "rb") as handle:
        # Checked on the open file, so that it cannot be swapped after the check.
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return SourceText(file_name, None, None, tr("is not a regular file"))
        raw = handle.read(MAX_SOURCE_TEXT_BYTES + 1)
    if len(raw) > MAX_SOURCE_TEXT_BYTES:
        return SourceText(
            file_name,
            None,
            None,
            tr(
                "is larger than the {limit:,} bytes a source text may have",
                limit=MAX_SOURCE_TEXT_BYTES,
            ),
        )
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.removeprefix(UTF8_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        return SourceText(
            file_name,
            None,
            digest,
            tr("is not UTF-8 text (byte {byte} cannot be read)", byte=exc.start + 1),
        )
    return SourceText(file_name, text, digest)
