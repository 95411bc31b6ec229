"""Ingestion benchmark: the whole pipeline against a loopback news site, versus bare libraries.

Generates a seeded site (article pages with realistic boilerplate, and RSS/Atom/JSON feeds
listing them) in a temp dir, serves it from a separate process (so the server's CPU is not
counted), and points a fresh embedded LabIntel (SQLite in a temp LABINTEL_VAR_DIR) at it.

Measured with time.process_time() in this process, each against an anchor taken in the same run
on the same input, so the ratios hold on any machine. See bench/README.md.

Run: make bench  (or .venv/bin/python bench/ingest.py [--pages N])
"""

import argparse
import io
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

from embedded import fresh_labintel
from report import Row, print_table

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "ingest.json"
SEED = 20240722
FEEDS = 10
FEED_PARSE_REPEATS = 5

# --- The generated site -------------------------------------------------------------------

LABS = ["OpenAI", "Anthropic", "Google DeepMind", "Meta", "xAI", "Mistral", "Cohere", "AI21"]
CLUSTERS = ["Colossus", "Stargate Abilene", "Project Rainier", "the Goodyear site", "Hyperion"]
CHIPS = ["H100", "H200", "GB200", "GB300", "Trainium2", "TPU v6", "MI300X"]
PLACES = ["Memphis", "Abilene", "Des Moines", "New Carlisle", "Goodyear", "Southaven", "Atlanta"]
ROLES = ["chief scientist", "head of infrastructure", "general counsel", "co-founder", "CFO"]
FIRST = ["Maya", "Jonas", "Priya", "Tobias", "Elena", "Kwame", "Ines", "Rafael", "Lena", "Omar"]
LAST = ["Halvorsen", "Okafor", "Brandt", "Nakamura", "Quiroga", "Lindqvist", "Adeyemi", "Rossi"]
ANALYST_FIRMS = ["Halvorsen Research", "Northgate Analytics", "Ridgeline Partners", "Fieldnote"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September"]

SENTENCES = [
    "{lab} said on {weekday} that its new cluster in {place} now runs about {n},000 {chip} chips.",
    "The company did not say how much power the site draws, but analysts put it near {mw}"
    " megawatts.",
    "{person}, the company's {role}, left in {month} after {years} years, according to two people"
    " familiar with the matter.",
    "“We are building as fast as the grid allows, and not one day faster,” said {person} of"
    " {firm}.",
    "Regulators in {place} have scheduled a hearing on the permit for {turbines} gas turbines.",
    "Residents told the board that the turbines could be heard at night from a mile away.",
    "The deal values {lab} at about ${valuation} billion, roughly {mult} times its last round.",
    "{lab} declined to comment on the departure or on who would take over the team.",
    "Satellite images from {month} show a third substation under construction at {cluster}.",
    "Training on the first {n},000 chips began {days} days after the first rack was delivered.",
    "“The chip count is the easy number; the hard one is how often the whole thing stalls,” said"
    " {person}, an analyst at {firm}.",
    "The utility approved {mw} megawatts on condition that the company cut demand when asked.",
    "Investors in the round include several sovereign funds and at least two chip makers.",
    "{person} is the {ordinal} senior leader to leave {lab} this year.",
    "The new model was trained on {cluster}, the company said, and will reach paying users in"
    " {month}.",
    "Environmental groups said the company had run the turbines for {days} days without a permit.",
    "A spokesperson for the county said the agency would review every public comment.",
    "Construction crews have worked in shifts around the clock since {month}, according to"
    " contractors on the site.",
    "The cluster is expected to reach {gw} gigawatts when its second phase is finished.",
    "People who have worked there describe a culture of very long hours and fast decisions.",
    "{lab}'s rivals are building sites of a similar size in {place} and {place2}.",
    "The company said its water recycling plant would reduce its draw on the local aquifer.",
    "Shares of the largest supplier rose {pct} percent after the announcement.",
    "Analysts at {firm} estimate the site's cost at between ${low} billion and ${high} billion.",
    "Board members voted {votes_for} to {votes_against} to dismiss the appeal.",
    "In a post on X, {person} thanked colleagues and said the next step was a long break.",
    "The company has hired {hires} engineers from rival labs since the start of {month}.",
    "A person close to the company said the departures were unrelated to the acquisition.",
    "Local officials said the project had added more than {jobs} jobs to the county.",
    "The permit caps nitrogen oxide emissions and requires quarterly testing.",
]
HEADLINES = [
    "{lab} brings {n},000 {chip} chips online in {place}",
    "{person} leaves {lab} after {years} years",
    "Regulators weigh {turbines}-turbine permit near {cluster}",
    "{lab} raises ${valuation}B as compute race accelerates",
    "Inside the race to power {cluster}",
    "{lab}'s {role} departs as reorganisation continues",
]


def _slots(rng: random.Random) -> dict[str, object]:
    place, place2 = rng.sample(PLACES, 2)
    low = rng.randint(4, 20)
    return {
        "lab": rng.choice(LABS),
        "cluster": rng.choice(CLUSTERS),
        "chip": rng.choice(CHIPS),
        "place": place,
        "place2": place2,
        "role": rng.choice(ROLES),
        "person": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "firm": rng.choice(ANALYST_FIRMS),
        "month": rng.choice(MONTHS),
        "weekday": rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]),
        "ordinal": rng.choice(["second", "third", "fourth", "fifth"]),
        "n": rng.randint(10, 550),
        "mw": rng.randint(40, 1500),
        "gw": rng.choice(["1.2", "1.5", "2", "2.5"]),
        "years": rng.randint(1, 9),
        "days": rng.randint(19, 400),
        "turbines": rng.randint(6, 60),
        "valuation": rng.randint(20, 400),
        "mult": rng.choice(["two", "three", "four"]),
        "pct": rng.randint(2, 14),
        "low": low,
        "high": low + rng.randint(2, 30),
        "votes_for": rng.randint(4, 7),
        "votes_against": rng.randint(0, 3),
        "hires": rng.randint(5, 80),
        "jobs": rng.randint(100, 3000),
    }


