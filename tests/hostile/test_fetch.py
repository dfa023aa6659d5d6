"""The one fetch hsdata makes (extensions declared by URL, with --allow-network), fenced.

Every server here is a thread of this process listening on 127.0.0.0/8; an
autouse fixture fails any attempt to connect anywhere else. Each test is
bounded in time: the servers that drip or stall stop by themselves after a
few seconds, well after the deadline the test gives the fetch.
"""

from __future__ import annotations

import functools
import http.server
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from hsdata import _fetch
from hsdata._fetch import FetchError, fetch, forbidden_reason

from .conftest import read_json, run_cli, write_json

FUNDING = Path(__file__).resolve().parents[2] / "extensions" / "funding"
LOOPBACK = ipaddress.ip_network("127.0.0.0/8")

Route = Callable[[http.server.BaseHTTPRequestHandler], None]


@dataclass
class Server:
    """A server started by a test: its base URL and the requests it received."""

    base: str
    port: int
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, Host header)


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        server: Any = self.server
        server.record.requests.append((self.path, self.headers.get("Host", "")))
        route = server.routes.get(self.path)
        if route is None:
            self.send_error(404)
        else:
            route(self)


@contextmanager
def serve(routes: dict[str, Route], host: str = "127.0.0.1") -> Iterator[Server]:
    """An HTTP server on ``host`` (a loopback address) answering ``routes``."""
    httpd: Any = http.server.ThreadingHTTPServer((host, 0), _Handler)
    httpd.daemon_threads = True
    httpd.routes = routes
    port = httpd.server_address[1]
    httpd.record = Server(f"http://{host}:{port}", port)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield httpd.record
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def _body(data: bytes, *, declare: bool = True) -> Route:
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        if declare:
            handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    return answer


def _redirect(location: str, status: int = 302) -> Route:
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


def _drip(*, in_headers: bool) -> Route:
    """A byte every 0.2 s for at most 6 s: never silent long enough for a socket timeout."""

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        try:
            if in_headers:
                handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
            else:
                handler.send_response(200)
                handler.end_headers()
            for _ in range(30):
                handler.wfile.write(b"X-Drip: 1\r\n" if in_headers else b"x")
                handler.wfile.flush()
                time.sleep(0.2)
        except OSError:  # the client gave up, as it should
            return

    return answer


def _endless(handler: http.server.BaseHTTPRequestHandler) -> None:
    """A body without a declared length that goes on (up to 64 MiB)."""
    handler.send_response(200)
    handler.end_headers()
    chunk = b"x" * 65536
    try:
        for _ in range(1024):
            handler.wfile.write(chunk)
    except OSError:
        return


@dataclass
class Attempts:
    """Every connection attempted and every name looked up while a test runs."""

    connected: list[Any] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Attempts:
    """Fail any connection outside 127.0.0.0/8; a fresh cache; no allow-list from outside."""
    attempts = Attempts()
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        attempts.connected.append(address)
        host = address[0] if isinstance(address, tuple) else address
        if ipaddress.ip_address(str(host).split("%")[0]) not in LOOPBACK:
            raise AssertionError(f"a test tried to connect outside the loopback: {address!r}")
        real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.resolved.append(str(host))
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setenv("HSDATA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HSDATA_ALLOW_HOSTS", raising=False)
    monkeypatch.delenv("HSDATA_OFFLINE", raising=False)
    return attempts


ALLOWED = {"127.0.0.1"}


# -- the deadline --------------------------------------------------------------------------------


@pytest.mark.parametrize("in_headers", [False, True], ids=["body", "headers"])
def test_a_server_dripping_bytes_is_cut_off_at_the_deadline(in_headers: bool) -> None:
    with serve({"/drip": _drip(in_headers=in_headers)}) as server:
        started = time.monotonic()
        with pytest.raises(FetchError) as caught:
            fetch(server.base + "/drip", allow_hosts=ALLOWED, deadline=1.0)
        elapsed = time.monotonic() - started
    assert "took longer than the 1 seconds allowed" in str(caught.value)
    assert server.base in str(caught.value)
    assert 0.9 <= elapsed < 2.5, elapsed


def test_a_server_that_never_answers_is_cut_off_at_the_deadline() -> None:
    silent = socket.create_server(("127.0.0.1", 0))  # listens, never accepts or answers
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/x"
        started = time.monotonic()
        with pytest.raises(FetchError, match="took longer"):
            fetch(url, allow_hosts=ALLOWED, deadline=0.5)
        assert time.monotonic() - started < 2.0
    finally:
        silent.close()


