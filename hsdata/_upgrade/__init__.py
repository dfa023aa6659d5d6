"""Upgrading a data package from the version of the standard it follows to a newer one.

An upgrade is a chain of small steps, one per pair of consecutive versions
(1.0 -> 1.1, then 1.1 -> 1.2, ...). A step is a pure function of one record:
it returns the migrated record and the changes it made, and never touches
the record it was given. :func:`upgrade` reads the package through the one
package reader, runs the chain over every record, updates
``hsdata:version`` and each resource's ``jsonSchema``, and writes the
result (to another folder, or in place). Nothing is written unless every
file could be read and migrated. The upgraded package is then validated
against its new version, so the result says whether it is valid as well as
what changed.

The stages, in the order an upgrade meets them, each in its own module:

``_run``
    the entry point :func:`upgrade`: finish an interrupted upgrade in place,
    plan, write, then validate the result
``_plan``
    reading the package and migrating every record in memory: the new text
    of each file whose records changed, the descriptor's new version,
    ``jsonSchema`` URLs, sizes and hashes, and the list of changes
``_steps``
    the steps themselves, registered with :func:`step` in :data:`STEPS` (a
    new version of the standard adds its step here); :func:`upgrade_path`
    and :func:`upgrade_record`
``_json_text``
    JSON text edited in place, so that what an upgrade does not change is
    kept byte for byte: :class:`JsonNumber` and :func:`edit_json_text`
``_write``
    writing: to a new output folder all at once, or in place through a
    journal (:data:`JOURNAL_NAME`), and recovery from an interrupted upgrade
    in place
``_results``
    the rules an upgrade reports by, :class:`UpgradeChange`,
    :class:`UpgradeReport` and :class:`UpgradeError`

Imports go one way: ``_run`` uses ``_write`` and ``_plan``; ``_write`` writes
``_plan``'s plan; ``_plan`` uses ``_steps`` and ``_json_text``; every stage
reports through ``_results``.
"""

from ._json_text import JsonNumber, edit_json_text
from ._results import UpgradeChange, UpgradeError, UpgradeReport
from ._run import upgrade
from ._steps import STEPS, RecordChange, Step, step, upgrade_path, upgrade_record
from ._write import JOURNAL_NAME

__all__ = [
    "JOURNAL_NAME",
    "STEPS",
    "JsonNumber",
    "RecordChange",
    "Step",
    "UpgradeChange",
    "UpgradeError",
    "UpgradeReport",
    "edit_json_text",
    "step",
    "upgrade",
    "upgrade_path",
    "upgrade_record",
]
