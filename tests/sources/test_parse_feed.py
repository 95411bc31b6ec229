import dataclasses
import io
import json
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from apps.common.errors import NotAFeed, ParseError
from apps.common.html import sanitize_html
from apps.sources.parsers import feeds
from apps.sources.parsers.feeds import FeedEntry, ParsedFeed, parse_feed

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}


def parse_fixture(name: str, *, url: str = "https://feeds.example/feed.xml") -> ParsedFeed:
    return parse_feed((FIXTURES / name).read_bytes(), url=url, headers=RSS_TYPE)


def rss(items: str, *, channel: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel>'
        f"<title>Generated</title><link>https://gen.example/</link>{channel}{items}"
        "</channel></rss>"
    ).encode()


def all_strings(feed: ParsedFeed) -> list[str]:
    values = [feed.title, feed.site_url]
    for entry in feed.entries:
        values += [v for v in dataclasses.asdict(entry).values() if isinstance(v, str)]
    return values


def assert_harmless(html: str) -> None:
    lowered = html.lower()
    for needle in ("<script", "javascript:", "data:", "srcdoc", "srcset", "<form", "<iframe"):
        assert needle not in lowered
    for needle in ("<svg", "<math", "<style", "<object", "<embed", "<base", "<meta"):
        assert needle not in lowered
    assert not re.search(r"<[^>]*\s(on\w+|style|class|(data-)?hx-[\w:-]*)\s*=", lowered)
    for url in re.findall(r'\s(?:href|src)="([^"]*)"', html):
        assert url.startswith(("http://", "https://", "mailto:"))
    assert sanitize_html(html) == html


def test_it_parses_rss_with_summaries() -> None:
    feed = parse_fixture("rss_summaries.xml", url="https://computeledger.example/feed")
    assert feed.kind == "rss"
    assert feed.title == "The Compute Ledger — Data centres"
    assert feed.site_url == "https://computeledger.example/datacentres"
    assert feed.ttl_seconds == 30 * 60
    first = feed.entries[0]
    assert first.guid == "ledger-2025-03-0142"
    assert first.title == "Halcyon Labs doubles its Ohio GPU campus as power deal lands"
    assert first.author == "Priya Raman"
    assert first.published_at == datetime(2025, 3, 14, 8, 30, tzinfo=UTC)
    assert first.updated_at is None
    assert first.content_html == ""
    assert 'href="https://computeledger.example/tag/halcyon"' in first.summary_html


def test_it_resolves_relative_entry_links_against_the_feed_url() -> None:
    feed = parse_fixture("rss_summaries.xml", url="https://computeledger.example/feed")
    assert feed.entries[1].url == "https://computeledger.example/2025/02/transformer-shortage"
    assert feed.entries[1].author == "Ben Achebe & Priya Raman"


def test_it_keeps_the_first_of_duplicate_guids() -> None:
    feed = parse_fixture("rss_summaries.xml")
    matching = [e for e in feed.entries if e.guid == "ledger-2025-03-0142"]
    assert len(matching) == 1
    assert "duplicate" not in matching[0].title
    assert len(feed.entries) == 6


def test_it_derives_stable_guids_when_the_feed_has_none() -> None:
    entries = parse_fixture("rss_summaries.xml").entries
    again = parse_fixture("rss_summaries.xml").entries
    by_link = entries[2]
    assert by_link.guid.startswith("labintel:link:")
    no_link = next(e for e in entries if e.title.startswith("Editor"))
    assert no_link.url == ""
    assert no_link.guid.startswith("labintel:title:")
    assert [e.guid for e in entries] == [e.guid for e in again]


def test_it_keeps_derived_keys_apart_from_real_ids() -> None:
    impostor = "labintel:link:" + "0" * 64
    feed = parse_feed(
        rss(f"<item><title>x</title><guid>{impostor}</guid></item>"),
        url="https://g.example/",
        headers={},
    )
    assert feed.entries[0].guid.startswith("labintel:id:")


def test_it_hashes_guids_longer_than_the_field() -> None:
    long_id = "urn:x:" + "a" * 600
    feed = parse_feed(
        rss(f"<item><guid>{long_id}</guid></item>"), url="https://g.example/", headers={}
    )
    guid = feed.entries[0].guid
    assert guid.startswith("labintel:id:")
    assert len(guid) <= 500


def test_it_drops_placeholder_and_future_dates() -> None:
    entries = {e.title: e for e in parse_fixture("rss_summaries.xml").entries}
    assert entries["Power purchase agreements, explained"].published_at is None
    assert entries["Scheduled: quarterly capacity tracker"].published_at is None