# -- the size cap --------------------------------------------------------------------------------


def test_a_body_declared_too_large_is_refused_before_reading() -> None:
    with serve({"/big": _body(b"x" * 5000)}) as server, pytest.raises(FetchError) as caught:
        fetch(server.base + "/big", allow_hosts=ALLOWED, max_bytes=1000)
    assert "holds 5,000 bytes, more than the 1,000" in str(caught.value)


def test_a_body_that_goes_on_is_cut_at_the_cap() -> None:
    with serve({"/endless": _endless}) as server:
        started = time.monotonic()
        with pytest.raises(FetchError) as caught:
            fetch(server.base + "/endless", allow_hosts=ALLOWED, max_bytes=1_000_000)
    assert "larger than the 1,000,000 bytes" in str(caught.value)
    assert time.monotonic() - started < 5


def test_a_body_within_the_cap_is_returned_whole() -> None:
    data = bytes(range(256)) * 40
    with serve({"/ok": _body(data, declare=False)}) as server:
        assert fetch(server.base + "/ok", allow_hosts=ALLOWED, max_bytes=len(data)) == data


# -- schemes, redirects, hosts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://127.0.0.1/x", "https and http URLs only, not ftp"),
        ("file:///etc/passwd", "https and http URLs only, not file"),
        ("http://user:secret@127.0.0.1/x", "user name or password"),
        ("http://127.0.0.1/a b", "spaces or control characters"),
        ("http:///x", "names no host"),
    ],
)
def test_urls_hsdata_does_not_fetch(url: str, words: str, loopback_only: Attempts) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(url, allow_hosts=ALLOWED)
    assert words in caught.value.reason
    assert loopback_only.connected == []


def test_a_redirect_to_ftp_is_refused() -> None:
    routes = {"/x": _redirect("ftp://127.0.0.1/extension.json")}
    with serve(routes) as server, pytest.raises(FetchError) as caught:
        fetch(server.base + "/x", allow_hosts=ALLOWED)
    assert "redirected to ftp://127.0.0.1/extension.json" in str(caught.value)
    assert "https and http URLs only" in str(caught.value)


@pytest.mark.parametrize("other_host", ["127.0.0.2", "localhost"])
def test_a_redirect_to_another_host_is_refused(other_host: str) -> None:
    with serve({"/ok": _body(b"other")}, host="127.0.0.2") as other:
        target = f"http://{other_host}:{other.port}/ok"
        allowed = {"127.0.0.1", "127.0.0.2", "localhost"}
        with serve({"/x": _redirect(target)}) as server, pytest.raises(FetchError) as caught:
            fetch(server.base + "/x", allow_hosts=allowed)
    assert "on another site" in str(caught.value)
    assert other.requests == []


def test_a_redirect_to_another_port_of_the_same_host_is_refused() -> None:
    with serve({"/ok": _body(b"other")}) as other:
        routes = {"/x": _redirect(other.base + "/ok")}
        with serve(routes) as server, pytest.raises(FetchError, match="on another site"):
            fetch(server.base + "/x", allow_hosts=ALLOWED)
    assert other.requests == []


def test_a_redirect_on_the_same_host_is_followed() -> None:
    routes = {"/old": _redirect("/new", 301), "/new": _body(b"moved here")}
    with serve(routes) as server:
        assert fetch(server.base + "/old", allow_hosts=ALLOWED) == b"moved here"
    assert [path for path, _ in server.requests] == ["/old", "/new"]


def test_redirects_stop_after_a_few() -> None:
    with (
        serve({"/loop": _redirect("/loop")}) as server,
        pytest.raises(FetchError, match="redirected more than 5 times"),
    ):
        fetch(server.base + "/loop", allow_hosts=ALLOWED)
    assert len(server.requests) == _fetch.MAX_REDIRECTS + 1


def test_an_error_status_is_named() -> None:
    with (
        serve({}) as server,
        pytest.raises(FetchError, match=r"the server answered 404 \(Not Found\)"),
    ):
        fetch(server.base + "/missing", allow_hosts=ALLOWED)


