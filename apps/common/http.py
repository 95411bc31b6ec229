"""The one outbound-HTTP seam: every feed and page LabIntel fetches goes through `fetch`.

Built on the standard library so that we own the socket: we resolve DNS ourselves, check every
address against an explicit list of blocked ranges, and connect to exactly the address we checked,
so a DNS answer that changes between two lookups cannot slip a private address past the guard.
One deadline covers DNS, connect, TLS, every redirect hop and every byte of every body, and the
decoded body is capped, so a dripping, silent or bomb-serving server always ends in a typed error.
"""

import http.client
import io
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from typing import Any, cast
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings

from apps.common.errors import (
    Blocked,
    ConnectionFailed,
    FetchError,
    HTTPError,
    ParseError,
    Timeout,
    TooLarge,
    TooManyRedirects,
)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_Address = tuple[int, tuple[Any, ...]]  # (family, sockaddr) as getaddrinfo gives them

MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}

_LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
# Written out rather than trusting ipaddress.is_private & co., which in Python 3.11 miss
# IPv4-mapped loopback, 100.64/10, NAT64 and 6to4.
_BLOCKED = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
        "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
        "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        "255.255.255.255/32",
        "::/128", "::1/128", "::/96",  # ::/96: deprecated IPv4-compatible addresses
        "64:ff9b:1::/48",  # local-use NAT64 translates into private networks by design
        "64:ff9b::/32",  # the rest of the NAT64 block beyond the well-known /96 is unassigned
        "2002::/16",  # 6to4 is deprecated (RFC 7526); nothing we fetch needs it
        "100::/64", "2001::/23", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10",
        "ff00::/8",
    )
)  # fmt: skip
# These embed an IPv4 address that is the real destination, so the IPv4 address is what we judge.
# Well-known NAT64 stays usable (judged by its IPv4 address) because DNS64 networks answer with it.
_MAPPED = ipaddress.ip_network("::ffff:0:0/96")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

_HOST = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")
_IPV4ISH = re.compile(r"[0-9a-fx.]+")  # what inet_aton might read as a number (0x7f.1, 0177.1)
_NETLOC = re.compile(r"(?P<host>\[[0-9a-f:.]+\]|[^:\[\]]*)(?::(?P<port>[0-9]*))?")
_HEADER_VALUE = re.compile(r"[\x20-\x7e]*")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # tab is allowed in a field value


@dataclass(frozen=True)
class Response:
    url: str  # final URL after redirects
    status: int  # 200 or 304; anything else raised HTTPError
    headers: Mapping[str, str]  # lower-cased names
    body: bytes  # decoded; b"" for 304
    permanent_redirect: str | None  # final URL when every hop was 301/308 (callers persist it)
    elapsed: float


@dataclass(frozen=True)
class _Target:
    """A URL we have validated, split the way we will send it."""

    url: str
    scheme: str
    host: str  # lower-case ASCII, no brackets
    port: int
    netloc: str  # the Host header
    path: str  # path and query, ASCII


class _Clock:
    """One deadline shared by every step of a fetch."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = time.monotonic()

    def remaining(self) -> float:
        left = self.started + self.seconds - time.monotonic()
        if left <= 0:
            raise Timeout(f"gave up after the {self.seconds:g}s deadline")
        return left

    def elapsed(self) -> float:
        return time.monotonic() - self.started


# --- public API -------------------------------------------------------------------------------


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    accept: str = "*/*",
    deadline: float | None = None,
    max_bytes: int | None = None,
    allow_loopback: bool | None = None,
) -> Response:
    """GET `url` through the guard, following up to 5 redirects.

    Returns 200 and 304 responses; everything else raises a FetchError subclass.
    """
    clock = _Clock(settings.FETCH_DEADLINE_SECONDS if deadline is None else deadline)
    limit = settings.FETCH_MAX_BYTES if max_bytes is None else max_bytes
    loopback = _loopback_allowed(allow_loopback)
    headers = _request_headers(accept=accept, etag=etag, last_modified=last_modified)
    target = _parse(url)
    hops: list[int] = []  # the status of every redirect followed
    seen: set[str] = set()
    while True:
        seen.add(target.url)
        with _errors_as_fetch_errors(target.host), _open(target, clock, loopback) as sock:
            response = _exchange(sock, target, headers, clock)
            location = _redirect_location(response)
            if location is None:
                return _finish(response, target, hops, limit, clock)
        hops.append(response.status)
        target = _next_hop(target, location, hops=hops, seen=seen)


CHECK_DNS_SECONDS = 5


def check_url(url: str, *, allow_loopback: bool | None = None) -> str:
    """Validate and resolve `url` without fetching it; return it normalised or raise Blocked.

    `fetch` checks again when it connects: an approved URL may resolve elsewhere later.
    """
    target = _parse(url)
    # A form or an OPML import must not wait long on one slow name server.
    clock = _Clock(min(settings.FETCH_DEADLINE_SECONDS, CHECK_DNS_SECONDS))
    try:
        with _errors_as_fetch_errors(target.host):
            _checked_addresses(target, clock, _loopback_allowed(allow_loopback))
    except (ConnectionFailed, Timeout):
        # A name that does not resolve now is no danger: every fetch resolves and checks again,
        # and its failure is recorded on the source where a curator sees it.
        pass
    return target.url


def is_blocked_address(ip: IPAddress, *, allow_loopback: bool) -> bool:
    """True when we must not connect to `ip`. Loopback passes only with `allow_loopback`."""
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        # A NAT64 gateway never delivers to our own loopback: only v4-mapped keeps the exception.
        loopback_ok = allow_loopback and ip in _MAPPED
        return is_blocked_address(embedded, allow_loopback=loopback_ok)
    if any(ip in network for network in _LOOPBACK):
        return not allow_loopback
    return any(ip in network for network in _BLOCKED)


def parse_retry_after(value: str, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or HTTP-date); None if unusable."""
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    now = now or datetime.now(UTC)
    return max(0.0, (_aware(when) - _aware(now)).total_seconds())


