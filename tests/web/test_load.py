"""hsdata serve under load: 20 uploads of 5 MB at once, on 127.0.0.1.

The server runs as ``hsdata serve`` in its own process (so its memory is
its own to measure). Every upload must get its report, the server's
resident memory must stay within a fixed bound above what it used idle, and
the start page must answer in under a second throughout. These are
functional bounds, not a benchmark.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from hsdata._paths import canonical_data_dir

httpx = pytest.importorskip("httpx")
psutil = pytest.importorskip("psutil")

UPLOADS = 20
SIZE = 5 * 1024 * 1024
#: How much the server's resident memory may grow over its idle size while the 20 uploads
#: are checked (two at a time; all twenty held at once would take well over this). Measured
#: here: 46 MB idle, 139 MB at the peak.
MAX_GROWTH = 300 * 1024 * 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def five_megabytes_of_events() -> bytes:
    """Canonical events repeated under new identifiers until the file is 5 MB."""
    events = json.loads((canonical_data_dir() / "events.json").read_text(encoding="utf-8"))
    out: list[dict[str, object]] = []
    size = 2
    n = 0
    while size < SIZE:
        event = dict(events[n % len(events)], id=f"load-{n}")
        size += len(json.dumps(event)) + 2
        out.append(event)
        n += 1
    return json.dumps(out).encode()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, int]]:
    port = free_port()
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "hsdata", "serve", "--port", str(port), "--max-upload", "10"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    address = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(address + "/", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, "hsdata serve did not start"
        time.sleep(0.1)
    yield address, process.pid
    process.terminate()
    process.wait(20)
    if process.stderr is not None:
        process.stderr.close()
    assert not list(tmp_path.glob("hsdata-serve-*")), "the reports are removed at shutdown"


@pytest.mark.slow
def test_twenty_uploads_of_five_megabytes(served: tuple[str, int]) -> None:
    address, pid = served
    body = five_megabytes_of_events()
    assert len(body) >= SIZE
    server = psutil.Process(pid)
    idle = server.memory_info().rss
    peak = idle
    slowest_start_page = 0.0
    done = threading.Event()

    def watch() -> None:
        nonlocal peak, slowest_start_page
        with httpx.Client(timeout=10) as client:
            while not done.is_set():
                started = time.monotonic()
                assert client.get(address + "/").status_code == 200
                slowest_start_page = max(slowest_start_page, time.monotonic() - started)
                peak = max(peak, server.memory_info().rss)
                time.sleep(0.2)

    def send(n: int) -> tuple[int, str]:
        with httpx.Client(timeout=600) as client:
            response = client.post(
                address + "/check", files={"file": ("events.json", body)}, follow_redirects=True
            )
            return response.status_code, response.text

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with ThreadPoolExecutor(UPLOADS) as pool:
            results = list(pool.map(send, range(UPLOADS)))
    finally:
        done.set()
        watcher.join()
    assert [status for status, _page in results] == [200] * UPLOADS
    assert all("Report on events.json" in page for _status, page in results)
    assert slowest_start_page < 1.0, f"the start page took {slowest_start_page:.2f} s"
    growth = peak - idle
    assert growth < MAX_GROWTH, f"the server grew by {growth / 2**20:.0f} MB"
    print(
        f"\nidle {idle / 2**20:.0f} MB, peak {peak / 2**20:.0f} MB, "
        f"slowest start page {slowest_start_page:.3f} s"
    )