def _prose(rng: random.Random) -> list[str]:
    paragraphs = []
    for _ in range(rng.randint(6, 11)):
        sentences = rng.sample(SENTENCES, rng.randint(3, 5))
        paragraphs.append(" ".join(s.format(**_slots(rng)) for s in sentences))
    return paragraphs


@dataclass
class Page:
    path: str
    title: str
    author: str
    published: datetime
    summary: str
    paragraphs: list[str]


def _links(prefix: str, names: list[str]) -> str:
    return "".join(
        f'<li><a href="{prefix}/{n.lower().replace(" ", "-")}/">{n}</a></li>' for n in names
    )


SECTIONS = ["News", "AI", "Chips", "Power", "Policy", "Deals", "Opinion", "Events"]
SUBSECTIONS = ["Latest", "Analysis", "Explainers", "Data", "Interviews", "Podcasts", "Video"]
ICON = (
    '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path d="M18.9 1.2h3.7'
    "l-8 9.2L24 22.8h-7.4l-5.8-7.6-6.6 7.6H.5l8.6-9.8L0 1.2h7.6l5.2 6.9 6.1-6.9zm-1.3 19.4h2L6.5"
    ' 3.2H4.3l13.3 17.4z"/></svg>'
)


def _chrome(outlet: str, related: list[Page], rng: random.Random) -> dict[str, str]:
    """The parts of a news page around the story: menus, share bar, sidebars, footer, scripts."""
    menu = "".join(
        f'<li class="menu-item has-children"><a href="/{outlet}/{s.lower()}/">{s}</a>'
        f'<ul class="sub-menu">{_links(f"/{outlet}/{s.lower()}", SUBSECTIONS)}</ul></li>'
        for s in SECTIONS
    )
    trending = _links(f"/{outlet}/topic", rng.sample(LABS + CLUSTERS + PLACES, 10))
    share = "".join(
        f'<li><a class="share-{n.lower()}" href="https://{n.lower()}.example/share">{ICON}'
        f'<span class="sr-only">{n}</span></a></li>'
        for n in ["X", "LinkedIn", "Facebook", "Reddit", "Email", "Copy"]
    )
    teasers = "".join(
        f'<li><a href="{r.path}"><img src="/img/{i}.jpg" alt="" loading="lazy" width="120" '
        f'height="80"><span class="teaser-title">{escape(r.title)}</span></a>'
        f'<p class="teaser-dek">{escape(r.summary)}</p></li>'
        for i, r in enumerate(related)
    )
    most_read = "".join(
        f'<li><span class="rank">{i + 1}</span><a href="/{outlet}/popular/{i}/">'
        f"{escape(rng.choice(HEADLINES).format(**_slots(rng)))}</a></li>"
        for i in range(10)
    )
    footer = "".join(
        f'<div class="footer-col"><h4>{s}</h4><ul>{_links(f"/{outlet}/{s.lower()}", SUBSECTIONS)}'
        "</ul></div>"
        for s in SECTIONS
    )
    experiments = {f"exp{i}": i % 3 for i in range(40)}
    recirculation = [
        {"id": rng.randint(1, 10**6), "title": rng.choice(HEADLINES).format(**_slots(rng))}
        for _ in range(30)
    ]
    state = {
        "page": {"type": "article", "outlet": outlet, "ads": {"slots": list(range(12))}},
        "user": {"loggedIn": False, "consent": None, "experiments": experiments},
        "recirculation": recirculation,
    }
    return {
        "menu": menu,
        "trending": trending,
        "share": share,
        "teasers": teasers,
        "most_read": most_read,
        "footer": footer,
        "state": json.dumps(state).replace("</", "<\\/"),
    }


