"""Checking a large JSON Lines file on several cores.

The file is cut into byte ranges that end at line breaks. Each worker process
reads its ranges, parses and checks every record (:func:`check_record`, the
pure per-record function) and reduces the records to what the cross-record
checks need: their identifiers, the references not settled by the records
seen before the file, and the events whose partnership is not yet known. The
parent folds these, range by range in file order, into its
:class:`~._integrity.IntegrityIndex`, so the report is the same, issue for
issue, as when the file is read in one process.

Workers are started by forking, so they share the compiled validators and
the identifiers seen so far without copying them; where forking is not
available the file is read in one process. Small files are always read in
one process: starting workers costs more than it saves.
"""

from __future__ import annotations

import gc
import os
import sys
import warnings
from array import array
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path
from typing import Any

import orjson

from .._dates import PartialDate
from .._package import (
    UTF8_BOM,
    as_readable,
    bom_issue,
    column_in_line,
    max_document_bytes,
    may_have_duplicate_keys,
    not_utf8,
    parse_json,
    too_large,
)
from .._reporting import Issue
from .._schemas import SchemaSet
from ._integrity import (
    MAX_KEPT,
    IntegrityIndex,
    PendingReferences,
    ReferencePlace,
    UnknownReferences,
    cross_record_rules,
    event_floor_in,
)
from ._record import RecordChecker, check_record
from ._schema_check import SchemaUnusable
from ._walks import compile_unknown_at

#: Files smaller than this are read in one process (measured: a file of 5 MB, about
#: 10,000 events, is checked 1.7 times faster by two workers than by one process).
PARALLEL_MIN_BYTES = 4 * 1024 * 1024
#: The size of the byte ranges handed to workers (cut at the next line break).
RANGE_BYTES = 4 * 1024 * 1024
#: The environment variable that sets the number of processes (1: never start workers).
WORKERS_VARIABLE = "HSDATA_WORKERS"


def default_workers() -> int:
    """The number of processes to use: ``HSDATA_WORKERS``, or the cores this process may use."""
    given = os.environ.get(WORKERS_VARIABLE, "").strip()
    if given.isdigit() and int(given) > 0:
        return int(given)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """True where worker processes can be forked (Linux)."""
    if not sys.platform.startswith("linux"):
        return False
    import multiprocessing  # here: a run without workers need not import it

    return "fork" in multiprocessing.get_all_start_methods()


@dataclass(frozen=True)
class Share:
    """One worker's share of a file: a byte range starting at a line."""

    offset: int
    length: int
    first_line: int
    #: The range is one line longer than any record may be: never read, only reported.
    oversized: bool = False


def plan_shares(path: Path, range_bytes: int = RANGE_BYTES) -> Iterator[Share]:
    """Cut a file into byte ranges ending at line breaks, counting lines on the way.

    A generator: workers start on the first shares while the rest of the file
    is still being cut. A line longer than a share makes its share longer; a
    line longer than a record may be (``MAX_DOCUMENT_BYTES``) is measured
    without being held and gets a share of its own, marked ``oversized``.
    """
    limit = max_document_bytes()
    with path.open("rb") as handle:
        offset, line = 0, 1
        carry = b""
        while True:
            block = handle.read(range_bytes)
            data = carry + block
            if not block:
                if data:
                    yield Share(offset, len(data), line, oversized=len(data) > limit)
                return
            end = data.rfind(b"\n") + 1
            if end == 0:
                if len(data) <= limit:
                    carry = data  # the start of a long line
                    continue
                size, carry = len(data), b""
                while block := handle.read(range_bytes):
                    cut = block.find(b"\n")
                    if cut >= 0:
                        size, carry = size + cut + 1, block[cut + 1 :]
                        break
                    size += len(block)
                yield Share(offset, size, line, oversized=True)
                offset, line = offset + size, line + 1
                continue
            yield Share(offset, end, line)
            line += data.count(b"\n", 0, end)
            offset += end
            carry = data[end:]


