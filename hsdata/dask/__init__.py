"""Validating and merging many packages on a Dask cluster (``dask.distributed``).

The work is split as map then reduce, like a local run, with the same
functions, so the reports are the same:

- map: each package is validated and summed up on a worker
  (:func:`hsdata._merge.summarize`); a worker sends back the package's report
  and, per record, its type, id, place, external identifiers and the few
  compared facts, never the records, so a worker holds one package at a time;
- reduce: on the caller's side, the summaries are joined: a prefix per
  publisher, records matched by their identifiers, contradictions reported.

Paths must name the same files on the workers as here (a shared or copied
file system). Needs the ``dask`` extra: ``pip install "hsdata-standard[dask]"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from os import PathLike
from typing import TYPE_CHECKING, Any

from .._merge import (
    DEFAULT_NAMESPACE,
    Mapper,
    MergeResult,
    PackageSummary,
    check_many,
    merge,
    summarize,
)
from .._reporting import Report

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["connect", "mapper", "merge_many", "validate_many"]


def connect(address: str) -> Client:
    """A client of the Dask scheduler at ``address`` (such as ``tcp://10.0.0.5:8786``)."""
    try:
        from distributed import Client
    except ImportError as exc:  # the optional extra is missing
        raise ImportError(
            'running on a Dask cluster needs the dask extra: pip install "hsdata-standard[dask]"'
        ) from exc
    return Client(address)  # type: ignore[no-untyped-call]


def mapper(client: Client) -> Mapper:
    """The map step on the cluster behind ``client``: one task per package, results in order."""

    def run(tasks: Sequence[tuple[str, dict[str, str]]]) -> list[PackageSummary]:
        if not tasks:
            return []
        givens = [given for given, _ in tasks]
        dependencies = [found for _, found in tasks]
        futures = client.map(summarize, givens, dependencies, pure=False)
        results: list[Any] = client.gather(futures)  # type: ignore[no-untyped-call]
        return list(results)

    return run


def validate_many(paths: Iterable[str | PathLike[str]], client: Client) -> Report:
    """Validate packages on the cluster; the report equals that of the same run done locally.

    Each package's issues, plus what is found across them (contradictions
    between publishers, rule ``merge-conflict``).
    """
    _, report = check_many(paths, mapper=mapper(client))
    return report


def merge_many(
    paths: Iterable[str | PathLike[str]],
    client: Client,
    output: str | PathLike[str] | None = None,
    *,
    namespace: str = DEFAULT_NAMESPACE,
    name: str = "hsdata-merged",
    force: bool = False,
) -> MergeResult:
    """:func:`hsdata.merge` with its map step (validating each package) on the cluster."""
    return merge(paths, output, namespace=namespace, name=name, force=force, mapper=mapper(client))
