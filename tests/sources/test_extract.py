import re
import socket
import timeit
from datetime import UTC, datetime
from pathlib import Path

import pytest
import trafilatura

from apps.common.html import sanitize_html
from apps.sources.parsers.extract import Extracted, extract

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
URL = "https://computeledger.example/2025/03/halcyon-ohio-campus-power-deal?utm_source=rss"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def extracted(name: str, *, url: str = URL) -> Extracted:
    result = extract(page(name), url=url)
    assert result is not None
    return result


def test_it_extracts_the_article_text() -> None:
    article = extracted("halcyon_gpu_campus.html")
    assert article.text.startswith("Halcyon Labs, the three-year-old model developer")
    assert "What you cannot buy quickly is a substation." in article.text
    assert article.text.endswith(
        "because Halcyon will pay for the grid upgrades that serve the site."
    )
    assert "\n\n" in article.text
    assert 600 < article.word_count < 800
    assert article.word_count == len(article.text.split())


def test_it_drops_the_boilerplate() -> None:
    for name in ("halcyon_gpu_campus.html", "meridian_cofounder_departs.html"):
        article = extracted(name)
        for chrome in (
            "cookies",  # consent banners
            "partners",
            "Subscribe",  # navigation
            "Related stories",
            "Transformer shortage pushes",  # a related story
            "Read more",
            "gridwatcher",  # comments
            "Fixed price for five years",
            "Third founder out in a year",
            "All rights reserved",  # footers
            "Most popular",
            "Sign up now",
        ):
            assert chrome not in article.text
            assert chrome not in article.html


def test_it_reads_the_metadata() -> None:
    article = extracted("halcyon_gpu_campus.html")
    assert article.title == "Halcyon Labs doubles its Ohio GPU campus as power deal lands"
    assert article.author == "Priya Raman"
    assert article.published_at == datetime(2025, 3, 14, 8, 30, tzinfo=UTC)
    assert article.language == "en-gb"
    assert article.site_name == "The Compute Ledger"
    assert article.canonical_url == (
        "https://computeledger.example/2025/03/halcyon-ohio-campus-power-deal"
    )


def test_it_converts_the_published_time_to_utc() -> None:
    article = extracted("meridian_cofounder_departs.html")
    assert article.published_at == datetime(2025, 5, 2, 20, 5, tzinfo=UTC)
    assert article.author == "Tomás Ferreira"
    assert article.site_name == "Frontier Wire"


def test_it_falls_back_to_the_fetched_url_without_a_usable_canonical() -> None:
    url = "https://frontierwire.example/news/8841"
    assert extracted("meridian_cofounder_departs.html", url=url).canonical_url == url
    # og:url is javascript: on the hostile page.
    assert extracted("hostile_article.html", url=url).canonical_url == url


def test_it_keeps_structure_in_the_html() -> None:
    html = extracted("halcyon_gpu_campus.html").html
    assert html.startswith("<p>Halcyon Labs")
    assert "<h2>Why the grid, not the chips, set the pace</h2>" in html
    assert "<blockquote><p>" in html
    assert sanitize_html(html) == html


def test_it_decodes_bytes_with_the_meta_charset() -> None:
    article = extracted("nordlicht_windows1252.html")
    assert "Geschäftsführerin Anja Größer" in article.text
    assert "„Wir haben" in article.text
    assert article.language == "de"
    assert article.title == "Nordlicht Rechenzentrum: Genehmigung für zweite Ausbaustufe erteilt"
    assert "Cookies" not in article.text


def test_it_accepts_text_as_well_as_bytes() -> None:
    text = page("halcyon_gpu_campus.html").decode("utf-8")
    assert extract(text, url=URL) == extracted("halcyon_gpu_campus.html")


def test_it_survives_invalid_bytes() -> None:
    body = page("halcyon_gpu_campus.html").replace(b"Columbus", b"Colum\xff\xfe\x00bus")
    article = extracted_from(body)
    assert "Colum" in article.text
    assert "\x00" not in article.text + article.html
    article.text.encode("utf-8")


def extracted_from(body: bytes) -> Extracted:
    result = extract(body, url=URL)
    assert result is not None
    return result


def test_it_neutralises_a_hostile_page() -> None:
    article = extracted("hostile_article.html")
    lowered = article.html.lower()
    for needle in (
        "<script",
        "javascript:",
        "srcdoc",
        "srcset",
        "<form",
        "<iframe",
        "<svg",
        "<math",
    ):
        assert needle not in lowered
    assert not re.search(r"<[^>]*\s(on\w+|style|class|(data-)?hx-[\w:-]*)\s*=", lowered)
    for url in re.findall(r'\s(?:href|src)="([^"]*)"', article.html):
        assert url.startswith(("http://", "https://", "mailto:"))
    assert 'href="https://county.example/agenda/2025-06-10"' in article.html
    assert sanitize_html(article.html) == article.html
    assert article.title == "Northwind Compute wins county vote on turbine permits"
    assert "<" not in article.author
    assert "The board voted four to three" in article.text


