"""Exports of a loaded data set: CSV tables, SQLite, JSON-LD, Turtle, N-Triples, pandas, networkx.

Every format is one module that registers itself with the loader's registry
(:mod:`hsdata._loader._exporters`) when imported here: ``Dataset.export`` and
``hsdata export --format`` find it there. A new format is a new module here
that calls :func:`register_exporter`, and one import line below.

pandas, networkx and rdflib are optional: their modules import them only
when called, and say which extra to install when they are missing.
"""

from __future__ import annotations

from .._loader import Exporter, exporters, find_exporter, register_exporter
from . import _networkx, _pandas, _rdf, _sqlite
from ._csv import read_csv_package, read_table, restore_cell, write_csv_package
from ._jsonld import to_jsonld, write_jsonld
from ._optional import MissingExtraError

__all__ = [
    "Exporter",
    "MissingExtraError",
    "exporters",
    "find_exporter",
    "read_csv_package",
    "read_table",
    "register_exporter",
    "restore_cell",
    "to_jsonld",
    "write_csv_package",
    "write_jsonld",
]

# The format modules register themselves on import; these names keep them imported.
_FORMAT_MODULES = (_networkx, _pandas, _rdf, _sqlite)
