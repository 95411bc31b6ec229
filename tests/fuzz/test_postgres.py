"""A sample of fuzzed inputs through the real storing functions into PostgreSQL and back: what
the parsers give is stored as given (PostgreSQL refuses NUL and invalid UTF-8, so a bad string
fails the write), and what analysis writes points at the text it came from. Each example runs
in a savepoint that is rolled back, so examples do not see each other's rows."""

import datetime
import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings

from apps.common.errors import ParseError, TooLarge
from apps.entities.services.seed import load_seed
from apps.events.models import Evidence, Mention
from apps.events.services.analysis import analyze_article
from apps.sources.models import Article, Source
from apps.sources.services import extract_article, import_opml, store_entries
from tests.fuzz import checks
from tests.fuzz.corpus import SEED
from tests.fuzz.profiles import examples
from tests.fuzz.strategies.documents import feeds, opml
from tests.fuzz.strategies.markup import pages
from tests.fuzz.strategies.prose import articles
from tests.fuzz.test_feeds import parse_or_refuse
from tests.fuzz.test_rules import publication_times
from tests.httpserver import LoopbackServer, Reply

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),  # as in test_opml
]

NOW = datetime.datetime(2026, 2, 12, 15, tzinfo=datetime.UTC)


def per_test_fixtures(max_examples: int) -> settings:
    """The fixtures these tests take (a database, a loopback server) are set up once per test,
    not once per example: each example rolls its own rows back instead."""
    checks_off = [*settings.default.suppress_health_check, HealthCheck.function_scoped_fixture]
    return settings(max_examples=max_examples, suppress_health_check=checks_off)


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def feed_source() -> Source:
    return Source.objects.create(feed_url="https://feeds.example/rss.xml")


@per_test_fixtures(examples(12))
@given(feeds())
def test_it_stores_feed_entries_as_parsed(body: bytes) -> None:
    feed = parse_or_refuse(body)
    event(f"{min(len(feed.entries), 3) if feed else 0}+ entries")
    if feed is None:
        return
    with rolled_back():
        new_ids, _ = store_entries(feed_source(), feed.entries, now=NOW)
        stored = {article.guid: article for article in Article.objects.filter(id__in=new_ids)}
        assert len(stored) == len(feed.entries)
        for entry in feed.entries:
            article = stored[entry.guid]
            assert (article.url, article.title, article.author) == (
                entry.url,
                entry.title,
                entry.author,
            )
            assert (article.summary_html, article.feed_content_html) == (
                entry.summary_html,
                entry.content_html,
            )
            assert article.published_at == (entry.published_at or NOW)
            checks.storable(article.canonical_url)


@per_test_fixtures(examples(12))
@given(opml())
def test_it_imports_opml_feeds_as_storable_sources(data: bytes) -> None:
    with rolled_back():
        try:
            report = import_opml(data)
        except (ParseError, TooLarge):  # the parser's own errors; any other fails the test
            return
        event(f"{min(len(report.added), 3)}+ added, {min(len(report.refused), 1)}+ refused")
        for source in Source.objects.all():
            checks.web_url(source.feed_url)
            checks.storable(source.title)
            checks.storable(source.site_url)
        for _url, reason in report.refused:
            checks.storable(reason)


@pytest.fixture
def page_server(settings: object) -> Iterator[LoopbackServer]:
    settings.FETCH_ALLOW_LOOPBACK = True  # type: ignore[attr-defined]
    server = LoopbackServer().start()
    yield server
    server.stop()


@per_test_fixtures(examples(8))
@given(pages())
def test_it_stores_extracted_pages_as_extracted(page_server: LoopbackServer, page: bytes) -> None:
    page_server.route(
        "/story.html", lambda request: Reply(200, page, {"Content-Type": "text/html"})
    )
    with rolled_back():
        article = Article.objects.create(
            source=feed_source(),
            guid="story",
            url=page_server.url("/story.html"),
            title="A title from the feed",
            summary_html="<p>The feed's summary.</p>",
            published_at=NOW,
        )
        extract_article(article.id)
        article.refresh_from_db()
        event(f"text from the {article.text_from}")
        assert article.extracted_at is not None
        checks.storable(article.text)
        checks.safe_html(article.html)
        checks.web_url(article.canonical_url)
        for value in (article.title, article.author, article.language, article.extraction_error):
            checks.storable(value)


@pytest.fixture
def seeded(db: None) -> None:
    load_seed(SEED)


@per_test_fixtures(examples(12))
@given(articles(), publication_times())
def test_it_stores_analysis_that_points_at_its_text(
    seeded: None, article: tuple[str, str], published: datetime.datetime
) -> None:
    title, text = article
    item = {
        "id": "1",
        "title": title,
        "content_text": text,
        "date_published": published.isoformat(),
    }
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [item]})
    feed = parse_or_refuse(body.encode("utf-8", errors="surrogatepass"))
    assert feed is not None
    with rolled_back():
        (article_id,), _ = store_entries(feed_source(), feed.entries, now=NOW)
        extract_article(article_id)
        assert analyze_article(article_id)
        stored = Article.objects.get(id=article_id)
        document = f"{stored.title}\n\n{stored.text}"
        mentions = Mention.objects.filter(article_id=article_id)
        evidence = Evidence.objects.filter(article_id=article_id).select_related("event")
        event(f"{min(mentions.count(), 3)}+ mentions, {min(evidence.count(), 3)}+ evidence")
        for mention in mentions:
            assert document[mention.start : mention.end] == mention.surface
            assert mention.surface in mention.sentence and mention.sentence in document
        for row in evidence:
            assert document[row.start : row.end] == row.sentence
            if row.trigger_start is not None:
                assert 0 <= row.trigger_start < row.trigger_end <= len(row.sentence)
            # "99 years ago" in an article the feed dates (now: a future date is refused).
            checks.sane_day(row.event.date, around=stored.published_at.date(), years=120)
            checks.storable(row.event.summary)
