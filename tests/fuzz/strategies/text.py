"""Strings from outside: text with the characters that break storage and display, and URLs in
every spelling a guard has to read."""

import re
from functools import cache

from hypothesis import strategies as st

# Strategies are built once and reused (hence the caches): building one inside every draw
# costs more than drawing from it.

# NUL and other C0/C1 controls, bidi overrides and isolates, invisible and non-characters, lone
# surrogates, the tag block, line separators, characters that change length when lower-cased
# or normalised, and the markup characters themselves.
AWKWARD = tuple(
    "\x00\x01\x08\x0b\x0c\x1b\x7f\x80\x85\x9f\u00ad\u180e\u200b\u200d\u202a\u202e\u2060\u2066"
    "\u2069\u2028\u2029\ufeff\ufff9\ufffe\uffff\ud800\udbff\udc00\udfff\U000e0001\U000e0041"
    "\u0130\ufb01\u0301\u0345\U0001d54f\u01c5\u00df\u212a\r\n\t <>&\"'"
)
ENTITIES = (
    *("&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&#0;", "&#x0;", "&#xd800;", "&#xDFFF;"),
    *("&#x202e;", "&#128512;", "&#x110000;", "&#99999999999;", "&bogus;", "&", "&#", "&#x;"),
    *("&#x09;", "&Tab;", "&NewLine;", "&colon;", "&#106;", "&#x6A;", "&#27;", "&#133;"),
)
WORDS = (
    *("xAI", "Musk", "GPU", "Colossus", "the", "of", "and", "billion", "Grok", "Memphis"),
    *("Ba", "X", "x", "Meta", "meta-analysis", "O'Brien", "Jean-Luc", "U.S.", "Inc.", "Mr."),
)
# A long run of one token: feedparser's author regex, html5ever's entity handling and the
# rules' regexes are all tested against them.
_RUN_UNITS = ("a", "a.", "a-", "&#97;", "x@", " ", "<", "&amp;", "<b>", "(", "1", "1,", "$")


@cache
def runs(max_repeat: int = 3000) -> st.SearchStrategy[str]:
    return st.builds(
        lambda unit, n: unit * n, st.sampled_from(_RUN_UNITS), st.integers(1, max_repeat)
    )


def _as_text(data: bytes) -> str:
    """Random bytes as random characters, cheaply: as Latin-1 (every C0 and C1 control) or as
    UTF-16 (any BMP character, lone surrogates included), by the first byte's parity."""
    if not data or data[0] % 2:
        return data.decode("latin-1")
    pairs = data[1 : 1 + (len(data) - 1) // 2 * 2]
    return pairs.decode("utf-16-le", errors="surrogatepass")


_PIECES = (*AWKWARD, *ENTITIES, *WORDS)


@cache
def awkward_text(max_pieces: int = 8) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(_PIECES), st.binary(max_size=16).map(_as_text))
    return st.lists(piece, max_size=max_pieces).map("".join)


def long_text() -> st.SearchStrategy[str]:
    """Awkward text with, now and then, a run long enough to expose quadratic costs."""
    return st.lists(st.one_of(awkward_text(6), runs()), max_size=4).map("".join)


SCHEMES = (
    *("http", "https", "HTTP", "hTTps", "ftp", "file", "gopher", "data", "javascript", "feed"),
    *("mailto", "vbscript", "", "jav\tascript", " https", "http\n"),
)
# Full-width letters and digits, which IDNA folds to ASCII (four full-width 8s are 8.8.8.8).
_WIDE_EXAMPLE, _WIDE_EIGHTS = (
    "\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com",
    ".".join("\uff18" * 4),
)
HOSTS = (
    *("example.com", "EXAMPLE.com.", "news.example", "xn--bcher-kva.example", "bücher.example"),
    *(_WIDE_EXAMPLE, "example。com", "a..b", "-a.example", "a_b.example", "xn--", "localhost"),
    *("127.0.0.1", "2130706433", "0x7f.1", "0177.0.0.1", "127.1", "0", "0.0.0.0", "10.0.0.1"),
    *("169.254.169.254", "100.64.0.1", "192.168.1.1", "93.184.215.14", _WIDE_EIGHTS, "1.1.1.1"),
    *("[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[64:ff9b::a00:1]", "[64:ff9b::808:808]"),
    *("[2002:7f00:1::]", "[fe80::1%25eth0]", "[2606:4700::1111]", "[::]", "[", "[::1", ""),
    *("127.0.0.1\\@example.com", "user:pass@example.com", "@example.com", "a" * 300),
)
PORTS = ("", ":", ":80", ":443", ":8080", ":0", ":65536", ":99999", ":http", ":-1", ":\uff18\uff10")
SEPARATORS = ("://", ":", ":/", ":\\\\", ":///", "://\t", "")
PATHS = (
    *("", "/", "/a/b", "/../../etc/passwd", "/%00", "/ü", "/a b", "\\a", "/a#b", "//x"),
    *("/\u202egnp.exe", "/\x85", "/\x00", "/\ud800", "/\ufeff", "/a\tb", "/\u0130"),
)
QUERIES = (
    *("", "?utm_source=x", "?id=1&fbclid=2", "?a=1&utm_medium=&b", "?%75tm_x=1", "?ref=home"),
    *("?q=ü", "?&&", "#fragment", "?x=1#y"),
)


_ORDINARY_HOSTS = st.sampled_from(("example.com", "news.example", "bücher.example"))


@cache
def urls(hosts: tuple[str, ...] = HOSTS) -> st.SearchStrategy[str]:
    """URLs put together from parts each guard reads differently, or plain awkward text."""
    ordinary = st.builds(
        lambda host, path, query: f"https://{host}{path}{query}",
        _ORDINARY_HOSTS,
        st.sampled_from(PATHS[:3]),
        st.sampled_from(QUERIES),
    )
    parts = st.tuples(*(st.sampled_from(p) for p in (SCHEMES, SEPARATORS, hosts, PORTS, PATHS)))
    odd = st.builds(_with_insertions, parts, st.sampled_from(QUERIES), _INSERTIONS)
    return st.one_of(awkward_text(6), ordinary, ordinary, ordinary, odd, odd, odd, odd, odd, odd)


_INSERTIONS = st.lists(st.tuples(st.integers(0, 6), awkward_text(2)), max_size=2)


def _with_insertions(parts: tuple[str, ...], query: str, insertions: list[tuple[int, str]]):
    pieces = [*parts, query]
    for at, text in insertions:
        pieces.insert(at, text)
    return "".join(pieces)


@cache
def hrefs() -> st.SearchStrategy[str]:
    """Link targets: script schemes in disguise, relative links, and ordinary URLs."""
    disguised = st.sampled_from(
        (
            *("javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:x", "\x01javascript:x"),
            *("jav&#x09;ascript:x", "jav\tascript:x", "&#106;avascript:x", "javascript&colon;x"),
            *("data:text/html,<script>x</script>", "vbscript:x", "//evil.example/", "/relative"),
            *("relative/path", "#frag", "?q", "mailto:a@example.com", "feed:x", "file:///etc"),
            *("http:evil", "\\\\evil", "https://example.com/a?b#c", "http://[::1]/"),
        )
    )
    return st.one_of(disguised, urls())


# Characters no XML document may hold; a document with one is refused whole.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


_ROLL = st.integers(0, 4)


def mostly_xml(draw: st.DrawFn, document: str) -> str:
    """Most of the time without what XML cannot hold, so that most documents get past the
    XML parser to our own code; now and then as it came."""
    return document if draw(_ROLL) == 0 else _NOT_XML.sub("", document)