def render_page(
    page: Page, outlet: str, related: list[Page], style: int, rng: random.Random
) -> str:
    """One of three page layouts with the usual chrome around the story."""
    c = _chrome(outlet, related, rng)
    body = "".join(f"<p>{escape(p)}</p>" for p in page.paragraphs)
    if style == 1:
        body = body.replace("</p><p>", '</p><div class="ad-slot">Advertisement</div><p>', 1)
    date = page.published.isoformat()
    wrapper = [("article", "main"), ("div", "div"), ("section", "main")][style]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(page.title)} | {outlet}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{escape(page.summary)}">
<meta property="og:title" content="{escape(page.title)}">
<meta property="article:published_time" content="{date}">
<meta name="author" content="{escape(page.author)}">
<link rel="canonical" href="{page.path}">
<link rel="stylesheet" href="/{outlet}/assets/site.css">
<style>body{{font-family:serif}} .menu li{{display:inline}} .cookie{{position:fixed}}
.sr-only{{position:absolute;width:1px;height:1px;overflow:hidden}}</style>
<script>window.__STATE__={c["state"]};</script></head>
<body class="single-article">
<a class="skip" href="#main">Skip to content</a>
<div class="cookie" role="dialog">We use cookies to improve your experience and to measure our
audience. <button>Accept all</button> <button>Reject all</button>
<a href="/{outlet}/privacy/">Privacy settings</a></div>
<header class="site-header"><a class="logo" href="/{outlet}/">{outlet}</a>
<nav aria-label="Main"><ul class="menu">{c["menu"]}</ul></nav>
<form role="search"><input name="q" placeholder="Search"><button>Search</button></form>
<a href="/{outlet}/subscribe/">Subscribe</a> <a href="/{outlet}/login/">Sign in</a></header>
<div class="trending"><span>Trending:</span><ul>{c["trending"]}</ul></div>
<{wrapper[1]} id="main"><{wrapper[0]} class="story">
<nav class="breadcrumbs"><a href="/{outlet}/">Home</a> &rsaquo; <a href="/{outlet}/ai/">AI</a></nav>
<h1>{escape(page.title)}</h1>
<p class="byline">By <span class="author">{escape(page.author)}</span>
<time datetime="{date}">{page.published:%B %d, %Y}</time></p>
<ul class="share">{c["share"]}</ul>
<div class="story-body">{body}</div>
<ul class="share share-bottom">{c["share"]}</ul>
</{wrapper[0]}>
<aside class="related"><h2>Related stories</h2><ul>{c["teasers"]}</ul></aside>
<aside class="most-read"><h2>Most read</h2><ol>{c["most_read"]}</ol></aside>
<section class="newsletter"><h2>Get the daily briefing</h2><p>The compute race in five minutes,
every weekday.</p><form><input type="email"><button>Sign up</button></form></section>
<section class="comments"><h2>Comments</h2><p>Sign in to join the conversation.</p></section>
</{wrapper[1]}>
<footer class="site-footer">{c["footer"]}
<p>© {page.published.year} {outlet}. Benchmark site generated by LabIntel.</p></footer>
<script src="/{outlet}/assets/app.js" defer></script>
</body></html>
"""


def render_feed(kind: str, outlet: str, pages: list[Page]) -> str:
    if kind == "json":
        items = [
            {
                "id": p.path,
                "url": "{base}" + p.path,
                "title": p.title,
                "summary": p.summary,
                "content_html": f"<p>{escape(p.paragraphs[0])}</p>",
                "date_published": p.published.isoformat(),
                "authors": [{"name": p.author}],
            }
            for p in pages
        ]
        feed = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": outlet,
            "home_page_url": f"{{base}}/{outlet}/",
            "items": items,
        }
        return json.dumps(feed, indent=1)
    if kind == "atom":
        entries = "".join(
            f"""<entry><id>tag:{outlet}.example,2025:{p.path}</id><title>{escape(p.title)}</title>
