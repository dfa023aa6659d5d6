"""Reading a data package: the one place that opens a package and its files.

Everything that reads a package (the validator, the loader, upgrades,
spreadsheets, exports) asks :func:`open_package` or :func:`read_package`,
and gets a :class:`Package` whose resources are resolved once: record type
by one rule, safe local paths, the version and schemas it follows.

``_reader``
    the descriptor and its resources resolved (:class:`Package`, :class:`Resource`)
``_input``
    files read strictly (duplicate keys, encodings, NaN, depth, size)
``_positions``
    JSON Pointers to lines and columns, found only for files with issues
``_archive``
    zipped packages unpacked safely into a temporary folder
``_download``
    a package published at a URL fetched into a folder (dependencies, registries)
``_dependencies``
    the local copies of the packages a package declares as dependencies (1.2)
``_texts``
    the source texts a package holds, named by its source records' ``fileName``
"""

from ._dependencies import (
    Dependency,
    OpenedDependency,
    declared_dependencies,
    descriptor_digest,
    open_dependencies,
)
from ._download import download_package
from ._input import (
    MAX_DOCUMENT_BYTES,
    UTF8_BOM,
    Parsed,
    RecordItem,
    as_readable,
    bom_issue,
    max_document_bytes,
    may_have_duplicate_keys,
    not_utf8,
    parse_json,
    read_json_lines,
    read_json_object,
    read_json_records,
    too_large,
)
from ._positions import (
    LineIndex,
    ancestors,
    column_in_line,
    find_duplicate_keys,
    line_column,
    nearest_offset,
    scan,
)
from ._reader import (
    JSON_LINES_SUFFIXES,
    SCHEMA_URL,
    Package,
    Resource,
    ResourceFile,
    descriptor_of,
    display_path,
    is_archive,
    is_descriptor,
    join_shown,
    open_package,
    read_package,
    read_records,
    resource_record_type,
    schema_version_of,
)
from ._texts import MAX_SOURCE_TEXT_BYTES, SourceText, plain_file_name, read_source_text

__all__ = [
    "JSON_LINES_SUFFIXES",
    "MAX_DOCUMENT_BYTES",
    "MAX_SOURCE_TEXT_BYTES",
    "SCHEMA_URL",
    "UTF8_BOM",
    "Dependency",
    "LineIndex",
    "OpenedDependency",
    "Package",
    "Parsed",
    "RecordItem",
    "Resource",
    "ResourceFile",
    "SourceText",
    "ancestors",
    "as_readable",
    "bom_issue",
    "column_in_line",
    "declared_dependencies",
    "descriptor_digest",
    "descriptor_of",
    "display_path",
    "download_package",
    "find_duplicate_keys",
    "is_archive",
    "is_descriptor",
    "join_shown",
    "line_column",
    "max_document_bytes",
    "may_have_duplicate_keys",
    "nearest_offset",
    "not_utf8",
    "open_dependencies",
    "open_package",
    "parse_json",
    "plain_file_name",
    "read_json_lines",
    "read_json_object",
    "read_json_records",
    "read_package",
    "read_records",
    "read_source_text",
    "resource_record_type",
    "scan",
    "schema_version_of",
    "too_large",
]
