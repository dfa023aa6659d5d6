"""Fetching a package published at a URL into a folder, for reading offline afterwards.

A URL gives either a zipped package or a ``datapackage.json``; for the latter,
the files its resources list are fetched beside it, under their relative
paths. Only plain relative names are fetched: the package reader refuses any
other path, so nothing is fetched that could not be read. Every fetch goes
through :func:`hsdata._fetch.fetch` (or the fenced function the caller gives),
and every file is written atomically below the folder.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import orjson

from .._fetch import FetchError, fetch
from .._files import write_bytes
from .._i18n import tr

#: A relative path of plain names ('data/events.jsonl'), none starting with a dot or hyphen.
SAFE_RELATIVE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*\Z")


def download_package(
    url: str,
    folder: Path,
    *,
    max_files: int,
    zip_name: str = "package.zip",
    get: Callable[[str], bytes] = fetch,
    plain_names: re.Pattern[str] = SAFE_RELATIVE,
) -> Path:
    """Fetch the package published at ``url`` into the empty ``folder``; return what to
    open: the zip (``folder / zip_name``), or ``folder`` holding the datapackage.json and
    at most ``max_files`` of the files its resources list whose paths ``plain_names``
    matches and hold no ``..``.

    Raises FetchError.
    """
    body = get(url)
    if body.startswith(b"PK"):
        archive = folder / zip_name
        write_bytes(archive, body, root=folder)
        return archive
    try:
        descriptor = orjson.loads(body)
    except orjson.JSONDecodeError:
        reason = tr("it is neither a zip of a package nor a datapackage.json")
        raise FetchError(url, reason) from None
    if not isinstance(descriptor, dict):
        raise FetchError(url, tr("it is not a datapackage.json (it holds no JSON object)"))
    write_bytes(folder / "datapackage.json", body, root=folder)
    resources = descriptor.get("resources")
    paths: list[str] = []
    for resource in resources if isinstance(resources, list) else []:
        written = resource.get("path") if isinstance(resource, dict) else None
        listed = written if isinstance(written, list) else [written]
        paths.extend(path for path in listed if isinstance(path, str))
    for relative in paths[:max_files]:
        if not plain_names.match(relative) or ".." in relative.split("/"):
            continue
        target = folder.joinpath(*relative.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(target, get(urllib.parse.urljoin(url, relative)), root=folder)
    return folder
