"""An article page's main text, markup and metadata, from one trafilatura pass. No network.

The page is parsed once; trafilatura's own metadata steps read the fields we keep from that
tree, then one `bare_extraction` gives the plain text and the extracted body tree, and the HTML
is rendered from that tree (trafilatura 2.3.1's own `convert_to_html`), so trafilatura runs
once per page. `fast=True` skips its fallback extractors (readability, jusText), which
cost as much again and, with `favor_precision`, rarely find more article text; navigation,
related links, footers and comments are dropped. Bold and italics are not kept
(`include_formatting=False`): they cost a tenth of the extraction time, and headings, lists,
quotes, tables and links survive without them.
trafilatura's HTML keeps `onclick` and `javascript:` links, so it goes through
`sanitize_html` like everything else.
"""

import codecs
import contextlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from htmldate import find_date
from lxml.etree import _Element, tostring
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.metadata import (
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt

from apps.common.html import clean_text, paragraphs, sanitize_html
from apps.sources.parsers.urls import resolve_url

# Fewer words than this is a teaser, an index page or a paywall, not an article.
MIN_WORDS = 20
# A block whose visible characters are at least this share link text is navigation.
LINK_DENSITY = 0.8
TITLE_MAX, AUTHOR_MAX, LANGUAGE_MAX, URL_MAX, SITE_NAME_MAX = 1000, 300, 16, 2000, 300
EARLIEST_DATE = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)
# htmldate gives a full timestamp when the page has one (article:published_time, JSON-LD).
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"

