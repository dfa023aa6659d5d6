"""The data set as pandas DataFrames: the same tables as the CSV export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._loader import Dataset, register_conversion
from ._optional import require
from ._tables import build_tables

if TYPE_CHECKING:
    import pandas

#: The pandas dtype of each Table Schema type (nullable, so empty cells stay missing).
_DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


def to_pandas(dataset: Dataset) -> dict[str, pandas.DataFrame]:
    """One DataFrame per table, with nullable dtypes; see :meth:`hsdata.Dataset.to_pandas`."""
    pd: Any = require("pandas", "pandas", "Dataset.to_pandas()")
    frames: dict[str, pandas.DataFrame] = {}
    for name, table in build_tables(dataset).items():
        columns = [column.name for column in table.columns]
        frame = pd.DataFrame.from_records(table.rows, columns=columns)
        frames[name] = frame.astype({c.name: _DTYPES[c.type] for c in table.columns})
    return frames


register_conversion("pandas", to_pandas)
