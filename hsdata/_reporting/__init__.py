"""Reporting, below everything that reports: issues and reports, the rule catalogue,
issue building, safe echo of input, and the text, JSON and GitHub renderers.

The validator, the package reader, the loader, upgrades, spreadsheets and the
command line all build and show their findings with this subpackage, so that
an issue looks the same wherever it was found. Nothing here imports any other
part of hsdata.

``_report``
    :class:`Issue`, :class:`Report`, :class:`Severity`, :class:`ExitCode`
``_rules``
    :class:`Rule`, the catalogue :data:`RULES` and :func:`register`
``_catalogue``
    the validator's rules, and :func:`make_issue`, the one way to build an issue from a rule
``_safe``
    values from the input shown safely (control characters escaped, long values cut)
``_render``
    the text, JSON and GitHub-annotation renderers, for validation reports and for
    reports of changes made (:class:`ChangeReport`, such as an upgrade's)
"""

from ._catalogue import RULE_IDS, make_issue
from ._catalogue_fr import rule_explanation, rule_title
from ._render import (
    FORMATS,
    Change,
    ChangeReport,
    RenderableReport,
    format_github,
    format_json,
    format_report,
    format_text,
    issue_dict,
    summary,
)
from ._report import ExitCode, Issue, Report, Severity, errors_of, exit_code_of
from ._rules import DOCS_BASE, RULES, Rule, register
from ._safe import MAX_SHOWN, clean, field_name, kind_of, pointer_escape, pointer_of, shown

__all__ = [
    "DOCS_BASE",
    "FORMATS",
    "MAX_SHOWN",
    "RULES",
    "RULE_IDS",
    "Change",
    "ChangeReport",
    "ExitCode",
    "Issue",
    "RenderableReport",
    "Report",
    "Rule",
    "Severity",
    "clean",
    "errors_of",
    "exit_code_of",
    "field_name",
    "format_github",
    "format_json",
    "format_report",
    "format_text",
    "issue_dict",
    "kind_of",
    "make_issue",
    "pointer_escape",
    "pointer_of",
    "register",
    "rule_explanation",
    "rule_title",
    "shown",
    "summary",
]