@dataclass
class ShareResult:
    """What a worker found in its share, reduced to what the parent needs."""

    records: int = 0
    lines_with_records: int = 0
    issues: list[Issue] = field(default_factory=list)
    #: the id of each record that has one, in file order (for duplicates), and its place;
    #: sent to the parent as two blobs (see :meth:`pack`)
    ids: list[str] = field(default_factory=list)
    id_codes: list[int] = field(default_factory=list)
    #: references to records not seen before the file started
    unsettled: PendingReferences = field(default_factory=dict)
    #: partnerships' starts, and the records above each in its hierarchy, in file order
    starts: list[tuple[str | None, PartialDate | None]] = field(default_factory=list)
    uppers: list[tuple[str, str | None, tuple[str, ...]]] = field(default_factory=list)
    #: events of partnerships not seen before the file started
    events: list[tuple[int, str | None, str, PartialDate]] = field(default_factory=list)
    #: events judged against partnerships seen before the file (issues, in file order)
    judged: list[Issue] = field(default_factory=list)
    #: where the share starts: its first line and its byte offset in the file
    first_line: int = 0
    offset: int = 0
    #: where its lines are (see :class:`~._locate.LineOffsets`), so that the parent
    #: reads only the lines it places issues on, never the whole file again
    line_ends: bytes = b""
    _id_blob: bytes | None = None
    _code_blob: bytes | None = None

    def pack(self, line_ends: list[int]) -> None:
        """Make the result compact for its way to the parent: the ids as one text, their
        places and the ends of the lines as arrays of machine integers."""
        try:
            self.line_ends = array("I", line_ends).tobytes()
        except OverflowError:  # a share of 4 GiB or more: the parent reads its lines again
            self.line_ends = b""
        ids = self.ids
        if not ids:
            return
        joined = "\x00".join(ids)
        if joined.count("\x00") != len(ids) - 1:
            return  # an id holds a NUL: sent as a list
        try:
            codes = array("Q", self.id_codes).tobytes()
        except OverflowError:  # cannot happen with fewer than 2**22 files; sent as a list
            return
        self._id_blob = joined.encode("utf-8", "surrogatepass")
        self._code_blob = codes
        self.ids, self.id_codes = [], []

    def unpacked_ids(self) -> tuple[list[str], list[int]]:
        """The ids and their places, as :meth:`pack` found them."""
        if self._id_blob is None or self._code_blob is None:
            return self.ids, self.id_codes
        return (
            self._id_blob.decode("utf-8", "surrogatepass").split("\x00"),
            array("Q", self._code_blob).tolist(),
        )

    def fold_into(self, index: IntegrityIndex, record_type: str) -> None:
        """Fold what this share found into the parent's index (shares in file order)."""
        ids, codes = self.unpacked_ids()
        index.add_ids(record_type, ids, codes)
        for partnership, start in self.starts:
            index.take_start(partnership, start)
        for upper_type, record_id, uppers in self.uppers:
            index.take_uppers(upper_type, record_id, uppers)
        index.add_unsettled(self.unsettled)
        for code, event_id, partnership, last_day in self.events:
            index.add_event(code, event_id, partnership, last_day)
        index.issues.extend(self.judged)


_UNKNOWN: Any = object()


class _ShareSink:
    """The :class:`~._integrity.FactSink` of a worker: it settles what the parent's index,
    as it was when the workers were forked, can settle, and keeps the rest for the
    parent in its :class:`ShareResult`."""

    def __init__(self, result: ShareResult, index: IntegrityIndex) -> None:
        self.result = result
        self.starts = index._starts  # read only: the parent's, shared by forking
        self.judge = IntegrityIndex(files=list(index.files), _starts=self.starts)
        self._ids_append = result.ids.append
        self._codes_append = result.id_codes.append
        self._floors: dict[str, str] = {}

    def take_id(self, record_type: str, record_id: str, code: int) -> None:
        self._ids_append(record_id)
        self._codes_append(code)

    def take_reference(self, target: str, value: str, place: ReferencePlace) -> None:
        unsettled = self.result.unsettled
        kept = unsettled.get((target, value))
        if kept is None:
            unsettled[(target, value)] = ([place], 0)
        elif len(kept[0]) < MAX_KEPT:
            kept[0].append(place)
        else:
            unsettled[(target, value)] = (kept[0], kept[1] + 1)

    def take_start(self, partnership: str | None, start: PartialDate | None) -> None:
        self.result.starts.append((partnership, start))

    def take_event(
        self, partnership: str | None, last_day: PartialDate | None, code: int, event_id: str | None
    ) -> None:
        if partnership is None or last_day is None:
            return
        start = self.starts.get(partnership, _UNKNOWN)
        if start is _UNKNOWN:
            self.result.events.append((code, event_id, partnership, last_day))
        elif start is not None and last_day < start:
            # Judged by the index itself; the test above only spares the call for the
            # many events it clears.
            self.judge._judge_event(partnership, code, event_id, last_day)

    def take_uppers(self, record_type: str, record_id: str | None, uppers: tuple[str, ...]) -> None:
        self.result.uppers.append((record_type, record_id, uppers))

    def event_floor(self, partnership: str) -> str | None:
        # Known before the file: an event not before its start is cleared here. Unknown:
        # every event is kept for the parent.
        return event_floor_in(self._floors, self.starts, partnership)


