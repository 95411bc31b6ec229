"""The outbound-HTTP seam: address guard, URL rules, redirects, deadline, size cap, errors.

Everything runs against real sockets on loopback; DNS is faked where a name must resolve, so
nothing here reaches beyond this machine.
"""

import ast
import ipaddress
import itertools
import shutil
import socket
import ssl
import subprocess
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

import apps.common.http as seam
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
from apps.common.http import check_url, fetch, is_blocked_address, parse_retry_after
from tests.hostile_urls import (
    METADATA_SPELLINGS,
    OTHER_SCHEMES,
    PRIVATE_SPELLINGS,
    watch_connections,
)
from tests.httpserver import LoopbackServer, Reply, Request, conditional

PUBLIC = "93.184.215.14"  # never actually connected to: see `connections`
MB = 1 << 20


# --- helpers and fixtures ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_server() -> Iterator[LoopbackServer]:
    server = LoopbackServer().start()
    yield server
    server.stop()


@pytest.fixture
def loopback(shared_server: LoopbackServer) -> LoopbackServer:
    """The shared `loopback` fixture, but one server per module: stopping one takes 0.5 s."""
    shared_server.routes.clear()
    with shared_server._lock:
        shared_server.requests.clear()
    return shared_server


class FakeDNS:
    """socket.getaddrinfo that answers from a script: one answer per call, the last one repeats."""

    def __init__(self) -> None:
        self.answers: dict[str, list[list[str]]] = {}
        self.calls: list[str] = []

    def add(self, host: str, *answers: list[str]) -> None:
        self.answers[host] = list(answers)

    def getaddrinfo(self, host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        self.calls.append(host)
        if host not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        queue = self.answers[host]
        ips = queue.pop(0) if len(queue) > 1 else queue[0]
        return [self._entry(ip, port) for ip in ips]

    @staticmethod
    def _entry(ip: str, port: int) -> tuple[Any, ...]:
        if ":" in ip:
            return (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (ip, port, 0, 0))
        return (socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    fake = FakeDNS()
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    return fake


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Every address fetch connects to; anything but loopback is refused, never dialled."""
    return watch_connections(monkeypatch)


@contextmanager
def raw_server(script: Callable[[socket.socket, threading.Event], None]) -> Iterator[int]:
    """A one-connection TCP server running `script(conn, stop)`: replies no HTTP server sends."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            with suppress(OSError):
                script(conn, stop)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=2)


def gzip_bomb(*, gigabytes: int = 1, wbits: int = 31) -> bytes:
    """~1 MB of gzip (or zlib, wbits=15) that would inflate to `gigabytes` GB of zeros.

    After a full flush the compressor starts afresh, so every later megabyte compresses to the
    same bytes and the bomb is built by repetition instead of compressing a gigabyte. It has no
    trailer: a client that is doing its job gives up long before it would need one.
    """
    zeros = bytes(MB)
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    first = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    repeat = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    assert packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH) == repeat
    return first + repeat * (1024 * gigabytes - 1)


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, b"", {"Location": location})


def chunked(*parts: bytes) -> list[bytes]:
    return [b"%x\r\n%s\r\n" % (len(part), part) for part in parts] + [b"0\r\n\r\n"]


def endless(chunk: bytes) -> Iterator[bytes]:
    return itertools.repeat(chunk)


def within(seconds: float, call: Callable[[], Any]) -> Any:
    """call() on a thread, failing the test if it still runs after `seconds`: a deadline that
    broke must fail its test, not hang the suite (a dripping server never stops on its own)."""
    outcome: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            outcome.append((True, call()))
        except BaseException as error:  # handed back to the test below
            outcome.append((False, error))

    threading.Thread(target=run, daemon=True).start()
    started = time.monotonic()
    while not outcome and time.monotonic() - started < seconds:
        time.sleep(0.01)
    if not outcome:
        pytest.fail(f"still running after {seconds}s: the total deadline did not hold")
    succeeded, value = outcome[0]
    if not succeeded:
        raise value
    return value


