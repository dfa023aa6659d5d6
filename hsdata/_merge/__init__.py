"""Merging packages of several publishers into one (issue 16).

``_inputs``
    the map step: each input validated and summed up compactly (:func:`summarize`)
``_reduce``
    the reduce step: a prefix per input, records matched by external identifiers,
    contradictions between publishers (rule ``merge-conflict``)
``_build``
    the merged package: records renamed and re-pointed, descriptor, provenance
``_api``
    :func:`merge`, which runs the three, locally or with another map (Dask)
"""

from ._api import (
    Mapper,
    check_many,
    dependency_paths,
    finish,
    local_map,
    merge,
    reduce_report,
    unique_inputs,
)
from ._build import DEFAULT_NAMESPACE, PROVENANCE_FILE, MergeResult
from ._inputs import Head, MergeError, PackageSummary, RecordSummary, read_head, summarize
from ._reduce import join

__all__ = [
    "DEFAULT_NAMESPACE",
    "PROVENANCE_FILE",
    "Head",
    "Mapper",
    "MergeError",
    "MergeResult",
    "PackageSummary",
    "RecordSummary",
    "check_many",
    "dependency_paths",
    "finish",
    "join",
    "local_map",
    "merge",
    "read_head",
    "reduce_report",
    "summarize",
    "unique_inputs",
]
