"""Safe writes: every file hsdata writes, and every folder it fills, appears whole or not at all.

* :func:`write_bytes` / :func:`write_text` write a temporary file in the target's folder, flush
  and fsync it, give it the target's mode (or the usual mode of a new file) and rename it over the
  target, so a reader, a crash or a full disk never sees half a file. They refuse a target, or a
  folder on the way to it below ``root``, that is a symbolic link: nothing is written through one.
* :func:`staged_folder` fills a fresh folder beside the target and swaps it into place at the end,
  so an interrupted run leaves the old folder as it was.

Every failure is an :class:`OutputError` whose message names the file and says why in plain words.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ._errors import HsdataError
from ._i18n import Message, tr

__all__ = ["OutputError", "staged_folder", "write_bytes", "write_text"]


class OutputError(HsdataError):
    """hsdata could not write a file or folder it was asked to; nothing was left half-written.

    ``occupied`` is true when the only obstacle is an output folder that already
    holds files, which are replaced only when that is asked for (``force``).
    """

    def __init__(self, message: str, path: Path | None = None, *, occupied: bool = False) -> None:
        super().__init__(message)
        self.path = path
        self.occupied = occupied

    def moved(self, old: Path, new: Path) -> OutputError:
        """The same error naming ``new`` wherever it named a path inside ``old``."""
        message = self.args[0] if len(self.args) == 1 else str(self)
        before, after = os.fspath(old), os.fspath(new)
        if isinstance(message, Message):
            params = {
                name: value.replace(before, after) if type(value) is str else value
                for name, value in message.params.items()
            }
            message = Message(message.template.format(**params), message.template, params)
        else:
            message = message.replace(before, after)
        return OutputError(message, new)


_REASONS = {
    errno.ENOSPC: tr("the disk is full"),
    errno.EDQUOT: tr("the disk quota is used up"),
    errno.EFBIG: tr("the file would be larger than this system allows"),
    errno.EROFS: tr("the folder is on a read-only disk"),
    errno.EACCES: tr("permission was denied"),
    errno.EPERM: tr("permission was denied"),
    errno.ELOOP: tr("a symbolic link is in the way"),
    errno.EISDIR: tr("a folder is already there"),
    errno.ENOTDIR: tr("a file stands where a folder should be"),
    errno.ENOENT: tr("its folder does not exist"),
    errno.ENAMETOOLONG: tr("the name is too long"),
    errno.EMFILE: tr("too many files are open"),
}


def reason_of(error: OSError) -> str:
    """Why an operating-system error happened, in words a non-programmer understands."""
    if error.errno in _REASONS:
        return _REASONS[error.errno]
    return (error.strerror or type(error).__name__).lower()


def _failed(path: Path, error: OSError) -> OutputError:
    return OutputError(
        tr("cannot write {path}: {reason}", path=str(path), reason=reason_of(error)), path
    )


def _umask() -> int:
    """The process's umask: a new file gets ``0o666 & ~umask`` (mkstemp would give 0600)."""
    umask: int | None = None
    with contextlib.suppress(OSError, ValueError):
        # /proc gives the umask without changing it (os.umask can only be read by setting it).
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                umask = int(line.split()[1], 8)
    if umask is None:
        umask = os.umask(0o022)
        os.umask(umask)
    return umask