# --- URLs -------------------------------------------------------------------------------------


def _parse(url: str) -> _Target:
    url = url.strip(" \t\r\n")
    # urlsplit silently drops tabs and newlines and the HTTP layer may read "\" as "/": refuse
    # anything on which two parsers could disagree about the host.
    if any(ord(char) <= 0x20 or char in "\x7f\\" for char in url):
        raise Blocked("URL contains whitespace, control characters or backslashes")
    try:
        parts = urlsplit(url)
    except ValueError as error:  # unbalanced brackets and the like
        raise Blocked(f"malformed URL: {error}") from None
    if parts.scheme not in _DEFAULT_PORTS:
        raise Blocked(f"only http and https URLs are allowed, not {parts.scheme or 'none'!r}")
    if "@" in parts.netloc:
        raise Blocked("URLs with credentials are not allowed")
    host, port = _split_netloc(parts.netloc, default=_DEFAULT_PORTS[parts.scheme])
    netloc = f"[{host}]" if ":" in host else host
    netloc += "" if port == _DEFAULT_PORTS[parts.scheme] else f":{port}"
    path = _ascii(parts.path or "/") + (f"?{_ascii(parts.query)}" if parts.query else "")
    return _Target(f"{parts.scheme}://{netloc}{path}", parts.scheme, host, port, netloc, path)


def _split_netloc(netloc: str, *, default: int) -> tuple[str, int]:
    match = _NETLOC.fullmatch(netloc.lower())
    if match is None:
        raise Blocked(f"malformed host {netloc!r}")
    port = int(match["port"]) if match["port"] else default
    if not 0 < port < 65536:
        raise Blocked(f"invalid port in {netloc!r}")
    return _valid_host(match["host"]), port


def _valid_host(host: str) -> str:
    if host.startswith("["):
        try:
            return str(ipaddress.IPv6Address(host[1:-1]))
        except ValueError:
            raise Blocked(f"malformed IPv6 address {host!r}") from None
    try:
        # IDNA also folds look-alikes such as full-width digits, so check the result, not the input.
        ascii_host = host if host.isascii() else host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise Blocked(f"malformed host name {host!r}") from None
    if not _HOST.fullmatch(ascii_host) or len(ascii_host) > 253:
        raise Blocked(f"malformed host name {host!r}")
    return ascii_host


def _ascii(text: str) -> str:
    """Percent-encode non-ASCII characters; leave existing escapes and reserved characters."""
    return "".join(char if char.isascii() else quote(char, errors="replace") for char in text)


def _next_hop(current: _Target, location: str, *, hops: list[int], seen: set[str]) -> _Target:
    if len(hops) > MAX_REDIRECTS:
        raise TooManyRedirects(f"more than {MAX_REDIRECTS} redirects")
    target = _parse(urljoin(current.url, location))
    if current.scheme == "https" and target.scheme == "http":
        raise Blocked(f"refused to follow a redirect from https to {target.url}")
    if target.url in seen:
        raise TooManyRedirects(f"redirect loop at {target.url}")
    return target


# --- addresses and connections ----------------------------------------------------------------