# -- addresses -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "a loopback address (this computer)"),
        ("::1", "a loopback address (this computer)"),
        ("::ffff:127.0.0.1", "a loopback address (this computer)"),
        ("64:ff9b::7f00:1", "a loopback address (this computer)"),
        ("169.254.169.254", "a cloud metadata address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("100.100.100.200", "a cloud metadata address"),
        ("169.254.1.1", "a link-local address"),
        ("fe80::1%eth0", "a link-local address"),
        ("0.0.0.0", "an unspecified address"),
        ("224.0.0.1", "a multicast address"),
        ("10.1.2.3", "a private network address"),
        ("192.168.0.1", "a private network address"),
        ("172.16.0.1", "a private network address"),
        ("fc00::1", "a private network address"),
        ("2002:a00:1::", "a private network address"),  # 6to4 carrying 10.0.0.1
        ("100.64.0.1", "an address that is not on the public internet"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_which_addresses_are_refused(address: str, reason: str | None) -> None:
    assert forbidden_reason(address) == reason


def test_loopback_is_refused_unless_allowed(
    loopback_only: Attempts, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve({"/ok": _body(b"fine")}) as server:
        with pytest.raises(FetchError) as caught:
            fetch(server.base + "/ok")
        assert "is a loopback address" in str(caught.value)
        assert loopback_only.connected == []
        assert server.requests == []
        monkeypatch.setenv("HSDATA_ALLOW_HOSTS", "example.org, 127.0.0.1")
        assert fetch(server.base + "/ok") == b"fine"


def test_the_metadata_address_is_refused_without_connecting(loopback_only: Attempts) -> None:
    with pytest.raises(FetchError) as caught:
        fetch("http://169.254.169.254/latest/meta-data/", use_cache=False)
    assert "is a cloud metadata address" in str(caught.value)
    assert loopback_only.connected == []


def test_a_name_resolving_to_one_refused_address_among_others_is_refused(
    loopback_only: Attempts, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", 80)),
    ]

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        loopback_only.resolved.append(str(host))
        return answers

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(FetchError) as caught:
        fetch("http://mixed.test/extension.json")
    assert "mixed.test resolves to 169.254.169.254, which is a cloud metadata address" in str(
        caught.value
    )
    assert loopback_only.resolved == ["mixed.test"]
    assert loopback_only.connected == []


def test_the_checked_address_is_the_one_connected_to(
    loopback_only: Attempts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second DNS answer (here: the metadata address) is never asked for nor used."""
    answers = iter(["127.0.0.1", "169.254.169.254", "169.254.169.254"])

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        loopback_only.resolved.append(str(host))
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    with serve({"/ok": _body(b"pinned")}) as server:
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        url = f"http://pinned.test:{server.port}/ok"
        assert fetch(url, allow_hosts={"pinned.test"}) == b"pinned"
    assert loopback_only.resolved == ["pinned.test"]
    assert [address[0] for address in loopback_only.connected] == ["127.0.0.1"]
    assert server.requests == [("/ok", f"pinned.test:{server.port}")]


# -- the cache -----------------------------------------------------------------------------------


def test_a_fetched_file_is_read_from_the_cache_when_offline(
    tmp_path: Path, loopback_only: Attempts, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve({"/ok": _body(b"kept")}) as server:
        url = server.base + "/ok"
        assert fetch(url, allow_hosts=ALLOWED) == b"kept"
    # the server is gone: only the cache can answer
    connections = len(loopback_only.connected)
    assert fetch(url, offline=True) == b"kept"
    monkeypatch.setenv("HSDATA_OFFLINE", "1")
    assert fetch(url) == b"kept"
    assert len(loopback_only.connected) == connections
    assert len(list((tmp_path / "cache").iterdir())) == 1
    with pytest.raises(FetchError, match="working offline"):
        fetch(server.base + "/never-fetched")


def test_without_the_cache_nothing_is_kept(tmp_path: Path) -> None:
    with serve({"/ok": _body(b"not kept")}) as server:
        assert fetch(server.base + "/ok", allow_hosts=ALLOWED, use_cache=False) == b"not kept"
    assert not (tmp_path / "cache").exists()
    with pytest.raises(FetchError, match="working offline"):
        fetch(server.base + "/ok", offline=True)


def test_the_cache_folder_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _fetch.cache_folder() == tmp_path / "cache"
    monkeypatch.delenv("HSDATA_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _fetch.cache_folder() == tmp_path / "xdg" / "hsdata" / "fetch"


def test_a_cached_copy_that_is_a_link_is_not_read(tmp_path: Path) -> None:
    url = "http://127.0.0.1:9/x"
    secret = tmp_path / "secret"
    secret.write_bytes(b"secret")
    kept = _fetch._cache_path(tmp_path / "cache", url)
    kept.parent.mkdir()
    kept.symlink_to(secret)
    with pytest.raises(FetchError, match=r"cached copy .* cannot be read"):
        fetch(url, offline=True)


# -- an extension declared by URL ----------------------------------------------------------------


class _Files(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served_funding(tmp_path: Path) -> Iterator[str]:
    """The funding extension served from a folder on 127.0.0.1; yields its URL."""
    root = tmp_path / "site"
    shutil.copytree(FUNDING, root / "funding")
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Files, directory=str(root))
    )
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/funding/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def test_an_extension_declared_by_url_is_validated_through_the_fetch(
    package: Path, served_funding: str, monkeypatch: pytest.MonkeyPatch, loopback_only: Attempts
) -> None:
    descriptor = read_json(package / "datapackage.json")
    descriptor["hsdata:extensions"] = [served_funding]
    write_json(package / "datapackage.json", descriptor)

    refused = run_cli("validate", package, "--allow-network")
    assert refused.exit_code == 2, refused.output
    assert "loopback address" in refused.output and "extension-unreadable" in refused.output

    monkeypatch.setenv("HSDATA_ALLOW_HOSTS", "127.0.0.1")
    assert run_cli("validate", package).exit_code == 1  # the network still needs the flag
    allowed = run_cli("validate", package, "--allow-network")
    assert allowed.exit_code == 0, allowed.output

    monkeypatch.setenv("HSDATA_OFFLINE", "1")
    monkeypatch.delenv("HSDATA_ALLOW_HOSTS")
    connections = len(loopback_only.connected)
    offline = run_cli("validate", package, "--allow-network")
    assert offline.exit_code == 0, offline.output
    assert len(loopback_only.connected) == connections


# -- https to a checked address ------------------------------------------------------------------


@pytest.fixture
def certificate(tmp_path: Path) -> Path:
    """A self-signed certificate (and its key, in the same file) for the host pinned.test."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a certificate")
    pem = tmp_path / "pinned.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=pinned.test",
            "-addext",
            "subjectAltName=DNS:pinned.test",
            "-keyout",
            str(pem),
            "-out",
            str(pem),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return pem


@contextmanager
def serve_tls(certificate: Path, body: bytes) -> Iterator[tuple[int, list[str | None]]]:
    """An HTTPS server on 127.0.0.1 answering ``body``; yields its port and the names asked
    for in the TLS handshake (SNI)."""
    names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate)

    def remember(sock: ssl.SSLObject, name: str | None, context: ssl.SSLContext) -> None:
        names.append(name)

    context.sni_callback = remember
    httpd: Any = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.routes = {"/ok": _body(body)}
    httpd.record = Server("", httpd.server_address[1])
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], names
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def _resolve_to_loopback(monkeypatch: pytest.MonkeyPatch, attempts: Attempts) -> None:
    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.resolved.append(str(host))
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_https_to_the_checked_address_still_checks_the_certificate_for_the_host(
    certificate: Path, monkeypatch: pytest.MonkeyPatch, loopback_only: Attempts
) -> None:
    with serve_tls(certificate, b"secure") as (port, names):
        _resolve_to_loopback(monkeypatch, loopback_only)
        url = f"https://pinned.test:{port}/ok"
        with pytest.raises(FetchError, match="certificate cannot be trusted"):
            fetch(url, allow_hosts={"pinned.test"})  # a self-signed certificate
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
        assert fetch(url, allow_hosts={"pinned.test"}) == b"secure"
        assert names == ["pinned.test", "pinned.test"]
    assert {address[0] for address in loopback_only.connected} == {"127.0.0.1"}


def test_https_refuses_a_certificate_for_another_host(
    certificate: Path, monkeypatch: pytest.MonkeyPatch, loopback_only: Attempts
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    with serve_tls(certificate, b"secure") as (port, _):
        _resolve_to_loopback(monkeypatch, loopback_only)
        with pytest.raises(FetchError, match="certificate cannot be trusted"):
            fetch(f"https://impostor.test:{port}/ok", allow_hosts={"impostor.test"})