# --- addresses --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "0.0.0.0", "0.1.2.3", "10.1.2.3", "100.64.0.1", "100.127.255.254", "169.254.169.254",
        "172.16.0.1", "172.31.255.255", "192.0.0.170", "192.0.2.1", "192.88.99.1", "192.168.1.1",
        "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1",
        "239.255.255.250", "240.0.0.1", "255.255.255.255",
        "::", "::7f00:1", "::a00:1", "::ffff:10.0.0.1", "::ffff:a9fe:a9fe", "64:ff9b::a00:1",
        "64:ff9b::a9fe:a9fe", "64:ff9b:1::808:808", "2002:808:808::1", "2002:7f00:1::",
        "100::1", "2001::1", "2001:10::1", "2001:db8::1", "fc00::1", "fd12:3456::1", "fe80::1",
        "fe80::1%eth0", "fec0::1", "ff02::1",
    ],
)  # fmt: skip
def test_it_blocks_private_and_special_addresses_even_with_loopback_allowed(address: str) -> None:
    assert is_blocked_address(ipaddress.ip_address(address), allow_loopback=True)


@pytest.mark.parametrize("address", ["127.0.0.1", "127.255.255.254", "::1", "::ffff:127.0.0.1"])
def test_it_allows_loopback_only_when_asked(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert is_blocked_address(ip, allow_loopback=False)
    assert not is_blocked_address(ip, allow_loopback=True)


@pytest.mark.parametrize("address", ["64:ff9b::7f00:1", "64:ff9b::ffff:7f00:1", "2002:7f00:1::"])
def test_it_never_allows_loopback_behind_a_translator(address: str) -> None:
    assert is_blocked_address(ipaddress.ip_address(address), allow_loopback=True)


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "1.1.1.1", PUBLIC, "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"],
)
def test_it_allows_public_addresses(address: str) -> None:
    assert not is_blocked_address(ipaddress.ip_address(address), allow_loopback=False)


# --- URLs: spellings, schemes, credentials, ambiguity -----------------------------------------

SPELLINGS = PRIVATE_SPELLINGS


@pytest.mark.parametrize("template", SPELLINGS)
def test_it_refuses_every_spelling_of_a_private_address(
    template: str, loopback: LoopbackServer, connections: list[Any]
) -> None:
    url = template.format(port=loopback.port)
    with pytest.raises(Blocked):
        check_url(url, allow_loopback=False)
    with pytest.raises(Blocked):
        fetch(url, allow_loopback=False)
    assert connections == []
    assert loopback.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/feed.xml",
        "gopher://127.0.0.1:6379/_INFO",
        "data:text/plain,hello",
        "javascript:alert(1)",
        "feed://example.com/rss",
        "feed:https://example.com/rss",
        "ws://example.com/",
        "//example.com/feed",
        "example.com/feed",
        "",
    ],
)
def test_it_refuses_schemes_other_than_http_and_https(url: str, dns: FakeDNS) -> None:
    with pytest.raises(Blocked):
        check_url(url)
    with pytest.raises(Blocked):
        fetch(url)
    assert dns.calls == []


@pytest.mark.parametrize(
    "url",
    [
        "http://user:secret@example.com/feed",
        "http://user@example.com/feed",
        "https://:@example.com/feed",
        "http://@example.com/feed",
        "http://example.com@127.0.0.1/",
    ],
)
def test_it_refuses_urls_with_credentials(url: str, dns: FakeDNS) -> None:
    with pytest.raises(Blocked, match="credentials"):
        fetch(url)
    assert dns.calls == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1\\@example.com/",
        "http://example.com\\@127.0.0.1/",
        "http://example.com\\feed",
        "http://exa mple.com/",
        "http://example.com/ feed",
        "http://ex\tample.com/",
        "http://example.com\n.evil.test/",
        "http://example.com/\x00",
        "http://example.com\x7f/",
        "http:///feed",
        "http://",
        "http://:80/",
        "http://[::1/",
        "http://[127.0.0.1]/",
        "http://[fe80::1%25eth0]/",
        "http://%6c%6fcalhost/",
        "http://example.com:99999/",
        "http://example.com:0/",
        "http://example.com:8o/",
        "http://a..b/",
        "http://.example.com/",
        "http://exa_mple.com:80:80/",
    ],
)
def test_it_refuses_ambiguous_urls(url: str, dns: FakeDNS) -> None:
    with pytest.raises(Blocked):
        check_url(url)
    assert dns.calls == []


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("HTTPS://Example.COM:443", "https://example.com/"),
        ("  http://example.com/feed#top \n", "http://example.com/feed"),
        ("http://example.com:8080/a?b=1", "http://example.com:8080/a?b=1"),
        ("http://example.com:/x", "http://example.com/x"),
        ("http://bücher.example/ä?q=é", "http://xn--bcher-kva.example/%C3%A4?q=%C3%A9"),
        ("http://[2606:4700:4700:0::1111]/", "http://[2606:4700:4700::1111]/"),
    ],
)
def test_check_url_returns_the_normalised_url(url: str, normalised: str, dns: FakeDNS) -> None:
    dns.add("example.com", [PUBLIC])
    dns.add("xn--bcher-kva.example", [PUBLIC])
    assert check_url(url, allow_loopback=False) == normalised