@dataclass
class _Job:
    path: Path
    display: str
    record_type: str
    schema_set: SchemaSet
    checker: RecordChecker
    file_number: int
    index: IntegrityIndex  # the parent's, as it was when the workers were forked (read only)
    #: the usual-record shortcut that also knows the ids seen before the file, and the walk
    #: of the references it does not cover (see _knowing_shortcut)
    usual_knowing: Callable[[Any], bool] | None = None
    uncovered_walk: UnknownReferences | None = None


#: The job of this process's pool, set in the parent just before the workers are forked.
_current: dict[str, _Job] = {}


def check_share(share: Share) -> ShareResult:
    """Check one share of the file of the current job (run in a worker)."""
    # The loop makes no reference cycles worth collecting as it goes (the few that
    # explaining an invalid record leaves are collected afterwards), and the cyclic
    # collector would otherwise walk every object the share has kept, again and again.
    gc.disable()
    try:
        return _check_share(share)
    finally:
        gc.enable()


def _check_share(share: Share) -> ShareResult:
    job = _current["job"]
    if share.oversized:
        # As the one-process reader: the line is reported (with its size) and skipped.
        return ShareResult(
            lines_with_records=1,
            issues=[too_large(share.length, job.display, line=share.first_line)],
        )
    with job.path.open("rb") as handle:
        handle.seek(share.offset)
        data = handle.read(share.length)
    display, record_type, checker = job.display, job.record_type, job.checker
    result = ShareResult(first_line=share.first_line, offset=share.offset)
    sink = _ShareSink(result, job.index)
    line_bit = 1 | (job.file_number << 41)
    issues = result.issues
    usual = checker.usual(record_type)  # the shortcut for records check_record finds nothing in
    feed = cross_record_rules(job.schema_set, record_type).feeder(
        sink, job.index.ids, ids_taken=True
    )
    take_id, take_code = result.ids.append, result.id_codes.append
    usual_knowing, uncovered_walk = job.usual_knowing, job.uncovered_walk
    # Cut at C speed; a line keeps its '\r' (JSON whitespace) but not its '\n'.
    pieces = data.split(b"\n")
    first = share.first_line
    final = first + len(pieces) - 1  # the one piece that had no line break
    line_ends = list(accumulate(map(len, pieces)))  # line i starts at line_ends[i - 1] + i
    long_lines = len(data) > max_document_bytes()
    records = lines_with_records = 0
    for number, read in _lines_read(data, pieces, line_ends, first, long_lines):
        record = read
        if record is _UNREAD:
            # The unusual line (blank, too large, refused by the parser, a key written
            # twice, a byte order mark): read again as the one-process reader reads it.
            piece = pieces[number - first]
            record, counted = _read_unusual(piece, number, final, display, issues)
            lines_with_records += counted
            if record is _UNREAD:
                continue
        else:
            lines_with_records += 1
        records += 1
        record_id = record.get("id") if isinstance(record, dict) else None
        if not isinstance(record_id, str):
            record_id = None
        code = (number << 1) | line_bit
        if record_id is not None:  # the sink's take_id, written inline
            take_id(record_id)
            take_code(code)
        if usual_knowing is not None and usual_knowing(record):
            # References to ids seen before the file were looked up by the shortcut's
            # validator: only those it does not cover are walked.
            feed(record, record_id, code, uncovered_walk)
            continue
        if usual is None or not usual(record):
            found = check_record(record, record_type, checker)
            if found:
                # Columns are found here, where the line is at hand, rather than by the
                # parent reading the file again.
                text = pieces[number - first].decode("utf-8", "replace")
                if number == 1:
                    text = text.removeprefix("\ufeff")
                for issue in found:
                    pointer = issue.pointer or ""
                    issues.append(
                        replace(
                            issue,
                            file=display,
                            line=number,
                            column=column_in_line(text, pointer),
                            pointer=pointer,
                            record=record_id,
                            record_type=record_type,
                        )
                    )
        if isinstance(record, dict):
            # References to ids seen before the file are left out by the walk itself.
            feed(record, record_id, code, None)
    result.records, result.lines_with_records = records, lines_with_records
    result.judged = sink.judge.issues
    result.pack(line_ends)
    return result


