"""The map step: one input package read, validated and summed up compactly.

:func:`summarize` is what a worker runs for each package (locally or on Dask):
it validates the package and keeps, per record, only what the reduce step
needs to match records across publishers and find contradictions (type, id,
place, external identifiers and the few compared facts), never the records.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from os import PathLike, fspath
from pathlib import Path
from typing import Any

import orjson

from .._errors import HsdataError
from .._package import (
    Package,
    declared_dependencies,
    open_package,
    read_json_lines,
    read_json_object,
    read_json_records,
)
from .._reporting import Issue, Report, shown
from .._schemas import kebab_case
from .._validator import validate

__all__ = [
    "PROVENANCE_TYPE",
    "Fact",
    "Head",
    "MergeError",
    "Origin",
    "PackageSummary",
    "RecordSummary",
    "collection_of",
    "origins_of",
    "provenance_of",
    "read_head",
    "records_by_file",
    "summarize",
]

#: The resource type of a merged package's provenance (merge-provenance.json): not a record type.
PROVENANCE_TYPE = "mergeProvenance"

_REFERENCE = re.compile(r"^(?:([a-z0-9]+(?:-[a-z0-9]+)*):)?([a-z0-9]+(?:-[a-z0-9]+)*)(?![\s\S])")


class MergeError(HsdataError):
    """The packages cannot be merged: one cannot be read, or they cannot be joined."""


def collection_of(record_type: str) -> str:
    """The collection of a record type in record URIs (``issueArea`` -> ``issue-areas``)."""
    return kebab_case(record_type) + "s"


@dataclass(frozen=True)
class Head:
    """What an input's descriptor says about it, read before anything else."""

    given: str
    name: str | None
    version: str | None
    namespace: str
    published: str | None
    publisher: str | None
    """The publisher's name in the first language it is given in (for summaries)."""
    dependencies: tuple[tuple[str, str], ...]
    """(prefix, namespace) of each declared dependency."""
    digest: str
    """The sha256 of the input's datapackage.json and record files, one after another."""
    merged: bool
    """True when the input was itself written by ``hsdata merge``."""
    inner: tuple[tuple[str, str], ...] = ()
    """For a merged input, (prefix, namespace) of each package it joined."""
    inner_digests: tuple[tuple[str, str], ...] = ()
    """For a merged input, (prefix, sha256) of each package it joined, as its provenance says."""


@dataclass(frozen=True)
class Fact:
    """One compared statement of a record: a date, a code, or a set of referenced records."""

    label: str  # "period.start", "status", "members"
    pointer: str  # JSON Pointer in the record: "/period/start"
    value: str | tuple[str, ...]  # dates and codes as text; references as record URIs, sorted


@dataclass(frozen=True)
class Origin:
    """Where a record of a merged input comes from, as its merge provenance says."""

    namespace: str
    """The namespace of the package that first published the record."""
    publisher: str | None
    """That package's publisher, by name (for messages)."""
    uri: str
    """The record's URI in that namespace."""


@dataclass(frozen=True)
class RecordSummary:
    """One record as the reduce step sees it."""

    record_type: str
    record_id: str
    file: str
    pointer: str
    identifiers: tuple[tuple[str, str], ...]
    facts: tuple[Fact, ...]
    origin: Origin | None = None
    """For a record of a merged input, its first publisher (None: the input's own record)."""


@dataclass(frozen=True)
class PackageSummary:
    """One input package, validated and summed up: small enough to send back from a worker."""

    head: Head
    report: Report
    records: tuple[RecordSummary, ...]

    def counts(self) -> dict[str, int]:
        """The number of records by type."""
        return dict(sorted(Counter(r.record_type for r in self.records).items()))


def _first_text(value: Any) -> str | None:
    if isinstance(value, Mapping):
        for key in sorted(value, key=lambda k: (k != "en", k)):
            if isinstance(value[key], str):
                return str(value[key])
    return None


