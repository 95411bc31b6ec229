"""OPML import (apps/sources/parsers/opml.py, defusedxml): only its typed errors, feeds safe to
store, and an export that reads back as what was exported."""

import pytest
from hypothesis import event, example, given, settings

from apps.common.errors import ParseError, TooLarge
from apps.sources.parsers import opml
from apps.sources.parsers.opml import OpmlFeed, parse_opml, render_opml
from tests.fuzz import checks
from tests.fuzz.profiles import examples
from tests.fuzz.strategies.documents import opml as opml_files
from tests.fuzz.strategies.text import awkward_text

OPML_SECONDS = 2.0
# Reporting how the nested outline strategy was drawn spells it out once, at length.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")


def parse_or_refuse(data: bytes) -> list[OpmlFeed] | None:
    with checks.no_hang(OPML_SECONDS):
        try:
            return parse_opml(data)
        except (ParseError, TooLarge) as error:
            event(f"refused: {type(error).__name__}")
            checks.storable(str(error))
            return None


def valid_feeds(feeds: list[OpmlFeed]) -> None:
    assert len({feed.feed_url for feed in feeds}) == len(feeds)
    for feed in feeds:
        checks.storable_fields(feed)
        assert feed.feed_url
        checks.web_url(feed.feed_url)
        checks.web_url(feed.site_url)
        assert len(feed.feed_url) <= opml.URL_MAX and len(feed.title) <= opml.TITLE_MAX


@settings(max_examples=examples(50))
@given(opml_files())
# ElementTree raised LookupError for an encoding it does not know.
@example(b'<?xml version="1.0" encoding="TTF-8"?><opml version="2.0"><body/></opml>')
def test_it_imports_or_refuses_any_opml(data: bytes) -> None:
    feeds = parse_or_refuse(data)
    if feeds is not None:
        event(f"read {min(len(feeds), 3)}+ feeds")
        valid_feeds(feeds)


@settings(max_examples=examples(50))
@given(opml_files(), awkward_text())
# A NEL in a URL became a newline in the feed URL, and "%20" once exported.
@example(
    b'<opml version="2.0"><body><outline xmlUrl="http://example.com/\xc2\x85?a"/></body></opml>', ""
)
# A no-break space in a URL was kept, then exported as a space, and read back as "%20".
@example(
    b'<opml version="2.0"><body><outline xmlUrl="http://\xc2\xa0a.example"/></body></opml>', ""
)
def test_it_reads_back_what_it_exports(data: bytes, title: str) -> None:
    feeds = parse_or_refuse(data) or []
    assert parse_opml(render_opml(feeds, title=title)) == feeds
