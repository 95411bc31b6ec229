"""RSS, Atom and JSON Feed bodies into clean, bounded entries. No database, no network.

feedparser only ever sees `io.BytesIO(body)` (given a str or bytes it may open a local file),
with its own sanitizer and URI resolution off (slow, and not safe: nh3 does that job here).
Every HTML field goes through `sanitize_html`, every other string through `clean_text`, every
URL through `resolve_url`, and every length is capped to the model field it feeds.

Four guards run on the raw body before feedparser, which cannot be told to skip the work or
the failure they prevent:
- a body that declares XML entities (`<!ENTITY`) is refused: feedparser keeps "safe" entity
  declarations and expands them, so a 10 KB entity used a thousand times becomes 10 MB;
- the text of author-like elements that is absurdly long, or holds one absurdly long
  word, is emptied: feedparser's author-email regex is quadratic in the length of a word
  (a 16 KB author costs a second);
- character references to code points that do not exist become U+FFFD: feedparser's fallback
  parser raises on them;
- an encoding name that is no codec's name (in the XML declaration or the Content-Type) is
  replaced: feedparser raises on a NUL or a non-UTF-8 byte in it.
"""

import hashlib
import io
import json
import re
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from typing import Any, Literal

import feedparser

from apps.common.errors import NotAFeed, ParseError
from apps.common.html import clean_text, html_to_text, sanitize_html
from apps.sources.parsers.urls import resolve_url

# Article and Source field lengths (apps/sources/models.py).
GUID_MAX, URL_MAX, TITLE_MAX, AUTHOR_MAX, FEED_TITLE_MAX = 500, 2000, 1000, 300, 300
# No byline is longer, and feedparser's author regex costs the square of a word's length.
AUTHOR_ELEMENT_MAX_BYTES = 1000
AUTHOR_WORD_MAX = 64
# Dates before this are placeholders (epoch, 1970) or typos; later than tomorrow are wrong clocks.
EARLIEST_DATE = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)
# Keys we derive when a feed gives no id. Real ids with this prefix are hashed into "…id:" keys,
# so a derived key can never equal a feed's own id.
GUID_PREFIX = "labintel:"
SY_PERIODS = {"hourly": 3600, "daily": 86400, "weekly": 604800, "monthly": 2592000}
SY_PERIODS["yearly"] = 31536000

FeedKind = Literal["rss", "atom", "json"]


@dataclass(frozen=True)
class FeedEntry:
    guid: str
    url: str
    title: str
    author: str
    summary_html: str
    content_html: str
    published_at: datetime | None
    updated_at: datetime | None


@dataclass(frozen=True)
class ParsedFeed:
    kind: FeedKind
    title: str
    site_url: str
    ttl_seconds: int | None
    entries: list[FeedEntry]


def parse_feed(body: bytes, *, url: str, headers: Mapping[str, str]) -> ParsedFeed:
    """Parse a fetched feed body. Raises NotAFeed or ParseError with a message for curators."""
    content_type = _header(headers, "content-type")
    if not body.strip():
        raise NotAFeed("The response was empty: there is no feed at this URL.")
    if _looks_like_json(body):
        return _parse_json_feed(body, url=url)
    _refuse_non_feeds(body, content_type)
    body, content_type = _utf8_if_wide(body, content_type)
    if re.search(rb"<!ENTITY", body, re.IGNORECASE):
        raise ParseError("The feed declares XML entities (<!ENTITY>), which we refuse.")
    data = _feedparser(
        _empty_long_authors(_real_charrefs(_plain_declared_encoding(body))), content_type
    )
    if not data.get("version") and not data.entries:
        raise NotAFeed(_not_a_feed_message(data, body))
    return _build_feed(data, url=url)