<link rel="alternate" href="{{base}}{p.path}"/><published>{p.published.isoformat()}</published>
<updated>{p.published.isoformat()}</updated><author><name>{escape(p.author)}</name></author>
<summary>{escape(p.summary)}</summary>
<content type="html">{escape("".join(f"<p>{escape(x)}</p>" for x in p.paragraphs))}</content>
</entry>
"""
            for p in pages
        )
        return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:{outlet}.example,2025:feed</id>
<title>{outlet}</title><updated>{pages[0].published.isoformat()}</updated>
<link rel="alternate" href="{{base}}/{outlet}/"/>
{entries}</feed>
"""
    items = "".join(
        f"""<item><title>{escape(p.title)}</title><link>{{base}}{p.path}</link>
<guid isPermaLink="false">{outlet}-{i}</guid><pubDate>{format_datetime(p.published)}</pubDate>
<description>{escape(p.summary)}</description></item>
"""
        for i, p in enumerate(pages)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{outlet}</title><link>{{base}}/{outlet}/</link>
<description>Benchmark outlet</description>
{items}</channel></rss>
"""


def generate_site(root: Path, *, pages: int, seed: int) -> tuple[list[Path], list[str]]:
    """Write the pages and feed templates; return the page files and the feed URL paths."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, 9, tzinfo=UTC)
    by_feed: dict[int, list[Page]] = {i: [] for i in range(FEEDS)}
    for i in range(pages):
        feed = i % FEEDS
        published = start + timedelta(hours=13 * i + rng.randint(0, 12))
        slots = _slots(rng)
        title = rng.choice(HEADLINES).format(**slots) + f" ({i})"
        path = f"/outlet-{feed}/{published:%Y/%m}/story-{i}.html"
        paragraphs = _prose(rng)
        summary = paragraphs[0].split(". ")[0] + "."
        author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        by_feed[feed].append(Page(path, title, author, published, summary, paragraphs))
    files: list[Path] = []
    feed_paths: list[str] = []
    kinds = ["rss", "atom", "json"]
    for feed, feed_pages in by_feed.items():
        outlet = f"outlet-{feed}"
        feed_pages.reverse()  # newest first, as feeds list them
        for n, page in enumerate(feed_pages):
            target = root / page.path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            related = feed_pages[n + 1 : n + 7]
            html = render_page(page, outlet, related, feed % 3, rng)
            target.write_text(html, encoding="utf-8")
            files.append(target)
        kind = kinds[feed % 3]
        name = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}[kind]
        (root / outlet / f"{name}.tmpl").write_text(
            render_feed(kind, outlet, feed_pages), encoding="utf-8"
        )
        feed_paths.append(f"/{outlet}/{name}")
    return files, feed_paths


# --- Measuring ------------------------------------------------------------------------------


def start_server(root: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "apps.sources.demo", "--root", str(root), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("serving "):
        process.kill()
        raise SystemExit(f"the benchmark server did not start: {line!r}")
    return process, line.split()[1].rstrip("/")


def cpu(fn: object, *args: object, **kwargs: object) -> tuple[float, object]:
    started = time.process_time()
    result = fn(*args, **kwargs)  # type: ignore[operator]
    return time.process_time() - started, result


def anchor_extraction(files: list[Path]) -> tuple[float, float]:
    """CPU per page of bare `trafilatura.extract` (the anchor) and of our `extract` alone."""
    import trafilatura

    from apps.sources.parsers.extract import extract

    pages = [path.read_text() for path in files]
    trafilatura.extract(pages[0])  # warm-up: imports and caches
    extract(pages[0], url="http://127.0.0.1/")
    bare = sum(cpu(trafilatura.extract, page)[0] for page in pages)
    ours = sum(cpu(extract, page, url="http://127.0.0.1/")[0] for page in pages)
    return bare / len(pages), ours / len(pages)


def feed_parsing(bodies: dict[str, bytes]) -> tuple[float, float, float]:
    """CPU over the RSS and Atom feeds, repeated: our parse_feed, feedparser's default parse,
    and feedparser with its sanitizer and URI resolution off (the floor under parse_feed).

    JSON Feeds are left out: feedparser does not read them, so it has nothing to compare."""
    import feedparser

    from apps.sources.parsers.feeds import parse_feed

    xml = {url: body for url, body in bodies.items() if not url.endswith(".json")}
    bare = {"sanitize_html": False, "resolve_relative_uris": False}
    ours = theirs = floor = 0.0
    for url, body in xml.items():
        parse_feed(body, url=url, headers={})
        feedparser.parse(io.BytesIO(body))
    for _ in range(FEED_PARSE_REPEATS):
        for url, body in xml.items():
            ours += cpu(parse_feed, body, url=url, headers={})[0]
            theirs += cpu(feedparser.parse, io.BytesIO(body))[0]
            floor += cpu(feedparser.parse, io.BytesIO(body), **bare)[0]
    return ours, theirs, floor


def run(pages: int) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="labintel-bench-") as tmp:
        site, var_dir = Path(tmp) / "site", Path(tmp) / "var"
        files, feed_paths = generate_site(site, pages=pages, seed=SEED)
        print(f"Generated {len(files)} pages and {len(feed_paths)} feeds in {site}")
        server, base = start_server(site)
        try:
            fresh_labintel(var_dir)
            return measure(files, feed_paths, site, base)
        finally:
            server.terminate()
            server.wait(timeout=10)