def test_check_url_refuses_a_name_that_resolves_to_a_private_address(dns: FakeDNS) -> None:
    dns.add("intranet.example", ["10.0.0.5"])
    with pytest.raises(Blocked, match=r"intranet\.example resolves to 10\.0\.0\.5"):
        check_url("http://intranet.example/feed", allow_loopback=True)


def test_it_checks_every_address_a_name_resolves_to(dns: FakeDNS, connections: list[Any]) -> None:
    dns.add("mixed.example", [PUBLIC, "127.0.0.1"])
    with pytest.raises(Blocked):
        check_url("http://mixed.example/", allow_loopback=False)
    with pytest.raises(Blocked):
        fetch("http://mixed.example/", allow_loopback=False)
    assert connections == []


def test_check_url_accepts_a_name_that_does_not_resolve_yet(dns: FakeDNS) -> None:
    # Fetching checks the address again; the failure then shows on the source.
    assert check_url("http://nowhere.example/feed") == "http://nowhere.example/feed"
    with pytest.raises(ConnectionFailed, match=r"could not resolve nowhere\.example"):
        fetch("http://nowhere.example/feed")


def test_it_follows_the_setting_when_loopback_is_not_specified(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    loopback.route("/feed", Reply(200, b"ok"))
    monkeypatch.setattr(settings, "FETCH_ALLOW_LOOPBACK", True)
    assert fetch(loopback.url("/feed")).body == b"ok"
    monkeypatch.setattr(settings, "FETCH_ALLOW_LOOPBACK", False)
    with pytest.raises(Blocked):
        fetch(loopback.url("/feed"))


# --- DNS answers that change between resolutions ----------------------------------------------


def test_it_connects_to_the_very_address_it_checked(
    loopback: LoopbackServer, dns: FakeDNS, connections: list[Any]
) -> None:
    loopback.route("/feed", Reply(200, b"checked"))
    dns.add("rebind.example", ["127.0.0.1"], ["169.254.169.254"])
    response = fetch(f"http://rebind.example:{loopback.port}/feed", allow_loopback=True)
    assert response.body == b"checked"
    assert dns.calls == ["rebind.example"]
    assert connections == [("127.0.0.1", loopback.port)]


def test_it_never_connects_to_an_answer_it_did_not_check(
    loopback: LoopbackServer, dns: FakeDNS, connections: list[Any]
) -> None:
    dns.add("rebind.example", [PUBLIC], ["127.0.0.1"])
    with pytest.raises(ConnectionFailed, match="refused"):
        fetch(f"http://rebind.example:{loopback.port}/feed", allow_loopback=False)
    assert dns.calls == ["rebind.example"]
    assert connections == [(PUBLIC, loopback.port)]
    assert loopback.requests == []


def test_it_checks_again_at_fetch_time_what_check_url_approved(
    loopback: LoopbackServer, dns: FakeDNS, connections: list[Any]
) -> None:
    dns.add("rebind.example", [PUBLIC], ["127.0.0.1"])
    url = check_url(f"http://rebind.example:{loopback.port}/feed", allow_loopback=False)
    with pytest.raises(Blocked, match=r"127\.0\.0\.1"):
        fetch(url, allow_loopback=False)
    assert connections == []
    assert loopback.requests == []


def test_it_checks_the_address_of_every_redirect_hop(
    loopback: LoopbackServer, dns: FakeDNS, connections: list[Any]
) -> None:
    loopback.route("/go", redirect("http://metadata.example/latest/meta-data/"))
    dns.add("metadata.example", ["169.254.169.254"])
    with pytest.raises(Blocked, match=r"169\.254\.169\.254"):
        fetch(loopback.url("/go"), allow_loopback=True)
    assert connections == [("127.0.0.1", loopback.port)]


# --- redirects --------------------------------------------------------------------------------


def test_it_follows_relative_redirects(loopback: LoopbackServer) -> None:
    loopback.route("/a/start", redirect("next"))
    loopback.route("/a/next", redirect("../b/feed.xml?page=2"))
    loopback.route("/b/feed.xml", Reply(200, b"<rss/>"))
    response = fetch(loopback.url("/a/start"), allow_loopback=True)
    assert response.url == loopback.url("/b/feed.xml?page=2")
    assert response.body == b"<rss/>"


def test_it_reports_a_permanent_redirect_when_every_hop_was_permanent(
    loopback: LoopbackServer,
) -> None:
    loopback.route("/old", redirect("/older", 301))
    loopback.route("/older", redirect(loopback.url("/new"), 308))
    loopback.route("/new", Reply(200, b"ok"))
    response = fetch(loopback.url("/old"), allow_loopback=True)
    assert response.permanent_redirect == loopback.url("/new")


@pytest.mark.parametrize("statuses", [(302,), (307,), (303,), (301, 302), (302, 301), ()])
def test_it_reports_no_permanent_redirect_when_any_hop_was_temporary(
    statuses: tuple[int, ...], loopback: LoopbackServer
) -> None:
    for hop, status in enumerate(statuses):
        loopback.route(f"/{hop}", redirect(f"/{hop + 1}", status))
    loopback.route(f"/{len(statuses)}", Reply(200, b"ok"))
    response = fetch(loopback.url("/0"), allow_loopback=True)
    assert response.url == loopback.url(f"/{len(statuses)}")
    assert response.permanent_redirect is None


@pytest.mark.parametrize(("hops", "follows"), [(5, True), (6, False)])
def test_it_follows_at_most_five_redirects(
    hops: int, follows: bool, loopback: LoopbackServer
) -> None:
    for hop in range(hops):
        loopback.route(f"/{hop}", redirect(f"/{hop + 1}", 301))
    loopback.route(f"/{hops}", Reply(200, b"ok"))
    if follows:
        assert fetch(loopback.url("/0"), allow_loopback=True).body == b"ok"
    else:
        with pytest.raises(TooManyRedirects):
            fetch(loopback.url("/0"), allow_loopback=True)
        assert loopback.hits(f"/{hops}") == []


def test_it_detects_redirect_loops(loopback: LoopbackServer) -> None:
    loopback.route("/a", redirect("/b"))
    loopback.route("/b", redirect(loopback.url("/a")))
    with pytest.raises(TooManyRedirects, match="loop"):
        fetch(loopback.url("/a"), allow_loopback=True)
    assert len(loopback.hits("/a")) == len(loopback.hits("/b")) == 1


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://0xa9.0xfe.0xa9.0xfe/",
        "http://10.0.0.1/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
        "http://user:secret@127.0.0.1:{port}/ok",
        "http://127.0.0.1\\@example.com/",
    ],
)
def test_it_refuses_redirects_to_where_it_may_not_go(
    location: str, loopback: LoopbackServer, connections: list[Any]
) -> None:
    loopback.route("/go", redirect(location.format(port=loopback.port)))
    loopback.route("/ok", Reply(200, b"ok"))
    with pytest.raises(Blocked):
        fetch(loopback.url("/go"), allow_loopback=True)
    assert connections == [("127.0.0.1", loopback.port)]
    assert loopback.hits("/ok") == []


