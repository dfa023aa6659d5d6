"""hsdata.dask on a LocalCluster: the same reports and the same merged package as a local run."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from outside_tools import require_tool

from hsdata._merge import check_many

sys.path.insert(0, str(Path(__file__).parents[1] / "merge"))
from publishers import two_publishers


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    require_tool(importlib.util.find_spec("distributed") is not None, "dask.distributed")
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_validate_many_gives_the_local_report(client: Any, tmp_path: Path) -> None:
    import hsdata.dask

    inputs = [*two_publishers(tmp_path, status_b="ended"), hsdata._paths.canonical_data_dir()]
    _, local = check_many(inputs)
    on_cluster = hsdata.dask.validate_many(inputs, client)
    assert on_cluster == local
    assert [i.rule for i in on_cluster.issues if i.rule == "merge-conflict"] == [
        "merge-conflict"
    ] * 2


def test_merge_many_writes_the_local_package(client: Any, tmp_path: Path) -> None:
    import hsdata.dask

    inputs = two_publishers(tmp_path, status_b="ended")
    local = hsdata.merge(inputs, tmp_path / "local")
    remote = hsdata.dask.merge_many(inputs, client, tmp_path / "dask")
    assert remote.report == local.report
    assert digests(tmp_path / "dask") == digests(tmp_path / "local")
