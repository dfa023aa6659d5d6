"""How a worker reads its share, and what it sends back, against the plain ways.

Duplicate keys are looked for a chunk of lines at a time, ids travel as
blobs, and the parent places issues from the offsets of the lines the
workers found: each must give exactly what the line-by-line way gives.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

import hsdata
from hsdata._package import UTF8_BOM, may_have_duplicate_keys
from hsdata._validator import _locate, _parallel

pytestmark = pytest.mark.skipif(not _parallel.can_fork(), reason="workers are forked (Linux)")

_AWKWARD = [
    b'{"a": 1, "a": 2}',  # a key twice
    b'{"a": {"b": 1, "b": 1}}',  # twice, deeper
    b'{"a": "x:y", "b\\u003a": 1}',  # a colon written as an escape
    b'{"a\\u003a": 1, "a:": 2}',  # the same key twice, once escaped
    b'{"a": "\\u00e9"}',  # an escape that hides no colon
    b"",  # blank
    b"   \r",  # only whitespace
    b'{"cut": ',  # not JSON
    b'{"a": 1}\r',  # a carriage return before the line break
    b"[1, 2, 3]",  # not an object
    b'"text with : colons"',
]


def _plain_line(number: int) -> bytes:
    return orjson.dumps({"id": f"r-{number}", "n": number, "note": {"en": "a: b"}})


def _share_lines(rng: random.Random, count: int) -> list[bytes]:
    lines = [
        rng.choice(_AWKWARD) if rng.random() < 0.15 else _plain_line(number)
        for number in range(count)
    ]
    lines[0] = UTF8_BOM + lines[0]
    return lines


def _reference(pieces: list[bytes], first: int) -> list[bool]:
    """For each line, whether it must be read again (the line-by-line way)."""
    unread = []
    for number, piece in enumerate(pieces, first):
        try:
            record = orjson.loads(piece)
        except orjson.JSONDecodeError:
            unread.append(True)
            continue
        bom = number == 1 and piece.startswith(UTF8_BOM)
        unread.append(bom or may_have_duplicate_keys(piece, record))
    return unread


@pytest.mark.parametrize("chunk", [1, 3, 64])
@pytest.mark.parametrize("seed", range(5))
def test_lines_read_by_chunks_agree_with_lines_read_alone(
    monkeypatch: pytest.MonkeyPatch, chunk: int, seed: int
) -> None:
    monkeypatch.setattr(_parallel, "CHUNK_LINES", chunk)
    rng = random.Random(seed)
    lines = _share_lines(rng, 300)
    data = b"\n".join(lines) + b"\n"
    pieces = data.split(b"\n")
    ends = list(_parallel.accumulate(map(len, pieces)))
    read = list(_parallel._lines_read(data, pieces, ends, 1, long_lines=False))
    assert [number for number, _ in read] == list(range(1, len(pieces) + 1))
    assert [record is _parallel._UNREAD for _, record in read] == _reference(pieces, 1)
    for (_, record), piece in zip(read, pieces, strict=True):
        if record is not _parallel._UNREAD:
            assert record == orjson.loads(piece)


def test_a_duplicate_in_a_chunk_of_plain_lines_is_found() -> None:
    lines = [_plain_line(n) for n in range(200)]
    lines[130] = b'{"id": "r-130", "id": "r-130"}'
    data = b"\n".join(lines)
    pieces = data.split(b"\n")
    ends = list(_parallel.accumulate(map(len, pieces)))
    read = list(_parallel._lines_read(data, pieces, ends, 7, long_lines=False))
    assert [n for n, record in read if record is _parallel._UNREAD] == [137]


def _shares_of(path: Path, range_bytes: int) -> list[_parallel.ShareResult]:
    """What a worker sends for each share, read here rather than in a pool."""
    results = []
    for share in _parallel.plan_shares(path, range_bytes):
        data = path.read_bytes()[share.offset : share.offset + share.length]
        ends = list(_parallel.accumulate(map(len, data.split(b"\n"))))
        result = _parallel.ShareResult(first_line=share.first_line, offset=share.offset)
        result.pack(ends)
        results.append(result)
    return results


@pytest.mark.parametrize("final_break", [True, False])
def test_line_offsets_find_every_line(tmp_path: Path, final_break: bool) -> None:
    path = tmp_path / "lines.jsonl"
    lines = [f'{{"n": {n}, "pad": "{"é" * (n % 40)}"}}\r' for n in range(1, 2001)]
    path.write_bytes(("\n".join(lines) + ("\n" if final_break else "")).encode())
    offsets = _locate.LineOffsets()
    for result in _shares_of(path, 2048):
        offsets.add(result.first_line, result.offset, result.line_ends)
    assert len(offsets.first_lines) > 10
    wanted = [1, 2, 57, 1000, 1999, 2000]
    found = dict(_locate._lines_wanted(path, wanted, offsets))
    plain = dict(_locate.lines_numbered(path, wanted))
    assert found == plain
    assert found[2000].endswith(b"\n") == final_break


def test_ids_travel_as_blobs_and_come_back_the_same() -> None:
    result = _parallel.ShareResult()
    ids = ["a-1", "é-2", "b-3", "a-1"]
    result.ids, result.id_codes = list(ids), [3, (5 << 41) | 9, 11, 2**63]
    result.pack([1, 2])
    assert result.ids == [] and result._id_blob is not None
    assert result.unpacked_ids() == (ids, [3, (5 << 41) | 9, 11, 2**63])


def test_an_id_holding_a_nul_travels_as_a_list() -> None:
    result = _parallel.ShareResult()
    result.ids, result.id_codes = ["a\x00b", "c"], [1, 3]
    result.pack([])
    assert result._id_blob is None
    assert result.unpacked_ids() == (["a\x00b", "c"], [1, 3])


@pytest.fixture
def small_shares(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_parallel, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(_parallel, "RANGE_BYTES", 8 * 1024)


def test_the_parent_never_reads_the_file_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_shares: None
) -> None:
    good = {
        "id": "x-1",
        "type": "meeting",
        "name": {"en": "A meeting"},
        "date": {"start": "1999"},
        "citations": [{"source": "s", "page": "1"}],
    }
    lines = []
    for number in range(1, 1500):
        record = dict(good, id=f"x-{number % 1400}")  # the last hundred repeat ids
        if number % 50 == 0:
            record["participants"] = [{"actor": "nobody", "role": "host"}]
        lines.append(json.dumps(record))
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    actors = tmp_path / "actors.json"  # so that references to actors are judged
    actors.write_text("[]", encoding="utf-8")
    one = hsdata.validate([path, actors], workers=1)

    def no_second_reading(path: Path, numbers: list[int]) -> Iterator[tuple[int, bytes]]:
        raise AssertionError(f"the file was read again for lines {numbers[:5]}")

    monkeypatch.setattr(_locate, "lines_numbered", no_second_reading)
    two = hsdata.validate([path, actors], workers=2)
    assert two == one
    rules = {issue.rule for issue in one.issues}
    assert {"id-duplicate", "ref-unresolved"} <= rules
    assert all(i.column for i in two.issues if i.rule in ("id-duplicate", "ref-unresolved"))