def _feedparser(body: bytes, content_type: str) -> Any:
    try:
        return feedparser.parse(
            io.BytesIO(body),
            response_headers={"content-type": _plain_charset(content_type)} if content_type else {},
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except (LookupError, AttributeError, TypeError, ValueError) as error:
        # Its fallback parser trips over its own state on some tag soup (KeyError 'tags' at a
        # stray </category>): a feed it cannot read is refused, like one that is not XML. Not
        # `Exception`: a worker's time limit arrives as an exception raised in here too, and
        # must reach the task, which records it as a timeout.
        message = clean_text(f"{type(error).__name__}: {error}", max_length=200, single_line=True)
        raise ParseError(f"The feed could not be read ({message}).") from error


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return ""


# --- telling feeds from everything else -----------------------------------------------------

_BINARY_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b")


def _looks_like_json(body: bytes) -> bool:
    # By the body, not the Content-Type: servers label feeds with whatever they like.
    return body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _refuse_non_feeds(body: bytes, content_type: str) -> None:
    media_type = content_type.split(";")[0].strip().lower()
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if media_type.startswith(("image/", "audio/", "video/")) or head.startswith(_BINARY_MAGIC):
        raise NotAFeed(
            f"The URL returned a binary file ({media_type or 'unknown type'}), not a feed."
        )
    if head.lower().startswith((b"<!doctype html", b"<html")):
        raise NotAFeed("The URL returned an HTML page (a login page or a website?), not a feed.")


def _not_a_feed_message(data: Any, body: bytes) -> str:
    if b"<html" in body[:4096].lower():
        return "The URL returned an HTML page (a login page or a website?), not a feed."
    problem = data.get("bozo_exception")
    detail = f" ({clean_text(str(problem), max_length=200, single_line=True)})" if problem else ""
    return f"The response is not RSS, Atom or JSON Feed{detail}."


_WIDE_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)


def _utf8_if_wide(body: bytes, content_type: str) -> tuple[bytes, str]:
    """UTF-16/32 bodies as UTF-8, so the byte-level guards below see the markup."""
    for mark, codec in _WIDE_BOMS:
        if body.startswith(mark):
            text = body.decode(codec, errors="replace").lstrip("\ufeff")
            text = re.sub(r"^(<\?xml[^>]*?encoding=)[\"'][^\"']*[\"']", r'\1"utf-8"', text)
            return text.encode("utf-8"), "application/xml; charset=utf-8"
    return body, content_type


