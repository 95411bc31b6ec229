from pathlib import Path
from typing import Any

import pytest

from apps.common.errors import ParseError, TooLarge
from apps.sources.parsers.opml import OpmlFeed, parse_opml, render_opml

OPML = Path(__file__).resolve().parent.parent / "fixtures" / "feeds" / "subscriptions.opml"


def test_it_flattens_categories_into_feeds() -> None:
    assert parse_opml(OPML.read_bytes()) == [
        OpmlFeed(
            feed_url="https://computeledger.example/datacentres/feed",
            title="The Compute Ledger — Data centres",
            site_url="https://computeledger.example/datacentres",
        ),
        OpmlFeed(
            feed_url="https://valleydispatch.example/energy/feed.json",
            title="Valley Dispatch energy",
            site_url="https://valleydispatch.example/energy",
        ),
        OpmlFeed(
            feed_url="https://gridpower.example/rss.xml", title="Grid & Power Weekly", site_url=""
        ),
        OpmlFeed(
            feed_url="https://frontierwire.example/people.atom",
            title="Frontier Wire: People",
            site_url="https://frontierwire.example/people",
        ),
    ]


def test_it_round_trips_through_render() -> None:
    feeds = [
        OpmlFeed(
            "https://a.example/feed?x=1&y=2", 'Ampersands & <angles> "quoted"', "https://a.example/"
        ),
        OpmlFeed("https://b.example/rss", "", ""),
        OpmlFeed("https://c.example/atom", "Ünïcödé — ok", "https://c.example/"),
    ]
    document = render_opml(feeds, title="LabIntel <sources>")
    assert document.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<opml version=\"2.0\">")
    assert b"<title>LabIntel &lt;sources&gt;</title>" in document
    assert parse_opml(document) == feeds


def test_it_renders_control_characters_as_nothing() -> None:
    document = render_opml(
        [OpmlFeed("https://a.example/", "bad\x00\x07\u202etitle", "")], title="t"
    )
    assert parse_opml(document)[0].title == "badtitle"


def test_it_refuses_files_over_the_size_cap(settings: Any) -> None:
    settings.OPML_MAX_BYTES = 1024
    with pytest.raises(TooLarge, match="limit is 1,024"):
        parse_opml(OPML.read_bytes())


def test_it_refuses_too_many_outlines(settings: Any) -> None:
    settings.OPML_MAX_OUTLINES = 5
    with pytest.raises(ParseError, match="outlines; the limit is 5"):
        parse_opml(OPML.read_bytes())


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b'<opml version="2.0"><body><outline text="&b;" xmlUrl="https://a.example/"/></body></opml>',
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<opml version="2.0"><body><outline text="&xxe;" xmlUrl="https://a.example/"/></body></opml>',
        b'<?xml version="1.0"?><!DOCTYPE opml SYSTEM "http://127.0.0.1:9/opml.dtd">'
        b'<opml version="2.0"><body/></opml>',
    ],
)
def test_it_refuses_dtds_and_entities(data: bytes) -> None:
    with pytest.raises(ParseError, match="DTD or entities"):
        parse_opml(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"<opml><body>", "not valid XML"),
        (b"not xml at all", "not valid XML"),
        (b'<rss version="2.0"><channel/></rss>', "not OPML .the root element is <rss>"),
        (b"\x89PNG\r\n\x1a\n", "not valid XML"),
    ],
)
def test_it_explains_what_is_wrong(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_opml(data)


def test_it_reads_an_empty_subscription_list() -> None:
    assert parse_opml(b'<opml version="1.0"><head/><body/></opml>') == []
