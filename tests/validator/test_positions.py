"""Locating JSON Pointers in text: pruned scans agree with full ones, duplicates found anywhere."""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from hsdata._package._positions import LineIndex, find_duplicate_keys, scan
from hsdata._paths import canonical_data_dir
from hsdata._validator import _locate


def test_pruned_scan_finds_the_same_offsets_as_a_full_scan() -> None:
    text = (canonical_data_dir() / "events.json").read_text(encoding="utf-8")
    full = scan(text).offsets
    rng = random.Random(7)
    for pointer in rng.sample(sorted(full), 50):
        assert scan(text, {pointer}).offsets[pointer] == full[pointer], pointer


def test_every_offset_is_where_the_value_or_key_is() -> None:
    document = {"a/b": [1, {"c~d": "x"}], "e": {"f": None}}
    text = json.dumps(document, indent=1)
    offsets = scan(text).offsets
    assert text[offsets["/a~1b"] :].startswith('"a/b"')  # a member is located at its key
    assert text[offsets["/a~1b/1"] :].startswith("{")  # an item at its first character
    assert text[offsets["/a~1b/1/c~0d"] :].startswith('"c~d"')
    assert text[offsets["/e/f"] :].startswith('"f"')
    assert LineIndex(text).position(offsets["/e/f"]) == (9, 3)


def test_duplicates_found_in_any_item_of_a_long_list() -> None:
    items = [{"id": f"r{n}", "x": n} for n in range(500)]
    text = json.dumps(items, indent=1)
    marker = '"id": "r321",'
    text = text.replace(marker, marker + ' "x": 0,', 1)
    (dup,) = find_duplicate_keys(text)
    assert (dup.pointer, dup.key) == ("/321/x", "x")
    assert text[dup.offset :].startswith('"x": 321')
    assert text[dup.first_offset :].startswith('"x": 0')


def test_duplicates_in_a_top_level_object_and_deep_values() -> None:
    assert [d.pointer for d in find_duplicate_keys('{"a": {"b": 1, "b": 2}}')] == ["/a/b"]
    deep = "[" + "[" * 3000 + '{"k": 1, "k": 2}' + "]" * 3000 + "]"
    assert [d.pointer for d in find_duplicate_keys(deep)] == ["/0" + "/0" * 3000 + "/k"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.binary(max_size=12).map(lambda b: b.replace(b"\n", b"")), max_size=25),
    st.booleans(),
    st.sets(st.integers(1, 30), max_size=6),
    st.integers(1, 16),
)
def test_wanted_lines_are_cut_out_exactly(
    lines: list[bytes], final_break: bool, wanted: set[int], block: int
) -> None:
    data = b"\n".join(lines) + (b"\n" if final_break and lines else b"")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.jsonl"
        path.write_bytes(data)
        with mock.patch.object(_locate, "_BLOCK_BYTES", block):
            found = list(_locate.lines_numbered(path, sorted(wanted)))
    pieces = data.split(b"\n")
    every = [piece + b"\n" for piece in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    assert found == [(n, every[n - 1]) for n in sorted(wanted) if n <= len(every)]
