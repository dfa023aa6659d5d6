"""The validator: checks hsdata data packages, files of records and JSON Lines.

The stages, in the order a record meets them, each in its own module:

``_packages``
    the entry point :func:`validate` (what was given: a package, a zipped
    package, files of records, nothing = the canonical data) and the package
    stage: what the package reader (:mod:`hsdata._package`, which reads files
    strictly and finds lines and columns) could not check, then every resource
``_record_files``
    loose files of records and records in memory: :func:`validate_files`,
    :func:`validate_records`
``_run``
    the run: each record through the record checks and the integrity index,
    issues capped per file and rule, located, sorted into one report
``_parallel``
    a large JSON Lines file on several processes, with the same report
``_schema_check``
    each record against its JSON Schema: jsonschema_rs first, python-jsonschema
    only for failing records, errors grouped into plain-English issues
``_record``
    :func:`check_record`, every check of one record alone (a pure function);
    each check declares the record types it applies to
``_text``
    what counts as free text, and which of its characters no reader sees
``_walks``
    the values of a record at its schema's field paths, walked by generated code
``_integrity``
    :func:`facts_of` and :class:`IntegrityIndex`, the checks across records,
    each written once for one process and for the workers
``_locate``
    lines and columns for issues, found at the end, only for files with issues

Rules, issue building, safe echo and the renderers live below, in
:mod:`hsdata._reporting`, shared with everything else that reports.

Scaling out: :func:`check_record` is a pure function of a record and a
:class:`RecordChecker` (build one per process from the :class:`~hsdata.SchemaSet`),
and :func:`facts_of` reduces a record to what the cross-record checks need; feed
the facts to one :class:`IntegrityIndex` and call its ``finish`` at the end.
"""

from .._reporting import (
    FORMATS,
    RULE_IDS,
    format_github,
    format_json,
    format_report,
    format_text,
    make_issue,
    summary,
)
from . import _pointers  # noqa: F401 (registers the check of citation pointers)
from ._integrity import IntegrityIndex, RecordFacts, facts_of
from ._packages import PackageCheck, check_package, validate, validate_package
from ._record import RecordChecker, check_record
from ._record_files import validate_files, validate_records
from ._run import checker_for

__all__ = [
    "FORMATS",
    "RULE_IDS",
    "IntegrityIndex",
    "PackageCheck",
    "RecordChecker",
    "RecordFacts",
    "check_package",
    "check_record",
    "checker_for",
    "facts_of",
    "format_github",
    "format_json",
    "format_report",
    "format_text",
    "make_issue",
    "summary",
    "validate",
    "validate_files",
    "validate_package",
    "validate_records",
]
