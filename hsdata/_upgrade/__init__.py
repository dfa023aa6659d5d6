"""Upgrading a data package to a newer version of the standard (being split into stages)."""

from ._plan import (
    JOURNAL_NAME,
    STEPS,
    JsonNumber,
    UpgradeChange,
    UpgradeError,
    UpgradeReport,
    edit_json_text,
    step,
    upgrade,
    upgrade_path,
    upgrade_record,
)

__all__ = [
    "JOURNAL_NAME",
    "STEPS",
    "JsonNumber",
    "UpgradeChange",
    "UpgradeError",
    "UpgradeReport",
    "edit_json_text",
    "step",
    "upgrade",
    "upgrade_path",
    "upgrade_record",
]
