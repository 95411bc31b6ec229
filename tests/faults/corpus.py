"""A small news corpus for the fault tests: outlets on the loopback server, each reporting the
same departures of xAI's co-founders (seed people), so the final state is known exactly:
every article extracted and analysed, and one departure event per person, with one piece of
evidence from each outlet. A duplicated article, a lost one, or an analysis recorded twice shows."""

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from django.conf import settings
from django.db.models import Count

from apps.entities.services.seed import load_seed
from apps.events.models import Event, Evidence
from apps.sources.models import Article, ArticleBand, Source
from tests.httpserver import LoopbackServer, Reply, Request, Route
from tests.sitegen import article_page, rss_feed

SEED = Path(settings.BASE_DIR) / "demo" / "seed"
# Seed people who left xAI, and the day each left (their affiliations' end dates in the seed).
DEPARTURES = [
    ("Kyle Kosic", "kyle-kosic", datetime(2024, 4, 2, tzinfo=UTC)),
    ("Christian Szegedy", "christian-szegedy", datetime(2025, 2, 4, tzinfo=UTC)),
    ("Igor Babuschkin", "igor-babuschkin", datetime(2025, 8, 13, tzinfo=UTC)),
    ("Greg Yang", "greg-yang", datetime(2026, 1, 21, tzinfo=UTC)),
    ("Yuhuai Wu", "yuhuai-wu", datetime(2026, 2, 9, tzinfo=UTC)),
    ("Jimmy Ba", "jimmy-ba", datetime(2026, 2, 10, tzinfo=UTC)),
]
HTML = {"Content-Type": "text/html; charset=utf-8"}


@dataclass(frozen=True)
class Corpus:
    sources: list[Source]
    page_paths: list[str]

    @property
    def articles(self) -> int:
        return len(self.page_paths)


def serve_corpus(loopback: LoopbackServer, *, outlets: int, people: int = 6) -> Corpus:
    """Seed entities, and `outlets` feeds each reporting the first `people` departures."""
    load_seed(SEED)
    sources, paths = [], []
    for outlet in range(outlets):
        items = []
        for number, (name, _, left) in enumerate(DEPARTURES[:people]):
            path = f"/o{outlet}/{number}.html"
            title = f"{name} leaves xAI ({outlet})"
            page = _report(outlet * 100 + number, title=title, name=name, left=left)
            loopback.route(path, Reply(200, page.encode(), HTML))
            items.append((title, path, left + timedelta(hours=12 + outlet)))
            paths.append(path)
        feed = rss_feed(loopback.base_url, items, title=f"Outlet {outlet}").encode()
        loopback.route(f"/o{outlet}.xml", Reply(200, feed, {"Content-Type": "application/rss+xml"}))
        sources.append(Source.objects.create(feed_url=loopback.url(f"/o{outlet}.xml")))
    return Corpus(sources, paths)


def _report(number: int, *, title: str, name: str, left: datetime) -> str:
    """sitegen's article page (its prose differs per number: no near-duplicates), opened by
    the sentence the departure rule reads."""
    when = f"{left:%B} {left.day}, {left.year}"
    lead = f"<p>{escape(name)}, a co-founder of xAI, left the company on {when}, he said.</p>"
    page = article_page(number, title=title)
    byline = '<p class="byline">By Staff Reporter</p>'
    return page.replace(byline, byline + lead, 1)


def finished(corpus: Corpus) -> bool:
    """Every article of the corpus stored, extracted and analysed."""
    done = Article.objects.filter(extracted_at__isnull=False, analyzed_at__isnull=False)
    return done.count() >= corpus.articles


def assert_finished_once(corpus: Corpus, *, outlets: int, people: int = 6) -> None:
    """Nothing lost, nothing twice: each page one article with its text and one set of bands,
    each departure one event, supported by every outlet's article, no sentence twice."""
    assert Article.objects.count() == corpus.articles
    assert not Article.objects.filter(analyzed_at__isnull=True).exists()
    assert Article.objects.filter(text_from="page", word_count__gt=50).count() == corpus.articles
    assert ArticleBand.objects.count() == corpus.articles * 16
    departures = Event.objects.filter(type="departure", merged_into__isnull=True)
    by_person = departures.values_list("participants__entity__slug").annotate(n=Count("id"))
    wanted = {slug for _, slug, _ in DEPARTURES[:people]}
    people_once = {slug: n for slug, n in by_person if slug in wanted}
    assert people_once == dict.fromkeys(wanted, 1)
    for event in departures.filter(participants__entity__slug__in=wanted):
        evidence = Evidence.objects.filter(event=event)
        assert evidence.values("article").distinct().count() == outlets
        places = list(evidence.values_list("article", "start", "end"))
        assert len(places) == len(set(places))


@dataclass
class Hold:
    """Holds the first request for one page until released: the task fetching it is mid-way
    (in extract_article, its message unacknowledged) while the test breaks something."""

    route: Route
    reached: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def __call__(self, request: Request) -> Reply:
        if not self.reached.is_set():
            self.reached.set()
            self.released.wait(timeout=60)
        return self.route(request)


def hold_first_request(loopback: LoopbackServer, path: str) -> Hold:
    hold = Hold(loopback.routes[path])
    loopback.route(path, hold)
    return hold