def test_it_refuses_a_redirect_from_https_to_http() -> None:
    current = seam._parse("https://example.com/feed")
    with pytest.raises(Blocked, match="https"):
        seam._next_hop(current, "http://example.com/feed", hops=[301], seen=set())
    plain = seam._parse("http://a.example/")
    upgraded = seam._next_hop(plain, "https://b.example/", hops=[301], seen=set())
    assert upgraded.url == "https://b.example/"


def test_it_never_sends_credentials_and_identifies_itself(loopback: LoopbackServer) -> None:
    loopback.route("/a", redirect("/b"))
    loopback.route("/b", Reply(200, b"ok"))
    fetch(loopback.url("/a"), accept="application/rss+xml", allow_loopback=True)
    for request in loopback.requests:
        assert request.header("User-Agent") == settings.FETCH_USER_AGENT
        assert request.header("Accept") == "application/rss+xml"
        assert request.header("Accept-Encoding") == "gzip, deflate"
        assert request.header("Host") == f"127.0.0.1:{loopback.port}"
        assert request.header("Authorization") is None
        assert request.header("Cookie") is None


# --- one total deadline -----------------------------------------------------------------------


def test_it_gives_up_on_a_dripping_server_at_the_deadline(loopback: LoopbackServer) -> None:
    loopback.route("/drip", Reply(200, endless(b"x"), chunk_delay=0.25))
    started = time.monotonic()
    with pytest.raises(Timeout):
        within(4, lambda: fetch(loopback.url("/drip"), deadline=2, allow_loopback=True))
    assert 1.9 < time.monotonic() - started < 2.6


