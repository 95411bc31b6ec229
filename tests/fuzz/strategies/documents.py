"""Feeds and subscription lists from outside: RSS, Atom and JSON Feed documents and OPML files
built from hostile parts, escaped or not, declared in one encoding and sent in another."""

import json
from functools import cache
from xml.sax.saxutils import escape, quoteattr

from hypothesis import strategies as st

from tests.fuzz.strategies.markup import encode, fragments
from tests.fuzz.strategies.text import awkward_text, long_text, mostly_xml, runs, urls

_YEARS = (0, 70, 1969, 1989, 2024, 2026, 2099, 9999, 10000, 99999)
_MONTHS = ("Jan", "Feb", "Mar", "Dec", "Foo", "")
_ZONES = ("GMT", "+0000", "-0700", "+9999", "EST", "Z", "", "UT", "+25:00")


def _date(year: int, month: int, day: int, hour: int, name: str, zone: str, form: int) -> str:
    rfc = f"Mon, {day:02} {name} {year} {hour:02}:00:00"
    iso = f"{year:04}-{month:02}-{day:02}T{hour:02}:00:00"
    return (f"{rfc} {zone}", f"{iso}{zone}", iso, rfc)[form]


@cache
def dates() -> st.SearchStrategy[str]:
    """RFC 822, ISO 8601 and garbage dates, with fields out of range."""
    written = st.builds(
        _date,
        st.sampled_from(_YEARS),
        st.integers(0, 13),
        st.integers(0, 40),
        st.integers(0, 99),
        st.sampled_from(_MONTHS),
        st.sampled_from(_ZONES),
        st.integers(0, 3),
    )
    tail = st.one_of(st.just(""), st.just(""), awkward_text(2))
    return st.builds(lambda date, rest: date + rest, written, tail)


# The ways a feed puts text in an element: escaped, as CDATA, raw (markup as markup), or with
# the CDATA end marker inside it.
_WRAPS = (
    escape,
    lambda text: f"<![CDATA[{text.replace(']]>', ']]]]><![CDATA[>')}]]>",
    lambda text: text,
    lambda text: f"<![CDATA[{text}]]>{text}]]>",
)


@cache
def _field(tag: str, values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda wrap, text: f"<{tag}>{wrap(text)}</{tag}>", st.sampled_from(_WRAPS), values
    )


AUTHOR_TAGS = (
    *("author", "dc:creator", "dc:author", "itunes:author", "managingEditor", "webMaster"),
    *("dc:publisher", "itunes:owner", "DC:Creator", "a:author", "contributor", "name"),
)


@cache
def authors() -> st.SearchStrategy[str]:
    """An author-like element whose text may hold a very long word, split by children,
    comments and CDATA sections: the input feedparser's email regex takes quadratic time on."""
    pieces = st.one_of(
        runs(20_000),
        awkward_text(3),
        st.sampled_from(("<b/>", "<b>x</b>", "<!-- c -->", "<![CDATA[a]]>", "<name>N</name>")),
        st.sampled_from(("<email>a@b.example</email>", "<author>", "</author>", " ", "@")),
    )
    return st.builds(
        lambda tag, attributes, inner: f"<{tag}{attributes}>{''.join(inner)}</{tag}>",
        st.sampled_from(AUTHOR_TAGS),
        st.sampled_from(("", ' role="x"', " /", "\n")),
        st.lists(pieces, max_size=5),
    )


@cache
def _rss_items() -> st.SearchStrategy[str]:
    field = st.one_of(
        _field("title", st.one_of(awkward_text(), fragments())),
        _field("link", urls()),
        _field("guid", st.one_of(awkward_text(4), urls(), st.just("labintel:id:x"))),
        _field("description", fragments()),
        _field("content:encoded", fragments()),
        _field("pubDate", dates()),
        _field("dc:date", dates()),
        authors(),
        urls().map(lambda url: f'<enclosure url="{url}" type="audio/mpeg"/>'),
    )
    item = st.lists(field, max_size=7).map(lambda parts: "<item>" + "".join(parts) + "</item>")
    return st.lists(item, max_size=4).map("".join)


