"""The locating stage: lines and columns for issues, found only for files with issues.

Checks place an issue by its JSON Pointer alone; at the end of a run,
:func:`locate` reads each file that has issues once more and fills in the
line and column of every pointer: a JSON Lines file line by line (in bounded
memory), a JSON document by one scan.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .._package import (
    JSON_LINES_SUFFIXES,
    LineIndex,
    ancestors,
    column_in_line,
    nearest_offset,
    scan,
)
from .._reporting import Issue

#: How much of a JSON Lines file is read at a time when looking for lines.
_BLOCK_BYTES = 4 * 1024 * 1024


def is_json_lines(path: Path) -> bool:
    """Whether a file given on its own is JSON Lines, by its suffix."""
    return path.suffix.lower() in JSON_LINES_SUFFIXES


@dataclass
class LineOffsets:
    """Where the lines of a JSON Lines file are, as the workers that read it found them.

    Each share of the file (see :mod:`._parallel`) gives its first line, its byte
    offset and the end of each of its lines (cumulative lengths, without the line
    breaks, as machine integers): four bytes a line, so that issues can be placed
    by reading their lines alone rather than the whole file again.
    """

    first_lines: list[int] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    ends: list[memoryview] = field(default_factory=list)

    def add(self, first_line: int, offset: int, line_ends: bytes) -> None:
        """Take in one share (shares come in file order)."""
        if line_ends:
            self.first_lines.append(first_line)
            self.offsets.append(offset)
            self.ends.append(memoryview(line_ends).cast("I"))

    def find(self, line: int) -> tuple[int, int, bool] | None:
        """(byte offset, length, followed by a line break) of a line; None if not known."""
        share = bisect.bisect_right(self.first_lines, line) - 1
        if share < 0:
            return None
        ends, index = self.ends[share], line - self.first_lines[share]
        if index >= len(ends):
            return None
        start = ends[index - 1] + index if index else 0
        length = ends[index] - (ends[index - 1] if index else 0)
        return self.offsets[share] + start, length, index < len(ends) - 1


def locate(
    issues: list[Issue],
    paths: Mapping[str, Path],
    json_lines: Collection[str] = (),
    line_offsets: Mapping[str, LineOffsets] | None = None,
) -> list[Issue]:
    """Fill in line and column from each issue's JSON pointer, reading each file once.

    ``json_lines`` names the files read line by line (a package's resource
    ``format`` may say so whatever the suffix); others are JSON documents.
    ``line_offsets`` tells where the lines of some JSON Lines files are: only
    the lines with issues are read from those.
    """
    wanted: dict[str, list[int]] = {}
    for number, issue in enumerate(issues):
        file = issue.file
        if file is not None and file in paths and issue.pointer is not None and not issue.column:
            wanted.setdefault(file, []).append(number)
    located = list(issues)
    for file, numbers in wanted.items():
        path = paths[file]
        try:
            if file in json_lines:
                offsets = (line_offsets or {}).get(file)
                _locate_in_lines(path, numbers, located, offsets)
            else:
                _locate_in_document(path, numbers, located)
        except OSError:
            continue
    return located


def _locate_in_lines(
    path: Path, numbers: list[int], located: list[Issue], offsets: LineOffsets | None = None
) -> None:
    """Columns for issues of a JSON Lines file, reading it line by line (bounded memory),
    or only the lines with issues when ``offsets`` tells where they are."""
    by_line: dict[int, list[int]] = {}
    for number in numbers:
        line = located[number].line
        if line is not None:
            by_line.setdefault(line, []).append(number)
    if not by_line:
        return
    for line_number, raw in _lines_wanted(path, sorted(by_line), offsets):
        text = raw.decode("utf-8", "replace")
        if line_number == 1:
            text = text.removeprefix("\ufeff")
        for number in by_line[line_number]:
            issue = located[number]
            column = column_in_line(text, issue.pointer or "")
            if column is not None:
                located[number] = replace(issue, column=column)


def _lines_wanted(
    path: Path, numbers: list[int], offsets: LineOffsets | None
) -> Iterator[tuple[int, bytes]]:
    """The lines with the given numbers (sorted), each with its line break if it has one:
    read where ``offsets`` places them, the others found block by block."""
    if offsets is None:
        yield from lines_numbered(path, numbers)
        return
    unknown: list[int] = []
    with path.open("rb") as handle:
        for number in numbers:
            place = offsets.find(number)
            if place is None:
                unknown.append(number)
                continue
            start, length, has_break = place
            handle.seek(start)
            raw = handle.read(length)
            yield number, raw + b"\n" if has_break else raw
    if unknown:
        yield from lines_numbered(path, unknown)


def lines_numbered(path: Path, numbers: list[int]) -> Iterator[tuple[int, bytes]]:
    """The lines of a file with the given numbers (sorted), found block by block.

    Line breaks are counted at C speed, and only blocks holding a wanted line
    are cut into lines, rather than every line being read one by one.
    """
    wanted = iter(numbers)
    target = next(wanted, None)
    line = 1  # the number of the line that ``carry`` begins
    carry = b""
    with path.open("rb") as handle:
        while target is not None:
            block = handle.read(_BLOCK_BYTES)
            if not block:
                if carry and target == line:
                    yield line, carry  # the last line, without a line break
                return
            breaks = block.count(b"\n")
            if target >= line + breaks:  # no wanted line ends in this block
                carry = block[block.rfind(b"\n") + 1 :] if breaks else carry + block
                line += breaks
                continue
            pieces = block.split(b"\n")
            pieces[0] = carry + pieces[0]
            carry = pieces.pop()
            while target is not None and target < line + breaks:
                yield target, pieces[target - line] + b"\n"
                target = next(wanted, None)
            line += breaks


def _locate_in_document(path: Path, numbers: list[int], located: list[Issue]) -> None:
    """Lines and columns for issues of one JSON document."""
    text = path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
    pointers = {a for n in numbers for a in ancestors(located[n].pointer or "")}
    offsets = scan(text, pointers).offsets
    line_index = LineIndex(text)
    for number in numbers:
        issue = located[number]
        offset = nearest_offset(offsets, issue.pointer or "")
        if offset is not None:
            line, column = line_index.position(offset)
            located[number] = replace(issue, line=line, column=column)