def measure(files: list[Path], feed_paths: list[str], site: Path, base: str) -> list[Row]:
    from django.utils import timezone

    from apps.sources.models import FetchLog, Source
    from apps.sources.services import add_source, ingest

    bodies = {
        base + path: (site / (path.lstrip("/") + ".tmpl"))
        .read_bytes()
        .replace(b"{base}", base.encode())
        for path in feed_paths
    }
    print("Anchor: bare trafilatura.extract on every page ...")
    anchor_page, our_extract = anchor_extraction(files)
    print("Feed parsing: parse_feed vs feedparser ...")
    ours_feed, feedparser_feed, feedparser_bare = feed_parsing(bodies)

    for url in bodies:
        add_source(url)
    print("Pipeline: first ingest ...")
    wall_started = time.perf_counter()
    pipeline_cpu, report = cpu(ingest)
    wall = time.perf_counter() - wall_started
    extracted = report.articles_extracted  # type: ignore[attr-defined]
    print(f"  {report}")

    print("Pipeline: second poll of unchanged feeds ...")
    second_started = timezone.now()
    Source.objects.update(next_fetch_at=second_started)
    ingest()
    statuses = Counter(
        FetchLog.objects.filter(started_at__gte=second_started).values_list("status", flat=True)
    )
    polls = sum(statuses.values())
    share_304 = statuses[304] / polls if polls else 0.0

    print("Analysis alone: reanalyse every article ...")
    from apps.events.services import reanalyze

    analysis_cpu, _ = cpu(reanalyze)
    per_analysis = analysis_cpu / extracted if extracted else float("inf")

    per_article = pipeline_cpu / extracted if extracted else float("inf")
    ratio_extract = per_article / anchor_page
    ratio_feed = ours_feed / feedparser_feed
    return [
        Row("pipeline CPU per article", per_article * 1000, anchor_page * 1000, ratio_extract,
            "<= 1.5x", ratio_extract <= 1.5, "ms"),
        Row("analysis alone, per article", per_analysis * 1000, anchor_page * 1000,
            per_analysis / anchor_page, "info", True, "ms"),
        Row("our extract() alone, per page", our_extract * 1000, anchor_page * 1000,
            our_extract / anchor_page, "info", True, "ms"),
        Row("articles per second (wall)", extracted / wall, None, None, "info", True, "art/s"),
        Row("articles extracted", extracted, len(files), extracted / len(files), "== 1.0x",
            extracted == len(files), "articles"),
        Row("parse_feed CPU, RSS+Atom feeds", ours_feed / FEED_PARSE_REPEATS * 1000,
            feedparser_feed / FEED_PARSE_REPEATS * 1000, ratio_feed, "<= 0.35x",
            ratio_feed <= 0.35, "ms"),
        Row("feedparser, sanitizer off", feedparser_bare / FEED_PARSE_REPEATS * 1000,
            feedparser_feed / FEED_PARSE_REPEATS * 1000, feedparser_bare / feedparser_feed,
            "info", True, "ms"),
        Row("second poll answered 304", share_304 * 100, None, None, ">= 95 %",
            share_304 >= 0.95, f"% of {polls}"),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=320)
    args = parser.parse_args()
    started = time.perf_counter()
    rows = run(args.pages)
    print_table(rows)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "ingest",
                "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "pages": args.pages,
                "feeds": FEEDS,
                "seed": SEED,
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "seconds": round(time.perf_counter() - started, 1),
                "rows": [asdict(r) for r in rows],
                "passed": all(r.passed for r in rows),
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nWrote {RESULTS.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
