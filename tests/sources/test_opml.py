import time
from html import escape
from pathlib import Path
from typing import Any

import pytest

from apps.common.errors import ParseError, TooLarge
from apps.sources.models import Source
from apps.sources.parsers.opml import OpmlFeed, parse_opml, render_opml
from apps.sources.services import import_opml
from tests.hostile_urls import OTHER_SCHEMES, PRIVATE_SPELLINGS

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


# --- importing: every entry through the address guard; nothing read from the network ---------


def _opml(*urls: str) -> bytes:
    outlines = "".join(
        f'<outline type="rss" text="f{n}" xmlUrl="{url}"/>' for n, url in enumerate(urls)
    )
    return f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'.encode()


@pytest.mark.django_db
def test_an_import_refuses_every_spelling_of_a_private_address(
    loopback: Any, settings: Any
) -> None:
    settings.FETCH_ALLOW_LOOPBACK = False
    hostile = [escape(template.format(port=loopback.port)) for template in PRIVATE_SPELLINGS]
    report = import_opml(_opml("https://feeds.example.org/ai.xml", *hostile))
    assert [source.feed_url for source in report.added] == ["https://feeds.example.org/ai.xml"]
    assert len(report.refused) == len(PRIVATE_SPELLINGS)
    assert list(Source.objects.values_list("feed_url", flat=True)) == [
        "https://feeds.example.org/ai.xml"
    ]
    assert loopback.requests == []


@pytest.mark.django_db
def test_an_import_skips_every_other_scheme() -> None:
    report = import_opml(_opml(*(escape(url) for url in OTHER_SCHEMES)))
    assert report.added == report.existing == [] and not Source.objects.exists()


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE opml SYSTEM "http://127.0.0.1:{port}/opml.dtd">',
        '<!DOCTYPE opml [<!ENTITY remote SYSTEM "http://127.0.0.1:{port}/x">]>',
        '<!DOCTYPE opml [<!ENTITY % remote SYSTEM "http://127.0.0.1:{port}/x"> %remote;]>',
    ],
)
def test_it_never_fetches_a_dtd_or_an_external_entity(doctype: str, loopback: Any) -> None:
    head = doctype.format(port=loopback.port).encode()
    with pytest.raises(ParseError, match="DTD or entities"):
        parse_opml(_opml("https://a.example/").replace(b"?>", b"?>" + head, 1))
    assert loopback.requests == []


def test_a_billion_laughs_is_refused_at_once() -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)
    )
    data = _opml("https://a.example/").replace(b"?>", f"?><!DOCTYPE opml [{entities}]>".encode(), 1)
    data = data.replace(b'text="f0"', b'text="&a9;"')
    started = time.perf_counter()
    with pytest.raises(ParseError, match="DTD or entities"):
        parse_opml(data)
    assert time.perf_counter() - started < 0.5


def test_the_outline_cap_counts_nested_outlines(settings: Any) -> None:
    settings.OPML_MAX_OUTLINES = 100
    nested = "<outline text='x'>" * 101 + "</outline>" * 101
    data = f"<opml version='2.0'><body>{nested}</body></opml>".encode()
    with pytest.raises(ParseError, match="101 outlines"):
        parse_opml(data)
