import re
import zlib
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.common.html import sanitize_html
from apps.sources import services
from apps.sources.models import Article, ArticleBand, Source, StoryCluster
from tests.conftest import FIXTURES
from tests.hostile_urls import (
    METADATA_SPELLINGS,
    OTHER_SCHEMES,
    PRIVATE_SPELLINGS,
    watch_connections,
)
from tests.httpserver import Reply
from tests.sitegen import article_page

pytestmark = pytest.mark.django_db

HTML = {"Content-Type": "text/html; charset=utf-8"}


def make_article(server, path: str, **overrides) -> Article:
    source, _ = Source.objects.get_or_create(feed_url=server.url("/feed.xml"))
    fields = {
        "source": source,
        "guid": path,
        "url": server.url(path),
        "canonical_url": server.url(path),
        "title": "A title from the feed",
        "summary_html": "<p>The feed's short summary of the story.</p>",
        "published_at": timezone.now(),
        "published_from": Article.PublishedFrom.FEED,
    }
    return Article.objects.create(**(fields | overrides))


def test_it_extracts_the_page_text_without_boilerplate(loopback):
    loopback.route("/a.html", Reply(200, article_page(1, title="Story one").encode(), HTML))
    article = make_article(loopback, "/a.html")

    assert services.extract_article(article.id) is services.Extraction.DONE

    article.refresh_from_db()
    assert article.text_from == "page" and article.extracted_at is not None
    assert "Related stories" not in article.text and "cookies" not in article.text
    assert article.word_count > 50 and len(article.content_hash) == 64
    assert ArticleBand.objects.filter(article=article).count() == 16
    assert article.story is None  # alone until a copy arrives


def test_it_does_nothing_the_second_time(loopback):
    loopback.route("/a.html", Reply(200, article_page(1, title="Story one").encode(), HTML))
    article = make_article(loopback, "/a.html")
    services.extract_article(article.id)

    assert services.extract_article(article.id) is services.Extraction.NOTHING_TO_DO
    assert len(loopback.hits("/a.html")) == 1
    assert ArticleBand.objects.filter(article=article).count() == 16


def test_it_keeps_the_feed_text_when_the_page_is_blocked(loopback, settings):
    settings.FETCH_ALLOW_LOOPBACK = False
    article = make_article(loopback, "/a.html")

    services.extract_article(article.id)

    article.refresh_from_db()
    assert article.text_from == "feed" and article.extraction_error_kind == "blocked"
    assert article.text == "The feed's short summary of the story."
    assert loopback.hits("/a.html") == []


def test_it_retries_transient_failures_then_falls_back_to_the_feed(loopback, settings):
    settings.ARTICLE_MAX_EXTRACT_ATTEMPTS = 3
    loopback.route("/a.html", Reply(503, b"busy"))
    article = make_article(loopback, "/a.html")

    assert services.extract_article(article.id) is services.Extraction.RETRY_LATER
    article.refresh_from_db()
    assert article.extracted_at is None and article.extract_attempts == 1
    assert article.extraction_error_kind == "http"

    services.extract_article(article.id)
    services.extract_article(article.id)
    article.refresh_from_db()
    assert article.extracted_at is not None and article.extract_attempts == 3
    assert article.text_from == "feed"


def test_it_falls_back_at_once_on_a_page_without_text(loopback):
    loopback.route("/a.html", Reply(200, b"<html><body><nav>Home</nav></body></html>", HTML))
    article = make_article(loopback, "/a.html")

    services.extract_article(article.id)

    article.refresh_from_db()
    assert article.text_from == "feed" and "no article text" in article.extraction_error


