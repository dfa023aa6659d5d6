"""hsdata: the open data standard for human security cooperation.

The public API is what ``__all__`` lists; every other module is private.
"""

from ._dates import PartialDate, Precision
from ._errors import HsdataError, InvalidDataError
from ._report import ExitCode, Issue, Report, Severity
from ._rules import RULES, Rule
from ._schemas import (
    Codelist,
    CodelistField,
    ReferenceField,
    SchemaError,
    SchemaSet,
    available_versions,
    load_schema_set,
)
from ._version import STANDARD_VERSION, __version__

__all__ = [
    "RULES",
    "STANDARD_VERSION",
    "Codelist",
    "CodelistField",
    "ExitCode",
    "HsdataError",
    "InvalidDataError",
    "Issue",
    "PartialDate",
    "Precision",
    "ReferenceField",
    "Report",
    "Rule",
    "SchemaError",
    "SchemaSet",
    "Severity",
    "__version__",
    "available_versions",
    "load_schema_set",
]