def _content(kind: str, base: str, body: str) -> str:
    return f'<content type="{kind}" xml:base={quoteattr(base)}>{escape(body)}</content>'


@cache
def _atom_entries() -> st.SearchStrategy[str]:
    field = st.one_of(
        _field("title", st.one_of(awkward_text(), fragments())),
        urls().map(lambda url: f'<link rel="alternate" href={quoteattr(url)}/>'),
        _field("id", awkward_text(4)),
        _field("updated", dates()),
        _field("published", dates()),
        st.builds(
            _content,
            st.sampled_from(("html", "xhtml", "text", "text/html", "bogus")),
            urls(),
            fragments(),
        ),
        _field("summary", fragments()),
        authors(),
    )
    entry = st.lists(field, max_size=7).map(lambda parts: "<entry>" + "".join(parts) + "</entry>")
    return st.lists(entry, max_size=4).map("".join)


_PROLOGS = (
    '<?xml version="1.0" encoding="utf-8"?>',
    '<?xml version="1.0" encoding="iso-8859-1"?>',
    '<?xml version="1.0" encoding="utf-16"?>',
    '<?xml version="1.0" encoding="bogus"?>',
    '<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1/x.dtd">',
    "\ufeff",
    "",
)
_NAMESPACES = (
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
    'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"'
)


@cache
def _rss() -> st.SearchStrategy[str]:
    channel = st.tuples(
        _field("title", awkward_text()),
        _field("link", urls()),
        _field("ttl", st.one_of(awkward_text(2), st.integers().map(str))),
        _field("sy:updatePeriod", st.sampled_from(("hourly", "daily", "YEARLY", "x"))),
        _field("sy:updateFrequency", st.integers().map(str)),
        _rss_items(),
    ).map("".join)
    return channel.map(
        lambda inside: f'<rss version="2.0" {_NAMESPACES}><channel>{inside}</channel></rss>'
    )


@cache
def _atom() -> st.SearchStrategy[str]:
    inside = st.tuples(_field("title", awkward_text()), _atom_entries()).map("".join)
    return inside.map(
        lambda body: f'<feed xmlns="http://www.w3.org/2005/Atom" {_NAMESPACES}>{body}</feed>'
    )


@st.composite
def _xml_feed(
    draw: st.DrawFn,
    prologs: st.SearchStrategy[str],
    documents: st.SearchStrategy[str],
    encodings: st.SearchStrategy[str],
) -> bytes:
    document = draw(prologs) + draw(documents)
    return encode(mostly_xml(draw, document), draw(encodings))


@cache
def xml_feeds() -> st.SearchStrategy[bytes]:
    return _xml_feed(
        st.sampled_from(_PROLOGS),
        st.one_of(_rss(), _atom()),
        st.sampled_from(("utf-8", "utf-16", "latin-1", "cp1252")),
    )


@cache
def _json_values() -> st.SearchStrategy[object]:
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(), awkward_text(4), urls(), dates()
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=8,
    )


_ITEM_KEYS = (
    *("id", "url", "external_url", "title", "content_html", "content_text", "summary"),
    *("date_published", "date_modified", "author", "authors"),
)


@cache
def _json_items() -> st.SearchStrategy[list[object]]:
    value = st.one_of(_json_values(), fragments(), long_text(), urls(), dates())
    named = st.fixed_dictionaries({"name": awkward_text(3)})
    item = st.dictionaries(st.sampled_from(_ITEM_KEYS), value, max_size=8)
    with_authors = st.builds(
        lambda item, authors: {**item, "authors": authors},
        item,
        st.lists(st.one_of(named, _json_values()), max_size=2),
    )
    return st.lists(st.one_of(item, with_authors), max_size=4)


def _json_feed(feed: dict[str, object], ascii_only: bool, bom: str, bottomless: int) -> bytes:
    text = json.dumps(feed, ensure_ascii=ascii_only)
    if bottomless == 0:
        text = "[" * 100_000  # deeper than json's recursion limit
    return encode(bom + text, "utf-8")