# feedparser decodes and looks up the encoding a feed names (in its XML declaration or the
# Content-Type) unguarded: a name that is not a plain codec name (a NUL, a byte that is not
# UTF-8) raises. Such a name says nothing anyway; the body is read as UTF-8 instead.
_CODEC_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,39}")
_DECLARED_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?[^\n]*?encoding=["']([^\n]*?)["']""")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]*)""", re.IGNORECASE)


def _plain_declared_encoding(body: bytes) -> bytes:
    declared = _DECLARED_ENCODING.match(body)
    if declared is None or _CODEC_NAME.fullmatch(declared.group(1).decode("latin-1")):
        return body
    return body[: declared.start(1)] + b"utf-8" + body[declared.end(1) :]


def _plain_charset(content_type: str) -> str:
    charset = _CHARSET.search(content_type)
    if charset is None or _CODEC_NAME.fullmatch(charset.group(1)):
        return content_type
    return content_type.split(";")[0].strip()


# Author-like elements in RSS, Atom, Dublin Core and iTunes, with any namespace prefix, looked
# for outside comments and CDATA sections (skipped whole). `[^<>]*` (never crossing a "<") and
# the lazy skips keep the scan linear on hostile input.
_AUTHOR_OR_SKIPPED = re.compile(
    rb"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    rb"|<((?:[A-Za-z_][\w.-]*:)?(?:author|creator|contributor|publisher|managingeditor"
    rb"|webmaster|owner|name|email))(?:\s[^<>]*)?>",
    re.IGNORECASE | re.DOTALL,
)
# What an element holds: comments, CDATA sections (their text is the element's), tags, text.
_TOKEN = re.compile(
    rb"<!--.*?(?:-->|\Z)|<!\[CDATA\[(?P<cdata>.*?)(?:\]\]>|\Z)"
    rb"|<(?P<close>/?)(?P<tag>[^\s<>/]*)[^<>]*>?|(?P<text>[^<]+)",
    re.DOTALL,
)
# A "word" as feedparser's email regex sees it; any entity may decode to such a character.
_LONG_WORD = re.compile(rb"(?:[\w.+-]|&#?\w{1,10};){%d}" % AUTHOR_WORD_MAX)


def _empty_long_authors(body: bytes) -> bytes:
    """Empty the text of author-like elements that would make feedparser's regex crawl.

    feedparser runs the regex over all of an element's own text joined, before and after its
    children, comments and CDATA sections: so each element is judged whole, up to its end tag.
    """
    parts, kept_to, position = [], 0, 0
    while match := _AUTHOR_OR_SKIPPED.search(body, position):
        position = match.end()
        if match.group(1) is None or match.group().endswith(b"/>"):
            continue  # a comment, a CDATA section or an empty element
        spans, crawls, position = _element_text(body, match.end(), match.group(1).lower())
        if crawls:
            for start, end in spans:
                parts.append(body[kept_to:start])
                kept_to = end
    if not parts:
        return body
    parts.append(body[kept_to:])
    return b"".join(parts)


_Spans = list[tuple[int, int]]


def _element_text(body: bytes, start: int, name: bytes) -> tuple[_Spans, bool, int]:
    """The spans of an element's text (its children's included), whether its own text or a
    child's would make the regex crawl, and where it ends: at its end tag, at the end tag of an
    element it is inside, or at the end of the body."""
    simple = _simple_element(body, start, name)  # most are: text, then the end tag
    if simple is not None:
        return [(start, simple)], _crawls(body, [(start, simple)]), simple
    spans: _Spans = []
    open_tags: list[tuple[bytes, _Spans]] = [(name, [])]  # with the spans of their own text
    counts = Counter([name])  # a linear "is it open?" on tag soup
    crawls, end = False, len(body)
    for token in _TOKEN.finditer(body, start):
        tag = token["tag"].lower() if token["tag"] is not None else None
        if token["text"] is not None or token["cdata"] is not None:
            span = token.span("text" if token["text"] is not None else "cdata")
            spans.append(span)
            open_tags[-1][1].append(span)
        elif tag is None or tag.startswith((b"!", b"?")) or token.group().endswith(b"/>"):
            continue  # a comment, a declaration or an empty element
        elif not token["close"]:
            open_tags.append((tag, []))
            counts[tag] += 1
        elif not counts[tag]:
            end = token.start()  # the end of an element this one is inside
            break
        else:
            while True:
                closed, own = open_tags.pop()
                counts[closed] -= 1
                crawls = crawls or _crawls(body, own)
                if closed == tag:
                    break
            if not open_tags:
                end = token.end()
                break
    return spans, crawls or any(_crawls(body, own) for _, own in open_tags), end


def _simple_element(body: bytes, start: int, name: bytes) -> int | None:
    """Where the text ends if the element holds only text and its end tag follows it."""
    end = body.find(b"<", start)
    closing = body[end + 2 : end + 2 + len(name) + 1].lower()
    if end == -1 or body[end + 1 : end + 2] != b"/" or closing.rstrip(b"> \t\r\n") != name:
        return None
    return end


def _crawls(body: bytes, spans: _Spans) -> bool:
    if sum(end - start for start, end in spans) > AUTHOR_ELEMENT_MAX_BYTES:
        return True
    return _LONG_WORD.search(b"".join(body[start:end] for start, end in spans)) is not None


# Character references to code points that do not exist (a surrogate, past U+10FFFF, more
# digits than int() reads) make feedparser's fallback parser raise instead of reading on.
_LONG_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{4,})|([0-9]{5,}))")


def _real_charrefs(body: bytes) -> bytes:
    return _LONG_CHARREF.sub(_real_charref, body)


def _real_charref(match: re.Match[bytes]) -> bytes:
    hex_digits, decimal = match.groups()
    digits = (hex_digits or decimal).lstrip(b"0") or b"0"
    code = int(digits, 16 if hex_digits else 10) if len(digits) <= 8 else -1
    real = 0 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
    return b"&#x%X" % code if real else b"&#xFFFD"


# --- RSS and Atom, through feedparser --------------------------------------------------------


def _build_feed(data: Any, *, url: str) -> ParsedFeed:
    channel = data.feed
    version = str(data.get("version") or "")
    return ParsedFeed(
        kind="atom" if version.startswith("atom") else "rss",
        # _str(): feedparser's values are None or not strings now and then, on tag soup.
        title=_plain(_str(channel.get("title")), max_length=FEED_TITLE_MAX),
        site_url=_web_url(_str(channel.get("link")), base=url),
        ttl_seconds=_ttl_seconds(channel),
        entries=_unique([_build_entry(item, feed_url=url) for item in data.entries]),
    )


def _build_entry(item: Any, *, feed_url: str) -> FeedEntry:
    link = _web_url(_str(item.get("link")), base=feed_url)
    title = _plain(_str(item.get("title")), max_length=TITLE_MAX)
    published = _date(item.get("published_parsed"))
    # Not item.get(): feedparser quietly answers "updated" with the published date.
    updated = _date(dict.get(item, "updated_parsed"))
    author_detail = item.get("author_detail") or {}
    return FeedEntry(
        guid=_guid(_str(item.get("id")), link=link, title=title, published=published or updated),
        url=link,
        title=title,
        author=_plain(_str(author_detail.get("name") or item.get("author")), max_length=AUTHOR_MAX),
        summary_html=_html_field(item.get("summary_detail"), base=feed_url),
        content_html=_content_html(item.get("content") or [], base=feed_url),
        # Many Atom feeds give only <updated>: it is a better date than "first seen".
        published_at=published or updated,
        updated_at=updated,
    )


def _content_html(contents: list[Any], *, base: str) -> str:
    # Atom allows several <content> elements; prefer markup over plain text.
    html_parts = [c for c in contents if "html" in str(c.get("type", ""))]
    return _html_field((html_parts or contents or [None])[0], base=base)


def _html_field(detail: Any, *, base: str) -> str:
    if not detail or not detail.get("value"):
        return ""
    value = str(detail["value"])
    if "html" not in str(detail.get("type", "text/html")):
        value = _text_to_html(value)
    own_base = str(detail.get("base") or "")
    return sanitize_html(value, base_url=_web_url(own_base, base=base) or base)


def _ttl_seconds(channel: Any) -> int | None:
    """How often the publisher says the feed changes: RSS <ttl>, else sy:updatePeriod."""
    ttl = _positive_int(channel.get("ttl"))
    if ttl is not None:
        return ttl * 60
    period = SY_PERIODS.get(str(channel.get("sy_updateperiod", "")).strip().lower())
    if period is None:
        return None
    frequency = _positive_int(channel.get("sy_updatefrequency")) or 1
    return max(period // frequency, 1)


def _positive_int(value: object) -> int | None:
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if 0 < number < 10**7 else None


def _date(parsed: time.struct_time | None) -> datetime | None:
    """feedparser's UTC struct_time as an aware datetime; None when absent or implausible."""
    if not parsed:
        return None
    try:
        value = datetime(*parsed[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None
    return _plausible(value)


def _plausible(value: datetime) -> datetime | None:
    if value < EARLIEST_DATE or value > datetime.now(UTC) + FUTURE_SLACK:
        return None
    return value


# --- JSON Feed (our own small parser) ---------------------------------------------------------


def _parse_json_feed(body: bytes, *, url: str) -> ParsedFeed:
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"))
    except (ValueError, RecursionError) as error:
        raise NotAFeed("The response is neither a feed nor valid JSON.") from error
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, str) or not version.startswith("https://jsonfeed.org/version/"):
        raise NotAFeed("The response is JSON, but not a JSON Feed (no jsonfeed.org version).")
    items = data.get("items")
    if not isinstance(items, list):
        raise ParseError("The JSON Feed has no list of items.")
    return ParsedFeed(
        kind="json",
        title=_plain(_str(data.get("title")), max_length=FEED_TITLE_MAX),
        site_url=_web_url(_str(data.get("home_page_url")), base=url),
        ttl_seconds=None,
        entries=_unique([_json_entry(i, feed_url=url) for i in items if isinstance(i, dict)]),
    )


def _json_entry(item: dict[str, Any], *, feed_url: str) -> FeedEntry:
    link = _web_url(_str(item.get("url")) or _str(item.get("external_url")), base=feed_url)
    title = _plain(_str(item.get("title")), max_length=TITLE_MAX)
    published = _json_date(item.get("date_published"))
    updated = _json_date(item.get("date_modified"))
    content = _str(item.get("content_html"))
    if not content and item.get("content_text"):
        content = _text_to_html(_str(item.get("content_text")))
    summary = _text_to_html(_str(item.get("summary"))) if item.get("summary") else ""
    return FeedEntry(
        guid=_guid(_str(item.get("id")), link=link, title=title, published=published or updated),
        url=link,
        title=title,
        author=_plain(_json_author(item), max_length=AUTHOR_MAX),
        summary_html=sanitize_html(summary, base_url=feed_url),
        content_html=sanitize_html(content, base_url=link or feed_url),
        published_at=published or updated,
        updated_at=updated,
    )


def _json_author(item: dict[str, Any]) -> str:
    # JSON Feed 1.1 has "authors"; 1.0 had a single "author".
    authors = item.get("authors")
    candidates = authors if isinstance(authors, list) else [item.get("author")]
    names = [_str(a.get("name")) for a in candidates if isinstance(a, dict)]
    return ", ".join(name for name in names if name)


def _json_date(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return _plausible(parsed.astimezone(UTC))


# --- shared by both ---------------------------------------------------------------------------


def _str(value: object) -> str:
    # JSON from outside may put numbers, lists or objects where a string belongs, and
    # feedparser gives None for an element tag soup left without text.
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else ""


def _plain(value: str, *, max_length: int) -> str:
    # Titles and names may carry markup (feedparser leaves it in text/plain titles).
    text = html_to_text(value) if "<" in value or "&" in value else value
    return clean_text(text, max_length=max_length, single_line=True)


def _text_to_html(text: str) -> str:
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "".join(f"<p>{escape(p.strip(), quote=False)}</p>" for p in paragraphs if p.strip())


def _web_url(href: str, *, base: str) -> str:
    url = resolve_url(clean_text(href), base=base)
    return url if len(url) <= URL_MAX else ""


def _guid(raw_id: str, *, link: str, title: str, published: datetime | None) -> str:
    """The feed's id, or a stable key derived from the link, else from title and date."""
    guid = clean_text(raw_id, single_line=True)
    if guid and len(guid) <= GUID_MAX and not guid.startswith(GUID_PREFIX):
        return guid
    if guid:
        return f"{GUID_PREFIX}id:{_sha256(guid)}"
    if link:
        return f"{GUID_PREFIX}link:{_sha256(link)}"
    stamp = published.isoformat() if published else ""
    return f"{GUID_PREFIX}title:{_sha256(title + '|' + stamp)}"


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _unique(entries: list[FeedEntry]) -> list[FeedEntry]:
    # A feed that repeats a guid means one entry; the first is the one readers saw first.
    seen: dict[str, FeedEntry] = {}
    for entry in entries:
        seen.setdefault(entry.guid, entry)
    return list(seen.values())
