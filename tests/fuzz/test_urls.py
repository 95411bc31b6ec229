"""URL checks and normalising: the network guard (apps/common/http.py) and the URL helpers of
apps/sources/parsers/urls.py."""

import ipaddress
import socket
from datetime import UTC, datetime
from urllib.parse import urlsplit

from hypothesis import example, given, settings
from hypothesis import strategies as st

from apps.common import http
from apps.common.errors import Blocked
from apps.sources.parsers.urls import canonicalize_url, resolve_url
from tests.fuzz import checks
from tests.fuzz.profiles import examples
from tests.fuzz.strategies.text import HOSTS, awkward_text, hrefs, urls

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# Hosts that never reach a name server: address literals in every spelling, malformed names,
# and localhost (answered from /etc/hosts), so check_url runs without the network.
OFFLINE_HOSTS = tuple(h for h in HOSTS if not any(c.isalpha() for c in h.strip("[]x")))
OFFLINE_HOSTS += ("localhost", "[::ffff:127.0.0.1]", "a..b", "-a.example", "")


@settings(max_examples=examples(100))
@given(hrefs(), st.one_of(st.just(""), urls()))
@example("http://example.com/\x85?utm_source=x", "")  # kept a C1 control
@example("?", "http://example.com/a b")  # the base's space and control characters were kept
@example("x", "http://\x01example.com/")
def test_it_resolves_links_to_web_urls_or_nothing(href: str, base: str) -> None:
    checks.web_url(resolve_url(href, base=base))


@settings(max_examples=examples(100))
@given(urls())
@example("http://a.example/\u202e\ud800")  # kept a bidi override and a lone surrogate
def test_it_canonicalizes_to_one_stable_spelling(url: str) -> None:
    canonical = canonicalize_url(url)
    checks.web_url(canonical)
    assert canonicalize_url(canonical) == canonical
    assert "#" not in canonical and "utm_" not in canonical.lower().split("?", 1)[-1][:4]


@settings(max_examples=examples(150))
@given(urls(hosts=OFFLINE_HOSTS))
def test_it_refuses_unsafe_urls_with_a_typed_error_only(url: str) -> None:
    try:
        checked = http.check_url(url, allow_loopback=False)
    except Blocked:
        return
    assert checked.startswith(("http://", "https://")) and checked.isascii(), checked
    assert not any(c <= " " or c in "\\\x7f" for c in checked), checked
    assert http.check_url(checked, allow_loopback=False) == checked
    literal = _literal(urlsplit(checked).hostname or "")
    assert literal is None or not http.is_blocked_address(literal, allow_loopback=False)


@settings(max_examples=examples(150))
@given(st.ip_addresses(), st.booleans())
@example(ipaddress.IPv6Address("::ffff:7f00:0"), True)  # mapped loopback, allowed with loopback
def test_it_judges_any_address(ip: IPAddress, loop: bool) -> None:
    blocked = http.is_blocked_address(ip, allow_loopback=loop)
    mapped = ipaddress.IPv6Address(f"::ffff:{ip}") if ip.version == 4 else None
    if mapped is not None:
        assert http.is_blocked_address(mapped, allow_loopback=loop) == blocked
    # A loopback address, also written as IPv4-mapped IPv6, passes only where loopback may.
    embedded = ip.ipv4_mapped if ip.version == 6 else None
    loopback = ip.is_loopback or (embedded is not None and embedded.is_loopback)
    if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast:
        assert blocked or (loop and loopback)
    assert blocked or not loopback or loop


@settings(max_examples=examples(100))
@given(st.one_of(awkward_text(6), st.integers().map(str), st.datetimes().map(str)))
def test_it_reads_any_retry_after_as_a_wait_or_nothing(value: str) -> None:
    wait = http.parse_retry_after(value, now=datetime(2026, 2, 12, tzinfo=UTC))
    assert wait is None or wait >= 0


def _literal(host: str) -> IPAddress | None:
    """The address a host names by itself, read as the C library reads it (0x7f.1, 127.1)."""
    try:
        return (
            ipaddress.IPv6Address(host)
            if ":" in host
            else ipaddress.IPv4Address(socket.inet_aton(host))
        )
    except (OSError, ValueError):
        return None
