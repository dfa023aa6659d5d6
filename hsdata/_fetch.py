"""Fetching over the network: the one door hsdata opens to it, and the fence around it.

Every network read in hsdata goes through :func:`fetch`, and only when the
user allowed the network (``--allow-network``). A fetch:

- has an overall deadline (:data:`FETCH_DEADLINE`): name lookup, connection,
  request and every read share it, so a server sending a byte every few
  seconds is cut off when it runs out, not only one that goes silent;
- reads at most :data:`MAX_FETCH_BYTES` of body, and stops reading past it;
- speaks ``https`` and ``http`` only, and follows at most
  :data:`MAX_REDIRECTS` redirects, each to the same host with the same scheme
  (or from ``http`` up to ``https``);
- resolves the host name itself and refuses it if *any* address it resolves
  to is loopback, link-local, private, unspecified, multicast, reserved, a
  cloud metadata endpoint or otherwise not on the public internet, then
  connects to the address it checked (a second, different DNS answer is never
  asked for). Hosts named in ``allow_hosts`` or in the environment variable
  :data:`ALLOW_HOSTS_VARIABLE` skip that check (for tests and CI servers);
- keeps what it fetched in a cache folder (:func:`cache_folder`), so that a
  rerun can work offline (``offline=True``, or the environment variable
  :data:`OFFLINE_VARIABLE`), reading the cache only.

Proxies configured in the environment are not used: the connection goes to
the address that was checked. Every failure is one exception,
:class:`FetchError`, whose message names the URL and says why in plain words.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import ipaddress
import os
import socket
import ssl
import stat
import threading
import time
import urllib.parse
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._errors import HsdataError
from ._files import OutputError, write_bytes
from ._i18n import tr
from ._reporting import clean
from ._version import __version__

__all__ = [
    "ALLOW_HOSTS_VARIABLE",
    "CACHE_DIR_VARIABLE",
    "FETCH_DEADLINE",
    "MAX_FETCH_BYTES",
    "MAX_REDIRECTS",
    "OFFLINE_VARIABLE",
    "FetchError",
    "cache_folder",
    "fetch",
    "forbidden_reason",
]

#: Seconds one fetch may take in all, redirects included.
FETCH_DEADLINE = 30.0
#: The largest body read; a longer one is refused (an extension file is a few kilobytes).
MAX_FETCH_BYTES = 16 * 1024 * 1024
#: Redirects followed before giving up.
MAX_REDIRECTS = 5

#: Host names (comma- or space-separated) allowed even though they resolve to a refused address.
ALLOW_HOSTS_VARIABLE = "HSDATA_ALLOW_HOSTS"
#: A folder to keep fetched files in, instead of the user's cache folder.
CACHE_DIR_VARIABLE = "HSDATA_CACHE_DIR"
#: Set to 1 (or true, yes) to read fetched files from the cache only, never from the network.
OFFLINE_VARIABLE = "HSDATA_OFFLINE"

_READ_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Endpoints that hand out cloud credentials; all are also non-public, named for a clearer message.
_METADATA = frozenset(
    ipaddress.ip_address(text)
    for text in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(HsdataError):
    """A URL could not be fetched, or was refused; ``reason`` says why in plain words."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(tr("cannot fetch {url}: {reason}", url=clean(url, 300), reason=reason))
        self.url = url
        self.reason = reason


# -- which addresses are refused ------------------------------------------------------------------


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4, Teredo), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def forbidden_reason(address: str) -> str | None:
    """Why hsdata will not connect to ``address`` (an IP address as text), or None if it may.

    >>> forbidden_reason("169.254.169.254")
    'a cloud metadata address'
    >>> forbidden_reason("::ffff:127.0.0.1")
    'a loopback address (this computer)'
    >>> forbidden_reason("93.184.216.34") is None
    True
    """
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(
            address.split("%", 1)[0]
        )
    except ValueError:
        return tr("not an IP address")
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            ip = inner
    if ip in _METADATA:
        return tr("a cloud metadata address")
    if ip.is_loopback:
        return tr("a loopback address (this computer)")
    if ip.is_link_local:
        return tr("a link-local address")
    if ip.is_unspecified:
        return tr("an unspecified address")
    if ip.is_multicast:
        return tr("a multicast address")
    if ip.is_private:
        return tr("a private network address")
    if ip.is_reserved:
        return tr("a reserved address")
    if not ip.is_global:
        return tr("an address that is not on the public internet")
    return None