@pytest.mark.parametrize(
    "body",
    [
        page("section_front.html"),
        b"",
        b"   ",
        b"<html><body><p>Too short to be an article.</p></body></html>",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00",
        b"plain words, no markup at all",
    ],
)
def test_it_returns_none_without_an_article(body: bytes) -> None:
    assert extract(body, url=URL) is None


def test_it_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("extract() opened a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert extracted("halcyon_gpu_campus.html").word_count > 0


def test_it_costs_about_one_trafilatura_pass() -> None:
    # The budget is 1.5x a bare trafilatura.extract(); 2x would mean it ran twice.
    body = page("halcyon_gpu_campus.html")
    html = body.decode("utf-8")
    ours = min(timeit.repeat(lambda: extract(body, url=URL), number=5, repeat=5))
    bare = min(timeit.repeat(lambda: trafilatura.extract(html), number=5, repeat=5))
    assert ours < 2 * bare


def test_it_keeps_links_in_the_html_but_only_their_words_in_the_text() -> None:
    page = (PAGES / "halcyon_gpu_campus.html").read_text()
    lead = page.index("</p>", page.index("Halcyon Labs, the three-year-old"))
    link = ' Read <a href="https://example.org/report">the full report</a> here.'
    page = page[:lead] + link + page[lead:]
    extracted = extract(page, url=URL)
    assert extracted is not None
    assert "Read the full report here." in extracted.text
    assert "](https://example.org/report)" not in extracted.text
    assert 'href="https://example.org/report"' in extracted.html


def test_it_leaves_a_headline_repeated_in_the_body_out_of_the_text() -> None:
    body = " ".join(f"Sentence number {n} of the report says something new." for n in range(12))
    page = (
        "<html><head><title>Grid Board Approves Permit</title>"
        '<meta property="og:title" content="Grid Board Approves Permit"></head><body>'
        "<article><p>Grid Board Approves Permit</p>"
        f"<p>{body}</p><p>{body.replace('report', 'filing')}</p></article></body></html>"
    )
    extracted = extract(page, url=URL)
    assert extracted is not None and extracted.title == "Grid Board Approves Permit"
    assert extracted.text.startswith("Sentence number 0")
    assert "Grid Board Approves Permit" not in extracted.html


def test_it_drops_lists_of_links_that_survive_extraction() -> None:
    body = " ".join(
        f"Sentence {n} of the filing about Halcyon Labs says something." for n in range(12)
    )
    page = (
        "<html><head><title>Grid Board Approves Permit</title></head><body><article>"
        f'<p>{body} Read <a href="/r">the filing</a> in full.</p><p>{body}</p>'
        '<h3>Read more</h3><ul><li><a href="/a">xAI raises six billion dollars</a></li>'
        '<li><a href="/b">OpenAI hires a Tesla engineer</a></li></ul></article></body></html>'
    )
    extracted = extract(page, url=URL)
    assert extracted is not None
    assert "Read the filing in full." in extracted.text  # a link inside prose stays
    assert "xAI" not in extracted.text and "Read more" not in extracted.text
    assert "xAI" not in extracted.html and "Read more" not in extracted.html


# --- SECURITY.md 8: the charset a page is read in ---------------------------------------------

NORDLICHT_META = rb'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'


def without_meta_charset(name: str) -> bytes:
    body = page(name).replace(NORDLICHT_META, b"")
    assert b"charset" not in body.lower()
    return body


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html; charset=windows-1252",
        'text/html;charset="ISO-8859-1"',
        "text/html; charset=latin1",
    ],
)
def test_it_reads_the_charset_of_the_content_type_header(content_type: str) -> None:
    body = without_meta_charset("nordlicht_windows1252.html")
    article = extract(body, url=URL, content_type=content_type)
    assert article is not None and "Geschäftsführerin Anja Größer" in article.text
    assert "„Wir haben" in article.text  # 0x84: Windows-1252, which latin-1 labels mean


def test_the_header_charset_wins_over_a_wrong_meta_charset() -> None:
    body = page("nordlicht_windows1252.html").replace(b"charset=windows-1252", b"charset=utf-8")
    article = extract(body, url=URL, content_type="text/html; charset=windows-1252")
    assert article is not None and "Größer" in article.text


@pytest.mark.parametrize(
    "label",
    ["base64", "zlib", "rot13", "idna", "punycode", "undefined", "utf-7", "utf-16", "utf-32",
     "cp037", "unicode_escape", "raw_unicode_escape", "no-such-charset"],
)  # fmt: skip
@pytest.mark.parametrize("where", ["header", "meta"])
def test_a_charset_no_page_can_use_is_ignored_never_raised(label: str, where: str) -> None:
    body = page("halcyon_gpu_campus.html")
    if where == "meta":
        body = body.replace(b"<head>", f'<head><meta charset="{label}">'.encode(), 1)
    article = extract(
        body, url=URL, content_type=f"text/html; charset={label}" * (where == "header")
    )
    assert article is not None and article.text == extracted("halcyon_gpu_campus.html").text