def _loopback_allowed(allow_loopback: bool | None) -> bool:
    return settings.FETCH_ALLOW_LOOPBACK if allow_loopback is None else allow_loopback


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address a v4-mapped or NAT64 address really leads to, if it is one."""
    if ip in _MAPPED or ip in _NAT64:
        return ipaddress.IPv4Address(ip.packed[12:])
    return None


def _checked_addresses(target: _Target, clock: _Clock, loopback: bool) -> list[_Address]:
    """Resolve the host and refuse the whole lot if any answer is blocked."""
    addresses = _resolve(target.host, target.port, clock)
    for _family, sockaddr in addresses:
        ip = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if is_blocked_address(ip, allow_loopback=loopback):
            where = "" if target.host == str(ip) else f"{target.host} resolves to "
            raise Blocked(f"{where}{ip} is not a public address")
    return addresses


def _resolve(host: str, port: int, clock: _Clock) -> list[_Address]:
    """(family, sockaddr) pairs for host, read the way the socket layer would read it."""
    literal = _literal_address(host)
    if literal is not None:
        family = socket.AF_INET6 if literal.version == 6 else socket.AF_INET
        return [(family, (str(literal), port))]
    answers = _getaddrinfo_until(host, port, clock)
    addresses = list(dict.fromkeys((family, sockaddr) for family, *_, sockaddr in answers))
    if not addresses:
        raise ConnectionFailed(f"{host} has no addresses")
    return addresses


def _literal_address(host: str) -> IPAddress | None:
    if ":" in host:
        return ipaddress.IPv6Address(host)
    if not _IPV4ISH.fullmatch(host):
        return None
    try:
        # inet_aton reads decimal, octal, hex and short forms exactly as getaddrinfo would.
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _getaddrinfo_until(host: str, port: int, clock: _Clock) -> list[Any]:
    """getaddrinfo has no timeout of its own, so wait for it on a thread, up to the deadline."""
    outcome: list[Any] = []

    def lookup() -> None:
        try:
            outcome.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as error:
            outcome.append(error)

    thread = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    thread.start()
    thread.join(clock.remaining())
    if not outcome:
        raise Timeout(f"DNS lookup for {host} did not finish before the deadline")
    if isinstance(outcome[0], OSError):
        raise outcome[0]
    return cast(list[Any], outcome[0])


@contextmanager
def _open(target: _Target, clock: _Clock, loopback: bool) -> Iterator[socket.socket]:
    addresses = _checked_addresses(target, clock, loopback)
    sock = _connect_any(addresses, clock)
    try:
        if target.scheme == "https":
            sock.settimeout(clock.remaining())  # the handshake as a whole, not per read
            sock = _tls_context().wrap_socket(sock, server_hostname=target.host.rstrip("."))
        yield sock
    finally:
        sock.close()


def _connect_any(addresses: list[_Address], clock: _Clock) -> socket.socket:
    error: OSError | None = None
    for family, sockaddr in addresses:
        try:
            return _connect(family, sockaddr, clock.remaining())
        except OSError as failure:
            error = failure
    assert error is not None  # addresses is never empty
    raise error


def _connect(family: int, sockaddr: tuple[Any, ...], timeout: float) -> socket.socket:
    """Connect to exactly this address (the one we checked). Tests patch this to watch it."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(sockaddr)
    except BaseException:
        sock.close()
        raise
    return sock


@cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()  # verifies certificates and host names


@contextmanager
def _errors_as_fetch_errors(host: str) -> Iterator[None]:
    """Turn socket, TLS and protocol failures into the typed errors callers record."""
    try:
        yield
    except FetchError:
        raise
    except socket.gaierror as error:
        raise ConnectionFailed(f"could not resolve {host}: {error.strerror}") from error
    except TimeoutError as error:
        raise Timeout(f"{host} did not answer in time") from error
    except ssl.SSLCertVerificationError as error:
        message = f"TLS certificate of {host} failed verification: {error.verify_message}"
        raise ConnectionFailed(message) from error
    except ConnectionRefusedError as error:
        raise ConnectionFailed(f"{host} refused the connection") from error
    except http.client.IncompleteRead as error:
        raise ConnectionFailed(f"{host} closed the connection mid-body") from error
    except http.client.HTTPException as error:
        raise ConnectionFailed(f"{host} sent a malformed HTTP response") from error
    except OSError as error:
        raise ConnectionFailed(f"connection to {host} failed: {error.strerror or error}") from error


# --- one request and its response -------------------------------------------------------------


def _request_headers(*, accept: str, etag: str, last_modified: str) -> dict[str, str]:
    headers = {
        "User-Agent": settings.FETCH_USER_AGENT,
        "Accept": accept,
        "Accept-Encoding": "gzip, deflate",
        "Connection": "close",
    }
    if not all(_HEADER_VALUE.fullmatch(value) for value in headers.values()):
        raise ValueError(f"invalid header value in {headers!r}")
    # Validators come from earlier responses; a mangled one costs a full GET, never an injection.
    for name, value in (("If-None-Match", etag), ("If-Modified-Since", last_modified)):
        if value and _HEADER_VALUE.fullmatch(value):
            headers[name] = value
    return headers


