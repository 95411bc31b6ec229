"""Making outside HTML and text safe to store and show.

`sanitize_html` is the one way an HTML fragment from a feed or a page reaches the database; it
is an nh3 fixed point with http/https/mailto links only. `clean_text` is the one way any other
string does: no NUL or control characters (PostgreSQL refuses NUL, and control and bidi
characters spoof what a reader sees), NFC, and optionally one line and a maximum length.
"""

import html as html_lib
import re
import unicodedata
from typing import Literal

import nh3

# Article markup only: structure, emphasis, quotes, code, images and tables. Anything else
# (div, span, iframe, svg, math, form, video, ...) is unwrapped or, below, dropped with its
# content.
ALLOWED_TAGS = frozenset(
    {
        *("p", "br", "hr", "a", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "q", "cite"),
        *("em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup", "mark", "small"),
        *("abbr", "h2", "h3", "h4", "h5", "h6", "pre", "code", "kbd", "samp"),
        *("figure", "figcaption", "img", "table", "caption", "thead", "tbody", "tfoot"),
        *("tr", "th", "td"),
    }
)
# No style, class, id, on*, hx-*, data-* or srcset anywhere: only what an article needs.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
# Their content is code, chrome or fallback markup, never article text.
DROPPED_WITH_CONTENT = frozenset(
    {
        *("script", "style", "template", "noscript", "iframe", "frame", "frameset", "object"),
        *("embed", "applet", "svg", "math", "form", "button", "select", "textarea", "title"),
        *("head", "canvas", "audio", "video", "noembed", "noframes", "xmp", "plaintext"),
    }
)
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"
# Extra passes until the output is its own sanitisation (one is almost always enough).
_MAX_PASSES = 4
_RelativePolicy = Literal["deny"] | tuple[Literal["rewrite_with_base"], str]

# C0 controls except \t and \n (\r is turned into \n first), DEL and C1 controls; bidi
# embeddings, overrides and isolates (they reorder what a reader sees: "Trojan Source");
# invisible characters used to hide or smuggle text (zero-width space, word joiner and
# invisible operators, deprecated format characters, BOM, interlinear annotations, the tag
# block); lone surrogates and the two non-characters, which no database text should hold.
# Zero-width (non-)joiners and LRM/RLM stay: real scripts and emoji need them.
_UNSAFE_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u180e\u200b\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff\U000e0000-\U000e007f]"
)
_NEWLINES = re.compile("[\r\x85\u2028\u2029]")
# Block-level boundaries become paragraph breaks when markup is turned into text.
_BLOCK_TAG = re.compile(
    # One way to match the space around the "/": "<\s*/?\s*" is quadratic in a run of spaces.
    r"<\s*(?:/\s*)?(?:p|div|br|hr|li|dt|dd|h[1-6]|blockquote|pre|tr|table|ul|ol|dl|figure"
    r"|figcaption|section|article|header|footer|aside|main)\b[^<>]*>",  # [^<>]: linear
    re.IGNORECASE,
)

# Deeper than any real article; html5ever's cost grows with the square of the depth.
MAX_NESTING = 256
_OPEN_OR_CLOSE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]{0,20})")
# Void elements, and elements whose end tag is optional (html5ever closes them implicitly).
_NOT_NESTING = frozenset(
    {
        *("br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source"),
        *("track", "wbr", "param", "keygen", "li", "p", "dt", "dd", "tr", "td", "th", "option"),
        *("optgroup", "tbody", "thead", "tfoot", "colgroup", "caption", "rb", "rt", "rp"),
    }
)
MAX_AMPERSANDS = 10_000
_ANY_TAG = re.compile(r"<[^<>]*>")


def clean_text(value: str, *, max_length: int | None = None, single_line: bool = False) -> str:
    """Text that is safe to store and show: no control or spoofing characters, NFC."""
    value = _NEWLINES.sub("\n", value.replace("\r\n", "\n"))
    value = _UNSAFE_CHARS.sub("", value)
    value = unicodedata.normalize("NFC", value)
    value = " ".join(value.split()) if single_line else value.strip()
    if max_length is not None and len(value) > max_length:
        value = value[:max_length].rstrip()
    return value


