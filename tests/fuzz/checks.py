"""The properties every fuzz target must keep, as plain assertions.

- `storable`: text PostgreSQL accepts and readers can trust: no NUL, valid UTF-8 (no lone
  surrogates), no C0 or C1 control characters but tab and newline.
- `safe_html`: a sanitizer fixed point made of the allowed tags and attributes only, with
  http, https and mailto links only.
- `web_url`: "" or an absolute http(s) URL with a host.
- `no_hang`: a watchdog that ends the whole run with every thread's stack if one example
  hangs (a regex stuck in C code cannot be interrupted any other way), and a time limit that
  fails the example if it merely runs too long.
"""

import dataclasses
import faulthandler
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

from apps.common.html import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, sanitize_html

# What the watchdog waits before it declares a hang and ends the run.
HANG_SECONDS = 60.0
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINK_ATTRIBUTES = frozenset({"href", "src"})
# nh3 (ammonia) keeps these on every tag; both are plain text to a browser.
_GENERIC_ATTRIBUTES = frozenset({"title", "lang"})


def storable(value: str) -> None:
    assert "\x00" not in value, f"NUL in {value[:80]!r}"
    value.encode("utf-8")  # raises UnicodeEncodeError on a lone surrogate
    assert not _CONTROL.search(value), f"control character in {value[:80]!r}"


def storable_fields(record: object) -> None:
    """Every str field of a dataclass (FeedEntry, Extracted, OpmlFeed…) is storable."""
    for field in dataclasses.fields(record):  # type: ignore[arg-type]
        value = getattr(record, field.name)
        if isinstance(value, str):
            storable(value)


def web_url(url: str) -> None:
    storable(url)
    assert not re.search(r"[\x00-\x1f\x7f\s]", url), f"white space or control in {url!r}"
    if url:
        parts = urlsplit(url)
        assert parts.scheme in ("http", "https") and parts.hostname, url


def safe_html(html: str) -> None:
    storable(html)
    assert sanitize_html(html) == html, f"not a sanitizer fixed point: {html[:200]!r}"
    for tag, attributes in _elements(html):
        assert tag in ALLOWED_TAGS, f"<{tag}> in {html[:200]!r}"
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | _GENERIC_ATTRIBUTES
        allowed |= {"rel"} if tag == "a" else set()
        for name, value in attributes:
            assert name in allowed, f"{name}= on <{tag}> in {html[:200]!r}"
            if name in _LINK_ATTRIBUTES:
                _link(value or "")


def _link(value: str) -> None:
    # Browsers ignore tabs and newlines inside a URL and spaces around it: judge what they see.
    seen = re.sub("[\t\n\r]", "", value).strip(" \x00-\x1f")
    scheme = urlsplit(seen).scheme.lower()
    assert scheme in URL_SCHEMES, f"link {value!r} is not http, https or mailto"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def _elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.found


def sane_moment(moment: datetime | None, *, earliest: datetime) -> None:
    """An aware time between `earliest` and tomorrow: what a feed or page date may be."""
    if moment is None:
        return
    assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0), moment
    assert earliest <= moment <= datetime.now(UTC) + timedelta(days=1), moment


def sane_day(day: date, *, around: date, years: int) -> None:
    assert abs(day.year - around.year) <= years, (day, around)


@contextmanager
def no_hang(limit: float) -> Iterator[None]:
    """Fail if the block takes longer than `limit` seconds; end the run if it never returns."""
    faulthandler.dump_traceback_later(max(HANG_SECONDS, limit * 4), exit=True, file=sys.__stderr__)
    started = time.perf_counter()
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
    elapsed = time.perf_counter() - started
    assert elapsed < limit, f"took {elapsed:.2f}s; the limit is {limit}s"
