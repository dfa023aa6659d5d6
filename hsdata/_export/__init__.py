"""Exports of a loaded data set: CSV tables, JSON-LD, pandas DataFrames, a networkx graph.

pandas and networkx are optional: their modules import them only when
called, and say which extra to install when they are missing.
"""

from __future__ import annotations

from ._csv import read_csv_package, read_table, restore_cell, write_csv_package
from ._jsonld import to_jsonld, write_jsonld

__all__ = [
    "read_csv_package",
    "read_table",
    "restore_cell",
    "to_jsonld",
    "write_csv_package",
    "write_jsonld",
]
