"""The merged package: records renamed and re-pointed, the descriptor, the provenance resource."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike, fspath
from pathlib import Path
from typing import Any

import orjson

from .._files import staged_folder, write_bytes
from .._package import open_package
from .._reporting import Report, shown
from .._schemas import load_schema_set
from ._inputs import (
    PROVENANCE_TYPE,
    Head,
    MergeError,
    PackageSummary,
    canonical_json,
    collection_of,
    provenance_of,
    records_by_file,
)
from ._reduce import Joined

__all__ = [
    "DEFAULT_NAMESPACE",
    "PROVENANCE_FILE",
    "MergeResult",
    "build",
]

#: The namespace of a merged package unless another is given.
DEFAULT_NAMESPACE = "https://w3id.org/hsdata/data/merged/"
#: The provenance resource of a merged package (not a record type).
PROVENANCE_FILE = "merge-provenance.json"
_REFERENCE = re.compile(r"^(?:([a-z0-9]+(?:-[a-z0-9]+)*):)?([a-z0-9]+(?:-[a-z0-9]+)*)(?![\s\S])")
_SCHEMA_BASE = "https://w3id.org/hsdata/schema/1.2/"


@dataclass
class MergeResult:
    """Packages merged: the report of the run and the merged package, ready to write."""

    report: Report
    """Each input's validation issues and the contradictions found between publishers."""
    descriptor: dict[str, Any]
    records: dict[str, list[dict[str, Any]]]
    provenance: dict[str, Any]
    inputs: tuple[Head, ...] = ()
    texts: dict[str, bytes] = field(default_factory=dict)
    output: Path | None = None

    def files(self) -> dict[str, bytes]:
        """Every file of the merged package by name, as written."""
        written = dict(sorted(self.texts.items()))
        for resource in self.descriptor["resources"]:
            if resource["path"] == PROVENANCE_FILE:
                written[PROVENANCE_FILE] = canonical_json(self.provenance)
            else:
                written[resource["path"]] = canonical_json(
                    self.records[resource["hsdata:recordType"]]
                )
        written["datapackage.json"] = canonical_json(self.descriptor)
        return written

    def write(self, output: str | PathLike[str], *, force: bool = False) -> Path:
        """Write the merged package into the folder ``output`` all at once (atomically)."""
        target = Path(fspath(output))
        with staged_folder(target, force=force) as folder:
            for name, data in self.files().items():
                write_bytes(folder / name, data, root=folder)
        self.output = target
        return target


# -- rewriting one input's records ----------------------------------------------------------------


def _rewrite(node: Any, path: Sequence[str], change: Callable[[Any], Any]) -> Any:
    """``node`` with every value at ``path`` ('*' for each item of a list) passed through change."""
    if not path:
        return change(node)
    step, rest = path[0], path[1:]
    if step == "*":
        if isinstance(node, list):
            return [_rewrite(item, rest, change) for item in node]
        return node
    if isinstance(node, dict) and step in node:
        return {**node, step: _rewrite(node[step], rest, change)}
    return node


def _referrer(
    head: Head, prefixes: Mapping[str, str], outside: Mapping[str, str]
) -> Callable[[Any], Any]:
    """How a reference of this input reads in the merge: local ids, or a kept outside prefix."""
    own = prefixes[head.namespace]
    declared = dict(head.dependencies)

    def change(value: Any) -> Any:
        match = _REFERENCE.match(value) if isinstance(value, str) else None
        if match is None:
            return value
        prefix, record_id = match.groups()
        if prefix is None:
            return f"{own}-{record_id}"
        namespace = declared.get(prefix)
        if namespace is None:
            return value  # an undeclared prefix: the input's report names it
        if namespace in prefixes:
            return f"{prefixes[namespace]}-{record_id}"
        if namespace in outside:
            return f"{outside[namespace]}:{record_id}"
        return value  # an undeclared prefix: the input's report names it

    return change


def _provenance_of(given: str) -> dict[str, Any]:
    """The provenance resource of an input that is itself a merge."""
    with open_package(Path(given), given=given) as package:
        found = provenance_of(package)
    if found is None:
        raise MergeError(f"{shown(given, 300)} is not a merged package")
    return found


