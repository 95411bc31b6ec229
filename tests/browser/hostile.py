"""A hostile outlet for the browser tests: an Atom feed, an RSS feed, a JSON Feed and their article
pages, carrying script in every place SECURITY.md item 6 names (titles, summaries, content,
authors, links, enclosures, srcset, iframe srcdoc, SVG and MathML, CSS overlays, forms, hx-* and
data-hx-* attributes). The stories name real seed entities, so the real pipeline links them and
reads events from them. Whatever would fire points at CANARY on the outlet's own loopback server,
which no page may ever make a browser ask for.

The HTML payload and the page are files in tests/fixtures/hostile/; `@BASE@` in them is the
server's address. The feeds are built here, because each kind of feed escapes differently.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

from tests.httpserver import LoopbackServer, Reply

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
# A word only the hostile outlet writes: search finds its articles by it.
WORD = "zalgoxss"
CANARY = "/canary"
# Markup in a title, as text: what it shows must be these characters, never an element.
TITLE_SCRIPT = "<script>window.__pwned = 'title'</script>"
FEED_PATHS = ("/feed.atom", "/feed.rss", "/feed.json")
# The stories are dated from here, after the demo corpus's newest: they lead every page.
SINCE = "2026-04-01"
# A well-formed subset of the payload, for Atom's inline XHTML content.
XHTML_PAYLOAD = f"""<div xmlns="http://www.w3.org/1999/xhtml">
<p>XHTML from the {WORD} feed.</p>
<script>window.__pwned = 'xhtml script'</script>
<img src="@BASE@/canary/xhtml-img" onerror="window.__pwned = 'xhtml onerror'" alt="x"/>
<a href="javascript:window.__pwned = 'xhtml link'">link</a>
<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned = 'xhtml svg'"/>
<div hx-get="@BASE@/canary/xhtml-hx" hx-trigger="load">hx</div>
</div>"""


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    lede: str  # the sentences the event rules read
    more: str
    published: str  # ISO 8601

    def path(self) -> str:
        return f"/news/{self.slug}.html"


STORIES = {
    "atom": [
        Story(
            "musk-leaves",
            f"xAI founder Elon Musk leaves {TITLE_SCRIPT} {WORD}",
            "Elon Musk, the founder of xAI, said on Tuesday that he is leaving the company, "
            f"the {WORD} desk has learned. Musk said the decision was his own.",
            "The &lt;img src=x onerror=\"window.__pwned = 'text'\"&gt; desk could not reach xAI.",
            "2026-04-07T09:00:00+00:00",
        ),
        Story(
            "colossus-2-gpus",
            f"Colossus 2 passes 900,000 GPUs <img src=x onerror=alert(1)> {WORD}",
            "xAI's Colossus 2 cluster in Southaven now runs 900,000 GPUs, according to the "
            f"company and the {WORD} desk.",
            "Residents asked about turbines at a hearing.",
            "2026-04-08T09:00:00+00:00",
        ),
    ],
    "rss": [
        Story(
            "babuschkin-leaves",
            f'Igor Babuschkin leaves xAI "><svg onload=alert(1)> {WORD}',
            "Igor Babuschkin, a co-founder of xAI, has left the company to start a venture firm.",
            "He announced it on X.",
            "2026-04-09T09:00:00+00:00",
        ),
    ],
    "json": [
        Story(
            "pohlen-anthropic",
            f"Anthropic hires xAI's Toby Pohlen <a href=javascript:alert(1)>x</a> {WORD}",
            "Toby Pohlen, a co-founder of xAI, has joined Anthropic, the company said on Friday.",
            "Anthropic declined to say what he would work on.",
            "2026-04-10T09:00:00+00:00",
        ),
    ],
}


# Fetched but never extracted: the reader shows its feed summary, as it does between stages.
LATE = Story(
    "not-read-yet",
    f"Not read yet {TITLE_SCRIPT} {WORD}",
    "Elon Musk, the founder of xAI, did not comment.",
    "",
    "2026-04-11T09:00:00+00:00",
)
LATE_FEED_PATH = "/late.rss"


def _fixture(name: str, base: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8").replace("@BASE@", base)


def article_page(story: Story, base: str) -> str:
    fields = {
        "@TITLE@": escape(story.title),
        "@DATE@": story.published,
        "@STORY@": story.lede,
        "@MORE@": story.more,
        "@PAYLOAD@": _fixture("payload.html", base),
    }
    page = _fixture("article.html", base)
    for placeholder, value in fields.items():
        page = page.replace(placeholder, value)
    return page


def atom_feed(base: str) -> str:
    payload = _fixture("payload.html", base)
    entries = "".join(
        f"""<entry>
