"""Measure hsdata's validator and loader against the baselines, in one run.

    python benchmarks/run.py                      # 1,000,000 events (a few minutes)
    python benchmarks/run.py --events 100000      # a quick look
    python benchmarks/run.py --no-check           # report only, never fail

The synthetic package (``generate.py``: events in JSON Lines, about 1% of
them invalid in ten ways, and the same events as CSV) is written once into
``--workdir`` and reused. Then, in this order:

- orjson parsing alone, on one core and on two (the physical limit);
- jsonschema_rs alone (parse + ``is_valid``) on one core, and on two: the
  floor of any design that parses a record and then validates it;
- python-jsonschema ``iter_errors`` on a sample of records (it is slow);
- ``frictionless validate`` on a sample of the CSV rows;
- ``hsdata validate`` end to end, in a subprocess, on every core and on one,
  after its start-up cache was built (see ``warm_start_up_cache``);
- ``hsdata.load`` on a valid package of the same size, against ``json.loads``
  plus building every record object eagerly (``Event.from_json``).

Rates measured on a sample are extrapolated to the whole file and marked
``sample``. Peak memory is the largest sum of the resident memory of a
subprocess and its children (proportional set sizes, so that pages a worker
shares with its parent count once), sampled every 50 ms. The script prints a table
and the ratios, and exits with status 1 if a target is missed (unless
``--no-check``).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable

#: The targets checked at the end (issues 6 and 17).
TARGET_FLOOR_SHARE = 0.5  # hsdata validate's rate against the floor's, in the same run
TARGET_RATE = 250_000
TARGET_VS_JSONSCHEMA = 100
TARGET_VS_FRICTIONLESS = 10
TARGET_PEAK_MB = 300
TARGET_LOAD_SPEEDUP = 5


@dataclass
class Row:
    method: str
    records: int
    seconds: float
    peak_mb: float | None = None
    note: str = ""
    cpu_seconds: float | None = None  # user + system time of every process of the row

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else float("inf")


# -- data ------------------------------------------------------------------------------------------


def ensure_package(folder: Path, events: int, invalid_rate: float) -> Path:
    """Generate the package once; reuse it when its marker says it has the same content."""
    marker = folder / "generated.json"
    wanted = {"events": events, "invalid_rate": invalid_rate, "seed": 1998}
    if marker.is_file() and json.loads(marker.read_text()) == wanted:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    print(f"generating {events:,} events in {folder} ...", file=sys.stderr, flush=True)
    subprocess.run(
        [
            PYTHON,
            str(HERE / "generate.py"),
            str(folder),
            "--events",
            str(events),
            "--invalid-rate",
            str(invalid_rate),
        ],
        check=True,
    )
    marker.write_text(json.dumps(wanted))
    return folder


def halves(path: Path) -> list[tuple[int, int]]:
    """The file cut in two byte ranges at a line break."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(size // 2)
        handle.readline()
        middle = handle.tell()
    return [(0, middle), (middle, size)]


def read_lines(path: Path, count: int) -> list[bytes]:
    """The first ``count`` lines of a file."""
    lines: list[bytes] = []
    with path.open("rb") as handle:
        for line in handle:
            if len(lines) >= count:
                break
            lines.append(line)
    return lines


# -- in-process baselines ------------------------------------------------------------------------


def _parse_range(job: tuple[str, int, int]) -> int:
    """Parse every line of a byte range with orjson; give back how many there were."""
    return _read_range(job, None)


def _read_range(job: tuple[str, int, int], is_valid: Any) -> int:
    """Parse every line of a byte range, 8 MiB at a time, and validate it if asked."""
    path, start, end = job
    count = 0
    with open(path, "rb") as handle:
        handle.seek(start)
        while handle.tell() < end:
            block = handle.read(min(end - handle.tell(), 8 << 20))
            if handle.tell() < end:
                block += handle.readline()
            for line in block.split(b"\n"):
                if line:
                    record = orjson.loads(line)
                    if is_valid is not None:
                        is_valid(record)
                    count += 1
    return count


def parse_one_core(path: Path) -> Row:
    cpu, started = time.process_time(), time.perf_counter()
    count = _parse_range((str(path), 0, path.stat().st_size))
    seconds = time.perf_counter() - started
    return Row("orjson parse, 1 core", count, seconds, cpu_seconds=time.process_time() - cpu)


def parse_two_cores(path: Path) -> Row:
    cpu, started = _children_cpu(), time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        count = sum(pool.map(_parse_range, [(str(path), a, b) for a, b in halves(path)]))
        pool.close()
        pool.join()
    seconds = time.perf_counter() - started
    return Row(
        "orjson parse, 2 cores (the limit)", count, seconds, cpu_seconds=_children_cpu() - cpu
    )