#: What stands for a line not (yet) read as a record.
_UNREAD: Any = object()


#: How many lines are parsed before their duplicate keys are looked for at once: enough
#: to spare most of the work per line, few enough that their records stay in the
#: processor's cache.
CHUNK_LINES = 64


def _lines_read(
    data: bytes, pieces: list[bytes], line_ends: list[int], first: int, long_lines: bool
) -> Iterator[tuple[int, Any]]:
    """(line number, record) for every line of a share, in order; the record is
    :data:`_UNREAD` for a line that must be read again, as the one-process reader
    reads it: one orjson refused, one that may write a key twice, one longer than a
    record may be (never parsed), and the first line when it has a byte order mark.

    Duplicate keys are looked for a chunk of lines at a time. A line never has fewer
    colons than its record written again, and has as many exactly when no key was
    dropped (see :func:`may_have_duplicate_keys`); so when the lines of a chunk
    together have as many colons as all their records written again at once, no
    line of it has a duplicate key. Otherwise, or when a line of the chunk writes a
    character as ``\\u00XX``, each line of the chunk is asked alone.
    """
    loads, error = orjson.loads, orjson.JSONDecodeError
    limit = max_document_bytes()
    count = len(pieces)
    for low in range(0, count, CHUNK_LINES):
        high = min(low + CHUNK_LINES, count)
        chunk = pieces[low:high]
        parsed: list[Any] = []
        append = parsed.append
        for piece in chunk:
            try:
                append(_UNREAD if long_lines and len(piece) > limit else loads(piece))
            except error:
                append(_UNREAD)
        if low == 0 and first == 1 and chunk[0].startswith(UTF8_BOM):
            parsed[0] = _UNREAD
        start = line_ends[low - 1] + low if low else 0
        end = line_ends[high - 1] + high - 1
        if not _without_duplicates(data, start, end, chunk, parsed):
            parsed = [
                _UNREAD
                if record is not _UNREAD and may_have_duplicate_keys(piece, record)
                else record
                for piece, record in zip(chunk, parsed, strict=True)
            ]
        yield from zip(range(first + low, first + high), parsed, strict=True)


def _without_duplicates(
    data: bytes, start: int, end: int, chunk: list[bytes], parsed: list[Any]
) -> bool:
    """True when no parsed line of ``chunk`` (``data[start:end]``) writes a key twice."""
    if data.find(b"\\u00", start, end) >= 0:
        return False
    colons = data.count(b":", start, end)
    read = [record for record in parsed if record is not _UNREAD]
    if len(read) != len(parsed):
        unread = zip(chunk, parsed, strict=True)
        colons -= sum(piece.count(b":") for piece, record in unread if record is _UNREAD)
    try:
        return dumps_colons(read) == colons
    except TypeError:  # nested deeper than orjson writes: asked line by line
        return False


def dumps_colons(values: list[Any]) -> int:
    """The colons of ``values`` written as JSON by orjson."""
    return orjson.dumps(values).count(b":")


