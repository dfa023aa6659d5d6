"""The steps: one migration of a record per pair of consecutive versions of the standard.

A step is a pure function of one record, registered with :func:`step`: it
returns the migrated record and the changes it made, and never touches the
record it was given. A new version of the standard adds its step here, even
one that changes nothing (an upgrade follows only the steps it knows).
:func:`upgrade_path` chains the steps between two versions;
:func:`upgrade_record` runs the chain over one record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
class Step:
    """The migration from one version of the standard to the next."""

    source: str
    target: str
    summary: str
    migrate: RecordMigration


#: Every registered step, by (from version, to version).
STEPS: dict[tuple[str, str], Step] = {}


def step(source: str, target: str, summary: str) -> Callable[[RecordMigration], RecordMigration]:
    """Register a record migration as the step from ``source`` to ``target``."""

    def register_step(migrate: RecordMigration) -> RecordMigration:
        if (source, target) in STEPS:
            raise ValueError(f"two upgrade steps from {source} to {target}")
        STEPS[(source, target)] = Step(source, target, summary, migrate)
        return migrate

    return register_step


@step("1.0", "1.1", "a post's heldOn date becomes the list attestedOn")
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
                f"posts[{index}].heldOn {_shown_value(post['heldOn'])} "
                f"moved into posts[{index}].attestedOn",
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
