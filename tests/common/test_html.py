import random
import re
import time

import pytest

from apps.common.html import clean_text, html_to_text, sanitize_html

BASE = "https://news.example/2025/story"

HOSTILE = [
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="java&#x0A;script:alert(1)">newline</a>',
    '<a href="&#106;avascript:alert(1)">decimal</a>',
    '<a href=" JaVaScRiPt:alert(1)">case</a>',
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">data</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<img src="x.png" srcset="javascript:alert(1) 1x" onerror="alert(1)">',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>after',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><maction xlink:href="javascript:alert(1)">m</maction></math>',
    '<form action="https://phish.example"><input name="pw"><button>Go</button></form>',
    '<p style="position:fixed;inset:0" class="overlay" id="x">overlay</p>',
    '<div hx-get="/admin" hx-trigger="load" data-hx-post="/x" hx-on:click="alert(1)">htmx</div>',
    '<p data-foo="bar" onclick="alert(1)" onmouseover="alert(2)">events</p>',
    "<script>alert(1)</script><style>p{display:none}</style><noscript><p>ns</p></noscript>",
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<base href="javascript:alert(1)//"><meta http-equiv="refresh" content="0;url=javascript:x">',
    '<table background="javascript:alert(1)"><tr><td>cell</td></tr></table>',
    "<template><script>alert(1)</script></template>",
    "<!-- <script>alert(1)</script> -->comment",
]


def assert_harmless(html: str) -> None:
    lowered = html.lower()
    for needle in ("<script", "javascript:", "vbscript:", "data:", "srcdoc", "srcset", "<form"):
        assert needle not in lowered
    for needle in ("<iframe", "<svg", "<math", "<style", "<object", "<embed", "<base", "<meta"):
        assert needle not in lowered
    assert not re.search(r"<[^>]*\s(on\w+|style|class|id|(data-)?hx-[\w:-]*)\s*=", lowered)
    for url in re.findall(r'\s(?:href|src)="([^"]*)"', html):
        assert url.startswith(("http://", "https://", "mailto:"))
    assert sanitize_html(html) == html


@pytest.mark.parametrize("html", HOSTILE)
def test_it_neutralises_hostile_markup(html: str) -> None:
    for base in ("", BASE):
        assert_harmless(sanitize_html(html, base_url=base))


def test_it_keeps_article_markup() -> None:
    html = (
        "<h2>Head</h2><p>A <strong>bold</strong> <em>claim</em> with "
        '<a href="https://e.example/x" title="t">a link</a>.</p>'
        "<ul><li>one</li></ul><blockquote><p>quote</p></blockquote><pre><code>x = 1</code></pre>"
        '<figure><img src="https://e.example/i.jpg" alt="A chart"><figcaption>cap</figcaption>'
        '</figure><table><thead><tr><th colspan="2">h</th></tr></thead></table><hr>'
    )
    clean = sanitize_html(html)
    for kept in ("<h2>", "<strong>", "<em>", "<ul>", "<blockquote>", "<pre><code>", "<figure>"):
        assert kept in clean
    assert '<img src="https://e.example/i.jpg" alt="A chart">' in clean
    assert '<th colspan="2">' in clean


def test_it_marks_links_noopener_noreferrer_nofollow() -> None:
    clean = sanitize_html('<a href="https://e.example/" rel="opener" target="_blank">x</a>')
    assert clean == '<a href="https://e.example/" rel="noopener noreferrer nofollow">x</a>'


def test_it_resolves_relative_urls_against_the_base() -> None:
    clean = sanitize_html('<a href="/about">a</a><img src="pic.png">', base_url=BASE)
    assert 'href="https://news.example/about"' in clean
    assert 'src="https://news.example/2025/pic.png"' in clean


def test_it_drops_relative_urls_without_a_usable_base() -> None:
    for base in ("", "javascript:alert(1)", "file:///etc/", "https://[::1"):
        clean = sanitize_html('<a href="/about">a</a>', base_url=base)
        assert "href" not in clean


