"""The validator: checks hsdata data packages, files of records and JSON Lines.

The stages, each in its own module:

``_input``
    read files strictly (duplicate keys, encodings, NaN, depth)
``_positions``
    JSON Pointers to lines and columns, found only for files with issues
``_run``
    decide what was given, check the package (``datapackage.json``, resource
    paths, sizes and hashes, versions), drive the stages, locate issues
``_schema_check``
    each record against its JSON Schema: jsonschema_rs first, python-jsonschema
    only for failing records, errors grouped into plain-English issues
``_record``
    :func:`check_record`, every check of one record alone (a pure function)
``_integrity``
    :func:`facts_of` and :class:`IntegrityIndex`, the checks across records

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
from ._integrity import IntegrityIndex, RecordFacts, facts_of
from ._packages import validate, validate_package
from ._record import RecordChecker, check_record
from ._run import checker_for, validate_files, validate_records

__all__ = [
    "FORMATS",
    "RULE_IDS",
    "IntegrityIndex",
    "RecordChecker",
    "RecordFacts",
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