def test_it_parses_atom_with_full_content() -> None:
    feed = parse_fixture("atom_full.xml", url="https://frontierwire.example/people.atom")
    assert feed.kind == "atom"
    assert feed.site_url == "https://frontierwire.example/people"
    first, second, third = feed.entries
    assert first.url == "https://frontierwire.example/news/meridian-cofounder-leaves-robotics"
    assert first.title == "Meridian AI co-founder leaves to start a robotics company"
    assert first.author == "Tomás Ferreira"
    assert first.published_at == datetime(2025, 5, 2, 20, 5, tzinfo=UTC)
    assert first.updated_at == datetime(2025, 5, 2, 22, 40, tzinfo=UTC)
    assert "<strong>SAN FRANCISCO</strong>" in first.content_html
    assert (
        '<img src="https://frontierwire.example/img/vogt.jpg" alt="Lena Vogt">'
        in first.content_html
    )
    assert (
        first.summary_html
        == "<p>Lena Vogt is the third of Meridian's five co-founders to leave in a year.</p>"
    )
    assert "<ul><li>Joined Meridian in 2021</li>" in second.content_html
    assert (
        third.content_html
        == "<p>A plain-text body.</p><p>With two paragraphs &amp; an ampersand.</p>"
    )


def test_it_uses_updated_when_an_entry_has_no_published_date() -> None:
    second = parse_fixture("atom_full.xml").entries[1]
    assert second.published_at == second.updated_at == datetime(2025, 1, 21, 9, tzinfo=UTC)


def test_it_strips_markup_from_titles_and_authors() -> None:
    third = parse_fixture("atom_full.xml").entries[2]
    assert third.title == "A plain-text title with markup inside"


def test_it_parses_json_feed() -> None:
    feed = parse_feed(
        (FIXTURES / "jsonfeed.json").read_bytes(),
        url="https://valleydispatch.example/energy/feed.json",
        headers={"content-type": "application/feed+json"},
    )
    assert feed.kind == "json"
    assert feed.title == "Valley Dispatch — Energy & Compute"
    assert feed.site_url == "https://valleydispatch.example/energy"
    first, second, third = feed.entries
    assert first.author == "Sam Ortiz, Dana Whitfield"
    assert first.published_at == datetime(2025, 6, 11, 3, 15, tzinfo=UTC)
    assert first.summary_html == "<p>The board voted four to three after a four-hour hearing.</p>"
    assert (
        'href="https://valleydispatch.example/documents/permit-2025-06.pdf"' in first.content_html
    )
    assert second.guid == "20250603"
    assert second.url == "https://county.example/agenda/2025-06-10"
    assert second.author == "Valley Dispatch staff"
    assert second.content_html.count("<p>") == 2
    assert third.url == ""
    assert third.published_at is None
    assert third.content_html == "<p>Text.</p>"


def test_it_recognises_json_feed_version_1() -> None:
    body = json.dumps(
        {"version": "https://jsonfeed.org/version/1", "title": "V1", "items": [{"id": "1"}]}
    ).encode()
    assert parse_feed(body, url="https://j.example/", headers={}).entries[0].guid == "1"


def test_it_reads_the_syndication_update_period() -> None:
    channel = "<sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>"
    feed = parse_feed(rss("", channel=channel), url="https://g.example/", headers={})
    assert feed.ttl_seconds == 6 * 3600
    assert feed.entries == []


def test_it_survives_a_wrong_declared_charset() -> None:
    feed = parse_fixture("wrong_charset.xml")
    assert (
        feed.entries[0].title
        == "Nordlicht: Genehmigung für zweite Ausbaustufe \u2013 „ein großer Schritt“"
    )
    assert "Größer" in feed.entries[0].summary_html


def test_it_survives_invalid_utf8() -> None:
    feed = parse_fixture("broken_encoding.xml")
    assert feed.entries[0].guid == "broken-1"
    for value in all_strings(feed):
        value.encode("utf-8")  # raises on lone surrogates
        assert "\x00" not in value


def test_it_strips_control_and_bidi_characters() -> None:
    feed = parse_fixture("control_chars.xml")
    entry = feed.entries[0]
    assert entry.title == "NUL and bell and escape[31m in a title, reversed and isolated"
    assert entry.author == "Ada Lovelace"
    assert entry.guid == "controls-1"
    for value in all_strings(feed):
        assert not re.search(
            "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060\u2066-\u2069]", value
        )


def test_it_reads_utf16_feeds() -> None:
    feed = parse_fixture("utf16.xml")
    assert feed.entries[0].title.startswith("Nordlicht: Genehmigung für")