def read_head(source: str | PathLike[str]) -> Head:
    """Read an input's descriptor. Raises :class:`MergeError` when it cannot be merged at all."""
    given = fspath(source)
    path = Path(given)
    if not path.exists():
        raise MergeError(f"there is no file or folder {shown(given, 300)}")
    with open_package(path, given=given) as package:
        descriptor = package.descriptor
        if descriptor is None or not package.readable:
            raise MergeError(
                f"cannot read the package {shown(given, 300)}: its datapackage.json cannot be read"
            )
        namespace = descriptor.get("hsdata:namespace")
        if not isinstance(namespace, str):
            raise MergeError(
                f"{shown(given, 300)} has no hsdata:namespace, so its records have no URIs "
                "to keep apart from other publishers' records; upgrade it to 1.2 first "
                "('hsdata upgrade') and give it the namespace its publisher owns"
            )
        name, version = descriptor.get("name"), descriptor.get("version")
        provenance = provenance_of(package)
        publisher = descriptor.get("hsdata:publisher")
        published = descriptor.get("hsdata:published")
        return Head(
            given=given,
            name=name if isinstance(name, str) else None,
            version=version if isinstance(version, str) else None,
            namespace=namespace,
            published=published if isinstance(published, str) else None,
            publisher=_first_text(publisher.get("name")) if isinstance(publisher, dict) else None,
            dependencies=tuple(
                (d.prefix, d.namespace)
                for d in declared_dependencies(descriptor)
                if isinstance(d.namespace, str)
            ),
            digest=_content_digest(package),
            merged=provenance is not None,
            inner=_inner(provenance),
            inner_digests=_inner(provenance, "sha256"),
        )


def _content_digest(package: Package) -> str:
    """A digest of the descriptor and every record file: the same package gives the same one."""
    digest = hashlib.sha256(package.descriptor_path.read_bytes())
    for resource in package.resources:
        for file in resource.files:
            try:
                digest.update(file.path.read_bytes())
            except OSError:
                digest.update(b"\0unreadable")  # the validation report names it
    return digest.hexdigest()


def provenance_of(package: Package) -> dict[str, Any] | None:
    """The provenance resource of a package written by ``hsdata merge`` (None for others)."""
    for resource in package.resources:
        if resource.descriptor.get("hsdata:recordType") == PROVENANCE_TYPE:
            for file in resource.files:
                value, _ = read_json_object(file.path, file.shown)
                if value is not None:
                    return value
            raise MergeError(f"cannot read the merge provenance of {shown(package.shown, 300)}")
    return None


def origins_of(given: str) -> dict[str, Origin]:
    """The first publisher of each record of a merged input, by ``<collection>/<id>``.

    Records of a merge of merges keep their first publisher: each merge copies
    the provenance of the merged packages it joins. Entries that are not as
    ``hsdata merge`` writes them are passed over (their records count as the
    merged input's own).
    """
    with open_package(Path(given), given=given) as package:
        provenance = provenance_of(package)
    if provenance is None:
        return {}
    inputs = provenance.get("inputs")
    records = provenance.get("records")
    by_prefix: dict[str, tuple[str, str | None]] = {}
    for entry in inputs if isinstance(inputs, list) else ():
        if not isinstance(entry, dict):
            continue
        prefix, namespace = entry.get("prefix"), entry.get("namespace")
        if isinstance(prefix, str) and isinstance(namespace, str):
            name = entry.get("publisherName")
            by_prefix[prefix] = (namespace, name if isinstance(name, str) else None)
    found: dict[str, Origin] = {}
    for key, entry in (records if isinstance(records, dict) else {}).items():
        if not isinstance(entry, dict) or not isinstance(entry.get("uri"), str):
            continue
        prefix = entry.get("input")
        first = by_prefix.get(prefix) if isinstance(prefix, str) else None
        if first is not None:
            found[str(key)] = Origin(first[0], first[1], entry["uri"])
    return found


def _inner(
    provenance: dict[str, Any] | None, field: str = "namespace"
) -> tuple[tuple[str, str], ...]:
    inputs = provenance.get("inputs") if provenance is not None else None
    if not isinstance(inputs, list):
        return ()
    return tuple(
        (entry["prefix"], entry[field])
        for entry in inputs
        if isinstance(entry, dict)
        and isinstance(entry.get("prefix"), str)
        and isinstance(entry.get(field), str)
    )