def test_it_keeps_mailto_links() -> None:
    assert 'href="mailto:tips@e.example"' in sanitize_html('<a href="mailto:tips@e.example">t</a>')


def test_it_unwraps_unknown_tags_and_keeps_their_text() -> None:
    assert sanitize_html("<div><span>kept</span></div><h1>title</h1>") == "kepttitle"


def test_it_strips_characters_decoded_from_entities() -> None:
    clean = sanitize_html("<p>a&#x202e;b&#0;c&#x1;d&#x200b;e</p>")
    assert clean == "<p>ab\ufffdcde</p>"


def test_it_is_a_fixed_point_on_tag_soup() -> None:
    pieces = [
        *("<p>", "</p>", "<div>", "</div>", "<a href='/x'>", "</a>", "<li>", "<ul>", "</ul>"),
        *("<table>", "<tr>", "<td>", "<b>", "</b>", "<i>", "<h1>", "<h2>", "</h2>", "<pre>"),
        *("\n", " text ", "&amp;", "&lt;", "<br>", "<img src=x.png>", "<svg><a>s</a></svg>"),
        *("<form><input>", "<select><option>", "<script>", "</script>", "<!--", "-->"),
        *("<blockquote>", "<figure>", "<caption>", "<textarea>", "<dl><dt>", "<dd>", "<button>"),
        *("<marquee>", "<nobr>", "<font>", "<listing>", "<plaintext>", "<xmp>", "<body>", "'"),
    ]
    rng = random.Random(7)
    for _ in range(1500):
        soup = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        for base in ("", BASE):
            once = sanitize_html(soup, base_url=base)
            assert sanitize_html(once, base_url=base) == once


def test_it_returns_empty_for_empty_input() -> None:
    assert sanitize_html("") == ""
    assert sanitize_html("<script>x</script>") == ""


def test_it_cleans_control_and_spoofing_characters() -> None:
    dirty = "a\x00b\x07c\x1bd\x7fe\x9bf\u202eg\u2066h\u2069i\u200bj\ufeffk\U000e0041l"
    assert clean_text(dirty) == "abcdefghijkl"


def test_it_keeps_newlines_tabs_and_real_joiners() -> None:
    assert clean_text("one\n\ttwo\r\nthree\rfour") == "one\n\ttwo\nthree\nfour"
    family = "\U0001f469\u200d\U0001f4bb"
    assert clean_text(family) == family


def test_it_removes_lone_surrogates() -> None:
    cleaned = clean_text("ok\ud800\udfffok")
    assert cleaned == "okok"
    assert cleaned.encode("utf-8")


def test_it_normalises_to_nfc() -> None:
    assert clean_text("Cafe\u0301") == "Caf\u00e9"


def test_it_collapses_whitespace_on_one_line() -> None:
    assert clean_text("  a \n\n b\t c\u00a0 d ", single_line=True) == "a b c d"


def test_it_truncates_to_max_length() -> None:
    assert clean_text("abcdef", max_length=3) == "abc"
    assert clean_text("ab cdef", max_length=3, single_line=True) == "ab"


def test_it_turns_html_into_paragraph_text() -> None:
    html = "<p>One &amp; <b>two</b></p><script>alert(1)</script><ul><li>three</li></ul>x<br>y"
    assert html_to_text(html) == "One & two\n\nthree\n\nx\n\ny"
    assert html_to_text("") == ""


@pytest.mark.parametrize(
    "html",
    ["<ul><li>" * 50_000, "<div>" * 100_000, "&" * 500_000, "a&#38;b " * 100_000],
)
def test_it_stays_fast_on_markup_that_makes_html5ever_quadratic(html: str) -> None:
    started = time.perf_counter()
    clean = sanitize_html(html)
    html_to_text(html)
    assert time.perf_counter() - started < 1
    assert sanitize_html(clean) == clean


def test_it_keeps_the_text_of_markup_nested_too_deep() -> None:
    clean = sanitize_html("<div>" * 300 + "deep <b>text</b> &amp; more" + "</div>" * 300)
    assert " ".join(clean.split()) == "deep text &amp; more"