def test_it_uses_the_charset_from_the_content_type() -> None:
    body = rss("<item><title>Caf\u00e9 M\u00fcnchen</title><guid>1</guid></item>").replace(
        b' encoding="utf-8"', b""
    )
    latin = body.decode("utf-8").encode("latin-1")
    headers = {"Content-Type": "application/xml; charset=iso-8859-1"}
    feed = parse_feed(latin, url="https://g.example/", headers=headers)
    assert feed.entries[0].title == "Café München"


@pytest.mark.parametrize("name", ["hostile.xml", "hostile_atom.xml"])
def test_it_neutralises_script_in_every_field(name: str) -> None:
    feed = parse_fixture(name)
    assert feed.entries
    for entry in feed.entries:
        assert_harmless(entry.summary_html)
        assert_harmless(entry.content_html)
        assert entry.url == "" or entry.url.startswith(("http://", "https://"))
        for text in (entry.title, entry.author):
            assert "<" not in text and "alert" not in text
    assert feed.site_url == ""
    assert "<" not in feed.title
    everything = " ".join(all_strings(feed))
    for leaked in ("enclosure", "'media'", "srcdoc", "hx-get", "data-hx", "phish.example"):
        assert leaked not in everything


def test_it_keeps_the_harmless_parts_of_a_hostile_feed() -> None:
    entry = parse_fixture("hostile.xml").entries[0]
    assert entry.title == "Helix Robotics raises $300m"
    assert entry.author == "Hacker"
    assert (
        '<a href="https://helix.example/press" rel="noopener noreferrer nofollow">'
        in entry.content_html
    )
    assert 'href="mailto:press@helix.example"' in entry.content_html
    assert '<img src="https://cdn.example/helix.jpg" alt="Helix robot arm">' in entry.content_html
    assert "Robots in warehouses are getting cheaper." in entry.content_html


def test_it_refuses_entity_declarations_so_bombs_cannot_expand() -> None:
    started = time.perf_counter()
    with pytest.raises(ParseError, match="ENTITY"):
        parse_fixture("billion_laughs.xml")
    assert time.perf_counter() - started < 1


def test_it_refuses_external_entities() -> None:
    with pytest.raises(ParseError, match="ENTITY"):
        parse_fixture("xxe.xml")


def test_it_refuses_the_safe_looking_entities_feedparser_would_expand() -> None:
    body = (
        b'<!DOCTYPE rss [<!ENTITY a "'
        + b"a" * 10_000
        + b'">]>'
        + rss("<item><title>&a;&a;</title></item>")
    )
    with pytest.raises(ParseError):
        parse_feed(body, url="https://g.example/", headers={})


def test_it_does_not_read_an_external_dtd() -> None:
    feed = parse_fixture("external_dtd.xml")
    assert feed.entries[0].guid == "dtd-1"
    assert "root:" not in " ".join(all_strings(feed))


@pytest.mark.parametrize(
    ("body", "headers", "message"),
    [
        (b"", {}, "empty"),
        (b"  \n\t ", {}, "empty"),
        ((FIXTURES / "login_page.html").read_bytes(), {"Content-Type": "text/html"}, "HTML page"),
        (b"<!-- x --><div><p>Hello</p></div>", {"Content-Type": "text/html"}, "not RSS"),
        (b'{"status": "ok", "items": []}', {"Content-Type": "application/json"}, "not a JSON Feed"),
        (b"{not json", {"Content-Type": "application/json"}, "valid JSON"),
        (b"{" * 100_000, {}, "valid JSON"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, {"Content-Type": "image/png"}, "binary"),
        (b"GIF89a\x01\x00", {}, "binary"),
        (b"just some text, no markup", {"Content-Type": "text/plain"}, "not RSS"),
        (b"/etc/passwd", {}, "not RSS"),
    ],
)
def test_it_says_what_is_not_a_feed(body: bytes, headers: dict[str, str], message: str) -> None:
    with pytest.raises(NotAFeed, match=message):
        parse_feed(body, url="https://g.example/", headers=headers)


def test_it_accepts_a_valid_feed_with_no_entries() -> None:
    feed = parse_feed(rss(""), url="https://g.example/", headers={})
    assert feed.kind == "rss"
    assert feed.entries == []


def test_it_hands_feedparser_a_stream_with_its_sanitizer_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = []
    real_parse = feeds.feedparser.parse

    def spy(source: object, **kwargs: object) -> object:
        calls.append((source, kwargs))
        return real_parse(source, **kwargs)

    monkeypatch.setattr(feeds.feedparser, "parse", spy)
    parse_feed(rss("<item><guid>1</guid></item>"), url="https://g.example/", headers=RSS_TYPE)
    ((source, kwargs),) = calls
    assert isinstance(source, io.BytesIO)
    assert kwargs["sanitize_html"] is False
    assert kwargs["resolve_relative_uris"] is False
    assert kwargs["response_headers"] == {"content-type": "application/rss+xml; charset=utf-8"}