def records_by_file(
    source: str | PathLike[str],
) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Each record of a package: (record type, file as shown, pointer, record), in file order.

    Records that are not objects, and files that cannot be parsed, are passed
    over: the validation report already names them.
    """
    given = fspath(source)
    with open_package(Path(given), given=given) as package:
        for resource, record_type in package.records_of():
            for file in resource.files:
                read = read_json_lines if file.json_lines else read_json_records
                for item in read(file.path, file.shown):
                    if isinstance(item, Issue) or not isinstance(item.value, dict):
                        continue
                    yield record_type, file.shown, item.prefix + item.pointer, item.value


# -- the compared facts ----------------------------------------------------------------------------


def reference_uri(
    value: Any, target: str, namespace: str, dependencies: Mapping[str, str]
) -> str | None:
    """The record URI a reference names (``hsca:canada`` through the dependency's namespace)."""
    if not isinstance(value, str):
        return None
    match = _REFERENCE.match(value)
    if match is None:
        return None
    prefix, record_id = match.groups()
    base = namespace if prefix is None else dependencies.get(prefix)
    if base is None:
        return None
    return f"{base}{collection_of(target)}/{record_id}"


def _date_facts(record: Mapping[str, Any]) -> Iterator[Fact]:
    for key in ("date", "due"):
        if isinstance(record.get(key), str):
            yield Fact(key, f"/{key}", record[key])
    period = record.get("period")
    if isinstance(period, Mapping):
        for end in ("start", "end"):
            if isinstance(period.get(end), str):
                yield Fact(f"period.{end}", f"/period/{end}", period[end])
    lifecycle = record.get("lifecycle")
    if isinstance(lifecycle, list):
        for n, stage in enumerate(lifecycle):
            if (
                isinstance(stage, Mapping)
                and isinstance(stage.get("stage"), str)
                and isinstance(stage.get("date"), str)
            ):
                yield Fact(f"lifecycle.{stage['stage']}", f"/lifecycle/{n}/date", stage["date"])


def facts_of(
    record_type: str,
    record: Mapping[str, Any],
    namespace: str,
    dependencies: Mapping[str, str],
) -> tuple[Fact, ...]:
    """The statements of a record that two publishers may contradict: dates, status, members.

    Members are compared only when the record says its list is complete
    (``membersComplete``): a shorter list from another publisher is not a
    contradiction, only an incomplete one.
    """
    facts = list(_date_facts(record))
    if isinstance(record.get("status"), str):
        facts.append(Fact("status", "/status", record["status"]))
    members = record.get("members")
    complete = record.get("membersComplete") is True
    if record_type == "partnership" and complete and isinstance(members, list):
        uris = {
            reference_uri(m.get("actor"), "actor", namespace, dependencies)
            for m in members
            if isinstance(m, Mapping)
        }
        facts.append(Fact("members", "/members", tuple(sorted(u for u in uris if u))))
    return tuple(facts)


def _identifiers(record: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    found = record.get("identifiers")
    if not isinstance(found, list):
        return ()
    pairs = {
        (i["scheme"], i["id"])
        for i in found
        if isinstance(i, Mapping)
        and isinstance(i.get("scheme"), str)
        and isinstance(i.get("id"), str)
    }
    return tuple(sorted(pairs))


def summarize(
    source: str | PathLike[str], dependencies: Mapping[str, str] | None = None
) -> PackageSummary:
    """Validate one input and sum it up (the map step; runs on a worker under Dask).

    ``dependencies`` supplies, by prefix, local copies of the packages it
    declares as dependencies (the other inputs, when they are among them).
    """
    head = read_head(source)
    report = validate(head.given, dependencies=dict(dependencies or {}))
    if any(issue.unreadable for issue in report.issues):
        first = next(issue for issue in report.issues if issue.unreadable)
        raise MergeError(
            f"cannot read the package {shown(head.given, 300)}: {first.location}: {first.message}"
        )
    known = dict(head.dependencies)
    origins = origins_of(head.given) if head.merged else {}
    records = tuple(
        RecordSummary(
            record_type,
            record["id"],
            file,
            pointer,
            _identifiers(record),
            facts_of(record_type, record, head.namespace, known),
            origins.get(f"{collection_of(record_type)}/{record['id']}"),
        )
        for record_type, file, pointer, record in records_by_file(head.given)
        if isinstance(record.get("id"), str)
    )
    # The report keeps no extra (it may hold objects that do not travel between processes).
    plain = Report(
        issues=report.issues,
        files=report.files,
        records_checked=report.records_checked,
        schema_version=report.schema_version,
        suppressed=report.suppressed,
    )
    return PackageSummary(head, plain, records)


def canonical_json(value: Any) -> bytes:
    """JSON indented, keys in the order given: the bytes every merged file is written as."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"