def test_it_gives_up_on_a_server_that_drips_its_headers() -> None:
    def drip(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        while not stop.wait(0.1):
            conn.sendall(b"z")

    with raw_server(drip) as port:
        started = time.monotonic()
        with pytest.raises(Timeout):
            within(3, lambda: fetch(f"http://127.0.0.1:{port}/", deadline=1, allow_loopback=True))
        assert time.monotonic() - started < 1.5


def test_it_gives_up_on_a_server_that_goes_silent_after_its_headers(
    loopback: LoopbackServer,
) -> None:
    release = threading.Event()

    def silence() -> Iterator[bytes]:
        yield b"<rss>"
        release.wait(10)

    loopback.route("/silent", lambda request: Reply(200, silence(), {"Content-Length": "99"}))
    started = time.monotonic()
    try:
        with pytest.raises(Timeout):
            within(3, lambda: fetch(loopback.url("/silent"), deadline=1, allow_loopback=True))
    finally:
        release.set()
    assert time.monotonic() - started < 1.5


def test_it_gives_up_on_a_server_that_never_answers() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:  # accepts, never reads or writes
        port = listener.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(Timeout):
            within(3, lambda: fetch(f"http://127.0.0.1:{port}/", deadline=0.5, allow_loopback=True))
        assert time.monotonic() - started < 1


def test_it_gives_up_on_a_dns_lookup_that_hangs(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: release.wait(10) and [])
    started = time.monotonic()
    try:
        with pytest.raises(Timeout, match="DNS"):
            within(3, lambda: fetch("http://slow-dns.example/", deadline=0.5))
    finally:
        release.set()
    assert time.monotonic() - started < 1


def test_the_deadline_covers_all_redirect_hops_together(loopback: LoopbackServer) -> None:
    def slow_redirect(request: Request) -> Reply:
        time.sleep(0.3)
        return redirect(f"/{int(request.path[1:]) + 1}")

    for hop in range(5):
        loopback.route(f"/{hop}", slow_redirect)
    with pytest.raises(Timeout):
        within(3, lambda: fetch(loopback.url("/0"), deadline=1, allow_loopback=True))
    assert loopback.hits("/4") == []


# --- size cap on decoded bytes ----------------------------------------------------------------


@pytest.mark.parametrize(("encoding", "wbits"), [("gzip", 31), ("deflate", 15)])
def test_it_defuses_a_compression_bomb(encoding: str, wbits: int, loopback: LoopbackServer) -> None:
    loopback.route("/bomb", Reply(200, gzip_bomb(wbits=wbits), {"Content-Encoding": encoding}))
    started = time.monotonic()
    with pytest.raises(TooLarge):
        fetch(loopback.url("/bomb"), max_bytes=MB, allow_loopback=True)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    ("encoding", "wbits"), [("gzip", 31), ("x-gzip", 31), ("deflate", 15), ("deflate", -15)]
)
def test_it_decodes_gzip_and_deflate(encoding: str, wbits: int, loopback: LoopbackServer) -> None:
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = packer.compress(b"<rss>" * 1000) + packer.flush()
    loopback.route("/feed", Reply(200, body, {"Content-Encoding": encoding}))
    response = fetch(loopback.url("/feed"), allow_loopback=True)
    assert response.body == b"<rss>" * 1000


@pytest.mark.parametrize("encoding", ["br", "compress", "gzip, gzip", "zstd"])
def test_it_refuses_unknown_content_encodings(encoding: str, loopback: LoopbackServer) -> None:
    loopback.route("/feed", Reply(200, b"\x00" * 100, {"Content-Encoding": encoding}))
    with pytest.raises(ParseError, match="Content-Encoding"):
        fetch(loopback.url("/feed"), allow_loopback=True)


@pytest.mark.parametrize(
    "body", [b"not gzip at all", zlib.compress(bytes(range(256)) * 64, wbits=31)[:-20]]
)
def test_it_refuses_corrupt_or_truncated_gzip(body: bytes, loopback: LoopbackServer) -> None:
    loopback.route("/feed", Reply(200, body, {"Content-Encoding": "gzip"}))
    with pytest.raises(ParseError):
        fetch(loopback.url("/feed"), allow_loopback=True)


