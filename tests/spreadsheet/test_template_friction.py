"""The template's instructions say, for each list column, what the list holds and its separator."""

from __future__ import annotations

import hsdata
from hsdata._spreadsheet._layout import build_layout
from hsdata._spreadsheet._writer import instruction_rows, list_words


def test_every_list_column_says_what_its_items_are() -> None:
    layout = build_layout(hsdata.load_schema_set())
    rows = {(r[0], r[1]): r for r in instruction_rows(layout) if len(r) == 6}
    list_columns = [(t, c) for t in layout.tables for c in t.columns if c.is_list]
    assert list_columns
    for table, column in list_columns:
        kind = rows[(table.name, column.header)][3]
        assert kind == list_words(column)
        assert "separated by semicolons (';')" in kind
        assert kind != "list of string"
        scalar = column.scalar
        if scalar.record_ref:
            assert f"identifiers of {scalar.record_ref} records" in kind
        elif scalar.codelist:
            assert scalar.codelist in kind


def test_a_reference_list_names_the_records() -> None:
    layout = build_layout(hsdata.load_schema_set())
    partnership = layout.main_table("partnership")
    (column,) = [c for c in partnership.columns if c.header == "issueAreas"]
    assert list_words(column).startswith("a list of identifiers of issueArea records")
