"""HTML from outside: fragments with script in every place it can hide, tag soup, and whole
article pages in the encodings pages declare (and lie about)."""

import json
from functools import cache

from hypothesis import strategies as st

from tests.fuzz.strategies.text import awkward_text, hrefs, long_text, urls

TAGS = (
    *("p", "a", "img", "ul", "li", "ol", "table", "tr", "td", "th", "h1", "h2", "blockquote"),
    *("pre", "code", "em", "b", "figure", "figcaption", "br", "hr", "div", "span", "section"),
    *("script", "style", "iframe", "svg", "math", "form", "object", "embed", "template"),
    *("noscript", "title", "textarea", "select", "button", "video", "xmp", "plaintext"),
    *("noembed", "base", "meta", "link", "frame", "body", "html", "head", "P", "A", "sCrIpT"),
)
ATTRIBUTES = (
    *("href", "src", "srcset", "onclick", "onerror", "style", "class", "id", "hx-get"),
    *("data-hx-post", "hx-on:click", "xlink:href", "formaction", "srcdoc", "action", "title"),
    *("alt", "colspan", "start", "rel", "target", "HREF", "on\x00click", "scope"),
)
_QUOTES = ('"{}"', "'{}'", "{}", '"{}')
_SOUP = (
    *("<!--", "-->", "<!-- x -->", "<![CDATA[", "]]>", "<!", "<?php ?>", "</", "<", ">", "&"),
    *("</p>", "</table>", "<table><p>", "<p><table>", "<a><a>", "</br>", "<li>", "<math><mi>"),
    *("<svg><style><img src=x onerror=alert(1)>", '<noscript><p title="</noscript><img>">'),
    *("<select><template><style>", "<form><math><mtext></form><form><mglyph><style></math>"),
)


@cache
def attributes() -> st.SearchStrategy[str]:
    one = st.builds(
        lambda name, value, quote: f" {name}=" + quote.format(value),
        st.sampled_from(ATTRIBUTES),
        st.one_of(hrefs(), awkward_text(4)),
        st.sampled_from(_QUOTES),
    )
    return st.lists(one, max_size=2).map("".join)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attrs, inner, close: (
            f"<{tag}{attrs}>{''.join(inner)}" + close.format(tag=tag, upper=tag.upper())
        ),
        st.sampled_from(TAGS),
        attributes(),
        st.lists(children, max_size=3),
        st.sampled_from(("</{tag}>", "", "</{upper} >")),
    )


@cache
def fragments() -> st.SearchStrategy[str]:
    """HTML fragments: nested elements, soup, awkward text, and now and then deep nesting."""
    leaf = st.one_of(awkward_text(4), st.sampled_from(_SOUP))
    tree = st.recursive(leaf, _element, max_leaves=12)
    deep = st.builds(
        lambda open_tag, n, inner: open_tag * n + inner,
        st.sampled_from(("<ul><li>", "<div>", "<blockquote>", "<b><i>", "<table><tr><td>")),
        st.integers(1, 700),
        tree,
    )
    return st.one_of(tree, tree, tree, deep, long_text())


_PROSE = (
    "xAI co-founder Igor Babuschkin has left the company to start a venture firm, he said.",
    "The Colossus supercomputer in Memphis now runs 200,000 GPUs, according to xAI.",
    "Regulators approved a permit for 15 gas turbines at the site on Tuesday.",
)


def _page(title: str, head: tuple[str, ...], paragraphs: list[str], lang: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><title>{title}</title>{"".join(head)}</head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
        "<footer>Cookies</footer></body></html>"
    )


@cache
def pages() -> st.SearchStrategy[bytes]:
    """An article page: head metadata (charset, language, canonical, author, date, JSON-LD)
    around a body of real prose and hostile markup, in the encoding it declares or not."""
    charsets = ("utf-8", "windows-1252", "utf-16", "bogus", "latin-1")
    head = st.tuples(
        st.sampled_from(charsets).map('<meta charset="{}">'.format) | st.just(""),
        hrefs().map('<link rel="canonical" href="{}">'.format),
        urls().map('<meta property="og:url" content="{}">'.format),
        awkward_text(3).map('<meta name="author" content="{}">'.format),
        awkward_text(3).map('<meta property="article:published_time" content="{}">'.format),
        _json_ld().map('<script type="application/ld+json">{}</script>'.format),
    )
    prose = st.lists(st.sampled_from(_PROSE), min_size=1, max_size=3).map(" ".join)
    page = st.builds(
        _page,
        awkward_text(4),
        head,
        st.lists(st.one_of(prose, prose, fragments()), min_size=1, max_size=6),
        st.sampled_from(("en", "en-US", "x" * 40, "", "de_DE", '"><script>')),
    )
    return st.builds(encode, page, st.sampled_from(("utf-8", "cp1252", "utf-16", "latin-1")))


def encode(text: str, encoding: str) -> bytes:
    """Text as bytes; lone surrogates kept as the invalid bytes a broken page would send."""
    return text.encode(
        encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace"
    )


@cache
def _json_ld() -> st.SearchStrategy[str]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), awkward_text(3))
    values = st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(
                st.sampled_from(("@type", "author", "name", "datePublished", "headline", "url")),
                inner,
                max_size=4,
            ),
        ),
        max_leaves=12,
    )
    as_text = st.builds(json.dumps, values)
    return st.one_of(as_text, awkward_text(4), st.just("{" * 2000))