def jsonschema_rs_alone(path: Path, sample: int) -> Row:
    import hsdata
    from hsdata._validator import checker_for

    validator = checker_for(hsdata.load_schema_set()).compiled.fast("event")
    lines = read_lines(path, sample)
    started = time.perf_counter()
    for line in lines:
        validator.is_valid(orjson.loads(line))
    return Row(
        "jsonschema_rs parse + is_valid, 1 core",
        len(lines),
        time.perf_counter() - started,
        note=f"sample of {len(lines):,}",
    )


#: The validator of the two-core floor, compiled before the workers are forked.
_FLOOR_VALIDATOR: list[Any] = []


def _parse_and_validate_range(job: tuple[str, int, int]) -> int:
    """Parse every line of a byte range and ask jsonschema_rs whether it is valid."""
    return _read_range(job, _FLOOR_VALIDATOR[0].is_valid)


def parse_and_validate_two_cores(path: Path) -> Row:
    """The floor of any parse-then-validate design: orjson and jsonschema_rs alone, 2 cores."""
    import hsdata
    from hsdata._validator import checker_for

    _FLOOR_VALIDATOR[:] = [checker_for(hsdata.load_schema_set()).compiled.fast("event")]
    cpu, started = _children_cpu(), time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        jobs = [(str(path), a, b) for a, b in halves(path)]
        count = sum(pool.map(_parse_and_validate_range, jobs))
        pool.close()
        pool.join()
    seconds = time.perf_counter() - started
    return Row(
        "orjson + jsonschema_rs is_valid, 2 cores (the floor)",
        count,
        seconds,
        cpu_seconds=_children_cpu() - cpu,
    )


def python_jsonschema(path: Path, sample: int) -> Row:
    from jsonschema import Draft202012Validator

    import hsdata

    schema_set = hsdata.load_schema_set()
    validator = Draft202012Validator(
        schema_set.record_schema("event"), registry=schema_set.registry
    )
    lines = read_lines(path, sample)
    started = time.perf_counter()
    for line in lines:
        list(validator.iter_errors(orjson.loads(line)))
    return Row(
        "python-jsonschema iter_errors, 1 core",
        len(lines),
        time.perf_counter() - started,
        note=f"sample of {len(lines):,}",
    )


# -- subprocesses, with their peak memory ---------------------------------------------------------


def _tree_memory(pid: int) -> int:
    """The memory of a process and all its descendants, in bytes.

    Each process counts its proportional set size (its own pages, plus its
    share of the pages it shares with the others, such as those a forked
    worker shares with its parent), so the sum is the memory the tree uses.
    Where that is not available, the resident size (which counts shared pages
    once per process, and so overstates).
    """
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            try:
                status = Path(f"/proc/{current}/smaps_rollup").read_text()
                wanted = "Pss:"
            except OSError:
                status = Path(f"/proc/{current}/status").read_text()
                wanted = "VmRSS:"
            for line in status.splitlines():
                if line.startswith(wanted):
                    total += int(line.split()[1]) * 1024
                    break
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(c) for c in children)
        except (OSError, ValueError):
            continue
    return total


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


#: The processor time of the last command run by run_measured, its workers included.
last_cpu: list[float] = [0.0]


