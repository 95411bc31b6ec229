"""Feed parsing (apps/sources/parsers/feeds.py): RSS, Atom and JSON Feed bodies built from
hostile parts. Only the parser's typed errors, within the time limit, and entries that are
safe to store."""

import pytest
from hypothesis import event, example, given, settings

from apps.common.errors import NotAFeed, ParseError
from apps.sources.parsers import feeds
from apps.sources.parsers.feeds import ParsedFeed, parse_feed
from tests.fuzz import checks
from tests.fuzz.profiles import examples
from tests.fuzz.strategies.documents import authors, content_types
from tests.fuzz.strategies.documents import feeds as feed_bodies
from tests.fuzz.strategies.markup import encode
from tests.fuzz.strategies.text import urls

FEED_URL = "https://feeds.example/rss.xml"


def parse_seconds(body: bytes) -> float:
    """The time a feed of this size may take to parse: linear, and generous for a busy machine.

    A fetch task has a 60 s soft limit for the download and the parse together; a feed of a
    few hundred KB parses in well under a second unless something is quadratic in it.
    """
    return 2.0 + len(body) / 20_000


def parse_or_refuse(
    body: bytes, *, url: str = FEED_URL, content_type: str = ""
) -> ParsedFeed | None:
    """The parsed feed, or None when the parser refused it with one of its typed errors."""
    headers = {"Content-Type": content_type} if content_type else {}
    with checks.no_hang(parse_seconds(body)):
        try:
            return parse_feed(body, url=url, headers=headers)
        except (NotAFeed, ParseError) as error:
            event(f"refused: {type(error).__name__}")
            checks.storable(str(error))
            return None


def valid_feed(feed: ParsedFeed) -> None:
    assert feed.kind in ("rss", "atom", "json")
    checks.storable(feed.title)
    checks.web_url(feed.site_url)
    assert feed.ttl_seconds is None or feed.ttl_seconds > 0
    assert len({entry.guid for entry in feed.entries}) == len(feed.entries)
    for entry in feed.entries:
        checks.storable_fields(entry)
        assert 0 < len(entry.guid) <= feeds.GUID_MAX
        assert len(entry.title) <= feeds.TITLE_MAX and len(entry.author) <= feeds.AUTHOR_MAX
        assert len(entry.url) <= feeds.URL_MAX
        checks.web_url(entry.url)
        checks.safe_html(entry.summary_html)
        checks.safe_html(entry.content_html)
        checks.sane_moment(entry.published_at, earliest=feeds.EARLIEST_DATE)
        checks.sane_moment(entry.updated_at, earliest=feeds.EARLIEST_DATE)


@settings(max_examples=examples(60))
@given(feed_bodies(), urls(), content_types())
# feedparser raised UnicodeDecodeError and ValueError on these declared encodings.
@example(b'<?xml version="1.0" encoding="\xffutf-8"?><rss version="2.0"/>', FEED_URL, "")
@example(b'<?xml version="1.0" encoding="\x00utf-8"?><rss version="2.0"/>', FEED_URL, "")
@example(b'<rss version="2.0"/>', FEED_URL, "text/xml; charset=\x00utf-8")
# feedparser's fallback parser left the link None (AttributeError in our code), and raised
# KeyError itself at a stray </category>.
@example(b"<entry<id<e</id>", FEED_URL, "")
@example(b"<item<category<</item</category>", FEED_URL, "")
def test_it_parses_or_refuses_any_feed(body: bytes, url: str, content_type: str) -> None:
    feed = parse_or_refuse(body, url=url, content_type=content_type)
    if feed is not None:
        event(f"{feed.kind} with {min(len(feed.entries), 3)}+ entries")
        valid_feed(feed)


@settings(max_examples=examples(40))
@given(authors())
# Text after a child element or a comment escaped the guard: 20 KB took 3 s, 100 KB a minute.
@example("<author><b/>" + "a" * 20_000 + "</author>")
@example("<dc:creator><!-- c -->" + "a" * 20_000 + "</dc:creator>")
def test_it_parses_any_author_within_the_time_limit(author: str) -> None:
    body = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>t</title>'
        f"{author}<item><guid>1</guid>{author}</item></channel></rss>"
    )
    feed = parse_or_refuse(encode(body, "utf-8"))
    if feed is not None:
        valid_feed(feed)


# feedparser's fallback parser raised UnicodeEncodeError, ValueError and OverflowError on them.
@pytest.mark.parametrize(
    "reference", ["&#xD800;", "&#2000000;", "&#99999999999;", "&#" + "1" * 5000 + ";"]
)
def test_it_reads_character_references_to_no_character(reference: str) -> None:
    body = f"<rss version='2.0'><channel><title>a{reference}b</title></channel></rss>"
    feed = parse_or_refuse(body.encode())
    assert feed is not None and feed.title == "a\ufffdb"


def test_it_keeps_an_author_whose_name_and_email_are_long_only_together() -> None:
    email = "alexander.maximilian.von.humboldt.the.great@example.com"
    body = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>1</id><author>'
        f"<name>Alexander-Maximilian-Ferdinand</name><email>{email}</email></author></entry></feed>"
    )
    feed = parse_or_refuse(body.encode())
    assert feed is not None and feed.entries[0].author == "Alexander-Maximilian-Ferdinand"