def _texts_of(given: str, records: Iterable[Mapping[str, Any]]) -> dict[str, bytes]:
    names = {r.get("fileName") for r in records if isinstance(r.get("fileName"), str)}
    texts: dict[str, bytes] = {}
    with open_package(Path(given), given=given) as package:
        for name in sorted(n for n in names if isinstance(n, str)):
            path = package.folder / name
            if "/" not in name and "\\" not in name and path.is_file() and not path.is_symlink():
                texts[name] = path.read_bytes()
    return texts


# -- the descriptor -------------------------------------------------------------------------------


def _outside_dependencies(
    heads: Sequence[Head], prefixes: Mapping[str, str], descriptors: Mapping[str, dict[str, Any]]
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Dependencies on packages that are not inputs: kept under one prefix, without path."""
    chosen: dict[str, str] = {}
    entries: dict[str, dict[str, Any]] = {}
    for head in sorted(heads, key=lambda h: h.namespace):
        for entry in descriptors[head.given].get("hsdata:dependencies") or ():
            if not isinstance(entry, dict) or entry.get("namespace") in prefixes:
                continue
            namespace, prefix = entry.get("namespace"), entry.get("prefix")
            if not isinstance(namespace, str) or not isinstance(prefix, str):
                continue
            if namespace not in chosen or prefix < chosen[namespace]:
                chosen[namespace] = prefix
                entries[namespace] = {k: v for k, v in entry.items() if k != "path"}
    used: dict[str, str] = {}
    for namespace, prefix in sorted(chosen.items()):
        if prefix in used or prefix in prefixes.values():
            raise MergeError(
                f"two packages are both named by the prefix {shown(prefix)} "
                f"({shown(used.get(prefix, namespace))} and {shown(namespace)}); "
                "merge them with different prefixes"
            )
        used[prefix] = namespace
        entries[namespace]["prefix"] = prefix
    return chosen, [entries[n] for n in sorted(entries)]


def _licences(descriptors: Iterable[Mapping[str, Any]]) -> list[Any]:
    found: dict[bytes, Any] = {}
    for descriptor in descriptors:
        for licence in descriptor.get("licenses") or ():
            found.setdefault(orjson.dumps(licence, option=orjson.OPT_SORT_KEYS), licence)
    return [found[key] for key in sorted(found)]


def _descriptor(  # noqa: PLR0917 (each part of the descriptor is worked out by build)
    types: Sequence[str],
    heads: Sequence[Head],
    joined: Joined,
    descriptors: Mapping[str, dict[str, Any]],
    inputs: list[dict[str, Any]],
    dependencies: list[dict[str, Any]],
    namespace: str,
    name: str,
) -> dict[str, Any]:
    publishers = sorted({entry["publisherName"] for entry in inputs if entry.get("publisherName")})
    published = sorted(h.published for h in heads if h.published) or ["1970-01-01T00:00:00Z"]
    descriptor: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": name,
        "title": "Merged hsdata package: " + "; ".join(publishers),
        "description": "The records of several hsdata packages joined by 'hsdata merge': each "
        "record's id is its publisher's prefix and its own id; merge-provenance.json names "
        "each record's publisher and original URI, and the records matched across publishers "
        "by their external identifiers.",
        "version": "1.0.0",
        "hsdata:version": "1.2",
        "hsdata:namespace": namespace,
        "hsdata:publisher": {
            "name": {"en": "hsdata merge"},
            "reporting": "secondary",
            "reportingOn": {"en": "; ".join(publishers) or "several publishers"},
        },
        "hsdata:published": published[-1],
        "licenses": _licences(descriptors.values()),
    }
    if dependencies:
        descriptor["hsdata:dependencies"] = dependencies
    resources: list[dict[str, Any]] = []
    for record_type in types:
        collection = collection_of(record_type)
        resources.append(
            {
                "name": collection,
                "path": f"{collection}.json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "hsdata:recordType": record_type,
                "jsonSchema": f"{_SCHEMA_BASE}{record_type_file(record_type)}.json",
            }
        )
    resources.append(
        {
            "name": "merge-provenance",
            "path": PROVENANCE_FILE,
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            "hsdata:recordType": PROVENANCE_TYPE,
            "title": "Merge provenance",
            "description": "Each record's publisher (by prefix) and original URI, and the "
            "records of different publishers matched by their external identifiers; not a "
            "record type.",
        }
    )
    descriptor["resources"] = resources
    return descriptor


def record_type_file(record_type: str) -> str:
    from .._schemas import kebab_case

    return kebab_case(record_type)


def _input_entry(head: Head, prefix: str, descriptor: Mapping[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "prefix": prefix,
        "name": head.name,
        "version": head.version,
        "namespace": head.namespace,
        "published": head.published,
        "publisherName": head.publisher,
        "publisher": descriptor.get("hsdata:publisher"),
        "licenses": descriptor.get("licenses"),
        "sha256": head.digest,
    }
    return {k: v for k, v in entry.items() if v is not None}


def build(
    summaries: Sequence[PackageSummary],
    joined: Joined,
    report: Report,
    *,
    namespace: str = DEFAULT_NAMESPACE,
    name: str = "hsdata-merged",
) -> MergeResult:
    """The merged package of the inputs (read again here: the summaries hold no records)."""
    heads = [s.head for s in summaries]
    descriptors: dict[str, dict[str, Any]] = {}
    for head in heads:
        with open_package(Path(head.given), given=head.given) as package:
            descriptors[head.given] = dict(package.descriptor or {})
    prefixes = joined.prefixes
    outside, dependencies = _outside_dependencies(heads, prefixes, descriptors)
    schema_set = load_schema_set("1.2")
    records: dict[str, dict[str, dict[str, Any]]] = {}
    origin: dict[str, dict[str, Any]] = {}
    texts: dict[str, bytes] = {}
    inputs: dict[str, dict[str, Any]] = {}
    for head in sorted(heads, key=lambda h: (h.merged, h.namespace)):
        if head.merged:
            provenance = _provenance_of(head.given)
            listed, known = provenance.get("inputs"), provenance.get("records")
            for entry in listed if isinstance(listed, list) else ():
                if isinstance(entry, dict) and isinstance(entry.get("prefix"), str):
                    inputs.setdefault(entry["prefix"], entry)
            origin.update(known if isinstance(known, dict) else {})
            for record_type, _, _, record in records_by_file(head.given):
                records.setdefault(record_type, {}).setdefault(str(record.get("id")), record)
            texts.update(_texts_of(head.given, records.get("source", {}).values()))
            continue
        prefix = prefixes[head.namespace]
        inputs[prefix] = _input_entry(head, prefix, descriptors[head.given])
        change = _referrer(head, prefixes, outside)
        read = list(records_by_file(head.given))
        own_texts = _texts_of(head.given, (r for t, _, _, r in read if t == "source"))
        for record_type, _, _, record in read:
            record_id = record.get("id")
            if not isinstance(record_id, str):
                continue
            rewritten = dict(record)
            rewritten["id"] = f"{prefix}-{record_id}"
            for binding in schema_set.reference_fields_of(record_type):
                rewritten = _rewrite(rewritten, binding.path, change)
            file_name = rewritten.get("fileName")
            if record_type == "source" and isinstance(file_name, str) and file_name in own_texts:
                rewritten["fileName"] = f"{prefix}-{file_name}"
                texts[rewritten["fileName"]] = own_texts[file_name]
            kept = records.setdefault(record_type, {}).setdefault(rewritten["id"], rewritten)
            if kept is not rewritten:
                raise MergeError(
                    f"two records of type {record_type} are both named {shown(rewritten['id'])} "
                    "in the merge; give the inputs' packages different names"
                )
            origin[f"{collection_of(record_type)}/{rewritten['id']}"] = {
                "input": prefix,
                "uri": f"{head.namespace}{collection_of(record_type)}/{record_id}",
            }
    types = sorted(records)
    provenance = {
        "namespace": namespace,
        "inputs": [inputs[p] for p in sorted(inputs)],
        "records": dict(sorted(origin.items())),
        "entities": [
            {
                "recordType": record_type,
                "identifiers": [{"scheme": s, "id": i} for s, i in identifiers],
                "records": list(ids),
            }
            for record_type, identifiers, ids in joined.entities
        ],
    }
    input_list = [inputs[p] for p in sorted(inputs)]
    descriptor = _descriptor(
        types, heads, joined, descriptors, input_list, dependencies, namespace, name
    )
    return MergeResult(
        report=report,
        descriptor=descriptor,
        records={t: [records[t][i] for i in sorted(records[t])] for t in types},
        provenance=provenance,
        inputs=tuple(heads),
        texts=texts,
    )