def run_measured(
    command: Sequence[str], env: dict[str, str] | None = None
) -> tuple[float, float, subprocess.CompletedProcess[bytes]]:
    """Run a command; give back its wall time, its peak memory (MB) and its outcome."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_memory(process.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        last_cpu[0] = _children_cpu() - cpu_before
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(command, process.returncode, out.read(), err.read())
    return seconds, peak / 1e6, done


def frictionless_sample(csv_dir: Path, rows: int, workdir: Path) -> Row:
    sample_dir = workdir / f"csv-sample-{rows}"
    if not (sample_dir / "done").exists():
        sample_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(csv_dir / "datapackage.json", sample_dir / "datapackage.json")
        with (
            (csv_dir / "events.csv").open("rb") as source,
            (sample_dir / "events.csv").open("wb") as target,
        ):
            for number, line in enumerate(source):
                if number > rows:
                    break
                target.write(line)
        (sample_dir / "done").write_text("")
    script = (
        "import sys, time, frictionless\n"
        "t = time.perf_counter()\n"
        "report = frictionless.validate(sys.argv[1])\n"
        "print(time.perf_counter() - t, report.valid)\n"
    )
    _, peak, done = run_measured([PYTHON, "-c", script, str(sample_dir / "datapackage.json")])
    if done.returncode != 0:
        raise SystemExit(f"frictionless failed: {done.stderr.decode()[-2000:]}")
    seconds = float(done.stdout.split()[0])
    return Row("frictionless validate (CSV), 1 core", rows, seconds, peak, f"sample of {rows:,}")


def warm_start_up_cache(package: Path, workdir: Path) -> None:
    """Build hsdata's start-up cache for the package's descriptor, as any run after the
    first finds it: a package with the same descriptor and empty files is validated
    (frictionless's answer depends on the descriptor alone)."""
    twin = workdir / f"warm-{package.name}"
    twin.mkdir(exist_ok=True)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    (twin / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    for listed in descriptor.get("resources", []):
        name = listed.get("path")
        if isinstance(name, str):
            (twin / name).write_text("[]" if name.endswith(".json") else "", encoding="utf-8")
    subprocess.run(
        [PYTHON, "-m", "hsdata", "validate", str(twin)], capture_output=True, check=False
    )


def hsdata_validate(package: Path, records: int, workers: int | None) -> Row:
    env = dict(os.environ)
    if workers is not None:
        env["HSDATA_WORKERS"] = str(workers)
    seconds, peak, done = run_measured(
        [PYTHON, "-m", "hsdata", "validate", str(package), "--format", "json"], env
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"hsdata validate failed: {done.stderr.decode()[-2000:]}")
    report = json.loads(done.stdout)
    checked = report["recordsChecked"]
    label = "hsdata validate (end to end)" + (", 1 process" if workers == 1 else ", every core")
    errors = report["counts"]["error"]
    return Row(label, checked, seconds, peak, f"{errors:,} errors found", last_cpu[0])


_LOAD = """
import sys, time, hsdata
started = time.perf_counter()
dataset = hsdata.load(sys.argv[1])
events = dataset.events
count = sum(1 for _ in events)
first = events.at(0).date
print(time.perf_counter() - started, len(dataset))
"""

_NAIVE = """
import json, sys, time
from pathlib import Path
from typing import Any
from hsdata import Actor, Event, IssueArea, Partnership, Source
started = time.perf_counter()
folder = Path(sys.argv[1])
built = []
for name, cls in [("actors", Actor), ("issue-areas", IssueArea), ("partnerships", Partnership),
                  ("sources", Source)]:
    built.extend(cls.from_json(r) for r in json.load(open(folder / f"{name}.json")))
with open(folder / "events.jsonl", encoding="utf-8") as handle:
    built.extend(Event.from_json(json.loads(line)) for line in handle)
print(time.perf_counter() - started, len(built))
"""


def load_rows(package: Path) -> list[Row]:
    rows = []
    for label, script in (
        ("hsdata.load (validates, then records on demand)", _LOAD),
        ("json.loads + building every record (no checks)", _NAIVE),
    ):
        _, peak, done = run_measured([PYTHON, "-c", script, str(package)])
        if done.returncode != 0:
            rows.append(Row(label, 0, 0.0, None, "failed: " + done.stderr.decode()[-300:]))
            continue
        seconds, count = done.stdout.split()
        rows.append(Row(label, int(count), float(seconds), peak))
    return rows


# -- the table -------------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    lines = [
        f"| {'method':<50} | {'records':>10} | {'seconds':>8} | {'records/s':>10} "
        f"| {'CPU s':>7} | {'peak MB':>7} | note",
        f"|{'-' * 52}|{'-' * 12}|{'-' * 10}|{'-' * 12}|{'-' * 9}|{'-' * 9}|------",
    ]
    for row in rows:
        peak = f"{row.peak_mb:,.0f}" if row.peak_mb is not None else ""
        cpu = f"{row.cpu_seconds:,.1f}" if row.cpu_seconds is not None else ""
        lines.append(
            f"| {row.method:<50} | {row.records:>10,} | {row.seconds:>8.2f} | "
            f"{row.rate:>10,.0f} | {cpu:>7} | {peak:>7} | {row.note}"
        )
    return "\n".join(lines)


def _cpu_share(row: Row, floor: Row) -> str:
    """The floor's processor time per record as a share of the row's (less sensitive to
    other work on the machine than wall time)."""
    if not row.cpu_seconds or not floor.cpu_seconds:
        return "not measured"
    return f"{(floor.cpu_seconds / floor.records) / (row.cpu_seconds / row.records):.0%}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "hsdata-benchmark"
    )
    parser.add_argument("--jsonschema-sample", type=int, default=2_000)
    parser.add_argument("--rs-sample", type=int, default=200_000)
    parser.add_argument("--frictionless-sample", type=int, default=100_000)
    parser.add_argument("--skip-load", action="store_true", help="do not measure loading")
    parser.add_argument("--no-check", action="store_true", help="report only; never fail")
    args = parser.parse_args(argv)

    workdir: Path = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    package = ensure_package(workdir / f"events-{args.events}", args.events, 0.01)
    events = package / "events.jsonl"
    print(
        f"{args.events:,} events, {events.stat().st_size / 1e6:,.0f} MB of JSON Lines; "
        f"{os.cpu_count()} cores; Python {sys.version.split()[0]}; "
        f"load average before: {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    rows: list[Row] = []

    def add(row: Row) -> Row:
        rows.append(row)
        print(f"  {row.method}: {row.rate:,.0f} records/s", flush=True)
        return row

    one_core = add(parse_one_core(events))
    two_cores = add(parse_two_cores(events))
    add(jsonschema_rs_alone(events, min(args.rs_sample, args.events)))
    floor = add(parse_and_validate_two_cores(events))
    slow = add(python_jsonschema(events, min(args.jsonschema_sample, args.events)))
    frictionless = add(
        frictionless_sample(
            package / "events-csv", min(args.frictionless_sample, args.events), workdir
        )
    )
    warm_start_up_cache(package, workdir)
    fast = add(hsdata_validate(package, args.events, None))
    add(hsdata_validate(package, args.events, 1))
    load = naive = None
    if not args.skip_load:
        valid = ensure_package(workdir / f"valid-{args.events}", args.events, 0.0)
        load, naive = (add(row) for row in load_rows(valid))

    print()
    print(table(rows))
    print()
    checks = [
        (
            f"hsdata validate >= {TARGET_FLOOR_SHARE:.0%} of the floor",
            fast.rate >= TARGET_FLOOR_SHARE * floor.rate,
            f"{fast.rate / floor.rate:.0%} of it",
        ),
        (
            f"hsdata validate >= {TARGET_RATE:,} records/s",
            fast.rate >= TARGET_RATE,
            f"{fast.rate:,.0f}",
        ),
        (
            "within 2x of the two-core parse limit",
            fast.rate * 2 >= two_cores.rate,
            f"{two_cores.rate / fast.rate:.1f}x slower than parsing alone",
        ),
        (
            f">= {TARGET_VS_JSONSCHEMA}x python-jsonschema iter_errors",
            fast.rate >= TARGET_VS_JSONSCHEMA * slow.rate,
            f"{fast.rate / slow.rate:,.0f}x",
        ),
        (
            f">= {TARGET_VS_FRICTIONLESS}x frictionless validate",
            fast.rate >= TARGET_VS_FRICTIONLESS * frictionless.rate,
            f"{fast.rate / frictionless.rate:,.1f}x",
        ),
        (
            f"peak memory < {TARGET_PEAK_MB} MB",
            fast.peak_mb is not None and fast.peak_mb < TARGET_PEAK_MB,
            f"{fast.peak_mb:,.0f} MB (all processes)",
        ),
    ]
    if load is not None and naive is not None and load.seconds and naive.seconds:
        checks.append(
            (
                f"hsdata.load >= {TARGET_LOAD_SPEEDUP}x json.loads + objects",
                naive.seconds >= TARGET_LOAD_SPEEDUP * load.seconds,
                f"{naive.seconds / load.seconds:.1f}x, {load.peak_mb or 0:,.0f} MB",
            )
        )
    print(f"parsing on one core: {one_core.rate:,.0f} records/s")
    print(
        f"parsing and schema validation alone, two cores (the floor): {floor.rate:,.0f} "
        f"records/s; hsdata validate reaches {fast.rate / floor.rate:.0%} of it "
        f"(its processor time: {_cpu_share(fast, floor)})"
    )
    if fast.cpu_seconds:
        per_core = fast.records / fast.cpu_seconds
        print(
            f"hsdata validate: {per_core:,.0f} records per CPU-second, so about "
            f"{per_core * min(os.cpu_count() or 1, 2):,.0f} records/s on two idle cores"
        )
    print(
        f"load average after: {os.getloadavg()[0]:.1f} (other work on the machine slows all rows)"
    )
    missed = 0
    for name, passed, figure in checks:
        missed += not passed
        print(f"{'ok  ' if passed else 'MISS'} {name}: {figure}")
    return 0 if args.no_check or not missed else 1


if __name__ == "__main__":
    sys.exit(main())
