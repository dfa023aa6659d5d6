"""Registries of publishers: a file listing publishers and their packages, every package checked.

``_format``
    the registry file read strictly and checked against ``schema/registry.json``
``_check``
    every listed package validated from its local copy; the summary per publisher
``_download``
    every ``downloadURL`` fetched (fenced) into one folder, then checked
``_table``
    the summary as a table for people
"""

from ._check import DatasetSummary, RegistrySummary, check_read_registry, check_registry
from ._download import (
    FETCH_FAILED,
    REGISTRY_COPY,
    SUMMARY_FILE,
    NetworkNotAllowed,
    fetch_registry,
)
from ._format import (
    INVALID,
    Registry,
    RegistryDataset,
    RegistryPublisher,
    read_registry,
    registry_schema,
    registry_schema_path,
)
from ._table import summary_table

__all__ = [
    "FETCH_FAILED",
    "INVALID",
    "REGISTRY_COPY",
    "SUMMARY_FILE",
    "DatasetSummary",
    "NetworkNotAllowed",
    "Registry",
    "RegistryDataset",
    "RegistryPublisher",
    "RegistrySummary",
    "check_read_registry",
    "check_registry",
    "fetch_registry",
    "read_registry",
    "registry_schema",
    "registry_schema_path",
    "summary_table",
]
