"""Downloading the packages a registry lists, through the fenced fetch, into one folder.

Every ``downloadURL`` is fetched with :func:`hsdata._fetch.fetch` (deadline,
size, http(s) only, no address off the public internet unless allowed by
``HSDATA_ALLOW_HOSTS``); nothing is read from or kept in the fetch cache, so
a registry check always sees what the publishers serve now. The whole folder
is staged beside the target and swapped in at the end, with a copy of the
registry whose ``path`` fields lead to the downloaded copies, so that
``hsdata registry check DIR/registry.json`` works offline afterwards.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

from .._errors import HsdataError
from .._fetch import FETCH_DEADLINE, MAX_FETCH_BYTES, FetchError, fetch
from .._files import staged_folder, write_text
from .._i18n import tr
from .._package import download_package
from .._reporting import Issue, make_issue
from ._check import RegistrySummary, check_read_registry
from ._format import Registry, RegistryDataset, read_registry

FETCH_FAILED = "registry-fetch-failed"
#: The copy of the registry written into the download folder.
REGISTRY_COPY = "registry.json"
#: The summary written beside it.
SUMMARY_FILE = "summary.json"

#: The most resource files fetched for one datapackage.json.
_MOST_FILES = 200
_SAFE_RELATIVE = re.compile(r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*(?![\s\S])")

__all__ = ["FETCH_FAILED", "REGISTRY_COPY", "SUMMARY_FILE", "NetworkNotAllowed", "fetch_registry"]


class NetworkNotAllowed(HsdataError):
    """``fetch_registry`` was called without ``allow_network=True``."""

    def __init__(self) -> None:
        super().__init__(
            "fetching a registry's packages uses the network, which hsdata never does unless "
            "told to: give --allow-network (allow_network=True)"
        )


def _download(url: str, into: Path, *, deadline: float, max_bytes: int) -> str:
    """Fetch one package into the empty folder ``into``; return its path relative to ``into``'s
    parent: the zip, or the folder holding the datapackage.json and its resources."""

    def get(address: str) -> bytes:
        return fetch(address, use_cache=False, deadline=deadline, max_bytes=max_bytes)

    fetched = download_package(
        url, into, max_files=_MOST_FILES, get=get, plain_names=_SAFE_RELATIVE
    )
    return f"{into.name}/{fetched.name}" if fetched != into else into.name


def _failed(registry: Registry, dataset: RegistryDataset, error: FetchError) -> Issue:
    return make_issue(
        FETCH_FAILED,
        tr(
            "The package of the data set {id} was not downloaded: {error}.",
            id=dataset.id,
            error=str(error),
        ),
        file=registry.shown,
        pointer=f"{dataset.pointer}/downloadURL",
    )


def _copy_of(registry: Registry, fetched: dict[str, str]) -> dict[str, Any]:
    """The registry, with each downloaded data set's path leading to its copy and every other
    path made absolute (the copy lives elsewhere)."""
    data: dict[str, Any] = json.loads(json.dumps(registry.data))
    ids = {d.id for d in registry.datasets}
    for entry in data["datasets"]:
        if entry["id"] in fetched:
            entry["path"] = fetched[entry["id"]]
        elif "path" in entry:
            entry["path"] = os.path.abspath(registry.folder / entry["path"])
        for prefix, given in entry.get("dependencies", {}).items():
            if given not in ids:
                entry["dependencies"][prefix] = os.path.abspath(registry.folder / given)
    return data


def fetch_registry(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    allow_network: bool = False,
    force: bool = False,
    deadline: float = FETCH_DEADLINE,
    max_bytes: int = MAX_FETCH_BYTES,
) -> RegistrySummary:
    """Download every ``downloadURL`` of a registry into ``output``, then check every package.

    ``output`` gets one folder per downloaded data set (named by its id),
    ``registry.json`` (the registry, its paths leading to the copies) and
    ``summary.json``. A download that fails is a ``registry-fetch-failed``
    issue of its data set; the others are still checked. A registry that
    cannot be read gives its issues and fetches nothing.

    Raises :class:`~hsdata.HsdataError` without ``allow_network`` (nothing is
    fetched), :class:`~hsdata.OutputError` when ``output`` cannot be written
    (or holds files, without ``force``).
    """
    if not allow_network:
        raise NetworkNotAllowed
    registry, issues = read_registry(source)
    if registry is None:
        return RegistrySummary(str(source), issues)
    failures: dict[str, Issue] = {}
    fetched: dict[str, str] = {}
    target = Path(os.fspath(output))
    with staged_folder(target, force=force) as staging:
        for dataset in registry.datasets:
            if dataset.download_url is None:
                continue
            into = staging / dataset.id
            into.mkdir()
            try:
                fetched[dataset.id] = _download(
                    dataset.download_url, into, deadline=deadline, max_bytes=max_bytes
                )
            except FetchError as error:
                failures[dataset.id] = _failed(registry, dataset, error)
                shutil.rmtree(into)
        copy = json.dumps(_copy_of(registry, fetched), ensure_ascii=False, indent=2) + "\n"
        write_text(staging / REGISTRY_COPY, copy)
    local, _ = read_registry(target / REGISTRY_COPY)
    if local is None:  # pragma: no cover - the copy is written from a registry read above
        raise FetchError(str(source), "the copy of the registry could not be read back")
    summary = check_read_registry(local, issues, failures)
    text = json.dumps(summary.as_json(), ensure_ascii=False, indent=2) + "\n"
    write_text(target / SUMMARY_FILE, text)
    return summary
