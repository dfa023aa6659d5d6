"""A cache of what hsdata derives from fixed inputs, so that a run starts quickly.

Some start-up work gives the same answer every time for the same inputs:
the stricter copies of a schema version that the compiled validators are
built from, or what frictionless says of a descriptor. Each answer is kept
as one JSON file in the user's cache folder, named by the digest of
everything it depends on (the inputs' bytes and hsdata's version), so a
changed schema or a new release never reads an old answer. A file that
cannot be read, or does not hold what its name promises, is ignored and
written again; a cache that cannot be written is no error, only slower.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import orjson

from ._files import OutputError, write_bytes
from ._version import __version__

#: The variable naming hsdata's cache folder (shared with the fetch cache).
CACHE_DIR_VARIABLE = "HSDATA_CACHE_DIR"

T = TypeVar("T")


def compiled_folder() -> Path:
    """``$HSDATA_CACHE_DIR/compiled``, else ``$XDG_CACHE_HOME/hsdata/compiled``
    (``~/.cache/hsdata/compiled`` when ``XDG_CACHE_HOME`` is not set)."""
    chosen = os.environ.get(CACHE_DIR_VARIABLE)
    if chosen:
        return Path(chosen) / "compiled"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hsdata" / "compiled"


def digest_of(*parts: bytes | str) -> str:
    """One SHA-256 of several inputs, each length-prefixed so that no two lists of
    parts give the same bytes.

    >>> digest_of("a", "bc") == digest_of("ab", "c")
    False
    """
    hashed = hashlib.sha256(__version__.encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "big"))
        hashed.update(data)
    return hashed.hexdigest()


def cached(
    kind: str,
    key: str,
    build: Callable[[], T],
    *,
    dump: Callable[[T], Any] = lambda value: value,
    load: Callable[[Any], T] = lambda value: value,
) -> T:
    """The answer of ``build()``, kept in the cache under ``kind`` and ``key`` (a digest).

    ``dump`` turns the answer into JSON values and ``load`` back (it may raise
    ``ValueError``, ``TypeError``, ``KeyError`` or ``IndexError`` for a file that
    does not hold what it should: the answer is then built again).
    """
    path = compiled_folder() / kind / f"{key}.json"
    try:
        kept = orjson.loads(path.read_bytes())
        if isinstance(kept, dict) and kept.get("key") == key and kept.get("kind") == kind:
            return load(kept["value"])
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        pass  # absent, unreadable or corrupt: built again below
    value = build()
    with contextlib.suppress(OSError, OutputError, TypeError):
        path.parent.mkdir(parents=True, exist_ok=True)
        data = orjson.dumps({"kind": kind, "key": key, "value": dump(value)})
        write_bytes(path, data)
    return value
