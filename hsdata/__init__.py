"""hsdata: the open data standard for human security cooperation.

The public API is what ``__all__`` lists; every other module is private.
Names are loaded from their modules on first use, so that a program (or the
``hsdata validate`` command) that needs only the validator does not load the
exporters, the spreadsheet reader or the merger.
"""

import importlib as _importlib
import typing as _typing

from ._version import STANDARD_VERSION, __version__

if _typing.TYPE_CHECKING:
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
    from ._merge import MergeError, MergeResult, merge
    from ._records import (
        Actor,
        Citation,
        Commitment,
        Coordinates,
        Count,
        Document,
        DocumentParty,
        Engagement,
        Event,
        ExternalIdentifier,
        IssueArea,
        LanguageMap,
        LifecycleStage,
        Location,
        Member,
        Membership,
        Participant,
        Partnership,
        PartnershipRelation,
        PartnershipRole,
        Period,
        Place,
        Post,
        Record,
        Source,
    )
    from ._registry import DatasetSummary, RegistrySummary, check_registry, fetch_registry
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

#: Each public name and the private module that defines it.
_MODULE_OF = {
    "Actor": "_records",
    "Citation": "_records",
    "Codelist": "_schemas",
    "CodelistField": "_schemas",
    "Commitment": "_records",
    "CompileError": "_compile",
    "CompiledReleases": "_compile",
    "Coordinates": "_records",
    "Count": "_records",
    "Dataset": "_loader",
    "DatasetSummary": "_registry",
    "DeprecatedField": "_schemas",
    "DiffError": "_diff",
    "Document": "_records",
    "DocumentParty": "_records",
    "Engagement": "_records",
    "Event": "_records",
    "ExitCode": "_reporting",
    "Extension": "_extensions",
    "ExtensionError": "_extensions",
    "ExternalIdentifier": "_records",
    "FetchError": "_fetch",
    "FieldChange": "_diff",
    "HistoryEntry": "_compile",
    "HsdataError": "_errors",
    "IntegrityIndex": "_validator",
    "InvalidDataError": "_errors",
    "Issue": "_reporting",
    "IssueArea": "_records",
    "IssueAreaDigest": "_loader",
    "LanguageMap": "_records",
    "LifecycleStage": "_records",
    "Location": "_records",
    "Member": "_records",
    "Membership": "_records",
    "MergeError": "_merge",
    "MergeResult": "_merge",
    "OutputError": "_files",
    "PackageDiff": "_diff",
    "PartialDate": "_dates",
    "Participant": "_records",
    "Partnership": "_records",
    "PartnershipRelation": "_records",
    "PartnershipRole": "_records",
    "Period": "_records",
    "Place": "_records",
    "Post": "_records",
    "Precision": "_dates",
    "RULES": "_reporting",
    "Record": "_records",
    "RecordChange": "_diff",
    "RecordChecker": "_validator",
    "RecordCollection": "_loader",
    "RecordFacts": "_validator",
    "ReferenceField": "_schemas",
    "RegistrySummary": "_registry",
    "Release": "_compile",
    "Report": "_reporting",
    "ResourceChange": "_diff",
    "Rule": "_reporting",
    "SchemaError": "_schemas",
    "SchemaSet": "_schemas",
    "Severity": "_reporting",
    "Source": "_records",
    "SpreadsheetError": "_spreadsheet",
    "UpgradeChange": "_upgrade",
    "UpgradeError": "_upgrade",
    "UpgradeReport": "_upgrade",
    "apply_extensions": "_extensions",
    "available_versions": "_schemas",
    "bundled_extensions": "_extensions",
    "check_extension": "_extensions",
    "check_record": "_validator",
    "check_registry": "_registry",
    "compile_releases": "_compile",
    "diff": "_diff",
    "facts_of": "_validator",
    "fetch_registry": "_registry",
    "format_report": "_validator",
    "import_spreadsheet": "_spreadsheet",
    "load": "_loader",
    "load_extension": "_extensions",
    "load_schema_set": "_schemas",
    "merge": "_merge",
    "upgrade": "_upgrade",
    "validate": "_validator",
    "write_template": "_spreadsheet",
}


def __getattr__(name: str) -> _typing.Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'hsdata' has no attribute {name!r}")
    value = getattr(_importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "RULES",
    "STANDARD_VERSION",
    "Actor",
    "Citation",
    "Codelist",
    "CodelistField",
    "Commitment",
    "CompileError",
    "CompiledReleases",
    "Coordinates",
    "Count",
    "Dataset",
    "DatasetSummary",
    "DeprecatedField",
    "DiffError",
    "Document",
    "DocumentParty",
    "Engagement",
    "Event",
    "ExitCode",
    "Extension",
    "ExtensionError",
    "ExternalIdentifier",
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
    "LifecycleStage",
    "Location",
    "Member",
    "Membership",
    "MergeError",
    "MergeResult",
    "OutputError",
    "PackageDiff",
    "PartialDate",
    "Participant",
    "Partnership",
    "PartnershipRelation",
    "PartnershipRole",
    "Period",
    "Place",
    "Post",
    "Precision",
    "Record",
    "RecordChange",
    "RecordChecker",
    "RecordCollection",
    "RecordFacts",
    "ReferenceField",
    "RegistrySummary",
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
    "check_registry",
    "compile_releases",
    "diff",
    "facts_of",
    "fetch_registry",
    "format_report",
    "import_spreadsheet",
    "load",
    "load_extension",
    "load_schema_set",
    "merge",
    "upgrade",
    "validate",
    "write_template",
]