# -- settings from the caller and the environment -----------------------------------------------


def _host_key(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def _allowed(extra: Collection[str]) -> frozenset[str]:
    listed = os.environ.get(ALLOW_HOSTS_VARIABLE, "").replace(",", " ").split()
    return frozenset(_host_key(host) for host in (*extra, *listed) if host.strip())


def _offline_from_environment() -> bool:
    return os.environ.get(OFFLINE_VARIABLE, "").strip().lower() in ("1", "true", "yes", "on")


def cache_folder() -> Path:
    """Where fetched files are kept: ``$HSDATA_CACHE_DIR``, else the user's cache folder.

    The user's cache folder is ``$XDG_CACHE_HOME/hsdata/fetch``, or
    ``~/.cache/hsdata/fetch`` when ``XDG_CACHE_HOME`` is not set.
    """
    chosen = os.environ.get(CACHE_DIR_VARIABLE)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hsdata" / "fetch"


# -- the clock -----------------------------------------------------------------------------------


class _Clock:
    """The time left before one fetch's deadline."""

    def __init__(self, url: str, seconds: float) -> None:
        self.url = url
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left; raises FetchError when none are."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise self.expired()
        return left

    def expired(self) -> FetchError:
        return FetchError(
            self.url,
            tr("it took longer than the {seconds} seconds allowed", seconds=f"{self.seconds:g}"),
        )

    def is_over(self) -> bool:
        return time.monotonic() >= self.end


# -- one URL, checked ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str  # as written (lowercase), without brackets
    port: int
    path: str  # path and query, as sent in the request line


def _target(url: str) -> _Target:
    """The parts of an http(s) URL hsdata may fetch; raises FetchError for any other."""
    if any(ord(character) <= 0x20 or ord(character) == 0x7F for character in url):
        raise FetchError(url, tr("the URL holds spaces or control characters"))
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(
            url, tr("the URL cannot be read ({reason})", reason=clean(str(exc)))
        ) from exc
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise FetchError(
            url,
            tr("hsdata fetches https and http URLs only, not {scheme}", scheme=clean(scheme, 20))
            if scheme
            else tr("hsdata fetches https and http URLs only, not this"),
        )
    if parts.username is not None or parts.password is not None:
        raise FetchError(url, tr("the URL holds a user name or password, which hsdata never sends"))
    host = _host_key(parts.hostname or "")
    if not host:
        raise FetchError(url, tr("the URL names no host"))
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return _Target(url, scheme, host, port or _DEFAULT_PORTS[scheme], path)


def _redirected(current: _Target, location: str | None, clock: _Clock) -> _Target:
    """Where a redirect leads, if it stays on the same host and scheme (or goes up to https)."""
    if not location:
        raise FetchError(current.url, tr("the server redirected without saying where to"))
    url = urllib.parse.urljoin(current.url, location.strip())
    try:
        following = _target(url)
    except FetchError as exc:
        raise FetchError(
            current.url,
            tr(
                "the server redirected to {url}, which hsdata does not follow: {reason}",
                url=clean(url, 200),
                reason=exc.reason,
            ),
        ) from None
    upgrade = current.scheme == "http" and following.scheme == "https"
    same_place = following.scheme == current.scheme and following.port == current.port
    if following.host != current.host or not (same_place or upgrade):
        raise FetchError(
            current.url,
            tr(
                "the server redirected to {url}, on another site; hsdata follows redirects only "
                "to the same host and scheme (or from http to https)",
                url=clean(url, 200),
            ),
        )
    clock.remaining()
    return following


# -- names to addresses --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Address:
    """One answer of the name lookup: what a socket connects to, exactly as looked up."""

    family: int
    sockaddr: tuple[Any, ...]

    @property
    def ip(self) -> str:
        return str(self.sockaddr[0])


def _resolve(target: _Target, clock: _Clock) -> list[_Address]:
    """Every address the host name resolves to, looked up once, within the deadline."""
    found: list[list[_Address]] = []
    failure: list[BaseException] = []

    def look_up() -> None:
        try:
            answers = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
            found.append(
                list(dict.fromkeys(_Address(answer[0], tuple(answer[4])) for answer in answers))
            )
        except (OSError, UnicodeError) as exc:
            failure.append(exc)

    # getaddrinfo takes no timeout: it runs aside, and is abandoned at the deadline.
    worker = threading.Thread(target=look_up, name="hsdata-resolve", daemon=True)
    worker.start()
    worker.join(clock.remaining())
    if worker.is_alive():
        raise clock.expired()
    if failure or not found or not found[0]:
        reason = clean(str(failure[0]), 120) if failure else tr("no address")
        raise FetchError(
            target.url,
            tr(
                "the host name {host} was not found ({reason})",
                host=clean(target.host),
                reason=reason,
            ),
        )
    return found[0]


def _vetted(
    target: _Target, addresses: Sequence[_Address], allowed: frozenset[str]
) -> list[_Address]:
    """The addresses, if none is refused (or the host is allowed); raises FetchError otherwise."""
    if target.host in allowed:
        return list(addresses)
    for address in addresses:
        reason = forbidden_reason(address.ip)
        if reason is not None:
            words = {
                "host": clean(target.host),
                "ip": clean(address.ip),
                "reason": reason,
                "variable": ALLOW_HOSTS_VARIABLE,
            }
            raise FetchError(
                target.url,
                tr(
                    "the host {host} is {reason}; hsdata does not connect there unless the "
                    "host is allowed ({variable})",
                    **words,
                )
                if address.ip == target.host
                else tr(
                    "the host {host} resolves to {ip}, which is {reason}; hsdata does not "
                    "connect there unless the host is allowed ({variable})",
                    **words,
                ),
            )
    return list(addresses)


# -- connections to a checked address ------------------------------------------------------------


def _open_socket(address: _Address, timeout: float | None) -> socket.socket:
    """A TCP connection to exactly ``address`` (no second name lookup, unlike create_connection)."""
    sock = socket.socket(address.family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(address.sockaddr)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except BaseException:
        sock.close()
        raise
    return sock


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to the address that was checked, whatever the DNS says now."""

    def __init__(self, host: str, port: int, address: _Address, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = _open_socket(self.address, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to the checked address; the certificate is checked for the host name."""

    def __init__(self, host: str, port: int, address: _Address, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        raw = _open_socket(self.address, self.timeout)
        try:
            self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)
        except BaseException:
            raw.close()
            raise


def _cut(sock: socket.socket) -> None:
    """Shut the socket, so that a read blocked in another thread returns."""
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


@dataclass(frozen=True)
class _Answer:
    status: int
    reason: str
    location: str | None
    body: bytes


def _connect(
    target: _Target, addresses: Sequence[_Address], clock: _Clock
) -> http.client.HTTPConnection:
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    problem: Exception | None = None
    for address in addresses:
        connection = kind(target.host, target.port, address, clock.remaining())
        try:
            connection.connect()
            return connection
        except (OSError, ssl.SSLError) as exc:
            connection.close()
            problem = exc
    if clock.is_over():
        raise clock.expired()
    if isinstance(problem, ssl.SSLCertVerificationError):
        reason = tr(
            "its certificate cannot be trusted ({reason})",
            reason=clean(problem.verify_message or "", 120),
        )
    else:
        reason = tr("the connection failed ({reason})", reason=clean(str(problem), 120))
    raise FetchError(target.url, reason)


def _exchange(
    target: _Target, addresses: Sequence[_Address], clock: _Clock, max_bytes: int
) -> _Answer:
    """One request and its answer, the body read up to ``max_bytes``, all within the deadline."""
    connection = _connect(target, addresses, clock)
    # http.client lets go of the socket once the answer says the connection closes: keep it.
    sock = connection.sock
    assert sock is not None  # connected above
    watchdog = threading.Timer(clock.remaining(), _cut, args=(sock,))
    watchdog.daemon = True
    watchdog.start()
    response: http.client.HTTPResponse | None = None
    try:
        connection.request(
            "GET",
            target.path,
            headers={
                "User-Agent": f"hsdata/{__version__}",
                "Accept": "*/*",
                "Accept-Encoding": "identity",
                "Connection": "close",
            },
        )
        response = connection.getresponse()
        if response.status != 200:
            return _Answer(response.status, response.reason, response.getheader("Location"), b"")
        declared = response.getheader("Content-Length")
        if declared is not None and declared.strip().isdigit() and int(declared) > max_bytes:
            raise FetchError(
                target.url,
                tr(
                    "the file holds {size:,} bytes, more than the {most:,} hsdata fetches",
                    size=int(declared),
                    most=max_bytes,
                ),
            )
        body = bytearray()
        while True:
            # Each read waits at most for what is left of the deadline; the watchdog
            # covers the reads inside http.client (headers, chunk sizes).
            sock.settimeout(clock.remaining())
            chunk = response.read1(_READ_CHUNK)
            if not chunk:
                break
            body += chunk
            if len(body) > max_bytes:
                raise FetchError(
                    target.url,
                    tr("the file is larger than the {most:,} bytes hsdata fetches", most=max_bytes),
                )
        clock.remaining()
        return _Answer(response.status, response.reason, None, bytes(body))
    except (OSError, http.client.HTTPException) as exc:
        if clock.is_over():
            raise clock.expired() from None
        raise FetchError(
            target.url, tr("the connection broke ({reason})", reason=clean(str(exc), 120))
        ) from None
    finally:
        watchdog.cancel()
        if response is not None:
            response.close()
        connection.close()
        sock.close()


def _from_network(url: str, allowed: frozenset[str], seconds: float, max_bytes: int) -> bytes:
    clock = _Clock(url, seconds)
    target = _target(url)
    for _ in range(MAX_REDIRECTS + 1):
        addresses = _vetted(target, _resolve(target, clock), allowed)
        answer = _exchange(target, addresses, clock, max_bytes)
        if answer.status == 200:
            return answer.body
        if answer.status not in _REDIRECTS:
            raise FetchError(
                url,
                tr(
                    "the server answered {status} ({reason})",
                    status=answer.status,
                    reason=clean(answer.reason or "", 60),
                ),
            )
        target = _redirected(target, answer.location, clock)
    raise FetchError(url, tr("the server redirected more than {most} times", most=MAX_REDIRECTS))


# -- the cache -----------------------------------------------------------------------------------


def _cache_path(folder: Path, url: str) -> Path:
    return folder / hashlib.sha256(url.encode("utf-8")).hexdigest()


def _from_cache(path: Path, url: str, max_bytes: int) -> bytes | None:
    """The cached copy of ``url``, or None if there is none; never through a link or a pipe."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise FetchError(
            url,
            tr(
                "its cached copy {path} cannot be read ({reason})",
                path=str(path),
                reason=str(exc.strerror),
            ),
        ) from exc
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise FetchError(url, tr("its cached copy {path} is not a regular file", path=str(path)))
    with os.fdopen(handle, "rb") as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FetchError(
            url, tr("its cached copy is larger than the {most:,} bytes allowed", most=max_bytes)
        )
    return data


def _keep(path: Path, data: bytes) -> None:
    """Keep a copy in the cache; a cache that cannot be written is not a reason to fail."""
    with contextlib.suppress(OSError, OutputError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_bytes(path, data)


# -- the one fetch -------------------------------------------------------------------------------


def fetch(
    url: str,
    *,
    allow_hosts: Collection[str] = (),
    offline: bool | None = None,
    cache: Path | None = None,
    use_cache: bool = True,
    deadline: float = FETCH_DEADLINE,
    max_bytes: int = MAX_FETCH_BYTES,
) -> bytes:
    """The body of ``url``, fetched within the fences this module describes.

    ``allow_hosts`` names hosts whose addresses are not checked (added to
    those in ``HSDATA_ALLOW_HOSTS``). ``offline`` (default: from
    ``HSDATA_OFFLINE``) reads the cache only. ``cache`` is the cache folder
    (default: :func:`cache_folder`); ``use_cache=False`` neither reads nor
    writes it. Raises :class:`FetchError`.
    """
    if offline is None:
        offline = _offline_from_environment()
    kept = _cache_path(cache or cache_folder(), url) if use_cache else None
    if offline:
        cached = _from_cache(kept, url, max_bytes) if kept is not None else None
        if cached is None:
            raise FetchError(
                url,
                tr(
                    "hsdata is working offline ({variable}) and has no copy of it in its cache "
                    "({cache})",
                    variable=OFFLINE_VARIABLE,
                    cache=str(kept.parent),
                )
                if kept is not None
                else tr(
                    "hsdata is working offline ({variable}) and has no copy of it in its cache "
                    "(not used)",
                    variable=OFFLINE_VARIABLE,
                ),
            )
        return cached
    body = _from_network(url, _allowed(allow_hosts), deadline, max_bytes)
    if kept is not None:
        _keep(kept, body)
    return body
