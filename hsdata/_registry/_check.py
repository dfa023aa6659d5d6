"""Checking every package a registry lists, and the summary per publisher.

Each data set is validated on its own from its local copy (offline), with
the local copies of its dependencies the registry names. The summary says,
per publisher and data set: valid or not, issues by rule, records by type,
and when it was last updated (the registry's ``modified`` and the package's
``hsdata:published``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._i18n import tr
from .._package import display_path, open_package, read_records
from .._reporting import ExitCode, Issue, Report, clean, issue_dict, make_issue, shown
from .._validator import validate
from ._format import Registry, RegistryDataset, display_name, read_registry

MISSING = "registry-package-missing"

__all__ = [
    "DatasetSummary",
    "RegistrySummary",
    "check_read_registry",
    "check_registry",
]


@dataclass(frozen=True)
class DatasetSummary:
    """What checking one data set of a registry found."""

    id: str
    title: str
    publisher: str
    """The id of its publisher in the registry."""
    modified: str
    source: str | None
    """How reports name the package checked, or None when none was found."""
    report: Report
    records_by_type: dict[str, int] = field(default_factory=dict)
    published: str | None = None
    """The package's ``hsdata:published``, if it gives one."""
    version: str | None = None
    """The package's own ``version``, if it gives one."""

    @property
    def valid(self) -> bool:
        return self.report.valid

    def as_json(self) -> dict[str, Any]:
        counts = self.report.counts()
        return {
            "id": self.id,
            "title": clean(self.title, 300),
            "package": clean(self.source, 500) if self.source is not None else None,
            "valid": self.valid,
            "errors": counts["error"],
            "warnings": counts["warning"],
            "issuesByRule": dict(sorted(self.report.by_rule().items())),
            "recordsByType": dict(sorted(self.records_by_type.items())),
            "records": sum(self.records_by_type.values()),
            "modified": self.modified,
            "published": clean(self.published, 40) if self.published else None,
            "version": clean(self.version, 40) if self.version else None,
            "issues": [issue_dict(issue) for issue in self.report.issues],
        }


@dataclass(frozen=True)
class RegistrySummary:
    """The outcome of checking a registry: its own issues and one summary per data set."""

    registry: str
    """How reports name the registry file."""
    issues: tuple[Issue, ...] = ()
    """The registry file's own issues; unreadable ones mean nothing was checked."""
    datasets: tuple[DatasetSummary, ...] = ()
    publishers: tuple[dict[str, Any], ...] = ()
    """The registry's publishers, as written in it."""

    @property
    def readable(self) -> bool:
        return not any(issue.unreadable for issue in self.issues)

    @property
    def valid(self) -> bool:
        return self.readable and all(d.valid for d in self.datasets)

    @property
    def exit_code(self) -> ExitCode:
        """2 when the registry cannot be read, 1 when a package is invalid, else 0."""
        if not self.readable:
            return ExitCode.UNREADABLE
        return ExitCode.VALID if self.valid else ExitCode.INVALID

    @property
    def report(self) -> Report:
        """Every issue: the registry's, then each data set's."""
        return Report.merge([Report(issues=self.issues), *(d.report for d in self.datasets)])

    def as_json(self) -> dict[str, Any]:
        """The summary per publisher, as JSON-ready values."""
        publishers = []
        for publisher in self.publishers:
            datasets = [d.as_json() for d in self.datasets if d.publisher == publisher["id"]]
            publishers.append(
                {
                    "id": publisher["id"],
                    "name": clean(display_name(publisher["name"]), 300),
                    "identifier": clean(str(publisher["identifier"]), 200)
                    if publisher.get("identifier")
                    else None,
                    "valid": all(d["valid"] for d in datasets),
                    "datasets": datasets,
                }
            )
        return {
            "registry": clean(self.registry, 500),
            "valid": self.valid,
            "exitCode": int(self.exit_code),
            "registryIssues": [issue_dict(issue) for issue in self.issues],
            "publishers": publishers,
        }


def _records_and_release(source: Path) -> tuple[dict[str, int], str | None, str | None]:
    """Records by type, ``hsdata:published`` and ``version`` of a package (empty if unreadable)."""
    with open_package(source, given=os.fspath(source)) as package:
        if not package.readable or package.descriptor is None:
            return {}, None, None
        records, _ = read_records(package)
        published = package.descriptor.get("hsdata:published")
        version = package.descriptor.get("version")
    return (
        {record_type: len(found) for record_type, found in records.items()},
        published if isinstance(published, str) else None,
        version if isinstance(version, str) else None,
    )


def _local_copy(registry: Registry, dataset: RegistryDataset) -> Path | None:
    if dataset.path is None:
        return None
    candidate = registry.folder / dataset.path
    return candidate if candidate.exists() else None


def _dependencies(registry: Registry, dataset: RegistryDataset) -> dict[str, str]:
    """The copies of its dependencies: another data set of the registry by id, or a path."""
    by_id = {d.id: d for d in registry.datasets}
    found: dict[str, str] = {}
    for prefix, given in dataset.dependencies.items():
        other = by_id.get(given)
        copy = _local_copy(registry, other) if other is not None else registry.folder / given
        if copy is not None:
            found[prefix] = os.fspath(copy)
    return found


def _missing(registry: Registry, dataset: RegistryDataset) -> Issue:
    if dataset.path is None:
        message = tr(
            "The data set {id} gives no local path, only a downloadURL; run 'hsdata registry "
            "fetch --allow-network' to download it first.",
            id=shown(dataset.id),
        )
    else:
        message = tr(
            "The data set {id} gives the path {path}, where there is no package (paths are "
            "relative to the registry file).",
            id=shown(dataset.id),
            path=shown(dataset.path),
        )
    return make_issue(MISSING, message, file=registry.shown, pointer=f"{dataset.pointer}/path")


def _check_dataset(
    registry: Registry, dataset: RegistryDataset, failure: Issue | None
) -> DatasetSummary:
    title = display_name(dataset.title)
    copy = _local_copy(registry, dataset)
    if copy is None:
        report = Report(issues=(failure or _missing(registry, dataset),))
        return DatasetSummary(dataset.id, title, dataset.publisher, dataset.modified, None, report)
    report = validate(copy, dependencies=_dependencies(registry, dataset))
    by_type, published, version = _records_and_release(copy)
    return DatasetSummary(
        dataset.id,
        title,
        dataset.publisher,
        dataset.modified,
        display_path(copy),
        report,
        by_type,
        published,
        version,
    )


def check_read_registry(
    registry: Registry,
    registry_issues: tuple[Issue, ...] = (),
    failures: Mapping[str, Issue] | None = None,
) -> RegistrySummary:
    """Check every data set of a registry already read; ``failures`` are download
    failures by data set id, reported in place of a missing package."""
    failures = failures or {}
    return RegistrySummary(
        registry.shown,
        registry_issues,
        tuple(_check_dataset(registry, d, failures.get(d.id)) for d in registry.datasets),
        tuple(registry.data["publishers"]),
    )


def check_registry(source: str | os.PathLike[str]) -> RegistrySummary:
    """Validate every package a registry file lists, from its local copy; never fetches.

    A registry that cannot be read gives a summary with its issues and no data
    set (exit code 2). Raises OSError only when the file cannot be opened.
    """
    registry, issues = read_registry(source)
    if registry is None:
        return RegistrySummary(display_path(Path(os.fspath(source))), issues)
    return check_read_registry(registry, issues)
