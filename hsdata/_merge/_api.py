"""``merge``: map (validate and sum up each input), reduce (join), then build the merged package."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from os import PathLike, fspath
from pathlib import Path

from .._reporting import Issue, Report
from ._build import DEFAULT_NAMESPACE, MergeResult, build
from ._inputs import Head, MergeError, PackageSummary, read_head, summarize
from ._reduce import join

__all__ = ["Mapper", "check_many", "dependency_paths", "local_map", "merge", "reduce_report"]

#: How the map step is run: summarize each (input, its dependencies' paths), in order.
Mapper = Callable[[Sequence[tuple[str, dict[str, str]]]], list[PackageSummary]]


def local_map(tasks: Sequence[tuple[str, dict[str, str]]]) -> list[PackageSummary]:
    """The map step in this process, one input after another."""
    return [summarize(given, dependencies) for given, dependencies in tasks]


def unique_inputs(heads: Sequence[Head]) -> list[Head]:
    """The inputs once each: the same package given twice counts once; two releases cannot merge.

    Merged packages often share a namespace (the default one of ``hsdata merge``): their
    records are told apart by the publishers they come from, so two different merged
    packages of one namespace are two inputs.
    """
    kept: dict[str, Head] = {}
    merged: dict[str, Head] = {}
    for head in heads:
        if head.merged:
            merged.setdefault(head.digest, head)
            continue
        other = kept.get(head.namespace)
        if other is None:
            kept[head.namespace] = head
        elif other.digest != head.digest:
            raise MergeError(
                f"{other.given} and {head.given} are two different packages of one namespace "
                f"({head.namespace}); compile releases of one publisher with 'hsdata compile' "
                "and merge the result"
            )
    for head in merged.values():
        if head.namespace in kept:
            raise MergeError(
                f"{kept[head.namespace].given} and the merged package {head.given} have one "
                f"namespace ({head.namespace}); merge again with another --namespace"
            )
    return sorted([*kept.values(), *merged.values()], key=lambda h: (h.namespace, h.digest))


def dependency_paths(heads: Sequence[Head]) -> list[tuple[str, dict[str, str]]]:
    """Each input with the local copies of its dependencies that are among the inputs."""
    where = {head.namespace: head.given for head in heads}
    return [
        (
            head.given,
            {prefix: where[ns] for prefix, ns in head.dependencies if ns in where},
        )
        for head in heads
    ]


def check_many(
    paths: Iterable[str | PathLike[str]], *, mapper: Mapper | None = None
) -> tuple[list[PackageSummary], Report]:
    """Validate packages together: each one's summary, and the report with what joining finds."""
    heads = unique_inputs([read_head(fspath(p)) for p in paths])
    summaries = (mapper or local_map)(dependency_paths(heads))
    return summaries, reduce_report(summaries)


def reduce_report(summaries: Sequence[PackageSummary]) -> Report:
    """The report of a merge or of a set of packages: each one's issues and the joined findings."""
    return _combined(summaries, join(summaries).issues)


def _combined(summaries: Sequence[PackageSummary], found: Sequence[Issue]) -> Report:
    inputs = Report.merge(s.report for s in summaries)
    return Report(
        issues=tuple(sorted((*inputs.issues, *found), key=lambda i: i.sort_key())),
        files=inputs.files,
        records_checked=inputs.records_checked,
        schema_version=inputs.schema_version,
        suppressed=inputs.suppressed,
    )


def merge(
    paths: Iterable[str | PathLike[str]],
    output: str | PathLike[str] | None = None,
    *,
    namespace: str = DEFAULT_NAMESPACE,
    name: str = "hsdata-merged",
    force: bool = False,
    mapper: Mapper | None = None,
) -> MergeResult:
    """Merge hsdata 1.2 packages of several publishers into one package.

    Each input (a folder, its datapackage.json or a .zip) is validated; records
    of one publisher get its prefix (``hsca-canada``), references between the
    inputs become local references, records of the same thing are matched by
    their external identifiers, and contradictions between publishers are
    reported (rule ``merge-conflict``). The result's ``report`` holds every
    input's issues and those; the package is written to ``output`` (if given)
    only when no input has errors. Raises :class:`MergeError` when the inputs
    cannot be read or joined, :class:`hsdata.OutputError` when the output
    cannot be written.
    """
    given = [fspath(p) for p in paths]
    if not given:
        raise MergeError("nothing to merge: name at least one package")
    heads = unique_inputs([read_head(p) for p in given])
    summaries = (mapper or local_map)(dependency_paths(heads))
    return finish(summaries, output, namespace=namespace, name=name, force=force)


def finish(
    summaries: Sequence[PackageSummary],
    output: str | PathLike[str] | None,
    *,
    namespace: str,
    name: str,
    force: bool,
) -> MergeResult:
    """The reduce step and the merged package, from the inputs' summaries."""
    joined = join(summaries)
    report = _combined(summaries, joined.issues)
    result = build(summaries, joined, report, namespace=namespace, name=name)
    if output is not None and report.valid:
        result.write(Path(fspath(output)), force=force)
    return result