def test_it_puts_a_syndicated_copy_in_the_same_story(loopback):
    original = article_page(7, title="Story seven", outlet="Circuit Desk")
    copy = article_page(7, title="Story seven", outlet="Valley Courier").replace(
        "<p>", "<p>Republished with permission. ", 1
    )
    loopback.route("/a.html", Reply(200, original.encode(), HTML))
    loopback.route("/b.html", Reply(200, copy.encode(), HTML))
    loopback.route("/c.html", Reply(200, article_page(8, title="Other").encode(), HTML))
    first = make_article(loopback, "/a.html")
    other_source = Source.objects.create(feed_url=loopback.url("/other.xml"))
    second = make_article(loopback, "/b.html", source=other_source)
    unrelated = make_article(loopback, "/c.html")

    for article in (first, second, unrelated):
        services.extract_article(article.id)

    first.refresh_from_db(), second.refresh_from_db(), unrelated.refresh_from_db()
    assert first.story_id == second.story_id and first.story_id is not None
    assert unrelated.story_id is None and StoryCluster.objects.count() == 1
    assert first.story.representative_id == second.id  # the copy has more words


def test_it_takes_the_canonical_url_and_a_missing_date_from_the_page(loopback):
    page = article_page(3, title="Story three").replace(
        "<head>",
        '<head><link rel="canonical" href="https://news.example/story-3?utm_source=rss">'
        '<meta property="article:published_time" content="2025-06-17T10:00:00Z">',
    )
    loopback.route("/a.html", Reply(200, page.encode(), HTML))
    article = make_article(loopback, "/a.html", published_from=Article.PublishedFrom.FIRST_SEEN)

    services.extract_article(article.id)

    article.refresh_from_db()
    assert article.canonical_url == "https://news.example/story-3"
    assert article.published_from == "page" and article.published_at.year == 2025


def test_the_sweep_finds_articles_stuck_between_stages(loopback):
    stuck = make_article(loopback, "/a.html")
    Article.objects.filter(id=stuck.id).update(fetched_at=timezone.now() - timedelta(hours=1))
    make_article(loopback, "/fresh.html")

    assert services.stuck_article_ids() == [stuck.id]


def test_articles_without_links_do_not_share_a_story(loopback):
    first = make_article(loopback, "/x", url="", canonical_url="", summary_html="<p>One thing.</p>")
    second = make_article(loopback, "/y", url="", canonical_url="", summary_html="<p>Another.</p>")

    services.extract_article(first.id)
    services.extract_article(second.id)

    first.refresh_from_db(), second.refresh_from_db()
    assert first.text_from == second.text_from == "feed"
    assert first.story_id is None and second.story_id is None


def test_a_third_copy_joins_the_story_of_the_first_two(loopback):
    page = article_page(9, title="Story nine")
    paths = ["/a.html", "/b.html", "/c.html"]
    for n, path in enumerate(paths):
        copy = page.replace("<p>", "<p>" + "Extra words here. " * n * 10, 1)
        loopback.route(path, Reply(200, copy.encode(), HTML))
    sources = [Source.objects.create(feed_url=loopback.url(f"/f{n}.xml")) for n in range(3)]
    articles = [make_article(loopback, p, source=s) for p, s in zip(paths, sources, strict=True)]

    for article in articles:
        services.extract_article(article.id)

    stories = {a.story_id for a in Article.objects.all()}
    assert len(stories) == 1 and None not in stories
    assert StoryCluster.objects.get().representative_id == articles[2].id


def test_it_keeps_the_feed_text_for_a_link_that_is_not_a_web_page(loopback):
    loopback.route(
        "/report.pdf", Reply(200, b"%PDF-1.7 binary", {"Content-Type": "application/pdf"})
    )
    article = make_article(loopback, "/report.pdf")

    services.extract_article(article.id)

    article.refresh_from_db()
    assert article.text_from == "feed" and article.extraction_error_kind == "not_an_article"
    assert "application/pdf" in article.extraction_error


def test_it_gives_up_on_a_page_that_keeps_killing_its_worker(loopback, settings):
    # Each attempt is counted before the work: a worker killed mid-way still used one up.
    settings.ARTICLE_MAX_EXTRACT_ATTEMPTS = 2
    article = make_article(loopback, "/a.html")
    Article.objects.filter(id=article.id).update(extract_attempts=2)

    assert services.extract_article(article.id) is services.Extraction.DONE

    article.refresh_from_db()
    assert article.text_from == "feed" and "Gave up on the page after 2 attempts" in (
        article.extraction_error
    )
    assert loopback.hits("/a.html") == []


# --- SECURITY.md 1, 2, 4, 8 and trafilatura's output, for article links -----------------------