def test_it_caps_a_plain_body(loopback: LoopbackServer) -> None:
    loopback.route("/exact", Reply(200, b"x" * MB))
    loopback.route("/over", Reply(200, b"x" * (MB + 1)))
    assert len(fetch(loopback.url("/exact"), max_bytes=MB, allow_loopback=True).body) == MB
    with pytest.raises(TooLarge):
        fetch(loopback.url("/over"), max_bytes=MB, allow_loopback=True)


def test_it_refuses_an_announced_length_over_the_cap_without_reading_it(
    loopback: LoopbackServer,
) -> None:
    loopback.route("/huge", Reply(200, [b"x"], {"Content-Length": str(10**12)}))
    with pytest.raises(TooLarge, match="announced"):
        fetch(loopback.url("/huge"), max_bytes=MB, allow_loopback=True)


def test_it_notices_a_body_shorter_than_its_content_length(loopback: LoopbackServer) -> None:
    loopback.route("/short", Reply(200, [b"only this"], {"Content-Length": "1000"}))
    with pytest.raises(ConnectionFailed, match="before the whole body"):
        fetch(loopback.url("/short"), allow_loopback=True)


def test_it_reads_no_more_than_the_content_length(loopback: LoopbackServer) -> None:
    loopback.route("/long", Reply(200, b"0123456789" * 1000, {"Content-Length": "10"}))
    assert fetch(loopback.url("/long"), allow_loopback=True).body == b"0123456789"


def test_it_reads_a_chunked_body(loopback: LoopbackServer) -> None:
    reply = Reply(200, chunked(b"hello", b" world"), {"Transfer-Encoding": "chunked"})
    loopback.route("/chunked", reply)
    assert fetch(loopback.url("/chunked"), allow_loopback=True).body == b"hello world"


def test_it_caps_an_endless_chunked_body(loopback: LoopbackServer) -> None:
    frame = chunked(b"x" * 65536)[0]
    loopback.route("/endless", Reply(200, endless(frame), {"Transfer-Encoding": "chunked"}))
    with pytest.raises(TooLarge):
        fetch(loopback.url("/endless"), max_bytes=MB, allow_loopback=True)


def test_it_caps_a_body_without_any_length(loopback: LoopbackServer) -> None:
    loopback.route("/endless", Reply(200, endless(b"x" * 65536)))
    with pytest.raises(TooLarge):
        fetch(loopback.url("/endless"), max_bytes=MB, allow_loopback=True)


# --- conditional GET, statuses, failures ------------------------------------------------------


def test_it_makes_a_conditional_get_and_reports_304(loopback: LoopbackServer) -> None:
    loopback.route("/feed", conditional(b"<rss/>", etag='"v1"', content_type="application/xml"))
    since = "Wed, 21 Oct 2026 07:28:00 GMT"
    response = fetch(loopback.url("/feed"), etag='"v1"', last_modified=since, allow_loopback=True)
    assert (response.status, response.body) == (304, b"")
    assert response.headers["etag"] == '"v1"'
    [request] = loopback.hits("/feed")
    assert request.header("If-None-Match") == '"v1"'
    assert request.header("If-Modified-Since") == since


def test_it_makes_a_plain_get_without_validators(loopback: LoopbackServer) -> None:
    loopback.route("/feed", conditional(b"<rss/>", etag='"v1"', content_type="application/xml"))
    response = fetch(loopback.url("/feed"), etag='"v0\r\nX-Injected: 1"', allow_loopback=True)
    assert (response.status, response.body) == (200, b"<rss/>")
    assert response.headers["content-type"] == "application/xml"
    [request] = loopback.hits("/feed")
    assert request.header("If-None-Match") is None
    assert request.header("If-Modified-Since") is None
    assert request.header("X-Injected") is None


@pytest.mark.parametrize("status", [404, 410, 500, 502, 204, 206])
def test_it_raises_http_errors(status: int, loopback: LoopbackServer) -> None:
    loopback.route("/feed", Reply(status, b"nope"))
    with pytest.raises(HTTPError) as raised:
        fetch(loopback.url("/feed"), allow_loopback=True)
    assert (raised.value.status, raised.value.retry_after) == (status, None)


def test_it_passes_on_retry_after_in_seconds(loopback: LoopbackServer) -> None:
    loopback.route("/feed", Reply(429, b"slow down", {"Retry-After": "120"}))
    with pytest.raises(HTTPError) as raised:
        fetch(loopback.url("/feed"), allow_loopback=True)
    assert (raised.value.status, raised.value.retry_after) == (429, 120.0)


