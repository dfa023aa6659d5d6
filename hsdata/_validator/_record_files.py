"""The stage for loose files of records: files given without a package, and records in memory.

:func:`validate_files` tells each file's record type (from the type asked
for, or from the file name) and checks the files together as one data set;
:func:`validate_records` does the same for records already in memory. Both
hand the records to a :class:`~._run.Run`, as the package stage does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .._package import JSON_LINES_SUFFIXES, RecordItem, read_json_records
from .._reporting import Report, make_issue, shown
from .._schemas import SchemaSet, camel_case, load_schema_set
from .._version import STANDARD_VERSION
from ._locate import is_json_lines
from ._parallel import default_workers
from ._run import Progress, _Run


def record_type_from_name(path: Path, schema_set: SchemaSet) -> str | None:
    """The record type a file name suggests: events.json, event.jsonl, issue-areas.json..."""
    stem = path.name.lower()
    for suffix in (".json", *JSON_LINES_SUFFIXES):
        stem = stem.removesuffix(suffix)
    for record_type in schema_set.record_types:
        kebab = re.sub(r"(?<!^)([A-Z])", lambda m: "-" + m.group(1).lower(), record_type)
        names = {kebab, kebab + "s", record_type.lower(), record_type.lower() + "s"}
        if stem in names:
            return record_type
    return None


def _normalise_type(record_type: str, schema_set: SchemaSet) -> str | None:
    for candidate in (record_type, camel_case(record_type)):
        if candidate in schema_set.record_types:
            return candidate
    return None


def validate_files(
    paths: Sequence[tuple[Path, str]],
    *,
    record_type: str | None = None,
    schema_version: str | None = None,
    schema_set: SchemaSet | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> Report:
    """Validate files of records (JSON arrays or JSON Lines) together, as one data set.

    References are checked only to record types present among the files: a
    file of events alone cannot show whether its actors exist.
    """
    schema_set = schema_set or load_schema_set(schema_version or STANDARD_VERSION)
    run = _Run(schema_set, progress, checked_types=set(), workers=workers or default_workers())
    typed: list[tuple[Path, str, str]] = []
    for path, display in paths:
        run.add_file(display, path)
        kind = (
            _normalise_type(record_type, schema_set)
            if record_type is not None
            else record_type_from_name(path, schema_set)
        )
        if kind is None:
            asked = (
                f"the record type asked for, {shown(record_type)}, is"
                if record_type
                else "the file name is"
            )
            run.issues.append(
                make_issue(
                    "input-record-type-unknown",
                    f"cannot tell what records this file holds: {asked} not a record type "
                    f"({', '.join(schema_set.record_types)})",
                    file=display,
                    unreadable=True,
                )
            )
            continue
        typed.append((path, display, kind))
        assert run.checked_types is not None
        run.checked_types.add(kind)
    for path, display, kind in typed:
        if is_json_lines(path):
            run.check_json_lines(path, display, kind)
        else:
            run.check_items(read_json_records(path, display), display, kind)
    return run.finish()


def validate_records(
    records: Mapping[str, Iterable[Any]], schema_set: SchemaSet | None = None
) -> Report:
    """Validate records already in memory, by record type, as one data set.

    Issues name the record type as their file ('<event>') and the record's
    index as their pointer.
    """
    schema_set = schema_set or load_schema_set()
    run = _Run(schema_set)
    for record_type, values in records.items():
        display = f"<{record_type}>"
        run.add_file(display, None)
        run.check_items(
            (RecordItem(f"/{i}", None, v, i) for i, v in enumerate(values)), display, record_type
        )
    return run.finish()