@pytest.mark.parametrize(
    "author",
    [
        "<author>{}</author>",
        "<dc:creator>{}</dc:creator>",
        "<dc:creator><![CDATA[{}]]></dc:creator>",
        "<author><![CDATA[{}]]><![CDATA[{}]]></author>",
    ],
)
# 30,000 letters cost feedparser seconds without the guard: enough to fail, not minutes of CPU.
@pytest.mark.parametrize(
    "text", ["a" * 30_000, "a" * 60 + "&#97;" * 20_000, ("a" * 999 + " ") * 100]
)
def test_it_parses_a_feed_with_a_huge_author_quickly(author: str, text: str) -> None:
    body = rss(f"<item><title>t</title><guid>1</guid>{author.format(text, text)}</item>")
    started = time.perf_counter()
    feed = parse_feed(body, url="https://g.example/", headers={})
    assert time.perf_counter() - started < 0.5
    assert feed.entries[0].guid == "1"
    assert len(feed.entries[0].author) <= 300


def test_it_keeps_normal_authors_when_guarding_long_ones() -> None:
    body = rss(
        "<item><guid>1</guid><author>" + "b" * 5000 + "</author></item>"
        "<item><guid>2</guid><dc:creator>Jane Roe</dc:creator></item>"
    )
    entries = parse_feed(body, url="https://g.example/", headers={}).entries
    assert entries[0].author == ""
    assert entries[1].author == "Jane Roe"


def test_it_parses_a_10000_item_feed() -> None:
    items = "".join(
        f"<item><title>Story {i} &amp; more</title><link>https://g.example/{i}</link>"
        f"<guid>g-{i % 9_990}</guid><pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;Summary {i}&lt;/p&gt;</description></item>"
        for i in range(10_000)
    )
    started = time.perf_counter()
    feed = parse_feed(rss(items), url="https://g.example/", headers=RSS_TYPE)
    assert time.perf_counter() - started < 20
    assert len(feed.entries) == 9_990  # the last ten repeat earlier guids
    assert feed.entries[-1] == FeedEntry(
        guid="g-9989",
        url="https://g.example/9989",
        title="Story 9989 & more",
        author="",
        summary_html="<p>Summary 9989</p>",
        content_html="",
        published_at=datetime(2025, 3, 3, 10, tzinfo=UTC),
        updated_at=None,
    )


# --- feedparser never opens a path or a URL; no entity reaches the network --------------------


@pytest.mark.parametrize(
    "body",
    [
        str(FIXTURES / "rss_summaries.xml").encode(),
        b"file://" + str(FIXTURES / "rss_summaries.xml").encode(),
        b"http://127.0.0.1:{port}/feeds/rss_summaries.xml",
    ],
)
def test_a_body_that_names_a_feed_is_not_read_as_one(body: bytes, loopback: Any) -> None:
    # feedparser, given bytes or a str, would open this path or fetch this URL and parse it.
    body = body.replace(b"{port}", str(loopback.port).encode())
    with pytest.raises(NotAFeed):
        parse_feed(body, url="https://g.example/", headers=RSS_TYPE)
    assert loopback.requests == []


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rss [<!ENTITY remote SYSTEM "http://127.0.0.1:{port}/evil.dtd">]>',
        '<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:{port}/evil.dtd"> %remote;]>',
        '<!doctype rss [<!entity remote SYSTEM "http://127.0.0.1:{port}/evil.dtd">]>',
    ],
)
def test_an_external_entity_is_refused_and_never_fetched(doctype: str, loopback: Any) -> None:
    head = doctype.format(port=loopback.port).encode()
    body = rss("<item><title>&remote;</title></item>").replace(b"?>", b"?>" + head, 1)
    with pytest.raises(ParseError):
        parse_feed(body, url="https://g.example/", headers={})
    assert loopback.requests == []


def test_an_external_dtd_is_never_fetched(loopback: Any) -> None:
    head = f'<!DOCTYPE rss SYSTEM "http://127.0.0.1:{loopback.port}/evil.dtd">'.encode()
    body = rss("<item><title>Still a feed</title><guid>1</guid></item>")
    body = body.replace(b"?>", b"?>" + head, 1)
    assert parse_feed(body, url="https://g.example/", headers={}).entries[0].guid == "1"
    assert loopback.requests == []
