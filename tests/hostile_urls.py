"""URLs that must never be fetched, in every spelling SECURITY.md item 1 names.

Shared by the tests of each way a URL enters LabIntel (a feed URL, an article link, an OPML
entry, a redirect target), so that each of them is tried with the same list.
"""

import ipaddress
import socket
from typing import Any

import pytest

import apps.common.http as seam

# Loopback and private targets; `{port}` is a live loopback server's port, so a guard that
# lets one through is caught by a request arriving there. Run these with loopback disallowed.
PRIVATE_SPELLINGS = [
    "http://127.0.0.1:{port}/",
    "http://2130706433:{port}/",  # decimal
    "http://0177.0.0.1:{port}/",  # octal
    "http://0x7f.1:{port}/",  # hex, short
    "http://0x7f000001:{port}/",  # hex
    "http://127.1:{port}/",  # short
    "http://[::1]:{port}/",
    "http://[::ffff:127.0.0.1]:{port}/",  # IPv4-mapped
    "http://[::ffff:7f00:1]:{port}/",  # IPv4-mapped, hex
    "http://[64:ff9b::7f00:1]:{port}/",  # NAT64
    "http://[2002:7f00:1::]:{port}/",  # 6to4
    "http://localhost:{port}/",
    "http://LocalHost:{port}/",
    "http://１２７.０.０.１:{port}/",  # noqa: RUF001 - full-width digits, IDNA folds them
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/",
    "http://0.0.0.0:{port}/",
    "http://0:{port}/",
    "http://10.0.0.1/",
    "http://192.168.0.1/",
    "http://100.64.0.1/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
]

# The cloud metadata address in every spelling, plus private ranges: for redirect targets,
# which are tested from a loopback server that must itself stay reachable (so loopback is
# allowed there, and these must be refused all the same).
METADATA_SPELLINGS = [
    "http://169.254.169.254/latest/meta-data/",
    "http://2852039166/latest/meta-data/",  # decimal
    "http://0251.0376.0251.0376/latest/meta-data/",  # octal
    "http://0xa9.0xfe.0xa9.0xfe/latest/meta-data/",  # hex
    "http://0xa9fea9fe/latest/meta-data/",  # hex, one number
    "http://169.16689662/latest/meta-data/",  # short
    "http://[::ffff:169.254.169.254]/latest/meta-data/",  # IPv4-mapped
    "http://[::ffff:a9fe:a9fe]/latest/meta-data/",  # IPv4-mapped, hex
    "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",  # NAT64
    "http://[2002:a9fe:a9fe::]/latest/meta-data/",  # 6to4
    "http://[64:ff9b::7f00:1]/",  # NAT64 of loopback: never ours, even with loopback allowed
    "http://[2002:7f00:1::]/",  # 6to4 of loopback
    "http://012.0.0.1/",  # octal 10.0.0.1
    "http://167772161/",  # decimal 10.0.0.1
    "http://0xc0a80001/",  # hex 192.168.0.1
    "http://100.64.0.1/",
    "http://[fd00::1]/",
]

OTHER_SCHEMES = [
    "file:///etc/passwd",
    "ftp://example.com/feed.xml",
    "gopher://127.0.0.1:6379/_INFO",
    "data:text/xml,<rss/>",
    "javascript:alert(1)",
    "feed://example.com/rss",
    "feed:https://example.com/rss",
]


def watch_connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Record every address the seam connects to, and refuse (never dial) any but loopback:
    a guard that broke fails its test without a packet leaving this machine."""
    seen: list[tuple[Any, ...]] = []
    real_connect = seam._connect

    def connect(family: int, sockaddr: tuple[Any, ...], timeout: float) -> socket.socket:
        seen.append(sockaddr[:2])
        if not ipaddress.ip_address(sockaddr[0]).is_loopback:
            raise ConnectionRefusedError(111, "Connection refused (test)")
        return real_connect(family, sockaddr, timeout)

    monkeypatch.setattr(seam, "_connect", connect)
    return seen
