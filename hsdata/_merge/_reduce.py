"""The reduce step: prefixes per input, records matched across publishers, contradictions.

Everything here works on :class:`~._inputs.PackageSummary` values only, so it
is the same computation whether the summaries were made locally or on Dask
workers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .._reporting import Issue, make_issue, shown
from ._inputs import Fact, Head, MergeError, PackageSummary, RecordSummary, collection_of

__all__ = ["Joined", "Source", "join"]


@dataclass(frozen=True)
class Source:
    """One record of one input, as the merged package names it."""

    summary: RecordSummary
    head: Head
    merged_id: str


@dataclass(frozen=True)
class Joined:
    """What the reduce step decided and found."""

    prefixes: dict[str, str]
    """The prefix of each input that was not itself a merge, by namespace."""
    entities: tuple[tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]], ...]
    """Matched records: (record type, shared identifiers, merged ids), two or more ids each."""
    issues: tuple[Issue, ...]


def _slug(text: str | None) -> str:
    words = re.findall(r"[a-z0-9]+", (text or "").lower())
    return "-".join(words) or "input"


def assign_prefixes(heads: Sequence[Head]) -> dict[str, str]:
    """A prefix per input namespace: the one other inputs declare for it, else its name.

    When several inputs declare a dependency on the same namespace, the prefix
    most of them use wins (ties: the first in alphabetical order), so that
    ``hsca:canada`` in a dependent package becomes ``hsca-canada`` in the merge.
    """
    taken = {prefix for head in heads for prefix, _ in head.inner}
    votes: dict[str, Counter[str]] = {}
    for head in heads:
        for prefix, namespace in head.dependencies:
            votes.setdefault(namespace, Counter())[prefix] += 1
    prefixes: dict[str, str] = {}
    for head in sorted((h for h in heads if not h.merged), key=lambda h: h.namespace):
        ranked = sorted(
            votes.get(head.namespace, Counter()).items(), key=lambda kv: (-kv[1], kv[0])
        )
        wanted = next((p for p, _ in ranked if p not in taken), None) or _slug(head.name)
        prefix, n = wanted, 1
        while prefix in taken:
            n += 1
            prefix = f"{wanted}-{n}"
        taken.add(prefix)
        prefixes[head.namespace] = prefix
    return prefixes


def _sources(summaries: Sequence[PackageSummary], prefixes: dict[str, str]) -> list[Source]:
    sources: list[Source] = []
    for summary in summaries:
        prefix = prefixes.get(summary.head.namespace)
        for record in summary.records:
            merged_id = record.record_id if prefix is None else f"{prefix}-{record.record_id}"
            sources.append(Source(record, summary.head, merged_id))
    return sources


def _find(parent: dict[str, str], key: str) -> str:
    while parent[key] != key:
        parent[key] = parent[parent[key]]
        key = parent[key]
    return key


def _groups(sources: Sequence[Source]) -> list[list[Source]]:
    """Records of one type sharing an external identifier (scheme and id), joined transitively."""
    parent: dict[str, str] = {}
    keyed: dict[str, Source] = {}
    first_with: dict[tuple[str, str, str], str] = {}
    for source in sources:
        key = f"{source.summary.record_type}/{source.merged_id}"
        if key in keyed:
            continue  # the same record twice (an input given twice): the first stands
        keyed[key] = source
        parent[key] = key
        for scheme, value in source.summary.identifiers:
            other = first_with.setdefault((source.summary.record_type, scheme, value), key)
            if other != key:
                a, b = _find(parent, other), _find(parent, key)
                parent[max(a, b)] = min(a, b)
    groups: dict[str, list[Source]] = {}
    for key, source in keyed.items():
        groups.setdefault(_find(parent, key), []).append(source)
    return [
        sorted(group, key=lambda s: s.merged_id)
        for _, group in sorted(groups.items())
        if len({s.head.namespace for s in group}) > 1 or len(group) > 1
    ]


def _record_uri(head: Head, record_type: str, record_id: str) -> str:
    return f"{head.namespace}{collection_of(record_type)}/{record_id}"


def _publisher_namespace(source: Source) -> str:
    """The namespace of the package that first published the record (through merged inputs)."""
    origin = source.summary.origin
    return source.head.namespace if origin is None else origin.namespace


def _uris(source: Source) -> tuple[str, ...]:
    """The record's URI in its input, and in its first publisher's namespace if another."""
    summary = source.summary
    uri = _record_uri(source.head, summary.record_type, summary.record_id)
    return (uri,) if summary.origin is None else (uri, summary.origin.uri)


def _where(source: Source, pointer: str) -> str:
    summary = source.summary
    origin = summary.origin
    publisher = (
        (origin.publisher or origin.namespace)
        if origin is not None
        else (source.head.publisher or source.head.name or source.head.given)
    )
    return (
        f"{shown(publisher, 120)} ({shown(summary.file, 300)}, record "
        f"{shown(summary.record_id)}, {pointer})"
    )


def _said(value: str | tuple[str, ...], names: dict[str, str]) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(shown(names.get(uri, uri), 200) for uri in value) + "]"
    return shown(value)


def _agree(a: str | tuple[str, ...], b: str | tuple[str, ...], label: str) -> bool:
    if isinstance(a, tuple) or isinstance(b, tuple):
        return a == b
    if label == "status":
        return a == b
    # Partial dates: '1997' and '1997-12-03' say the same thing with different precision.
    return a == b or a.startswith(b) or b.startswith(a)


def _conflicts(
    group: Sequence[Source], keys: dict[str, str], names: dict[str, str]
) -> Iterator[Issue]:
    def normal(fact: Fact) -> str | tuple[str, ...]:
        if isinstance(fact.value, tuple):
            return tuple(sorted({keys.get(uri, uri) for uri in fact.value}))
        return fact.value

    for n, first in enumerate(group):
        for second in group[n + 1 :]:
            if _publisher_namespace(first) == _publisher_namespace(second):
                continue  # one publisher's own records: not a contradiction between publishers
            theirs = {fact.label: fact for fact in second.summary.facts}
            for fact in first.summary.facts:
                other = theirs.get(fact.label)
                if other is None:
                    continue
                mine, yours = normal(fact), normal(other)
                if _agree(mine, yours, fact.label):
                    continue
                summary = first.summary
                yield make_issue(
                    "merge-conflict",
                    f"two publishers disagree on the {fact.label} of the same "
                    f"{summary.record_type} (matched by its identifiers): "
                    f"{_where(first, fact.pointer)} gives {_said(fact.value, names)}, while "
                    f"{_where(second, other.pointer)} gives {_said(other.value, names)}. "
                    "The merge keeps both statements; check the sources",
                    file=summary.file,
                    pointer=summary.pointer + fact.pointer,
                    record=summary.record_id,
                    record_type=summary.record_type,
                )


def _check_inner(heads: Sequence[Head]) -> None:
    """Merged inputs may hold one package each, under one prefix, but not two as one."""
    namespaces = {h.namespace for h in heads if not h.merged}
    seen: dict[str, tuple[str, str | None, Head]] = {}
    for head in heads:
        digests = dict(head.inner_digests)
        for prefix, namespace in head.inner:
            if namespace in namespaces:
                raise MergeError(
                    f"{shown(head.given, 300)} already holds the records of {shown(namespace)} "
                    f"(as {shown(prefix)}); merge that package only once"
                )
            digest = digests.get(prefix)
            before = seen.setdefault(prefix, (namespace, digest, head))
            if before[0] != namespace:
                raise MergeError(
                    f"{shown(before[2].given, 300)} and {shown(head.given, 300)} both hold "
                    f"records under the prefix {shown(prefix)}, of two packages "
                    f"({shown(before[0])} and {shown(namespace)}); they cannot be merged together"
                )
            if None not in (before[1], digest) and before[1] != digest:
                raise MergeError(
                    f"{shown(before[2].given, 300)} and {shown(head.given, 300)} hold two "
                    f"different packages of {shown(namespace)} (as {shown(prefix)}); merge "
                    "the merged packages again from one release of it"
                )


def join(summaries: Sequence[PackageSummary]) -> Joined:
    """Prefixes, matched records and contradictions for the given inputs (the reduce step)."""
    heads = [s.head for s in summaries]
    _check_inner(heads)
    prefixes = assign_prefixes(heads)
    sources = _sources(summaries, prefixes)
    groups = _groups(sources)
    # A reference is compared through the record it names: its URI in its own publisher's
    # namespace, mapped to the first record of its matched group.
    keys: dict[str, str] = {}
    names: dict[str, str] = {}
    # A record of a merged input is also named by its URI with its first publisher, which
    # other inputs use when they depend on that publisher.
    for source in sources:
        for uri in _uris(source):
            keys[uri] = f"{source.summary.record_type}/{source.merged_id}"
            names[uri] = source.merged_id
    for group in groups:
        representative = f"{group[0].summary.record_type}/{group[0].merged_id}"
        for source in group:
            for uri in _uris(source):
                keys[uri] = representative
    issues = [issue for group in groups for issue in _conflicts(group, keys, names)]
    entities = []
    for group in groups:
        if len(group) < 2:
            continue
        shared = set.intersection(*(set(s.summary.identifiers) for s in group))
        every = shared or {i for s in group for i in s.summary.identifiers}
        entities.append(
            (group[0].summary.record_type, tuple(sorted(every)), tuple(s.merged_id for s in group))
        )
    ordered = sorted(issues, key=lambda issue: (*issue.sort_key(), issue.message))
    return Joined(prefixes, tuple(sorted(entities)), tuple(ordered))