<title type="text">{escape(s.title)}</title>
<link rel="alternate" href="{base}{s.path()}"/>
<link rel="enclosure" href="javascript:window.__pwned = 'atom enclosure'" type="audio/mpeg"/>
<link rel="enclosure" href="{base}{CANARY}/atom-enclosure.mp3" type="audio/mpeg"/>
<id>urn:{WORD}:{s.slug}</id>
<updated>{s.published}</updated>
<author><name>&lt;img src=x onerror="window.__pwned = 'atom author'"&gt; Dana Reyes</name>
<uri>javascript:window.__pwned = 'atom author uri'</uri></author>
<summary type="html">{escape(f"<p>{s.lede}</p>{payload}")}</summary>
<content type="xhtml">{XHTML_PAYLOAD.replace("@BASE@", base)}</content>
</entry>"""
        for s in STORIES["atom"]
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title type="html">The {WORD} Ledger &lt;script&gt;window.__pwned = 1&lt;/script&gt;</title>
<link href="jav&#x09;ascript:window.__pwned = 'feed link'"/>
<id>urn:{WORD}:atom</id>
<updated>2026-04-10T09:00:00Z</updated>
{entries}
<entry>
<title>Only a javascript: link {WORD}</title>
<link rel="alternate" href="jav&#x09;ascript:window.__pwned = 'entry link'"/>
<id>javascript:window.__pwned = 'entry id'</id>
<updated>2026-04-10T09:00:00Z</updated>
<summary type="html">&lt;p&gt;No page to read.&lt;/p&gt;</summary>
</entry>
</feed>"""


def rss_feed(base: str, stories: list[Story]) -> str:
    payload = _fixture("payload.html", base)
    items = "".join(
        f"""<item>
<title>{escape(escape(s.title))}</title>
<link>{base}{s.path()}</link>
<guid isPermaLink="false">{WORD}-{s.slug}</guid>
<pubDate>{format_datetime(datetime.fromisoformat(s.published))}</pubDate>
<author>desk@example.org (&lt;script&gt;window.__pwned = 'rss author'&lt;/script&gt; Desk)</author>
<dc:creator><![CDATA[<img src=x onerror="window.__pwned = 'dc:creator'"> Dana Reyes]]></dc:creator>
<description><![CDATA[<p>{s.lede}</p>{payload}]]></description>
<content:encoded><![CDATA[{payload}]]></content:encoded>
<enclosure url="javascript:window.__pwned = 'rss enclosure'" length="1" type="audio/mpeg"/>
<media:content url="{base}{CANARY}/media.jpg" medium="image"/>
</item>"""
        for s in stories
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:media="http://search.yahoo.com/mrss/">
<channel>
<title><![CDATA[<script>window.__pwned = 'rss title'</script>The {WORD} Wire]]></title>
<link>javascript:window.__pwned = 'rss channel link'</link>
<description>A hostile outlet.</description>
{items}
<item>
<title>Only a javascript: link {WORD}</title>
<link>jav&amp;#x09;ascript:window.__pwned = 'rss item link'</link>
<guid>vbscript:msgbox(1)</guid>
</item>
</channel>
</rss>"""


def json_feed(base: str) -> str:
    payload = _fixture("payload.html", base)
    items = [
        {
            "id": f"{WORD}-{s.slug}",
            "url": f"{base}{s.path()}",
            "external_url": "javascript:window.__pwned = 'json external_url'",
            "title": s.title,
            "content_html": f"<p>{s.lede}</p>{payload}",
            "summary": "<img src=x onerror=\"window.__pwned = 'json summary'\">",
            "image": f"{base}{CANARY}/json-image.png",
            "banner_image": "javascript:window.__pwned = 'json banner'",
            "date_published": s.published,
            "authors": [
                {
                    "name": "<script>window.__pwned = 'json author'</script>Dana Reyes",
                    "url": "javascript:window.__pwned = 'json author url'",
                }
            ],
            "attachments": [
                {"url": f"{base}{CANARY}/json-attachment.mp3", "mime_type": "audio/mpeg"},
                {"url": "javascript:window.__pwned = 'json attachment'", "mime_type": "audio/mpeg"},
            ],
        }
        for s in STORIES["json"]
    ]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"<script>window.__pwned = 'json title'</script>The {WORD} Post",
        "home_page_url": "javascript:window.__pwned = 'json home'",
        "icon": f"{base}{CANARY}/json-icon.png",
        "items": items,
    }
    return json.dumps(feed)


def serve_outlet(server: LoopbackServer) -> list[str]:
    """Route the feeds and every story's page; returns the three feeds' URLs (the late feed is
    at LATE_FEED_PATH)."""
    base = server.base_url
    feeds = {
        "/feed.atom": (atom_feed(base), "application/atom+xml; charset=utf-8"),
        "/feed.rss": (rss_feed(base, STORIES["rss"]), "application/rss+xml; charset=utf-8"),
        "/feed.json": (json_feed(base), "application/feed+json"),
    }
    late = (rss_feed(base, [LATE]), "application/rss+xml; charset=utf-8")
    feeds[LATE_FEED_PATH] = late
    for path, (body, content_type) in feeds.items():
        server.route(path, Reply(200, body.encode(), {"Content-Type": content_type}))
    for story in [LATE, *(s for stories in STORIES.values() for s in stories)]:
        page = article_page(story, base).encode()
        server.route(story.path(), Reply(200, page, {"Content-Type": "text/html; charset=utf-8"}))
    return [server.url(path) for path in FEED_PATHS]
