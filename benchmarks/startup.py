"""Measure how long hsdata takes to start: a run on a small package, and the import.

    python benchmarks/startup.py                 # the canonical data, 7 runs
    python benchmarks/startup.py PACKAGE --runs 11
    python benchmarks/startup.py --no-check      # report only, never fail

Each run is a new process, as a person or a CI job starts it. The first run
uses an empty cache folder (``HSDATA_CACHE_DIR``): it builds the start-up
cache (the current-codes copies of the schemas, frictionless's answer for the
descriptor). The others find it, as every run after the first does. The
script prints every time, the median of the runs with the cache, and the
import of ``hsdata.cli`` alone, and exits with status 1 if that median is
half a second or more (unless ``--no-check``). Times are wall-clock: other
work on the machine slows them, so the median of several runs is compared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

PYTHON = sys.executable
#: The start-up target of issue 17: a run on a small package, cache built.
TARGET_SECONDS = 0.5


def timed(command: list[str], env: dict[str, str]) -> float:
    """The wall time of one run of ``command``; it must end with status 0 or 1."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-2000:]}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", help="a small package (default: the canonical data)")
    parser.add_argument("--runs", type=int, default=7, help="runs with the cache built")
    parser.add_argument("--no-check", action="store_true", help="report only; never fail")
    args = parser.parse_args(argv)

    validate = [PYTHON, "-m", "hsdata", "validate", *([args.package] if args.package else [])]
    with tempfile.TemporaryDirectory(prefix="hsdata-startup-") as cache:
        env = {**os.environ, "HSDATA_CACHE_DIR": cache, "HSDATA_WORKERS": "1"}
        cold = timed(validate, env)
        warm = [timed(validate, env) for _ in range(args.runs)]
        imports = [timed([PYTHON, "-c", "import hsdata.cli"], env) for _ in range(args.runs)]
    median = statistics.median(warm)
    print(
        f"hsdata validate {args.package or '(the canonical data)'}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"  first run, empty cache:   {cold:.3f} s")
    print(f"  runs with the cache:      {', '.join(f'{s:.3f}' for s in warm)} s")
    print(f"  median with the cache:    {median:.3f} s (target < {TARGET_SECONDS} s)")
    print(f"  import hsdata.cli alone:  {statistics.median(imports):.3f} s (median)")
    passed = median < TARGET_SECONDS
    print(f"{'ok  ' if passed else 'MISS'} start-up under {TARGET_SECONDS} s: {median:.3f} s")
    return 0 if passed or args.no_check else 1


if __name__ == "__main__":
    sys.exit(main())
