"""hsdata: the open data standard for human security cooperation.

The public API is what ``__all__`` lists; every other module is private.
"""

from . import _export  # noqa: F401 (its format modules register the export formats)
from ._compile import CompiledReleases, CompileError, HistoryEntry, Release, compile_releases
from ._dates import PartialDate, Precision
from ._diff import DiffError, FieldChange, PackageDiff, RecordChange, ResourceChange, diff
from ._errors import HsdataError, InvalidDataError
from ._extensions import (
    Extension,
    ExtensionError,
    apply_extensions,
    bundled_extensions,
    check_extension,
    load_extension,
)
from ._fetch import FetchError
from ._files import OutputError
from ._loader import Dataset, IssueAreaDigest, RecordCollection, load
from ._records import (
    Actor,
    Citation,
    Count,
    Document,
    Event,
    IssueArea,
    LanguageMap,
    Location,
    Member,
    Membership,
    Participant,
    Partnership,
    PartnershipRelation,
    Period,
    Post,
    Record,
    Source,
)
from ._reporting import RULES, ExitCode, Issue, Report, Rule, Severity
from ._schemas import (
    Codelist,
    CodelistField,
    DeprecatedField,
    ReferenceField,
    SchemaError,
    SchemaSet,
    available_versions,
    load_schema_set,
)
from ._spreadsheet import SpreadsheetError, import_spreadsheet, write_template
from ._upgrade import UpgradeChange, UpgradeError, UpgradeReport, upgrade
from ._validator import (
    IntegrityIndex,
    RecordChecker,
    RecordFacts,
    check_record,
    facts_of,
    format_report,
    validate,
)
from ._version import STANDARD_VERSION, __version__

__all__ = [
    "RULES",
    "STANDARD_VERSION",
    "Actor",
    "Citation",
    "Codelist",
    "CodelistField",
    "CompileError",
    "CompiledReleases",
    "Count",
    "Dataset",
    "DeprecatedField",
    "DiffError",
    "Document",
    "Event",
    "ExitCode",
    "Extension",
    "ExtensionError",
    "FetchError",
    "FieldChange",
    "HistoryEntry",
    "HsdataError",
    "IntegrityIndex",
    "InvalidDataError",
    "Issue",
    "IssueArea",
    "IssueAreaDigest",
    "LanguageMap",
    "Location",
    "Member",
    "Membership",
    "OutputError",
    "PackageDiff",
    "PartialDate",
    "Participant",
    "Partnership",
    "PartnershipRelation",
    "Period",
    "Post",
    "Precision",
    "Record",
    "RecordChange",
    "RecordChecker",
    "RecordCollection",
    "RecordFacts",
    "ReferenceField",
    "Release",
    "Report",
    "ResourceChange",
    "Rule",
    "SchemaError",
    "SchemaSet",
    "Severity",
    "Source",
    "SpreadsheetError",
    "UpgradeChange",
    "UpgradeError",
    "UpgradeReport",
    "__version__",
    "apply_extensions",
    "available_versions",
    "bundled_extensions",
    "check_extension",
    "check_record",
    "compile_releases",
    "diff",
    "facts_of",
    "format_report",
    "import_spreadsheet",
    "load",
    "load_extension",
    "load_schema_set",
    "upgrade",
    "validate",
    "write_template",
]