def _read_unusual(
    raw_line: bytes, number: int, final: int, display: str, issues: list[Issue]
) -> tuple[Any, int]:
    """A line read as the one-process reader reads it: (its record or :data:`_UNREAD`,
    1 if it counts as a line holding a record)."""
    if len(raw_line) > max_document_bytes():
        size = len(raw_line) + (number != final)  # with its line break
        issues.append(too_large(size, display, line=number))
        return _UNREAD, 1
    if number == 1 and raw_line.startswith(UTF8_BOM):
        raw_line = raw_line[len(UTF8_BOM) :]
        issues.append(bom_issue(display))
    if not raw_line or raw_line.isspace():  # as 'not raw_line.strip()', without a copy
        return _UNREAD, 0
    try:
        record = orjson.loads(raw_line)
        if not may_have_duplicate_keys(raw_line, record):
            return record, 1
    except orjson.JSONDecodeError:
        pass
    # With its line break, as the one-process reader gives it (errors at the end of a
    # line are placed alike).
    whole = raw_line if number == final else raw_line + b"\n"
    parsed = parse_json(whole, display, line=number)
    issues.extend(as_readable(issue) for issue in parsed.issues)
    return (parsed.value if parsed.readable else _UNREAD), 1


def usable_for(path: Path, workers: int, checker: RecordChecker, record_type: str) -> bool:
    """True when a JSON Lines file is worth checking on several processes, and can be."""
    if workers < 2:
        return False
    try:
        size = path.stat().st_size
        if not path.is_file() or size < PARALLEL_MIN_BYTES or not can_fork():
            return False
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError:
        return False
    if not_utf8(head):
        return False  # the one-process reader reports the encoding
    try:
        # Compile every validator and cache now, once, so that the workers share them.
        check_record({}, record_type, checker)
        checker.usual(record_type)
    except SchemaUnusable:
        return False
    return True


def check_in_workers(
    path: Path,
    display: str,
    record_type: str,
    *,
    checker: RecordChecker,
    index: IntegrityIndex,
    workers: int,
) -> Iterator[ShareResult]:
    """The results of every share of a file, in file order."""
    file_number = index.place_code(display, 0, is_line=True) >> 41
    usual_knowing, uncovered_walk = _knowing_shortcut(checker, record_type, index.ids)
    job = _Job(
        path,
        display,
        record_type,
        checker.schema_set,
        checker,
        file_number,
        index,
        usual_knowing=usual_knowing,
        uncovered_walk=uncovered_walk,
    )
    return _run_pool(job, plan_shares(path), workers)


#: The most ids of one record type written into the shortcut's validator.
MAX_KNOWN_IDS = 200_000


def _knowing_shortcut(
    checker: RecordChecker, record_type: str, known: Mapping[str, Mapping[str, int]]
) -> tuple[Callable[[Any], bool] | None, UnknownReferences | None]:
    """A usual-record shortcut whose yes also says that the record's references to other
    record types name ids seen before the file, and a walk of the references it leaves.

    The references of a record are otherwise looked up one by one in Python; the
    compiled validator looks them up at C speed, as ``enum`` values. References to
    the file's own record type (ids still being read), or to a type with no or very
    many known ids, are left to the walk. A record the shortcut refuses takes the
    usual path: refusing says only that something must be looked at.
    """
    bindings = tuple(
        (f.path, f.target) for f in checker.schema_set.reference_fields_of(record_type)
    )
    covered = {
        target
        for _, target in bindings
        if target != record_type and 0 < len(known.get(target, ())) <= MAX_KNOWN_IDS
    }
    if not covered:
        return None, None
    references = {target: list(known[target]) for target in covered}
    shortcut = checker.usual_knowing(record_type, references)
    if shortcut is None:
        return None, None
    rest = tuple((path, target) for path, target in bindings if target not in covered)
    return shortcut, compile_unknown_at(rest)


def _run_pool(job: _Job, shares: Iterator[Share], workers: int) -> Iterator[ShareResult]:
    _current["job"] = job
    try:
        import multiprocessing

        context: Any = multiprocessing.get_context("fork")
        # Objects that exist before the fork are left out of the workers' collections, so
        # the collector neither slows them down nor copies the pages it would touch.
        gc.freeze()
        with warnings.catch_warnings():
            # Python 3.12+ warns that forking a process with threads (a progress bar's)
            # may deadlock; the workers only run pure checks and never touch those threads.
            warnings.simplefilter("ignore", DeprecationWarning)
            pool = context.Pool(workers)
        with pool:
            yield from pool.imap(check_share, shares)
    finally:
        gc.unfreeze()
        _current.pop("job", None)
