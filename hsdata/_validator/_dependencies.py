"""Checking what a package says about its dependencies (standard 1.2).

For each dependency the descriptor declares, the package reader finds and
opens a local copy (:mod:`hsdata._package`, offline unless the network is
allowed). This module reports what does not hold:

- ``dependency-missing``: no copy was found (or it is not a readable package);
  the message names the prefix, where hsdata looked, and the option that
  supplies a copy;
- ``dependency-digest-mismatch``: the copy's datapackage.json does not have the
  declared sha256 digest;
- ``dependency-mismatch``: the copy's name, version or namespace differ from
  the declaration;

and gives the cross-record walk a resolver that looks each ``prefix:id``
reference up among the copy's records (an unknown one is ``ref-unresolved``,
as a local reference is). A dependency whose copy is missing is not judged
reference by reference: its one ``dependency-missing`` says it all. The
copy's own validity is not reported here; it is validated on its own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from .._i18n import listed, tr
from .._package import Dependency, OpenedDependency, Package, descriptor_digest
from .._reporting import Issue, Rule, Severity, make_issue, register, shown
from ._identifiers import DependencyResolver, RecordLookup, declared_prefixes

for _rule in (
    Rule(
        "dependency-missing",
        Severity.ERROR,
        "dependency",
        "No local copy of a declared dependency was found",
        "The package refers to records of another package it declares in hsdata:dependencies, "
        "and hsdata checks those references against a copy of that package on this computer: "
        "the one the declaration's path names (relative to the package), or one given with "
        "'--dependency PREFIX=PATH' (in Python, dependencies={prefix: path}). None was found, "
        "or what was found is not a readable data package, so the references could not be "
        "checked. hsdata fetches the package from the declaration's url only when the network "
        "is allowed (--allow-network).",
    ),
    Rule(
        "dependency-digest-mismatch",
        Severity.ERROR,
        "dependency",
        "A dependency's copy is not the declared release",
        "The declaration gives the sha256 digest of the dependency's datapackage.json, so that "
        "readers can tell they have the very release the package was made against. The copy "
        "found has another digest: it is another release, or it was changed. Use the declared "
        "release, or update the declaration (version and sha256) after checking that every "
        "reference still holds.",
    ),
    Rule(
        "dependency-mismatch",
        Severity.ERROR,
        "dependency",
        "A dependency's copy is not the package declared",
        "The declaration names the dependency's package (name), its release (version) and the "
        "web address its records are named under (namespace). The copy found says something "
        "else in its own datapackage.json (name, version, hsdata:namespace), so it is not the "
        "package the references were written for, or the declaration is out of date.",
    ),
):
    register(_rule)

#: Declaration key -> the descriptor key of the dependency that must hold the same value.
_MATCHED_KEYS = (("name", "name"), ("version", "version"), ("namespace", "hsdata:namespace"))


def _not_judged(target: str, record_id: str) -> bool:
    return True


def _where(found: OpenedDependency) -> str:
    """Where the copy was found, in words."""
    declaration = found.declaration
    if found.how == "path":
        return tr("at its path {path}", path=shown(declaration.path))
    if found.how == "network":
        return tr("fetched from its url {url}", url=shown(declaration.url))
    package = found.package
    return tr(
        "at {folder} (supplied for it)", folder=shown(os.fspath(package.folder if package else "?"))
    )


def _supply_hint(declaration: Dependency, allow_network: bool) -> str:
    """Which option supplies a copy, as a sentence of its own."""
    if declaration.url is not None and not allow_network:
        return tr(
            "Supply a copy with --dependency {prefix}=PATH (dependencies={{{quoted}: PATH}} "
            "in Python), or let hsdata fetch it from its url with --allow-network",
            prefix=declaration.prefix,
            quoted=repr(declaration.prefix),
        )
    return tr(
        "Supply a copy with --dependency {prefix}=PATH (dependencies={{{quoted}: PATH}} in Python)",
        prefix=declaration.prefix,
        quoted=repr(declaration.prefix),
    )


def _missing(found: OpenedDependency, file: str, allow_network: bool) -> Issue:
    declaration = found.declaration
    reasons = list(found.looked)
    if found.refused is not None:
        reasons.insert(0, found.refused)
    if found.fetch_error is not None:
        reasons.append(tr("fetching it failed: {error}", error=found.fetch_error))
    if declaration.path is None:
        reasons.insert(0, tr("its declaration has no path"))
    if not reasons:
        reasons.append(tr("no copy was supplied for it"))
    return make_issue(
        "dependency-missing",
        tr(
            "no local copy of the dependency {title} was found: {reasons}. {hint}",
            title=declaration.title,
            reasons=listed(reasons),
            hint=_supply_hint(declaration, allow_network),
        ),
        file=file,
        pointer=declaration.pointer + ("/path" if declaration.path is not None else ""),
    )


def _unreadable(found: OpenedDependency, file: str, allow_network: bool) -> Issue:
    declaration = found.declaration
    assert found.package is not None
    first = next(iter(found.package.blocking_issues or found.package.issues), None)
    why = tr(": {reason}", reason=first.message) if first is not None else ""
    return make_issue(
        "dependency-missing",
        tr(
            "the copy of the dependency {title} found {where} is not a readable data "
            "package{why}. {hint}",
            title=declaration.title,
            where=_where(found),
            why=why,
            hint=_supply_hint(declaration, allow_network),
        ),
        file=file,
        pointer=declaration.pointer + ("/path" if found.how == "path" else ""),
    )


def _mismatches(found: OpenedDependency, copy: Package, file: str) -> list[Issue]:
    declaration = found.declaration
    issues = []
    descriptor: Mapping[str, Any] = copy.descriptor or {}
    for key, their_key in _MATCHED_KEYS:
        declared = getattr(declaration, key)
        theirs = descriptor.get(their_key)
        if declared is None or declared == theirs:
            continue
        said = (
            tr("gives {value}", value=shown(theirs))
            if isinstance(theirs, str)
            else tr("gives none")
            if theirs is None
            else tr("gives something that is not text")
        )
        issues.append(
            make_issue(
                "dependency-mismatch",
                tr(
                    "the dependency {prefix} is declared with the {key} {declared}, but the "
                    "datapackage.json of the copy found {where} {said} as its {their_key}",
                    prefix=shown(declaration.prefix),
                    key=key,
                    declared=shown(declared),
                    where=_where(found),
                    said=said,
                    their_key=their_key,
                ),
                file=file,
                pointer=f"{declaration.pointer}/{key}",
            )
        )
    return issues


def _digest_issue(found: OpenedDependency, copy: Package, file: str) -> Issue | None:
    declaration = found.declaration
    if declaration.sha256 is None:
        return None
    digest = found.digest or descriptor_digest(copy)
    if digest is None or digest == declaration.sha256.lower():
        return None
    return make_issue(
        "dependency-digest-mismatch",
        tr(
            "the datapackage.json of the dependency {title} found {where} has the sha256 "
            "digest {digest}, but the declaration gives {declared}: the copy is not the "
            "release this package was made against",
            title=declaration.title,
            where=_where(found),
            digest=digest,
            declared=shown(declaration.sha256),
        ),
        file=file,
        pointer=f"{declaration.pointer}/sha256",
    )


def dependency_issues(
    opened: Mapping[str, OpenedDependency], file: str, *, allow_network: bool = False
) -> list[Issue]:
    """What does not hold in what the package (whose datapackage.json reports name ``file``)
    declares about its dependencies, given the copies found."""
    issues: list[Issue] = []
    for found in opened.values():
        copy = found.package
        if copy is None:
            issues.append(_missing(found, file, allow_network))
        elif not copy.readable:
            issues.append(_unreadable(found, file, allow_network))
        else:
            digest = _digest_issue(found, copy, file)
            if digest is not None:
                issues.append(digest)
            issues.extend(_mismatches(found, copy, file))
    return issues


def dependency_resolver(
    descriptor: Mapping[str, Any] | None, opened: Mapping[str, OpenedDependency]
) -> DependencyResolver:
    """The resolver of ``prefix:id`` references: a readable copy's records are looked up;
    a declared dependency without one is not judged; an undeclared prefix is None."""
    prefixes = declared_prefixes(descriptor)

    def resolve(prefix: str) -> RecordLookup | None:
        if prefix not in prefixes:
            return None
        found = opened.get(prefix)
        if found is None or not found.readable or found.unread:
            return _not_judged

        def lookup(target: str, record_id: str) -> bool:
            return record_id in found.ids(target)

        return lookup

    return resolve
