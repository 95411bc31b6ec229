"""Sanitizing and cleaning outside HTML and text (apps/common/html.py)."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from apps.common.html import clean_text, html_to_text, paragraphs, sanitize_html
from tests.fuzz import checks
from tests.fuzz.profiles import examples
from tests.fuzz.strategies.markup import fragments
from tests.fuzz.strategies.text import long_text, urls

# An article fragment is a few hundred KB at most; sanitizing one is milliseconds.
SANITIZE_SECONDS = 2.0


@settings(max_examples=examples(80))
@given(fragments(), st.one_of(st.just(""), urls()))
# End tags with nothing open lowered the nesting count: deep markup after them went to
# html5ever whole (quadratic: 40,000 levels took seconds) and came out deeper than the guard
# allows, so sanitizing it again gave something else.
@example("</b>" * 40_000 + "<div>" * 40_000 + "x", "")
@example("</title>" * 300 + "<ul><li>" * 300 + "x", "")
# Escaping doubled the ampersands past the guard's limit: sanitizing again gave "".
@example("<" * 6000 + "&" * 6000, "")
def test_it_stores_only_safe_fixed_points(html: str, base_url: str) -> None:
    with checks.no_hang(SANITIZE_SECONDS):
        cleaned = sanitize_html(html, base_url=base_url)
    checks.safe_html(cleaned)


@settings(max_examples=examples(60))
@given(st.one_of(fragments(), long_text()))
@example("\ud800")  # nh3 raised UnicodeEncodeError
@example("<" + " " * 6000 + "p")  # the block-tag regex was quadratic in spaces: 6,000 took 7 s
def test_it_turns_any_markup_into_storable_text(html: str) -> None:
    with checks.no_hang(SANITIZE_SECONDS):
        text = html_to_text(html)
    checks.storable(text)
    assert paragraphs(text) == text


@settings(max_examples=examples(80))
@given(long_text(), st.one_of(st.none(), st.integers(0, 500)), st.booleans())
def test_it_cleans_any_text_for_storage(value: str, max_length: int | None, one_line: bool) -> None:
    cleaned = clean_text(value, max_length=max_length, single_line=one_line)
    checks.storable(cleaned)
    assert max_length is None or len(cleaned) <= max_length
    assert not (one_line and "\n" in cleaned)
    assert clean_text(cleaned, max_length=max_length, single_line=one_line) == cleaned