# Only the start of a page declares its charset and language.
_HEAD_BYTES = 4096
# The space after a quote is matched only after one ("\s*["']?\s*" is quadratic in spaces, and
# a Content-Type header may hold 64 KB of them).
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*(?:["']\s*)?([A-Za-z0-9_.:-]{1,40})""", re.I
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*(?:["']\s*)?([A-Za-z0-9_.:-]{1,40})""", re.I)
_HTML_LANG = re.compile(
    r"""<html\b[^>]{0,500}?\blang\s*=\s*["']?([A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*)""", re.I
)


@dataclass(frozen=True)
class Extracted:
    title: str
    author: str
    text: str
    html: str
    published_at: datetime | None
    language: str
    canonical_url: str
    word_count: int
    site_name: str


_MARKDOWN_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\s]*\)")


def extract(html: str | bytes, *, url: str, content_type: str = "") -> Extracted | None:
    """The article in a page, or None when the page holds no usable article text.

    `canonical_url` is the page's rel=canonical (or og:url) when it declares an http(s) one;
    trafilatura falls back to `url` otherwise, which is the best canonical URL we know.
    `content_type` is the response's header: a charset there decides how bytes are read.
    """
    page = _decode(html, content_type=content_type) if isinstance(html, bytes) else html
    if not page.strip():
        return None
    tree = load_html(page)
    if tree is None:
        return None
    # Metadata first: trafilatura prunes its copy of the tree as it extracts.
    meta = _metadata(tree, url=url)
    document = bare_extraction(
        tree,
        url=url,
        output_format="python",
        with_metadata=False,
        include_formatting=False,
        include_links=True,
        include_comments=False,
        include_images=False,
        favor_precision=True,
        fast=True,
    )
    if not isinstance(document, Document) or document.body is None:
        return None
    # One blank line between paragraphs, as html_to_text gives for feed content. Links are kept
    # for the HTML, but trafilatura writes them into the text as Markdown: keep only their words.
    title = clean_text(meta.title or "", max_length=TITLE_MAX, single_line=True)
    raw_text = xmltotxt(document.body, False) if _drop_link_blocks(document.body) else document.text
    text = _without_headline(paragraphs(_MARKDOWN_LINK.sub(r"\1", raw_text or "")), title)
    word_count = len(text.split())
    if word_count < MIN_WORDS:
        return None
    markup = _html_of(document.body, title=title)
    return Extracted(
        title=title,
        author=clean_text(meta.author or "", max_length=AUTHOR_MAX, single_line=True),
        text=text,
        html=sanitize_html(markup, base_url=url),
        published_at=_parse_date(meta.date),
        language=_language(page),
        canonical_url=_canonical(meta.url, base=url),
        word_count=word_count,
        site_name=clean_text(meta.sitename or "", max_length=SITE_NAME_MAX, single_line=True),
    )


def _decode(body: bytes, *, content_type: str = "") -> str:
    """Bytes as text, as a browser reads them: a BOM, else the charset of the Content-Type
    header, else the meta charset, else UTF-8; never an exception."""
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", errors="replace")
    header = _HEADER_CHARSET.search(content_type)
    meta = _META_CHARSET.search(body[:_HEAD_BYTES])
    labels = [header.group(1) if header else "", meta.group(1).decode("ascii") if meta else ""]
    encoding = next(filter(None, map(_codec, labels)), "utf-8")
    return body.decode(encoding, errors="replace")


# Markup any web page's charset must read as written. A label naming anything else is lying or
# hostile: UTF-16/32 in ASCII bytes, EBCDIC, UTF-7 (its "+ADw-" is "<"), escape codecs, and the
# codecs that are not text at all (base64, zlib) or raise on any byte (idna, undefined).
_ASCII_PROBE = b"<meta charset='x'>+-\\u0041 &amp;</p>"


def _codec(label: str) -> str:
    """The codec for a charset label, or "" when it is unknown or not one a page can use.
    Latin-1 and ASCII labels mean Windows-1252, as in browsers (WHATWG Encoding)."""
    try:
        name = codecs.lookup(label).name if label else ""
        reads_markup = _ASCII_PROBE.decode(name, errors="replace") == _ASCII_PROBE.decode()
    except (LookupError, UnicodeError):
        return ""
    if not reads_markup:
        return ""
    return "cp1252" if name in ("ascii", "iso8859-1") else name


def _metadata(tree: HtmlElement, *, url: str) -> Document:
    """The fields we keep, from trafilatura's own metadata steps.

    `extract_metadata` also works out categories, tags, licence and the registered domain, which
    we never store and which cost as much as the rest together; so only these steps run.
    """
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # a lone word in an author tag is a handle or a section name
    with contextlib.suppress(Exception):  # JSON-LD in the wild breaks its parser in many ways
        meta = extract_meta_json(tree, meta)
    meta.title = meta.title or extract_title(tree)
    meta.author = meta.author or extract_author(tree)
    meta.url = meta.url or extract_url(tree, url)
    meta.sitename = meta.sitename or extract_sitename(tree)
    meta.date = _page_date(tree, url=meta.url)
    return meta


def _page_date(tree: HtmlElement, *, url: str | None) -> str | None:
    """htmldate's reading of the page's date, or None where it cannot read the tree: it asserts
    on shapes lxml gives some tag soup (a page whose root element is an <svg>)."""
    try:
        return find_date(
            tree,
            url=url,
            original_date=True,
            extensive_search=False,
            # Computed per call: a worker runs for weeks, and "today" moves on.
            max_date=datetime.now(UTC).strftime("%Y-%m-%d"),
            outputformat=DATE_FORMAT,
        )
    except Exception:  # a date is optional; an article without one is still an article
        return None


def _drop_link_blocks(body: _Element) -> bool:
    """Remove lists and paragraphs that are (almost) all links: "read more", related stories and
    tag lists that survived extraction are navigation, not the article. True if any went."""
    dropped = False
    for block in [*body.iter("list"), *body.iter("p")]:
        parent = block.getparent()
        if parent is None or not _link_dense(block):
            continue
        label = block.getprevious()
        if block.tag == "list" and label is not None and label.tag == "head":
            parent.remove(label)  # the "Related stories" heading goes with its list
        parent.remove(block)
        dropped = True
    return dropped


def _link_dense(block: _Element) -> bool:
    text = len("".join("".join(block.itertext()).split()))
    linked = sum(len("".join("".join(ref.itertext()).split())) for ref in block.iter("ref"))
    return text > 0 and linked >= LINK_DENSITY * text


def _without_headline(text: str, title: str) -> str:
    """Some templates put the headline inside the article body; it is the title, not the text."""
    first, _, rest = text.partition("\n\n")
    return rest if rest and title and _same_words(first, title) else text


def _same_words(one: str, other: str) -> bool:
    return one.casefold().split() == other.casefold().split()


def _html_of(body: _Element, *, title: str) -> str:
    first = next(iter(body), None)
    if first is not None and title and _same_words("".join(first.itertext()), title):
        body.remove(first)
    for heading in body.iter("head"):
        # The page's own <h1> repeats the title, which we store apart; we allow h2-h6 only.
        if heading.get("rend") == "h1":
            heading.set("rend", "h2")
    markup = tostring(convert_to_html(body), encoding="unicode")
    # convert_to_html wraps the fragment in <html><body>; nh3 wants the fragment.
    return markup.removeprefix("<html><body>").removesuffix("</body></html>")


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    parsed = parsed.astimezone(UTC)
    if parsed < EARLIEST_DATE or parsed > datetime.now(UTC) + FUTURE_SLACK:
        return None
    return parsed


def _language(page: str) -> str:
    match = _HTML_LANG.search(page[:_HEAD_BYTES])
    return match.group(1).replace("_", "-").lower()[:LANGUAGE_MAX] if match else ""


def _canonical(value: str | None, *, base: str) -> str:
    url = resolve_url(value or "", base=base)
    return url if len(url) <= URL_MAX else ""