def _exchange(
    sock: socket.socket, target: _Target, headers: dict[str, str], clock: _Clock
) -> http.client.HTTPResponse:
    lines = [f"GET {target.path} HTTP/1.1", f"Host: {target.netloc}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    sock.settimeout(clock.remaining())
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
    # HTTPResponse only calls makefile(); ours reads under the shared deadline.
    response = http.client.HTTPResponse(cast(socket.socket, _DeadlineSocket(sock, clock)))
    response.begin()
    return response


class _DeadlineSocket:
    def __init__(self, sock: socket.socket, clock: _Clock) -> None:
        self.sock, self.clock = sock, clock

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self.sock, self.clock))


class _DeadlineReader(io.RawIOBase):
    """Socket reads that all draw on one deadline.

    A per-recv timeout restarts with every byte, so a server dripping one byte a second (in the
    status line, the headers, a chunk size or the body) would hold us forever.
    """

    def __init__(self, sock: socket.socket, clock: _Clock) -> None:
        self.sock, self.clock = sock, clock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self.sock.settimeout(self.clock.remaining())
        return self.sock.recv_into(buffer)


def _redirect_location(response: http.client.HTTPResponse) -> str | None:
    if response.status not in _REDIRECTS:
        return None
    return response.getheader("Location") or None


def _finish(
    response: http.client.HTTPResponse, target: _Target, hops: list[int], limit: int, clock: _Clock
) -> Response:
    if response.status not in (200, 304):
        retry_after = parse_retry_after(response.getheader("Retry-After") or "")
        raise HTTPError(response.status, retry_after=retry_after)
    body = _read_body(response, limit, clock) if response.status == 200 else b""
    permanent = target.url if hops and all(hop in _PERMANENT for hop in hops) else None
    headers = _headers(response)
    return Response(target.url, response.status, headers, body, permanent, clock.elapsed())


def _headers(response: http.client.HTTPResponse) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in response.getheaders():
        # Unfolded and without control characters, so callers can store it safely: http.client
        # passes NUL through, and PostgreSQL refuses it (a stored ETag would fail every fetch).
        value = _CONTROL_CHARS.sub("", re.sub(r"\r?\n[ \t]*", " ", value))
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def _read_body(response: http.client.HTTPResponse, limit: int, clock: _Clock) -> bytes:
    decoder = _Decoder(response.getheader("Content-Encoding") or "", limit)
    if not decoder.compressed and (response.length or 0) > limit:
        raise TooLarge(f"the server announced {response.length} bytes; the limit is {limit}")
    parts = []
    while chunk := response.read1(_CHUNK):
        parts.append(decoder.feed(chunk))
        clock.remaining()
    if response.length:  # http.client leaves what it still expected when the peer hung up
        raise ConnectionFailed("the connection closed before the whole body arrived")
    decoder.check_complete()
    return b"".join(parts)


class _Decoder:
    """Undo Content-Encoding incrementally, never producing more than `limit` bytes in total."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.encoding = encoding.strip().lower()
        if self.encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise ParseError(f"unsupported Content-Encoding {encoding!r}")
        self.compressed = self.encoding not in ("", "identity")
        self.limit, self.produced, self.fed = limit, 0, False
        self.zlib: Any = None

    def feed(self, data: bytes) -> bytes:
        out = self._decompress(data) if self.compressed else data
        self.produced += len(out)
        if self.produced > self.limit:
            raise TooLarge(f"the body is larger than {self.limit} bytes")
        return out

    def _decompress(self, data: bytes) -> bytes:
        if self.zlib is None:
            self.zlib = zlib.decompressobj(self._wbits(data))
        elif self.zlib.eof:
            return b""  # trailing bytes after the stream would pile up in unused_data
        self.fed = True
        try:
            # One byte past the budget is enough to know it is too large; a bomb stops here.
            return cast(bytes, self.zlib.decompress(data, self.limit - self.produced + 1))
        except zlib.error as error:
            raise ParseError(f"corrupt {self.encoding} body: {error}") from error

    def _wbits(self, first: bytes) -> int:
        if self.encoding != "deflate":
            return 16 + zlib.MAX_WBITS
        # "deflate" should be zlib-wrapped, but some servers send a raw deflate stream.
        wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and int.from_bytes(first[:2]) % 31 == 0
        return zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS

    def check_complete(self) -> None:
        if self.fed and not self.zlib.eof:
            raise ParseError(f"the {self.encoding} body is truncated")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
