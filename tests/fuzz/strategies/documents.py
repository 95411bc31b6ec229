"""Feeds and subscription lists from outside: RSS, Atom and JSON Feed documents and OPML files
built from hostile parts, escaped or not, declared in one encoding and sent in another."""

import json
from xml.sax.saxutils import escape, quoteattr

from hypothesis import strategies as st

from tests.fuzz.strategies.markup import encode, fragments
from tests.fuzz.strategies.text import awkward_text, long_text, runs, urls

_MONTHS = ("Jan", "Feb", "Mar", "Dec", "Foo", "")
_ZONES = ("GMT", "+0000", "-0700", "+9999", "EST", "Z", "", "UT", "+25:00")
# The ways a feed puts text in an element: escaped, as CDATA, raw (markup as markup), or with
# the CDATA end marker inside it.
_WRAPS = ("escaped", "cdata", "raw", "broken-cdata")


@st.composite
def dates(draw: st.DrawFn) -> str:
    """RFC 822, ISO 8601 and garbage dates, with fields out of range."""
    year = draw(st.sampled_from((0, 70, 1969, 1989, 2024, 2026, 2099, 9999, 10000, 99999)))
    day, hour = draw(st.integers(0, 40)), draw(st.integers(0, 99))
    rfc = f"Mon, {day:02} {draw(st.sampled_from(_MONTHS))} {year} {hour:02}:00:00"
    iso = f"{year:04}-{draw(st.integers(0, 13)):02}-{day:02}T{hour:02}:00:00"
    zone = draw(st.sampled_from(_ZONES))
    return draw(st.sampled_from((f"{rfc} {zone}", f"{iso}{zone}", iso, rfc))) + draw(
        st.sampled_from(("", "", draw(awkward_text(2))))
    )


@st.composite
def wrapped(draw: st.DrawFn, text: str) -> str:
    way = draw(st.sampled_from(_WRAPS))
    if way == "escaped":
        return escape(text)
    if way == "cdata":
        return f"<![CDATA[{text.replace(']]>', ']]]]><![CDATA[>')}]]>"
    if way == "broken-cdata":
        return f"<![CDATA[{text}]]>{text}]]>"
    return text


AUTHOR_TAGS = (
    *("author", "dc:creator", "dc:author", "itunes:author", "managingEditor", "webMaster"),
    *("dc:publisher", "itunes:owner", "DC:Creator", "a:author", "contributor", "name"),
)


@st.composite
def authors(draw: st.DrawFn) -> str:
    """An author-like element whose text may hold a very long word, split by children,
    comments and CDATA sections: the input feedparser's email regex takes quadratic time on."""
    tag = draw(st.sampled_from(AUTHOR_TAGS))
    pieces = st.one_of(
        runs(20_000),
        awkward_text(3),
        st.sampled_from(("<b/>", "<b>x</b>", "<!-- c -->", "<![CDATA[a]]>", "<name>N</name>")),
        st.sampled_from(("<email>a@b.example</email>", "<author>", "</author>", " ", "@")),
    )
    inner = "".join(draw(st.lists(pieces, max_size=5)))
    attributes = draw(st.sampled_from(("", ' role="x"', " /", "\n")))
    return f"<{tag}{attributes}>{inner}</{tag}>"


@st.composite
def _field(draw: st.DrawFn, tag: str, values: st.SearchStrategy[str]) -> str:
    return f"<{tag}>{draw(wrapped(draw(values)))}</{tag}>"


def _rss_item() -> st.SearchStrategy[str]:
    fields = st.one_of(
        _field("title", st.one_of(awkward_text(), fragments())),
        _field("link", urls()),
        _field("guid", st.one_of(awkward_text(4), urls(), st.just("labintel:id:x"))),
        _field("description", fragments()),
        _field("content:encoded", fragments()),
        _field("pubDate", dates()),
        _field("dc:date", dates()),
        authors(),
        st.builds(lambda url: f'<enclosure url="{url}" type="audio/mpeg"/>', urls()),
    )
    return st.lists(fields, max_size=8).map(lambda parts: "<item>" + "".join(parts) + "</item>")


def _atom_entry() -> st.SearchStrategy[str]:
    content_type = st.sampled_from(("html", "xhtml", "text", "text/html", "bogus"))
    fields = st.one_of(
        _field("title", st.one_of(awkward_text(), fragments())),
        st.builds(lambda url: f'<link rel="alternate" href={quoteattr(url)}/>', urls()),
        _field("id", awkward_text(4)),
        _field("updated", dates()),
        _field("published", dates()),
        st.builds(
            lambda kind, base, body: (
                f'<content type="{kind}" xml:base={quoteattr(base)}>{escape(body)}</content>'
            ),
            content_type,
            urls(),
            fragments(),
        ),
        _field("summary", fragments()),
        authors(),
    )
    return st.lists(fields, max_size=8).map(lambda parts: "<entry>" + "".join(parts) + "</entry>")


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


