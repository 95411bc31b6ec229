"""Builds small, real-looking feeds and article pages for pipeline tests, served on loopback."""

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from tests.httpserver import LoopbackServer, Reply, conditional

_PARAGRAPHS = [
    "The company confirmed the change in a short statement on {day}, adding that the team "
    "behind the {topic} programme would report to a new lead from next quarter.",
    "Two people familiar with the plans said the {topic} work had grown faster than expected, "
    "with hiring in three offices and a second data hall under construction.",
    "Analysts who follow the sector said the move fits a wider pattern: labs are pulling "
    "infrastructure in-house and tying research roadmaps to the hardware they can secure.",
    "In a note to staff, the chief executive wrote that the {topic} effort remained a priority "
    "and that more details would follow at the next all-hands meeting.",
    "Local officials said permits for the site were reviewed in public sessions, and residents "
    "raised questions about water use, noise and the timeline for grid upgrades.",
]


_WORDS = [
    "cluster",
    "power",
    "grid",
    "turbine",
    "permit",
    "memphis",
    "research",
    "model",
    "training",
    "inference",
    "chips",
    "racks",
    "cooling",
    "water",
    "substation",
    "lawsuit",
    "investors",
    "valuation",
    "founder",
    "engineer",
    "scientist",
    "departure",
    "hiring",
    "office",
    "contract",
    "megawatt",
    "rollout",
    "schedule",
    "regulator",
    "county",
    "board",
    "hearing",
    "residents",
    "supply",
    "vendor",
    "network",
    "storage",
    "benchmark",
    "release",
    "roadmap",
    "budget",
    "quarter",
    "revenue",
    "partner",
    "datacenter",
    "campus",
    "expansion",
    "delay",
    "shortage",
    "upgrade",
    "transformer",
    "pipeline",
    "council",
    "statement",
]


def _story_sentences(number: int) -> str:
    """Prose that differs per story, so distinct articles never look like near-duplicates."""
    rng = random.Random(number)
    sentences = []
    for _ in range(6):
        words = rng.sample(_WORDS, 12)
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def article_page(number: int, *, title: str, outlet: str = "Circuit Desk") -> str:
    topic = f"project {number}"
    paragraphs = [text.format(day="Tuesday", topic=topic) for text in _PARAGRAPHS[:2]]
    paragraphs.append(_story_sentences(number))
    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{escape(title)} | {outlet}</title>
<meta property="og:title" content="{escape(title)}">
<meta name="author" content="Staff Reporter"></head>
<body><header><nav><a href="/">Home</a> <a href="/ai">AI</a> <a href="/chips">Chips</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all?</div></header>
<main><article><h1>{escape(title)}</h1><p class="byline">By Staff Reporter</p>{body}</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/x">Other news</a></li></ul></aside>
</main><footer><p>&copy; {outlet}. All rights reserved.</p>
<p>Subscribe to our newsletter for daily updates.</p></footer></body></html>"""


def rss_feed(base: str, items: list[tuple[str, str, datetime]], *, title: str) -> str:
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
        f"<pubDate>{format_datetime(when)}</pubDate><description>{escape(t)}: a summary."
        "</description></item>"
        for t, path, when in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}'
        f"</title><link>{base}/</link><description>Test outlet</description>{entries}"
        "</channel></rss>"
    )


def serve_outlet(
    server: LoopbackServer, *, count: int, feed_path: str = "/feed.xml", prefix: str = "/news"
) -> list[str]:
    """Route a feed of `count` articles and their pages; returns the page paths."""
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    items = [
        (f"Lab news number {n}", f"{prefix}/{n}.html", start + timedelta(hours=n))
        for n in range(count)
    ]
    for n, (title, path, _) in enumerate(items):
        page = article_page(n, title=title).encode()
        server.route(path, Reply(200, page, {"Content-Type": "text/html; charset=utf-8"}))
    feed = rss_feed(server.base_url, items, title="Circuit Desk").encode()
    server.route(feed_path, conditional(feed, etag='"v1"', content_type="application/rss+xml"))
    return [path for _, path, _ in items]