@cache
def json_feeds() -> st.SearchStrategy[bytes]:
    version = st.sampled_from(
        ("https://jsonfeed.org/version/1.1", "https://jsonfeed.org/version/1", "1.1", "")
    )
    # Mostly the right types, so that most feeds reach the items; now and then anything.
    feed = st.fixed_dictionaries(
        {
            "version": st.one_of(version, version, version, _json_values()),
            "title": st.one_of(awkward_text(), awkward_text(), _json_values()),
            "home_page_url": st.one_of(urls(), urls(), _json_values()),
            "items": st.one_of(_json_items(), _json_items(), _json_items(), _json_values()),
        }
    )
    return st.builds(
        _json_feed, feed, st.booleans(), st.sampled_from(("", "\ufeff")), st.integers(0, 20)
    )


@cache
def feeds() -> st.SearchStrategy[bytes]:
    return st.one_of(xml_feeds(), xml_feeds(), json_feeds())


_CONTENT_TYPES = (
    *("", "application/rss+xml", "application/atom+xml; charset=utf-8", "text/xml"),
    *("application/xml; charset=iso-8859-1", "text/xml; charset=utf-16", "text/html"),
    *("image/png", "application/json", "text/xml; charset=bogus", "text/xml; charset="),
    *("text/xml; charset=\x00utf-8", "text/xml; charset=\xfftf-8", "text/xml; charset=ütf-8"),
)


@cache
def content_types() -> st.SearchStrategy[str]:
    """What servers put in Content-Type, which feedparser reads a charset from."""
    odd = st.builds("text/xml; charset={}".format, awkward_text(2))
    return st.one_of(st.sampled_from(_CONTENT_TYPES), odd)


# --- OPML -----------------------------------------------------------------------------------

_OPML_ATTRIBUTES = ("xmlUrl", "xmlurl", "XMLURL", "htmlUrl", "title", "text", "type")
_FEED_URL_NAMES = {"xmlUrl", "xmlurl", "XMLURL"}


def _outline_markup(attributes: list[tuple[str, str]], inner: list[str], feed_url: str) -> str:
    names = {name for name, _ in attributes}
    if feed_url and not _FEED_URL_NAMES & names:
        attributes = [*attributes, ("xmlUrl", feed_url)]  # most outlines of a list are feeds
    markup = "".join(f" {name}={quoteattr(value)}" for name, value in attributes)
    body = "".join(inner)
    return f"<outline{markup}>{body}</outline>" if body else f"<outline{markup}/>"


def _outline(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    attribute = st.tuples(st.sampled_from(_OPML_ATTRIBUTES), st.one_of(urls(), awkward_text(4)))
    return st.builds(
        _outline_markup,
        st.lists(attribute, max_size=3, unique_by=lambda pair: pair[0]),
        st.lists(children, max_size=3),
        st.one_of(urls(), urls(), urls(), st.just("")),
    )


_OPML_SOUP = (
    *("", "", "", "", "", ""),
    "<!DOCTYPE opml>",
    '<!DOCTYPE opml [<!ENTITY x "y">]>',
    '<!DOCTYPE opml SYSTEM "http://127.0.0.1/x.dtd">',
    "<?xml-stylesheet href='x'?>",
    "<!-- comment -->",
)


def _opml_markup(soup: str, root: str, title: str, outlines: list[str]) -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{soup}'
        f'<{root} version="2.0"><head><title>{escape(title)}</title></head>'
        f"<body>{''.join(outlines)}</body></{root}>"
    )


@st.composite
def _opml(draw: st.DrawFn, documents: st.SearchStrategy[str]) -> bytes:
    return encode(mostly_xml(draw, draw(documents)), "utf-8")


@cache
def opml() -> st.SearchStrategy[bytes]:
    outlines = st.recursive(_outline(st.just("")), _outline, max_leaves=6)
    document = st.builds(
        _opml_markup,
        st.sampled_from(_OPML_SOUP),
        st.sampled_from(("opml", "opml", "opml", "opml", "OPML", "rss")),
        awkward_text(),
        st.lists(outlines, max_size=4),
    )
    return _opml(document)