@st.composite
def rss(draw: st.DrawFn) -> str:
    items = "".join(draw(st.lists(_rss_item(), max_size=5)))
    channel = (
        f"{draw(_field('title', awkward_text()))}{draw(_field('link', urls()))}"
        f"{draw(_field('ttl', st.one_of(awkward_text(2), st.integers().map(str))))}"
        f"{draw(_field('sy:updatePeriod', st.sampled_from(('hourly', 'daily', 'YEARLY', 'x'))))}"
        f"{draw(_field('sy:updateFrequency', st.integers().map(str)))}"
    )
    return f'<rss version="2.0" {_NAMESPACES}><channel>{channel}{items}</channel></rss>'


@st.composite
def atom(draw: st.DrawFn) -> str:
    entries = "".join(draw(st.lists(_atom_entry(), max_size=5)))
    title = draw(_field("title", awkward_text()))
    return f'<feed xmlns="http://www.w3.org/2005/Atom" {_NAMESPACES}>{title}{entries}</feed>'


@st.composite
def xml_feeds(draw: st.DrawFn) -> bytes:
    document = draw(st.sampled_from(_PROLOGS)) + draw(st.one_of(rss(), atom()))
    return encode(document, draw(st.sampled_from(("utf-8", "utf-16", "latin-1", "cp1252"))))


def _json_values() -> st.SearchStrategy[object]:
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(), awkward_text(4), urls(), dates()
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(), inner)),
        max_leaves=8,
    )


@st.composite
def _json_item(draw: st.DrawFn) -> object:
    keys = (
        *("id", "url", "external_url", "title", "content_html", "content_text", "summary"),
        *("date_published", "date_modified", "author", "authors"),
    )
    value = st.one_of(_json_values(), fragments(), long_text(), urls(), dates())
    item = draw(st.dictionaries(st.sampled_from(keys), value, max_size=8))
    if draw(st.booleans()):
        item["authors"] = [{"name": draw(awkward_text(3))}, draw(_json_values())]
    return item


@st.composite
def json_feeds(draw: st.DrawFn) -> bytes:
    version = st.sampled_from(
        ("https://jsonfeed.org/version/1.1", "https://jsonfeed.org/version/1", "1.1", "")
    )
    feed = {
        "version": draw(st.one_of(version, _json_values())),
        "title": draw(st.one_of(awkward_text(), _json_values())),
        "home_page_url": draw(st.one_of(urls(), _json_values())),
        "items": draw(st.one_of(st.lists(_json_item(), max_size=5), _json_values())),
    }
    text = json.dumps(feed, ensure_ascii=draw(st.booleans()))
    if draw(st.integers(0, 20)) == 0:
        text = "[" * 100_000  # deeper than json's recursion limit
    return encode(draw(st.sampled_from(("", "\ufeff"))) + text, "utf-8")


def feeds() -> st.SearchStrategy[bytes]:
    return st.one_of(xml_feeds(), xml_feeds(), json_feeds())


# --- OPML -----------------------------------------------------------------------------------

_OPML_ATTRIBUTES = ("xmlUrl", "xmlurl", "XMLURL", "htmlUrl", "title", "text", "type")


@st.composite
def _outline(draw: st.DrawFn, children: st.SearchStrategy[str]) -> str:
    names = draw(st.lists(st.sampled_from(_OPML_ATTRIBUTES), max_size=4, unique=True))
    values = st.one_of(urls(), awkward_text(4))
    attributes = "".join(f" {name}={quoteattr(draw(values))}" for name in names)
    inner = "".join(draw(st.lists(children, max_size=3)))
    return f"<outline{attributes}>{inner}</outline>" if inner else f"<outline{attributes}/>"


_OPML_SOUP = (
    "",
    "<!DOCTYPE opml>",
    '<!DOCTYPE opml [<!ENTITY x "y">]>',
    '<!DOCTYPE opml SYSTEM "http://127.0.0.1/x.dtd">',
    "<?xml-stylesheet href='x'?>",
    "<!-- comment -->",
)


@st.composite
def opml(draw: st.DrawFn) -> bytes:
    outlines = st.recursive(st.just(""), lambda inner: _outline(inner), max_leaves=12)
    body = "".join(draw(st.lists(outlines, max_size=6)))
    root = draw(st.sampled_from(("opml", "opml", "OPML", "rss")))
    document = (
        f'<?xml version="1.0" encoding="utf-8"?>{draw(st.sampled_from(_OPML_SOUP))}'
        f'<{root} version="2.0"><head><title>{escape(draw(awkward_text()))}</title></head>'
        f"<body>{body}</body></{root}>"
    )
    return encode(document, "utf-8")
