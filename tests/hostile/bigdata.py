"""Writing large, valid files of events lazily, to measure the validator's memory.

The canonical events are repeated in blocks, each block's identifiers (and
the references between its events) given the block's number, so that the
file is valid however large it grows. Nothing is held in memory but one
record at a time.

Run by hand for the multi-gigabyte figure (see docs/security.rst)::

    python tests/hostile/bigdata.py /tmp/events.jsonl 3e9
    python tests/hostile/bigdata.py --measure /tmp/events.jsonl
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path
from typing import Any

CANONICAL_EVENTS = Path(__file__).resolve().parents[2] / "data" / "events.json"


def write_events(path: Path, size: int, *, json_lines: bool = True) -> int:
    """Write valid events to ``path`` until it holds at least ``size`` bytes; return the count."""
    events: list[dict[str, Any]] = json.loads(CANONICAL_EVENTS.read_text(encoding="utf-8"))
    written = count = 0
    with path.open("w", encoding="utf-8") as handle:
        if not json_lines:
            handle.write("[")
            written += 1
        while written < size:
            block, index = divmod(count, len(events))
            event = dict(events[index])
            event["id"] = f"{event['id']}-{block}"
            if "followUpOf" in event:
                event["followUpOf"] = f"{event['followUpOf']}-{block}"
            text = json.dumps(event, ensure_ascii=False)
            if json_lines:
                text += "\n"
            elif count:
                text = "," + text
            written += handle.write(text)
            count += 1
        if not json_lines:
            handle.write("]")
    return count


#: Run in a fresh interpreter: validate one file and print what it found and its peak memory.
MEASURE = """
import json, resource, sys, time
import hsdata
started = time.perf_counter()
report = hsdata.validate(sys.argv[1], record_type="event")
seconds = time.perf_counter() - started
# ru_maxrss survives exec, so it would count the memory of the process that started this
# one (pytest, by then hundreds of MB); the kernel's high-water mark of this program does not.
try:
    with open("/proc/self/status") as status:
        own = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({
    "exit": int(report.exit_code), "records": report.records_checked,
    "rules": sorted(report.by_rule()), "peak_kib": max(own, children),
    "seconds": round(seconds, 1),
}))
"""


def measure(path: Path) -> dict[str, Any]:
    """Validate ``path`` in a new process; its exit code, records, rules and peak RSS (KiB)."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


if __name__ == "__main__":  # pragma: no cover - a tool for measuring by hand
    if sys.argv[1] == "--measure":
        print(json.dumps(measure(Path(sys.argv[2]))))
    else:
        target = Path(sys.argv[1])
        count = write_events(target, int(float(sys.argv[2])), json_lines=target.suffix != ".json")
        print(f"{count:,} events, {target.stat().st_size:,} bytes in {target}")
        print(
            f"peak memory of the writer: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} KiB"
        )
