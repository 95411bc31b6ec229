"""OPML subscription lists in and out. No database, no network.

Parsing uses defusedxml with DTDs, entities and external references all forbidden, after a
size cap, and refuses more outlines than OPML_MAX_OUTLINES: an import is a curator's upload,
and a hostile one must not cost more than reading the file. Categories (nested outlines) are
flattened; outlines without an http(s) xmlUrl are skipped (the caller still runs every feed
URL through the network guard before fetching it).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, tostring
from xml.etree.ElementTree import ParseError as XMLParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.conf import settings

from apps.common.errors import ParseError, TooLarge
from apps.common.html import clean_text
from apps.sources.parsers.urls import resolve_url

# Source field lengths (apps/sources/models.py).
URL_MAX, TITLE_MAX = 2000, 300


@dataclass(frozen=True)
class OpmlFeed:
    feed_url: str
    title: str
    site_url: str


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds in an OPML file, in document order, each feed URL once."""
    if len(data) > settings.OPML_MAX_BYTES:
        raise TooLarge(
            f"The OPML file is {len(data):,} bytes; the limit is {settings.OPML_MAX_BYTES:,}."
        )
    outlines = _outlines(_root(data))
    feeds: dict[str, OpmlFeed] = {}
    for outline in outlines:
        feed = _feed(outline)
        if feed is not None:
            feeds.setdefault(feed.feed_url, feed)
    return list(feeds.values())


def render_opml(feeds: Iterable[OpmlFeed], *, title: str) -> bytes:
    """An OPML 2.0 document listing the feeds; parse_opml reads it back unchanged."""
    root = Element("opml", version="2.0")
    SubElement(SubElement(root, "head"), "title").text = clean_text(title, single_line=True)
    body = SubElement(root, "body")
    for feed in feeds:
        # clean_text: a control character would make the document unreadable XML.
        feed_url = clean_text(feed.feed_url, single_line=True)
        # OPML requires text; the feed URL stands in for a missing title.
        name = clean_text(feed.title, single_line=True) or feed_url
        outline = SubElement(body, "outline", type="rss", text=name, title=name)
        outline.set("xmlUrl", feed_url)
        if feed.site_url:
            outline.set("htmlUrl", clean_text(feed.site_url, single_line=True))
    return tostring(root, encoding="utf-8", xml_declaration=True)


def _root(data: bytes) -> Element:
    if not data.strip():
        raise ParseError("The OPML file is empty.")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise ParseError(
            "The OPML file declares a DTD or entities, which we refuse for safety."
        ) from error
    except (XMLParseError, LookupError) as error:  # LookupError: an unknown declared encoding
        detail = clean_text(str(error), max_length=200, single_line=True)
        raise ParseError(f"The file is not valid XML ({detail}).") from error
    if root.tag != "opml":
        tag = clean_text(str(root.tag), max_length=60, single_line=True)
        raise ParseError(f"This is XML, but not OPML (the root element is <{tag}>).")
    return root


def _outlines(root: Element) -> list[Element]:
    outlines = list(root.iter("outline"))
    if len(outlines) > settings.OPML_MAX_OUTLINES:
        raise ParseError(
            f"The OPML file has {len(outlines):,} outlines; "
            f"the limit is {settings.OPML_MAX_OUTLINES:,}."
        )
    return outlines


def _feed(outline: Element) -> OpmlFeed | None:
    # Exporters disagree on the case of attribute names (xmlUrl, xmlurl, XMLURL).
    attributes = {name.lower(): value for name, value in outline.attrib.items()}
    feed_url = _web_url(attributes.get("xmlurl", ""))
    if not feed_url:
        return None
    title = attributes.get("title") or attributes.get("text") or ""
    if title == attributes.get("xmlurl"):  # a stand-in for a missing title (as we write it)
        title = ""
    return OpmlFeed(
        feed_url=feed_url,
        title=clean_text(title, max_length=TITLE_MAX, single_line=True),
        site_url=_web_url(attributes.get("htmlurl", "")),
    )


def _web_url(value: str) -> str:
    # No base: a relative URL in an OPML file points nowhere we know.
    url = resolve_url(value, base="")
    return url if len(url) <= URL_MAX else ""
