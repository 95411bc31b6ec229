"""URL identity: one spelling per article, and only http(s) links out of anything we parse."""

import re
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from apps.common.html import clean_text

WEB_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}

# Parameters that say who shared or clicked a link, never which page it is.
TRACKING_PARAMS = frozenset(
    {
        *("fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "twclid"),
        *("ttclid", "li_fat_id", "yclid", "igshid", "mc_cid", "mc_eid", "_hsenc", "_hsmi"),
        *("hsctatracking", "mkt_tok", "ref", "ref_src", "ref_url", "cmpid", "ocid", "ncid"),
        *("icid", "smid", "sr_share", "s_cid", "spm", "vero_id", "oly_enc_id", "oly_anon_id"),
        *("rb_clickid", "wickedid", "_ga", "_gl", "guccounter", "guce_referrer"),
        "guce_referrer_sig",
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "__twitter")

# Browsers drop tabs and newlines anywhere in a URL and controls and spaces at its ends; a
# parser that keeps them disagrees with the browser about what the link is.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s")


def resolve_url(href: str, *, base: str) -> str:
    """`href` made absolute against `base`; "" unless the result is an http(s) URL with a host."""
    href = _tidy(href)
    if not href:
        return ""
    try:
        url = urljoin(_tidy(base), href)  # a page's or feed's own base may be as untidy
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        return ""
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return ""
    return url


def canonicalize_url(url: str) -> str:
    """One spelling per page: no fragment, tracking parameters, default port or credentials.

    Returns "" for anything that is not an http(s) URL with a host.
    """
    try:
        parts = urlsplit(_tidy(url))
        port = parts.port
        scheme = parts.scheme.lower()
        host = _idna_host(parts.hostname or "")
    except ValueError:
        return ""
    if scheme not in WEB_SCHEMES or not host:
        return ""
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", _clean_query(parts.query), ""))


def _tidy(url: str) -> str:
    # clean_text drops what no stored string may hold (C1 controls, bidi overrides, lone
    # surrogates): pages and OPML files hand us URLs that never went through it. It turns
    # other line breaks (U+0085, U+2028) into newlines, which go with the controls after it.
    # Spaces left (" ", no-break, em…) are percent-encoded, as a browser sends them.
    return _SPACES.sub(lambda space: quote(space.group()), _CONTROLS.sub("", clean_text(url)))


def _idna_host(hostname: str) -> str:
    host = hostname.lower().rstrip(".")
    if ":" in host:  # an IPv6 literal, which urlsplit gave back without its brackets
        return f"[{host}]"
    if host.isascii():
        return host
    # Raises ValueError (UnicodeError) for labels IDNA cannot encode.
    return host.encode("idna").decode("ascii")


def _clean_query(query: str) -> str:
    # Raw pieces are kept as they were: re-encoding would turn one URL into another spelling.
    kept = [piece for piece in query.split("&") if piece and not _is_tracking(piece)]
    return "&".join(kept)


def _is_tracking(piece: str) -> bool:
    name = unquote(piece.split("=", 1)[0]).strip().lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)