def test_it_passes_on_retry_after_as_a_date(loopback: LoopbackServer) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=60), usegmt=True)
    loopback.route("/feed", Reply(503, b"busy", {"Retry-After": later}))
    with pytest.raises(HTTPError) as raised:
        fetch(loopback.url("/feed"), allow_loopback=True)
    assert raised.value.status == 503
    assert raised.value.retry_after is not None and 55 <= raised.value.retry_after <= 60


NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        ("0", 0.0),
        ("Sun, 01 Mar 2026 12:10:00 GMT", 600.0),
        ("Sunday, 01-Mar-26 12:00:30 GMT", 30.0),
        ("Sun, 01 Mar 2026 11:00:00 GMT", 0.0),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
        ("٣", None),
    ],
)
def test_it_parses_retry_after(value: str, seconds: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


def test_it_reports_a_refused_connection() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    with pytest.raises(ConnectionFailed, match="refused the connection"):
        fetch(f"http://127.0.0.1:{port}/", allow_loopback=True)


def test_it_reports_a_name_that_does_not_resolve(dns: FakeDNS) -> None:
    with pytest.raises(ConnectionFailed, match=r"could not resolve nowhere\.example"):
        fetch("http://nowhere.example/feed")


def test_it_reports_a_malformed_response() -> None:
    def garbage(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HELLO THERE\r\n\r\n")

    with raw_server(garbage) as port, pytest.raises(ConnectionFailed, match="malformed"):
        fetch(f"http://127.0.0.1:{port}/", allow_loopback=True)


def test_it_takes_its_limits_from_settings_by_default(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "FETCH_MAX_BYTES", 1024)
    monkeypatch.setattr(settings, "FETCH_DEADLINE_SECONDS", 0.3)
    loopback.route("/big", Reply(200, b"x" * 1025))
    with pytest.raises(TooLarge):
        fetch(loopback.url("/big"), allow_loopback=True)
    with socket.create_server(("127.0.0.1", 0)) as listener, pytest.raises(Timeout):
        fetch(f"http://127.0.0.1:{listener.getsockname()[1]}/", allow_loopback=True)


def test_every_failure_is_a_fetch_error() -> None:
    for error in (Blocked, TooLarge, Timeout, ConnectionFailed, TooManyRedirects, ParseError):
        assert issubclass(error, FetchError)


# --- TLS --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout", folder / "key.pem", "-out", folder / "cert.pem",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return folder


@pytest.fixture(scope="module")
def shared_tls_server(certificate: Path) -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate / "cert.pem", certificate / "key.pem")
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def tls_loopback(shared_tls_server: LoopbackServer) -> LoopbackServer:
    shared_tls_server.routes.clear()
    return shared_tls_server


@pytest.fixture
def trust_test_certificate(certificate: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    context = ssl.create_default_context(cafile=str(certificate / "cert.pem"))
    monkeypatch.setattr(seam, "_tls_context", lambda: context)


@pytest.mark.usefixtures("trust_test_certificate")
def test_it_fetches_over_verified_tls(tls_loopback: LoopbackServer) -> None:
    tls_loopback.route("/feed", Reply(200, b"secure"))
    url = f"https://127.0.0.1:{tls_loopback.port}/feed"
    assert fetch(url, allow_loopback=True).body == b"secure"


def test_it_refuses_a_certificate_it_cannot_verify(tls_loopback: LoopbackServer) -> None:
    with pytest.raises(ConnectionFailed, match="certificate"):
        fetch(f"https://127.0.0.1:{tls_loopback.port}/feed", allow_loopback=True)


@pytest.mark.usefixtures("trust_test_certificate")
def test_it_refuses_to_follow_https_to_http(
    tls_loopback: LoopbackServer, loopback: LoopbackServer
) -> None:
    loopback.route("/feed", Reply(200, b"downgraded"))
    tls_loopback.route("/feed", redirect(loopback.url("/feed"), 301))
    with pytest.raises(Blocked, match="https"):
        fetch(f"https://127.0.0.1:{tls_loopback.port}/feed", allow_loopback=True)
    assert loopback.requests == []


# --- SECURITY.md 1, 2 and 4, case by case -----------------------------------------------------


@pytest.mark.parametrize("location", METADATA_SPELLINGS + OTHER_SCHEMES)
def test_it_refuses_a_redirect_to_any_spelling_of_a_private_address_or_another_scheme(
    location: str, loopback: LoopbackServer, connections: list[Any]
) -> None:
    # Loopback is allowed so that the first hop is reached: the target is refused all the same.
    loopback.route("/go", redirect(location, 301))
    with pytest.raises(Blocked):
        fetch(loopback.url("/go"), allow_loopback=True)
    assert connections == [("127.0.0.1", loopback.port)]
    assert [request.path for request in loopback.requests] == ["/go"]


def test_a_compression_bomb_never_costs_much_more_memory_than_the_cap(
    loopback: LoopbackServer,
) -> None:
    # Each 64 KB read of a bomb would inflate to 64 MB if decompressed without a budget.
    loopback.route("/bomb", Reply(200, gzip_bomb(), {"Content-Encoding": "gzip"}))
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge):
            fetch(loopback.url("/bomb"), max_bytes=MB, allow_loopback=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MB


def test_it_caps_a_gzip_body_whose_content_length_lies(loopback: LoopbackServer) -> None:
    # The length announced is the compressed one, and small: the decoded bytes are what count.
    body = zlib.compress(b"<rss>" * MB, wbits=31)
    headers = {"Content-Encoding": "gzip", "Content-Length": str(len(body))}
    loopback.route("/feed", Reply(200, body, headers))
    with pytest.raises(TooLarge):
        fetch(loopback.url("/feed"), max_bytes=MB, allow_loopback=True)


# --- every outbound request goes through this module ------------------------------------------

APPS = Path(__file__).resolve().parents[2] / "apps"
# Modules that can open a connection or fetch a URL by themselves.
NETWORK_MODULES = (
    "socket", "ssl", "http.client", "urllib.request", "urllib3", "requests", "httpx", "aiohttp",
    "ftplib", "telnetlib", "xmlrpc", "pycurl", "trafilatura.downloads", "trafilatura.spider",
    "trafilatura.sitemaps", "trafilatura.feeds", "courlan.network",
)  # fmt: skip
# trafilatura's fetch_url retries without certificate checks and has no address guard.
NETWORK_NAMES = frozenset({"fetch_url", "fetch_response", "urlopen", "create_connection"})


def _python_files() -> list[Path]:
    return sorted(path for path in APPS.rglob("*.py") if "migrations" not in path.parts)


def _imports(tree: ast.AST) -> Iterator[tuple[str, str]]:
    """(module, name) for every import in a module; name is "" for a plain `import x`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((alias.name, "") for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield from ((node.module, alias.name) for alias in node.names)


def test_only_the_seam_imports_anything_that_opens_connections() -> None:
    seam_path = Path(seam.__file__).resolve()
    offenders = []
    for path in _python_files():
        for module, name in _imports(ast.parse(path.read_text(), filename=str(path))):
            dotted = f"{module}.{name}" if name else module
            reaches_out = any(
                dotted == bad or dotted.startswith(f"{bad}.") for bad in NETWORK_MODULES
            )
            if (reaches_out and path != seam_path) or name in NETWORK_NAMES:
                offenders.append(f"{path.relative_to(APPS.parent)}: {dotted}")
    assert offenders == []
    assert len(_python_files()) > 50  # the walk really saw the apps


def test_feedparser_is_only_ever_handed_a_bytes_stream() -> None:
    # Given a str or bytes, feedparser opens a local path or fetches a URL by itself.
    calls, imported_names = [], []
    for path in _python_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        imported_names += [
            name for module, name in _imports(tree) if module == "feedparser" and name
        ]
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and ast.unparse(node.func).startswith("feedparser."):
                calls.append((path.name, ast.unparse(node.func), ast.unparse(node.args[0])))
    assert imported_names == []
    assert [(name, func) for name, func, _ in calls] == [("feeds.py", "feedparser.parse")]
    assert all(argument.startswith("io.BytesIO(") for _, _, argument in calls)


def test_response_headers_come_back_without_control_characters() -> None:
    # http.client passes NUL and escapes through; callers store ETag and Last-Modified.
    def dirty_headers(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(
            b'HTTP/1.1 200 OK\r\nETag: "v\x00\x1b1"\r\nX-Tab: a\tb\r\n'
            b"Last-Modified: Mon\x7f, 02 Mar 2026 09:00:00 GMT\r\nContent-Length: 2\r\n\r\nok"
        )

    with raw_server(dirty_headers) as port:
        response = fetch(f"http://127.0.0.1:{port}/", allow_loopback=True)
    assert response.headers["etag"] == '"v1"' and response.headers["x-tab"] == "a\tb"
    assert response.headers["last-modified"] == "Mon, 02 Mar 2026 09:00:00 GMT"