def _refuse_links(path: Path, root: Path | None) -> None:
    """Refuse ``path`` if it, or a folder between ``root`` (excluded) and it, is a symbolic link."""
    folders: list[Path] = []
    if root is not None:
        here = path.parent
        anchor = Path(os.path.abspath(root))
        absolute = Path(os.path.abspath(here))
        if absolute == anchor or anchor in absolute.parents:
            while absolute != anchor:
                folders.append(absolute)
                absolute = absolute.parent
    for candidate in [path, *folders]:
        try:
            if stat.S_ISLNK(os.lstat(candidate).st_mode):
                raise OutputError(
                    tr(
                        "cannot write {path}: {link} is a symbolic link, and hsdata never "
                        "writes through one.",
                        path=str(path),
                        link=str(candidate),
                    ),
                    path,
                )
        except FileNotFoundError:
            continue
        except OSError as error:
            raise _failed(path, error) from error


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` survive a power cut (not every system can sync a folder)."""
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def write_bytes(path: Path | str, data: bytes, *, root: Path | str | None = None) -> None:
    """Write ``data`` to ``path`` atomically, keeping the mode of the file it replaces.

    ``root`` is the output folder the caller was given: folders below it on the way to ``path`` must
    not be symbolic links either. Raises :class:`OutputError` (the target is left as it was).
    """
    target = Path(path)
    _refuse_links(target, None if root is None else Path(root))
    try:
        existing = os.stat(target).st_mode
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as error:
        raise _failed(target, error) from error
    else:
        if stat.S_ISDIR(existing):
            raise OutputError(
                tr("cannot write {path}: a folder is already there.", path=str(target)), target
            )
        if not stat.S_ISREG(existing):
            raise OutputError(
                tr("cannot write {path}: something other than a file is there.", path=str(target)),
                target,
            )
        mode = stat.S_IMODE(existing)
    folder = target.parent
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise _failed(target, error) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
            os.fchmod(stream.fileno(), mode)
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise _failed(target, error) from error
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def write_text(path: Path | str, text: str, *, root: Path | str | None = None) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically (see :func:`write_bytes`)."""
    write_bytes(path, text.encode("utf-8"), root=root)


_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    at_cwd = -100
    result = renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # an old kernel or a file system without the exchange: use two renames
    raise OSError(code, os.strerror(code), os.fsdecode(first))


def _link_or_copy(source: str, destination: str) -> None:
    """A second name for a file (a hard link: nothing copied), or a copy where links are refused."""
    try:
        os.link(source, destination, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, destination, follow_symlinks=False)


def _carry_over(old: Path, new: Path) -> None:
    """Give ``new`` every entry of ``old`` it does not hold itself, without touching ``old``.

    Files are hard-linked and folders rebuilt around links, so until the swap the old folder is
    whole, and after it the files hsdata did not write are still there (an extension folder
    beside the package, notes, a repository's own files); symbolic links stay links.
    """
    with os.scandir(old) as entries:
        kept = [entry for entry in entries if not os.path.lexists(new / entry.name)]
    for entry in kept:
        destination = new / entry.name
        if not entry.is_dir(follow_symlinks=False):
            _link_or_copy(entry.path, os.fspath(destination))
            continue
        folders: list[tuple[str, str]] = []
        for here, subfolders, files in os.walk(entry.path):
            there = os.path.normpath(os.path.join(destination, os.path.relpath(here, entry.path)))
            os.mkdir(there)
            folders.append((here, there))
            for name in files + [n for n in subfolders if os.path.islink(os.path.join(here, n))]:
                _link_or_copy(os.path.join(here, name), os.path.join(there, name))
        for here, there in reversed(folders):
            shutil.copystat(here, there, follow_symlinks=False)


def _keep_modes(old: Path, new: Path) -> None:
    """Give each file written in ``new`` the mode of the file it replaces in ``old``, if any.

    A private table stays private. Only regular files and real folders are looked at, so no mode
    is read or set through a symbolic link.
    """
    with os.scandir(new) as entries:
        written = list(entries)
    for entry in written:
        try:
            before = os.lstat(old / entry.name)
        except FileNotFoundError:
            continue
        if entry.is_dir(follow_symlinks=False) and stat.S_ISDIR(before.st_mode):
            _keep_modes(old / entry.name, Path(entry.path))
        elif entry.is_file(follow_symlinks=False) and stat.S_ISREG(before.st_mode):
            os.chmod(entry.path, stat.S_IMODE(before.st_mode))


def _swap_in(staging: Path, target: Path) -> None:
    """Put ``staging`` at ``target``; the old ``target``, if any, is removed afterwards."""
    if not os.path.lexists(target):
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        # staging now holds the old folder.
        _sync_folder(target.parent)
        shutil.rmtree(staging, ignore_errors=True)
        return
    aside = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
    os.rmdir(aside)
    os.rename(target, aside)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(aside, target)
        raise
    _sync_folder(target.parent)
    shutil.rmtree(aside, ignore_errors=True)


@contextlib.contextmanager
def staged_folder(target: Path | str, *, force: bool) -> Iterator[Path]:
    """Yield a fresh folder beside ``target``, swapped into place when the block ends without error.

    An existing ``target`` that holds anything is refused unless ``force``. With ``force`` the
    files written replace those of the same name, keeping their modes, and every other entry of
    the old folder is kept (see :func:`_carry_over`); the swap is one step where the system allows
    (Linux), so an interrupted run leaves the old folder whole. On error the fresh folder is
    removed and ``target`` is untouched. The current folder (or one holding it) is refused:
    swapping it would leave the program, and the shell it runs in, inside a deleted folder.
    """
    target = Path(os.path.abspath(target))
    here = Path(os.path.abspath(os.curdir))
    if here == target or target in here.parents:
        raise OutputError(
            tr(
                "cannot write {path}: it is the current folder (or holds it), which hsdata "
                "cannot replace in one step; name a new folder instead.",
                path=str(target),
            ),
            target,
        )
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise _failed(target, error) from error
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise OutputError(
                tr(
                    "cannot write {path}: it is a symbolic link, and hsdata never writes "
                    "through one.",
                    path=str(target),
                ),
                target,
            )
        if not stat.S_ISDIR(info.st_mode):
            raise OutputError(
                tr("cannot write {path}: it is a file, not a folder.", path=str(target)), target
            )
        try:
            with os.scandir(target) as entries:
                holds_files = any(True for _ in entries)
        except OSError as error:
            raise _failed(target, error) from error
        if holds_files and not force:
            raise OutputError(
                tr(
                    "cannot write {path}: it already holds files, and replacing them was not "
                    "asked for",
                    path=str(target),
                ),
                target,
                occupied=True,
            )
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o777 & ~_umask()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".new")
        )
    except OSError as error:
        raise _failed(target, error) from error
    try:
        os.chmod(staging, mode)
        yield staging
    except OutputError as error:
        shutil.rmtree(staging, ignore_errors=True)
        # name the file where the user will look for it, not in the hidden staging folder
        raise error.moved(staging, target) from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        if info is not None:
            _keep_modes(target, staging)
            _carry_over(target, staging)
        _swap_in(staging, target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise _failed(target, error) from error
