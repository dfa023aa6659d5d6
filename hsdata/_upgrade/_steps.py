"""The steps: one migration of a record per pair of consecutive versions of the standard.

A step is a pure function of one record, registered with :func:`step`: it
returns the migrated record and the changes it made, and never touches the
record it was given. A new version of the standard adds its step here, even
one that changes nothing (an upgrade follows only the steps it knows).
A step may also migrate the descriptor (``datapackage.json``): 1.2 requires
facts about the publisher and the release that no record holds, which the
step takes from :class:`ReleaseDetails` (the upgrade's options) or from what
the Frictionless descriptor already says, and never invents.
:func:`upgrade_path` chains the steps between two versions;
:func:`upgrade_record` runs the chain over one record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from .._i18n import listed, tr
from .._reporting import clean
from .._schemas import available_versions
from ._json_text import _shown_value
from ._results import UpgradeError


@dataclass(frozen=True)
class RecordChange:
    """A change a step made to one record; ``pointer`` is relative to the record."""

    kind: str
    pointer: str
    message: str


#: A step's work on one record: (record type, record) -> (migrated record, its changes).
#: Numbers in the record are :class:`JsonNumber` values; a step keeps the values it does
#: not change as the very same objects, so that they are written back untouched.
RecordMigration = Callable[[str, dict[str, Any]], tuple[dict[str, Any], tuple[RecordChange, ...]]]


@dataclass(frozen=True)
class ReleaseDetails:
    """What a descriptor states about its publisher and release, as the upgrade was told it.

    Each field is None when not given; a step that needs one takes it from the
    descriptor instead, or names the option that supplies it. Language maps
    are ``{language tag: text}``.
    """

    publisher_name: Mapping[str, str] | None = None
    publisher_id: str | None = None  # SCHEME:ID, e.g. "wikidata:Q16"
    publisher_url: str | None = None
    reporting: str | None = None  # primary | secondary
    reporting_on: Mapping[str, str] | None = None
    namespace: str | None = None
    license: str | None = None
    published: str | None = None  # YYYY-MM-DDThh:mm:ssZ; default: the time of the upgrade


#: A step's work on the descriptor: (descriptor, details) -> (migrated descriptor, its changes,
#: the problems that stop it: each a sentence naming the option that would solve it).
DescriptorMigration = Callable[
    [dict[str, Any], ReleaseDetails],
    tuple[dict[str, Any], tuple[RecordChange, ...], tuple[str, ...]],
]


@dataclass(frozen=True)
class Step:
    """The migration from one version of the standard to the next."""

    source: str
    target: str
    summary: str
    migrate: RecordMigration
    migrate_descriptor: DescriptorMigration | None = None


#: Every registered step, by (from version, to version).
STEPS: dict[tuple[str, str], Step] = {}


def step(
    source: str, target: str, summary: str, *, descriptor: DescriptorMigration | None = None
) -> Callable[[RecordMigration], RecordMigration]:
    """Register a record migration (and a descriptor one) as the step ``source`` -> ``target``."""

    def register_step(migrate: RecordMigration) -> RecordMigration:
        if (source, target) in STEPS:
            raise ValueError(f"two upgrade steps from {source} to {target}")
        STEPS[(source, target)] = Step(source, target, summary, migrate, descriptor)
        return migrate

    return register_step


@step("1.0", "1.1", tr("a post's heldOn date becomes the list attestedOn"))
def _from_1_0_to_1_1(
    record_type: str, record: dict[str, Any]
) -> tuple[dict[str, Any], tuple[RecordChange, ...]]:
    """1.1 records a post's dates in ``attestedOn`` (a list); 1.0's single ``heldOn`` moves there.

    >>> record = {"id": "x", "posts": [{"organization": "canada", "heldOn": "1997-12-03"}]}
    >>> migrated, changes = _from_1_0_to_1_1("actor", record)
    >>> migrated["posts"]
    [{'organization': 'canada', 'attestedOn': ['1997-12-03']}]
    >>> [c.pointer for c in changes], record["posts"][0]["heldOn"]
    (['/posts/0/attestedOn'], '1997-12-03')
    """
    posts = record.get("posts")
    if record_type != "actor" or not isinstance(posts, list):
        return record, ()
    changes: list[RecordChange] = []
    new_posts: list[Any] = []
    for index, post in enumerate(posts):
        moved = _held_on_to_attested_on(post)
        if moved is None:
            new_posts.append(post)
            continue
        new_posts.append(moved)
        changes.append(
            RecordChange(
                "post-attested-on",
                f"/posts/{index}/attestedOn",
                tr(
                    "posts[{index}].heldOn {value} moved into posts[{index}].attestedOn",
                    index=index,
                    value=_shown_value(post["heldOn"]),
                ),
            )
        )
    if not changes:
        return record, ()
    return {**record, "posts": new_posts}, tuple(changes)


def _held_on_to_attested_on(post: Any) -> dict[str, Any] | None:
    """The post with heldOn moved into attestedOn (at heldOn's place), or None if nothing to do.

    A post that already has attestedOn keeps it, with the heldOn date added
    when it is not there yet; one whose attestedOn is not a list is left as
    it is, so that no value is lost (the validator then reports it).
    """
    if not isinstance(post, dict) or "heldOn" not in post:
        return None
    held_on = post["heldOn"]
    existing = post.get("attestedOn")
    if "attestedOn" in post and not isinstance(existing, list):
        return None
    migrated: dict[str, Any] = {}
    for key, value in post.items():
        if key == "heldOn":
            if existing is None:
                migrated["attestedOn"] = [held_on]
        elif key == "attestedOn":
            migrated[key] = value if held_on in value else [*value, held_on]
        else:
            migrated[key] = value
    return migrated


# The 1.2 patterns (common.json $defs Url, and hsdata:published), checked here so that an
# upgrade never writes a descriptor that 1.2 refuses because of a value it was given.
_URL = re.compile(r'https?://[^\s<>"{}|\\^`]+')
_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_REPORTING = ("primary", "secondary")

#: What to give for each fact a 1.2 descriptor requires: its option, what it says, and the
#: keyword of upgrade() that gives it in Python (one sentence each, to translate whole).
_MISSING = {
    "name": tr("--publisher-name NAME (who publishes the package; publisher_name= in Python)"),
    "reporting": tr(
        "--reporting primary|secondary (whether the publisher reports its own work (primary) "
        "or someone else's (secondary); reporting= in Python)"
    ),
    "namespace": tr(
        "--namespace URI (the http(s) address ending in '/' under which the publisher names "
        "its records; namespace= in Python)"
    ),
    "license": tr("--license NAME (the licence the data is published under; license= in Python)"),
}


def _missing(fact: str) -> str:
    return _MISSING[fact]


def _publisher_contributor(descriptor: dict[str, Any]) -> dict[str, Any] | None:
    """The first Frictionless contributor whose role is publisher (v1 'role' or v2 'roles')."""
    contributors = descriptor.get("contributors")
    for contributor in contributors if isinstance(contributors, list) else []:
        if not isinstance(contributor, dict):
            continue
        roles = contributor.get("roles")
        listed = roles if isinstance(roles, list) else [contributor.get("role")]
        if "publisher" in listed and isinstance(contributor.get("title"), str):
            return contributor
    return None


def _namespace(
    descriptor: dict[str, Any], details: ReleaseDetails, problems: list[str]
) -> tuple[str, str] | None:
    """The namespace and where it comes from, or None (a problem added) when it is not known."""
    if details.namespace is not None:
        given = details.namespace
        if not _URL.fullmatch(given) or not given.endswith("/"):
            problems.append(
                tr(
                    "--namespace {value} is not an http(s) address ending in '/', "
                    "such as https://example.org/hsdata/",
                    value=_shown_value(given),
                )
            )
            return None
        return given, tr("from --namespace")
    existing = descriptor.get("hsdata:namespace")
    if isinstance(existing, str):
        return existing, ""
    package_id = descriptor.get("id")
    if isinstance(package_id, str) and _URL.fullmatch(package_id):
        return (package_id if package_id.endswith("/") else package_id + "/"), tr(
            "from the package's id"
        )
    problems.append(_missing("namespace"))
    return None


def _publisher(
    descriptor: dict[str, Any], details: ReleaseDetails, problems: list[str]
) -> tuple[dict[str, Any], str] | None:
    """The hsdata:publisher object and where its facts come from, or None when one is missing."""
    existing = descriptor.get("hsdata:publisher")
    publisher: dict[str, Any] = dict(existing) if isinstance(existing, dict) else {}
    told: list[str] = []  # the options (and the contributor) the facts come from
    contributor = _publisher_contributor(descriptor)
    if details.publisher_name:
        publisher["name"] = dict(details.publisher_name)
        told.append("--publisher-name")
    elif "name" not in publisher and contributor is not None:
        # A Frictionless title carries no language: it is taken as English, and said so.
        publisher["name"] = {"en": contributor["title"]}
        told.append(tr("the contributor whose role is publisher (its title taken as English)"))
    if details.publisher_id is not None:
        scheme, colon, identifier = details.publisher_id.partition(":")
        if not (colon and scheme and identifier.strip()):
            problems.append(
                tr(
                    "--publisher-id {value} is not SCHEME:ID, "
                    "such as wikidata:Q16 or orgId:XM-DAC-41301",
                    value=_shown_value(details.publisher_id),
                )
            )
        else:
            publisher["identifier"] = {"scheme": scheme, "id": identifier}
            told.append("--publisher-id")
    if details.publisher_url is not None:
        if _URL.fullmatch(details.publisher_url):
            publisher["url"] = details.publisher_url
            told.append("--publisher-url")
        else:
            problems.append(
                tr(
                    "--publisher-url {value} is not an http(s) address",
                    value=_shown_value(details.publisher_url),
                )
            )
    elif "url" not in publisher and contributor is not None:
        path = contributor.get("path")
        if isinstance(path, str) and _URL.fullmatch(path):
            publisher["url"] = path
    if details.reporting is not None:
        if details.reporting in _REPORTING:
            publisher["reporting"] = details.reporting
            told.append("--reporting")
        else:
            problems.append(
                tr(
                    "--reporting {value} is neither primary nor secondary",
                    value=_shown_value(details.reporting),
                )
            )
    if details.reporting_on:
        publisher["reportingOn"] = dict(details.reporting_on)
        told.append("--reporting-on")
    for fact in ("name", "reporting"):
        if fact not in publisher:
            problems.append(_missing(fact))
    if "name" not in publisher or "reporting" not in publisher:
        return None
    ordered = {key: publisher[key] for key in _PUBLISHER_ORDER if key in publisher}
    ordered.update({k: v for k, v in publisher.items() if k not in ordered})
    return ordered, tr("from {sources}", sources=listed(told, ", ")) if told else ""


_PUBLISHER_ORDER = ("name", "identifier", "url", "reporting", "reportingOn")


def _published(
    descriptor: dict[str, Any], details: ReleaseDetails, problems: list[str]
) -> tuple[str, str] | None:
    """When this release was published: --published, else what the descriptor says, else now."""
    if details.published is not None:
        given = details.published
        try:
            valid = bool(_DATE_TIME.fullmatch(given)) and bool(
                datetime.strptime(given, "%Y-%m-%dT%H:%M:%SZ")
            )
        except ValueError:
            valid = False
        if not valid:
            problems.append(
                tr(
                    "--published {value} is not a date and time written "
                    "YYYY-MM-DDThh:mm:ssZ (in UTC), such as 2026-12-01T09:30:00Z",
                    value=_shown_value(given),
                )
            )
            return None
        return given, tr("from --published")
    existing = descriptor.get("hsdata:published")
    if isinstance(existing, str):
        return existing, ""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return now, tr("the time of this upgrade; give --published to say otherwise")


def _licenses(
    descriptor: dict[str, Any], details: ReleaseDetails, problems: list[str]
) -> list[Any] | None:
    """The licences: --license replaces them; else those declared, if one has a name or path."""
    if details.license is not None:
        if not details.license.strip():
            problems.append(tr("--license is empty; give the licence's name, such as CC-BY-4.0"))
            return None
        return [{"name": details.license}]
    declared = descriptor.get("licenses")
    if isinstance(declared, list) and any(
        isinstance(entry, dict) and ("name" in entry or "path" in entry) for entry in declared
    ):
        return declared
    problems.append(_missing("license"))
    return None


def _descriptor_1_1_to_1_2(
    descriptor: dict[str, Any], details: ReleaseDetails
) -> tuple[dict[str, Any], tuple[RecordChange, ...], tuple[str, ...]]:
    """1.2 descriptors state their namespace, publisher, licence and publication time.

    Each fact comes from the options, else from what the descriptor already
    says (``hsdata:…`` keys, a contributor whose role is publisher, an
    http(s) ``id`` for the namespace); what none of them gives is a problem
    naming its option. The new keys follow ``hsdata:version``.

    >>> old = {"name": "p", "id": "https://example.org/p", "hsdata:version": "1.1",
    ...        "licenses": [{"name": "CC0-1.0"}], "resources": []}
    >>> details = ReleaseDetails(publisher_name={"nb": "Utenriksdepartementet"},
    ...     reporting="primary", published="2026-12-01T09:30:00Z")
    >>> new, changes, problems = _descriptor_1_1_to_1_2(old, details)
    >>> list(new)[2:6], problems
    (['hsdata:version', 'hsdata:namespace', 'hsdata:publisher', 'hsdata:published'], ())
    >>> new["hsdata:namespace"], new["hsdata:publisher"]["name"]
    ('https://example.org/p/', {'nb': 'Utenriksdepartementet'})
    >>> _descriptor_1_1_to_1_2({"hsdata:version": "1.1"}, ReleaseDetails())[2][0]
    '--publisher-name NAME (who publishes the package; publisher_name= in Python)'
    """
    problems: list[str] = []
    publisher = _publisher(descriptor, details, problems)
    namespace = _namespace(descriptor, details, problems)
    published = _published(descriptor, details, problems)
    licenses = _licenses(descriptor, details, problems)
    if problems or namespace is None or publisher is None or published is None or licenses is None:
        return descriptor, (), tuple(problems)
    added = {
        "hsdata:namespace": namespace[0],
        "hsdata:publisher": publisher[0],
        "hsdata:published": published[0],
    }
    migrated: dict[str, Any] = {}
    for key, value in descriptor.items():
        if key in added:
            continue
        migrated[key] = licenses if key == "licenses" else value
        if key == "hsdata:version":
            migrated.update(added)
    migrated.update({k: v for k, v in added.items() if k not in migrated})
    migrated.setdefault("licenses", licenses)
    changes: list[RecordChange] = []
    for key, (value, origin) in (
        ("hsdata:namespace", namespace),
        ("hsdata:publisher", publisher),
        ("hsdata:published", published),
    ):
        if descriptor.get(key) != value:
            written = clean(json.dumps(value, ensure_ascii=False), 400)
            changes.append(
                RecordChange(
                    "descriptor-" + key.removeprefix("hsdata:"),
                    f"/{key}",
                    tr("{key} set to {value} ({origin})", key=key, value=written, origin=origin)
                    if origin
                    else tr("{key} set to {value}", key=key, value=written),
                )
            )
    if descriptor.get("licenses") != licenses:
        changes.append(
            RecordChange(
                "descriptor-licenses",
                "/licenses",
                tr("licenses set to {value} (from --license)", value=_shown_value(licenses)),
            )
        )
    return migrated, tuple(changes), ()


@step(
    "1.1",
    "1.2",
    tr(
        "records unchanged (1.1 locations are 1.2 places, references stay local ids); the "
        "descriptor states its namespace, publisher, licence and publication time"
    ),
    descriptor=_descriptor_1_1_to_1_2,
)
def _from_1_1_to_1_2(
    record_type: str, record: dict[str, Any]
) -> tuple[dict[str, Any], tuple[RecordChange, ...]]:
    """Every valid 1.1 record is a valid 1.2 record: nothing to change.

    In particular an actor's type is kept: an ICRC-like body typed
    nonGovernmentalOrganization stays so, since only its publisher can say
    it is an internationalHumanitarianBody.

    >>> _from_1_1_to_1_2("actor", {"id": "icrc", "type": "nonGovernmentalOrganization"})
    ({'id': 'icrc', 'type': 'nonGovernmentalOrganization'}, ())
    """
    return record, ()


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def upgrade_path(source: str, target: str) -> tuple[Step, ...] | None:
    """The steps that lead from ``source`` to ``target``, or None if there is no such chain.

    >>> [f"{s.source}->{s.target}" for s in upgrade_path("1.0", "1.1") or ()]
    ['1.0->1.1']
    """
    chain: list[Step] = []
    current = source
    while current != target:
        following = [s for (start, _), s in STEPS.items() if start == current]
        following = [s for s in following if _version_key(s.target) <= _version_key(target)]
        if not following:
            return None
        current = max(following, key=lambda s: _version_key(s.target)).target
        chain.append(next(s for s in following if s.target == current))
    return tuple(chain)


def upgrade_record(
    record: dict[str, Any], record_type: str, source: str, target: str | None = None
) -> tuple[dict[str, Any], tuple[RecordChange, ...]]:
    """One record migrated from version ``source`` to ``target`` (default: the newest).

    The record given is not modified.

    >>> post = {"organization": "icrc", "heldOn": "1997-12-03"}
    >>> upgrade_record({"id": "p", "type": "person", "posts": [post]}, "actor", "1.0")[0]
    {'id': 'p', 'type': 'person', 'posts': [{'organization': 'icrc', 'attestedOn': ['1997-12-03']}]}
    """
    target = target or available_versions()[-1]
    chain = upgrade_path(source, target)
    if chain is None:
        raise UpgradeError(f"there is no upgrade from hsdata {source} to {target}")
    changes: list[RecordChange] = []
    for each in chain:
        record, made = each.migrate(record_type, record)
        changes.extend(made)
    return record, tuple(changes)
