"""A small HTTP server on 127.0.0.1 for the tests that let hsdata use the network, and a guard
for the tests that must not use it.

Tests reach the server directly (no proxy from the environment), with hsdata told to allow the
loopback host, which it otherwise refuses, and to cache what it fetches in the test's folder.
"""

from __future__ import annotations

import functools
import socket
import threading
from http.server import HTTPServer, SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest


def reach_loopback_directly(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    """No proxy from the environment, 127.0.0.1 allowed, fetched files cached in ``cache``."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("HSDATA_ALLOW_HOSTS", "127.0.0.1")
    monkeypatch.setenv("HSDATA_CACHE_DIR", str(cache))


class LoopbackServer:
    """Serves the files of ``root`` on 127.0.0.1 while the ``with`` block runs.

    ``base`` is its address, ending in '/'; ``requested`` lists the paths asked for, in order.
    """

    def __init__(self, root: Path) -> None:
        self.requested: list[str] = []
        requested = self.requested

        class Handler(SimpleHTTPRequestHandler):
            def do_GET(self) -> None:
                requested.append(self.path)
                super().do_GET()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep the test output clean

        self.server = HTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        self.server.timeout = 5
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> LoopbackServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def refuse_connections(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make every attempt to connect a socket fail; the list records the addresses tried."""
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise AssertionError(f"a network connection was attempted: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts
