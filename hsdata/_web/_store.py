"""The reports of uploaded files: each in its own temporary folder, gone when it expires.

A report is found by an unguessable token (:func:`secrets.token_urlsafe`)
and nothing else: there is no list of reports. Its folder holds the upload,
what was made from it (the JSON package of a workbook, downloads) and is
removed when the report expires, and the whole store when the server stops.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._checks import Outcome

#: What a token looks like (32 URL-safe characters from 24 random bytes).
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}\Z")


@dataclass
class Entry:
    """One uploaded file and its report."""

    token: str
    folder: Path
    created: float
    outcome: Outcome | None = None
    #: What was made on request, by name (downloads, the data set to explore).
    made: dict[str, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Store:
    """The reports, kept ``ttl`` seconds, each in a folder under one private temporary folder."""

    def __init__(self, ttl: float, root: Path | None = None) -> None:
        self.ttl = ttl
        self.root = Path(tempfile.mkdtemp(prefix="hsdata-serve-", dir=root))
        self._entries: dict[str, Entry] = {}
        self._lock = threading.Lock()

    def new(self) -> Entry:
        """A new, empty report with its own folder (readable by this user only)."""
        self.sweep()
        token = secrets.token_urlsafe(24)
        folder = self.root / token
        folder.mkdir(mode=0o700)
        entry = Entry(token, folder, time.monotonic())
        with self._lock:
            self._entries[token] = entry
        return entry

    def get(self, token: str) -> Entry | None:
        """The report of ``token``, or None when it never existed, has expired or is unfinished."""
        self.sweep()
        if not TOKEN.match(token):
            return None
        with self._lock:
            entry = self._entries.get(token)
        return entry if entry is not None and entry.outcome is not None else None

    def discard(self, entry: Entry) -> None:
        """Forget a report and remove its folder."""
        with self._lock:
            self._entries.pop(entry.token, None)
        shutil.rmtree(entry.folder, ignore_errors=True)

    def sweep(self, now: float | None = None) -> None:
        """Remove the reports older than the time they are kept."""
        now = time.monotonic() if now is None else now
        with self._lock:
            expired = [e for e in self._entries.values() if now - e.created > self.ttl]
        for entry in expired:
            self.discard(entry)

    def close(self) -> None:
        """Remove every report and the store's folder (at shutdown)."""
        with self._lock:
            self._entries.clear()
        shutil.rmtree(self.root, ignore_errors=True)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
