"""Validating many packages: locally, then on a Dask LocalCluster, and the ratio (issue 16).

    python benchmarks/scale.py                 # 2000 packages of 500 records each
    python benchmarks/scale.py --small         # 20 packages of 50 records (CI)
    python benchmarks/scale.py --scheduler tcp://10.0.0.5:8786   # a real cluster

Each generated package is one publisher's: actors with ISO 3166-1 identifiers
(so that publishers' records of the same country are matched in the reduce
step) and a source they cite. Both runs must give the same report.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

COUNTRIES = ["CA", "NO", "AT", "CL", "IE", "JO", "NL", "SI", "CH", "ZA", "TH", "ML", "GR"]


def generate(folder: Path, number: int, records: int) -> list[Path]:
    paths = []
    for n in range(number):
        package = folder / f"p{n}"
        package.mkdir()
        actors = [
            {
                "id": f"actor-{k}",
                "type": "state",
                "name": {"en": f"Actor {k}"},
                "identifiers": [{"scheme": "iso3166-1", "id": COUNTRIES[k % len(COUNTRIES)]}]
                if k < len(COUNTRIES)
                else [],
                "citations": [{"source": "report", "section": "1"}],
            }
            for k in range(records - 1)
        ]
        for actor in actors:
            if not actor["identifiers"]:
                del actor["identifiers"]
        sources = [{"id": "report", "type": "report", "title": {"en": "Report"}}]
        (package / "actors.json").write_text(json.dumps(actors), encoding="utf-8")
        (package / "sources.json").write_text(json.dumps(sources), encoding="utf-8")
        resources = [
            {
                "name": stem,
                "path": f"{stem}.json",
                "hsdata:recordType": kind,
                "jsonSchema": f"https://w3id.org/hsdata/schema/1.2/{kind}.json",
            }
            for stem, kind in (("sources", "source"), ("actors", "actor"))
        ]
        descriptor = {
            "name": f"publisher-{n}",
            "version": "1.0.0",
            "hsdata:version": "1.2",
            "hsdata:namespace": f"https://example.org/publisher-{n}/",
            "hsdata:publisher": {"name": {"en": f"Publisher {n}"}, "reporting": "primary"},
            "hsdata:published": "2026-01-01T00:00:00Z",
            "licenses": [{"name": "CC-BY-4.0"}],
            "resources": resources,
        }
        (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
        paths.append(package)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=2000)
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--small", action="store_true", help="20 packages of 50 records")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scheduler", default=None, help="a running Dask scheduler's address")
    args = parser.parse_args()
    if args.small:
        args.packages, args.records = 20, 50

    from distributed import Client, LocalCluster

    import hsdata.dask
    from hsdata._merge import check_many

    with tempfile.TemporaryDirectory() as folder:
        paths = generate(Path(folder), args.packages, args.records)
        started = time.perf_counter()
        _, local = check_many(paths)
        local_seconds = time.perf_counter() - started
        if args.scheduler:
            client = Client(args.scheduler)
        else:
            cluster = LocalCluster(
                n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = Client(cluster)
        with client:
            started = time.perf_counter()
            remote = hsdata.dask.validate_many(paths, client)
            dask_seconds = time.perf_counter() - started
    same = remote == local
    print(
        f"{args.packages} packages x {args.records} records: local {local_seconds:.1f} s, "
        f"dask {dask_seconds:.1f} s, ratio local/dask {local_seconds / dask_seconds:.2f}; "
        f"{len(local.issues)} issues; same report: {same}"
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