def sanitize_html(html: str, *, base_url: str = "") -> str:
    """An nh3 fixed point: article tags only, http/https/mailto links, nothing active.

    Relative URLs are resolved against `base_url` when it is an http(s) URL, else dropped.
    """
    # Tag soup can parse differently once cleaned (html5ever moves misnested blocks, and its
    # output may nest deeper or hold more "&" than its input did): a few more passes, each
    # tamed again, always settle it in practice, so the stored value is a true fixed point.
    cleaned = _sanitize_once(_tame(html), base_url=base_url)
    for _ in range(_MAX_PASSES):
        again = _sanitize_once(_tame(cleaned), base_url=base_url)
        if again == cleaned:
            return cleaned
        cleaned = again
    # Markup that never settles is garbage: keep its text only.
    text = html_lib.escape(html_to_text(cleaned), quote=False)
    return _sanitize_once(_tame(text), base_url="")


def without_images(html: str) -> str:
    """A stored (sanitized) fragment with its images taken out, for showing on a page.

    Pages load nothing from outlets: an image URL from a feed tells its owner who reads what,
    and can point into the reader's own network. The CSP's img-src refuses them all the same,
    so an image left in would only show as a broken box and a policy violation.
    """
    if not html:
        return ""
    # Everything else stays as stored: the links keep the rel that sanitizing gave them.
    return _clean(html, relative="deny", tags=ALLOWED_TAGS - {"img"}, link_rel=None).strip()


def html_to_text(html: str) -> str:
    """The readable text of a fragment, one paragraph per block, for summaries and matching."""
    if not html:
        return ""
    # nh3 cannot even take a lone surrogate (JSON feeds can hold one): strip what we refuse first.
    marked = _BLOCK_TAG.sub("\n\n", _tame(_strip_unsafe(html)))
    text = nh3.clean(marked, tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT))
    return paragraphs(html_lib.unescape(text))


def _tame(html: str) -> str:
    """Markup that html5ever and nh3 handle in about linear time.

    Their cost grows with the square of the nesting depth (50,000 nested lists take 20 s) and
    of the number of ampersands in a text (400,000 take 4 s). No article comes near either
    limit: markup nested too deep is reduced to its text, and a fragment with more ampersands
    than any article is dropped.
    """
    if html.count("&") > MAX_AMPERSANDS:
        return ""
    if not _too_deep(html):
        return html
    return html_lib.escape(html_lib.unescape(_ANY_TAG.sub(" ", html)), quote=False)


def _too_deep(html: str) -> bool:
    depth = 0
    for match in _OPEN_OR_CLOSE.finditer(html):
        if match.group(2).lower() in _NOT_NESTING:
            continue
        # An end tag with nothing open closes nothing: it must not buy depth for what follows.
        depth = max(depth - 1, 0) if match.group(1) else depth + 1
        if depth > MAX_NESTING:
            return True
    return False


def paragraphs(text: str) -> str:
    """Clean text with one paragraph per line group: spaces collapsed, one blank line between."""
    lines = (" ".join(line.split()) for line in clean_text(text).split("\n"))
    return "\n\n".join(line for line in lines if line)


def _sanitize_once(html: str, *, base_url: str) -> str:
    if not html:
        return ""
    source = _strip_unsafe(html)
    try:
        cleaned = _clean(source, relative=_relative_policy(base_url))
    except ValueError:
        # nh3 refuses a base URL it cannot parse: drop relative URLs instead.
        cleaned = _clean(source, relative="deny")
    # html5ever decodes entities such as &#x202e; into the characters we refuse: strip again.
    return _strip_unsafe(cleaned).strip()


def _strip_unsafe(value: str) -> str:
    return _UNSAFE_CHARS.sub("", value)


def _clean(
    html: str,
    *,
    relative: _RelativePolicy,
    tags: frozenset[str] = ALLOWED_TAGS,
    link_rel: str | None = LINK_REL,
) -> str:
    attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    if link_rel is None:
        attributes["a"].add("rel")  # nh3 sets rel itself only when given one to set
    return nh3.clean(
        html,
        tags=set(tags),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=attributes,
        url_schemes=set(URL_SCHEMES),
        link_rel=link_rel,
        strip_comments=True,
        url_relative=relative,
    )


def _relative_policy(base_url: str) -> _RelativePolicy:
    # nh3 resolves relative URLs itself; a base that is not http(s) would make them unsafe.
    if base_url.lower().startswith(("http://", "https://")):
        return ("rewrite_with_base", base_url)
    return "deny"