@pytest.fixture
def connections(monkeypatch):
    return watch_connections(monkeypatch)


def _assert_kept_the_feed_text(article: Article, kind: str) -> None:
    article.refresh_from_db()
    assert article.extracted_at is not None and article.text_from == "feed"
    assert article.extraction_error_kind == kind
    assert article.text == "The feed's short summary of the story."


@pytest.mark.parametrize("template", PRIVATE_SPELLINGS)
def test_it_never_fetches_an_article_link_at_any_spelling_of_a_private_address(
    template, loopback, connections, settings
):
    settings.FETCH_ALLOW_LOOPBACK = False
    article = make_article(loopback, "/a.html", url=template.format(port=loopback.port))

    services.extract_article(article.id)

    _assert_kept_the_feed_text(article, "blocked")
    assert connections == [] and loopback.requests == []


@pytest.mark.parametrize("location", METADATA_SPELLINGS + OTHER_SCHEMES)
def test_it_refuses_an_article_link_that_redirects_where_it_may_not_go(
    location, loopback, connections, settings
):
    settings.FETCH_ALLOW_LOOPBACK = True
    loopback.route("/a.html", Reply(302, b"", {"Location": location}))
    article = make_article(loopback, "/a.html")

    services.extract_article(article.id)

    _assert_kept_the_feed_text(article, "blocked")
    assert connections == [("127.0.0.1", loopback.port)]


def test_it_refuses_a_page_that_is_a_compression_bomb(loopback, settings):
    settings.FETCH_MAX_BYTES = 1 << 20
    bomb = zlib.compress(bytes(16 << 20), level=9, wbits=31)
    loopback.route("/a.html", Reply(200, bomb, HTML | {"Content-Encoding": "gzip"}))
    article = make_article(loopback, "/a.html")

    services.extract_article(article.id)

    _assert_kept_the_feed_text(article, "too_large")


def test_it_stores_the_page_without_nul_control_or_bidi_characters(loopback):
    # PostgreSQL refuses NUL in text: a page full of them must still be stored, cleaned.
    page = article_page(3, title="Story\x00 three\u202e").replace("<p>", "<p>\x00\x07\u2066")
    loopback.route("/a.html", Reply(200, page.encode(), HTML))
    article = make_article(loopback, "/a.html", title="")

    assert services.extract_article(article.id) is services.Extraction.DONE

    article.refresh_from_db()
    assert article.text_from == "page" and article.title == "Story three"
    for value in (article.text, article.html, article.title):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", value)


def test_it_stores_trafilaturas_output_only_sanitized(loopback):
    # trafilatura keeps onclick and javascript: links; what is stored has neither.
    page = (FIXTURES / "pages" / "hostile_article.html").read_bytes()
    loopback.route("/a.html", Reply(200, page, HTML))
    article = make_article(loopback, "/a.html")

    services.extract_article(article.id)

    article.refresh_from_db()
    assert article.text_from == "page" and "The board voted four to three" in article.text
    assert "javascript:" not in article.html.lower() and "onclick" not in article.html.lower()
    assert sanitize_html(article.html) == article.html


def test_it_reads_a_page_in_the_charset_its_server_declares(loopback):
    page = (FIXTURES / "pages" / "nordlicht_windows1252.html").read_bytes()
    page = re.sub(rb"<meta http-equiv=\"Content-Type\"[^>]*>", b"", page)
    headers = {"Content-Type": "text/html; charset=windows-1252"}
    loopback.route("/a.html", Reply(200, page, headers))
    article = make_article(loopback, "/a.html")

    services.extract_article(article.id)

    article.refresh_from_db()
    assert article.text_from == "page" and "Geschäftsführerin Anja Größer" in article.text
    assert "\ufffd" not in article.text


def test_a_content_type_with_control_characters_is_recorded_cleanly(loopback):
    loopback.route("/a.pdf", Reply(200, b"%PDF-1.7", {"Content-Type": "application/p\x00d\x1bf"}))
    article = make_article(loopback, "/a.pdf")

    services.extract_article(article.id)

    _assert_kept_the_feed_text(article, "not_an_article")
    assert "(application/pdf)" in article.extraction_error
