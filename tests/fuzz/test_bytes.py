"""Bytes-level fuzz runs: real feeds, OPML files and article pages from the demo corpus and the
test fixtures, mutated (flips, special tokens, splices, repetitions, random bytes), through the
same parsers and the same properties as the structured tests. Each run is bounded by time:
FUZZ_SECONDS per target (a few seconds by default; minutes for a deep run with
HYPOTHESIS_PROFILE=long, which repeats random batches until the time is spent)."""

import sys
import time
from collections.abc import Callable

from hypothesis import given, settings

from apps.common.html import html_to_text, sanitize_html
from tests.fuzz import checks, profiles
from tests.fuzz.corpus import FEEDS, OPML, PAGES
from tests.fuzz.strategies.mutations import mutated
from tests.fuzz.test_extract import extract_within_limit, valid_article
from tests.fuzz.test_feeds import parse_or_refuse as parse_feed_or_refuse
from tests.fuzz.test_feeds import valid_feed
from tests.fuzz.test_opml import parse_or_refuse as parse_opml_or_refuse
from tests.fuzz.test_opml import valid_feeds

# Examples per batch: one batch under "ci" (deterministic); as many as fit under "long".
BATCH = 20


def fuzz_for(seconds: float, corpus: tuple[bytes, ...], target: Callable[[bytes], None]) -> int:
    """Run `target` on mutated documents of `corpus` for about `seconds`; examples run."""
    stop = time.monotonic() + seconds
    ran = 0

    @settings(max_examples=BATCH)
    @given(mutated(corpus))
    def batch(data: bytes) -> None:
        nonlocal ran
        if time.monotonic() > stop:
            return  # the budget is spent: the rest of the batch passes without work
        ran += 1
        target(data)

    while True:
        batch()
        if profiles.PROFILE != "long" or time.monotonic() > stop:
            break
    if profiles.PROFILE == "long":  # a deep run reports how far it got, past pytest's capture
        print(f"\n{target.__name__}: {ran} mutated inputs", file=sys.__stderr__)
    return ran


def feed(data: bytes) -> None:
    parsed = parse_feed_or_refuse(data)
    if parsed is not None:
        valid_feed(parsed)


def opml(data: bytes) -> None:
    feeds = parse_opml_or_refuse(data)
    if feeds is not None:
        valid_feeds(feeds)


def page(data: bytes) -> None:
    article = extract_within_limit(data)
    if article is not None:
        valid_article(article)


def fragment(data: bytes) -> None:
    # surrogateescape: undecodable bytes become lone surrogates, as a careless decoder gives.
    html = data.decode("utf-8", errors="surrogateescape")
    with checks.no_hang(2.0):
        checks.safe_html(sanitize_html(html, base_url="https://news.example/a/"))
        checks.storable(html_to_text(html))


def test_it_survives_mutated_feeds() -> None:
    assert fuzz_for(profiles.fuzz_seconds(8), FEEDS, feed) > 0


def test_it_survives_mutated_opml() -> None:
    assert fuzz_for(profiles.fuzz_seconds(3), OPML + FEEDS[:2], opml) > 0


def test_it_survives_mutated_pages() -> None:
    assert fuzz_for(profiles.fuzz_seconds(8), PAGES, page) > 0


def test_it_survives_mutated_markup() -> None:
    assert fuzz_for(profiles.fuzz_seconds(4), PAGES + FEEDS, fragment) > 0
