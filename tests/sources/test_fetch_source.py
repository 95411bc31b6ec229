import itertools
import json
import re
import time
import zlib
from datetime import timedelta
from email.utils import format_datetime

import pytest
import time_machine
from django.db import DataError, connection
from django.utils import timezone

from apps.common.errors import Blocked
from apps.sources import services
from apps.sources.models import Article, FetchLog, Source
from tests.conftest import FIXTURES
from tests.hostile_urls import (
    METADATA_SPELLINGS,
    OTHER_SCHEMES,
    PRIVATE_SPELLINGS,
    watch_connections,
)
from tests.httpserver import Reply
from tests.sitegen import serve_outlet

pytestmark = pytest.mark.django_db


def _poll(source: Source) -> services.FetchResult | None:
    token = services.claim_source(source, now=timezone.now())
    return services.fetch_source(source.id, claim_token=token)


def test_it_stores_new_entries_and_logs_the_fetch(loopback):
    serve_outlet(loopback, count=3)
    source = services.add_source(loopback.url("/feed.xml"))

    result = _poll(source)

    assert result is not None and result.status == 200
    assert len(result.new_article_ids) == 3
    source.refresh_from_db()
    assert source.kind == "rss" and source.title == "Circuit Desk"
    assert source.etag == '"v1"' and source.last_success_at is not None
    assert source.claim_token is None and source.consecutive_errors == 0
    log = FetchLog.objects.get(source=source)
    assert log.status == 200 and log.new_entries == 3 and log.bytes > 0


def test_it_sends_conditional_get_and_writes_nothing_on_304(loopback):
    serve_outlet(loopback, count=2)
    source = services.add_source(loopback.url("/feed.xml"))
    _poll(source)

    second = _poll(source)

    assert second is not None and second.status == 304 and second.new_article_ids == []
    assert loopback.hits("/feed.xml")[-1].header("If-None-Match") == '"v1"'
    assert Article.objects.count() == 2
    assert list(FetchLog.objects.values_list("status", flat=True).order_by("id")) == [200, 304]


def test_it_polls_a_feed_twice_without_duplicating_articles(loopback):
    serve_outlet(loopback, count=4)
    source = services.add_source(loopback.url("/feed.xml"))
    _poll(source)
    Source.objects.filter(id=source.id).update(etag="")

    again = _poll(source)

    assert again is not None and again.status == 200 and again.new_article_ids == []
    assert Article.objects.filter(source=source).count() == 4


def test_it_ignores_a_fetch_whose_claim_is_gone(loopback):
    serve_outlet(loopback, count=1)
    source = services.add_source(loopback.url("/feed.xml"))
    token = services.claim_source(source, now=timezone.now())
    services.fetch_source(source.id, claim_token=token)

    assert services.fetch_source(source.id, claim_token=token) is None
    assert len(loopback.hits("/feed.xml")) == 1


def test_it_never_lets_one_feed_overwrite_another_feeds_article(loopback):
    serve_outlet(loopback, count=2)
    loopback.route("/mirror.xml", loopback.routes["/feed.xml"])
    first = services.add_source(loopback.url("/feed.xml"))
    mirror = services.add_source(loopback.url("/mirror.xml"))
    _poll(first)
    Article.objects.update(title="Curated title")

    _poll(mirror)

    assert Article.objects.filter(source=first, title="Curated title").count() == 2
    assert Article.objects.filter(source=mirror).count() == 2


def test_it_backs_off_on_errors_and_keeps_the_articles(loopback):
    serve_outlet(loopback, count=2)
    source = services.add_source(loopback.url("/feed.xml"))
    _poll(source)
    loopback.route("/feed.xml", Reply(500, b"oops"))

    intervals = []
    for _ in range(3):
        before = timezone.now()
        _poll(source)
        source.refresh_from_db()
        intervals.append(source.next_fetch_at - before)

    assert source.consecutive_errors == 3 and source.is_active
    assert source.last_error_kind == "http" and "500" in source.last_error
    assert intervals[0] < intervals[1] < intervals[2] <= timedelta(days=1, seconds=5)
    assert Article.objects.filter(source=source).count() == 2


def test_it_keeps_polling_daily_after_many_errors(loopback):
    loopback.route("/feed.xml", Reply(503, b"down"))
    source = services.add_source(loopback.url("/feed.xml"))
    Source.objects.filter(id=source.id).update(consecutive_errors=40)

    _poll(source)

    source.refresh_from_db()
    wait = source.next_fetch_at - timezone.now()
    assert source.is_active and timedelta(hours=23) < wait <= timedelta(days=1)


def test_it_honours_retry_after_within_the_clamp(loopback):
    loopback.route("/feed.xml", Reply(429, b"slow down", {"Retry-After": "7200"}))
    source = services.add_source(loopback.url("/feed.xml"))

    _poll(source)

    source.refresh_from_db()
    wait = source.next_fetch_at - timezone.now()
    assert timedelta(minutes=119) < wait <= timedelta(hours=2)


def test_it_deactivates_a_gone_feed_with_the_reason(loopback):
    loopback.route("/feed.xml", Reply(410, b"gone"))
    source = services.add_source(loopback.url("/feed.xml"))

    _poll(source)

    source.refresh_from_db()
    assert not source.is_active and "410" in source.deactivated_reason


def test_it_records_not_a_feed_without_losing_articles(loopback):
    serve_outlet(loopback, count=1)
    source = services.add_source(loopback.url("/feed.xml"))
    _poll(source)
    login = b"<!doctype html><html><body><form>Sign in</form></body></html>"
    loopback.route("/feed.xml", Reply(200, login, {"Content-Type": "text/html"}))

    _poll(source)

    source.refresh_from_db()
    assert source.last_error_kind == "not_a_feed" and source.consecutive_errors == 1
    assert Article.objects.filter(source=source).count() == 1


def test_it_polls_an_active_feed_more_often_than_a_quiet_one(loopback):
    serve_outlet(loopback, count=5)  # one post an hour
    source = services.add_source(loopback.url("/feed.xml"))
    _poll(source)
    source.refresh_from_db()
    busy = source.fetch_interval

    for _ in range(4):
        _poll(source)  # 304s: nothing new
    source.refresh_from_db()

    assert timedelta(minutes=5) <= busy <= timedelta(hours=1)
    assert source.fetch_interval > busy


def test_it_claims_each_due_source_once():
    now = timezone.now()
    for n in range(3):
        Source.objects.create(feed_url=f"http://127.0.0.1:9/{n}.xml", next_fetch_at=now)

    first = services.claim_due_sources(now=now)
    second = services.claim_due_sources(now=now)

    assert len(first) == 3 and second == []
    with time_machine.travel(now + timedelta(hours=1)):
        # A claim whose worker died expires with its lease.
        assert len(services.claim_due_sources(now=timezone.now())) == 3


def test_it_keeps_the_new_url_of_a_permanently_moved_feed(loopback):
    serve_outlet(loopback, count=1)
    loopback.route("/old.xml", Reply(301, b"", {"Location": loopback.url("/feed.xml")}))
    source = services.add_source(loopback.url("/old.xml"))

    _poll(source)

    source.refresh_from_db()
    assert source.feed_url == loopback.url("/feed.xml") and source.last_status == 200


def test_it_refuses_a_redirect_to_a_blocked_address_and_keeps_the_url(loopback):
    loopback.route("/old.xml", Reply(301, b"", {"Location": "http://169.254.169.254/latest/"}))
    source = services.add_source(loopback.url("/old.xml"))

    _poll(source)

    source.refresh_from_db()
    assert source.feed_url == loopback.url("/old.xml")
    assert source.last_error_kind == "blocked" and source.consecutive_errors == 1


def test_it_does_not_follow_a_temporary_redirect_permanently(loopback):
    serve_outlet(loopback, count=1)
    loopback.route("/old.xml", Reply(302, b"", {"Location": loopback.url("/feed.xml")}))
    source = services.add_source(loopback.url("/old.xml"))

    _poll(source)

    source.refresh_from_db()
    assert source.feed_url == loopback.url("/old.xml") and source.last_status == 200


def test_it_records_a_missing_feed(loopback):
    source = services.add_source(loopback.url("/nothing-here.xml"))

    _poll(source)

    source.refresh_from_db()
    assert source.last_status == 404 and source.last_error == "HTTP 404" and source.is_active


def test_it_stores_a_ten_thousand_item_feed_once(loopback):
    items = "".join(
        f"<item><title>Item {n}</title><link>https://news.example/{n}</link>"
        f"<guid>urn:item:{n}</guid></item>"
        for n in range(10_000)
    )
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}'
    loopback.route("/feed.xml", Reply(200, (body + "</channel></rss>").encode()))
    source = services.add_source(loopback.url("/feed.xml"))

    first = _poll(source)
    Source.objects.filter(id=source.id).update(etag="", last_modified="")
    second = _poll(source)

    assert len(first.new_article_ids) == 10_000 and second.new_article_ids == []
    assert Article.objects.filter(source=source).count() == 10_000


# --- SECURITY.md 1-5, 8 and 9 at the level of a source ----------------------------------------

RSS = {"Content-Type": "application/rss+xml"}
NOW = timezone.now()


@pytest.fixture
def connections(monkeypatch):
    return watch_connections(monkeypatch)


def _source_with_an_article(feed_url: str) -> Source:
    source = Source.objects.create(feed_url=feed_url)
    Article.objects.create(source=source, guid="kept", title="Stored before", published_at=NOW)
    return source


def _assert_refused(source: Source, kind: str) -> None:
    source.refresh_from_db()
    assert source.last_error_kind == kind and source.consecutive_errors == 1
    assert source.is_active and source.claim_token is None
    assert list(source.articles.values_list("guid", flat=True)) == ["kept"]
    assert FetchLog.objects.get(source=source).error_kind == kind


@pytest.mark.parametrize("template", PRIVATE_SPELLINGS)
def test_it_refuses_to_add_a_feed_at_any_spelling_of_a_private_address(
    template, loopback, settings
):
    settings.FETCH_ALLOW_LOOPBACK = False
    with pytest.raises(Blocked):
        services.add_source(template.format(port=loopback.port))
    assert not Source.objects.exists()


@pytest.mark.parametrize("url", OTHER_SCHEMES)
def test_it_refuses_to_add_a_feed_with_another_scheme(url):
    with pytest.raises(Blocked):
        services.add_source(url)
    assert not Source.objects.exists()


@pytest.mark.parametrize("template", PRIVATE_SPELLINGS)
def test_it_never_fetches_a_stored_feed_url_at_any_spelling_of_a_private_address(
    template, loopback, connections, settings
):
    # A row that never went through add_source (an old import, a direct edit) is guarded too.
    settings.FETCH_ALLOW_LOOPBACK = False
    source = _source_with_an_article(template.format(port=loopback.port))

    _poll(source)

    _assert_refused(source, "blocked")
    assert connections == [] and loopback.requests == []


@pytest.mark.parametrize("location", METADATA_SPELLINGS + OTHER_SCHEMES)
def test_it_refuses_a_permanent_redirect_to_where_it_may_not_go_and_keeps_the_url(
    location, loopback, connections, settings
):
    settings.FETCH_ALLOW_LOOPBACK = True
    loopback.route("/old.xml", Reply(301, b"", {"Location": location}))
    source = _source_with_an_article(loopback.url("/old.xml"))

    _poll(source)

    _assert_refused(source, "blocked")
    assert source.feed_url == loopback.url("/old.xml")
    assert connections == [("127.0.0.1", loopback.port)]


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        (Reply(200, b"<!doctype html><html><body>Sign in</body></html>"), "not_a_feed"),
        (Reply(404, b"gone away"), "http"),
        (Reply(301, b"", {"Location": "/old.xml"}), "redirects"),  # a loop
    ],
)
def test_it_keeps_the_old_url_when_the_moved_feed_fails(target, kind, loopback):
    # The new URL is persisted only once it passed every guard and gave a feed.
    loopback.route("/old.xml", Reply(301, b"", {"Location": "/new.xml"}))
    loopback.route("/new.xml", target)
    source = _source_with_an_article(loopback.url("/old.xml"))

    _poll(source)

    _assert_refused(source, kind)
    assert source.feed_url == loopback.url("/old.xml")


def test_it_gives_up_after_five_redirects_and_keeps_the_url(loopback):
    for hop in range(6):
        loopback.route(f"/{hop}.xml", Reply(301, b"", {"Location": f"/{hop + 1}.xml"}))
    serve_outlet(loopback, count=1, feed_path="/6.xml")
    source = _source_with_an_article(loopback.url("/0.xml"))

    _poll(source)

    _assert_refused(source, "redirects")
    assert source.feed_url == loopback.url("/0.xml") and loopback.hits("/6.xml") == []


def test_it_keeps_the_old_url_when_another_source_has_the_new_one(loopback):
    serve_outlet(loopback, count=1)
    loopback.route("/old.xml", Reply(301, b"", {"Location": loopback.url("/feed.xml")}))
    source = services.add_source(loopback.url("/old.xml"))
    other = services.add_source(loopback.url("/feed.xml"))

    _poll(source)

    source.refresh_from_db()
    assert source.feed_url == loopback.url("/old.xml") and source.last_status == 200
    assert Source.objects.filter(feed_url=loopback.url("/feed.xml")).get() == other


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(200, b"", RSS), "empty"),
        (Reply(200, b'{"ok": true, "items": []}', {"Content-Type": "application/json"}), "JSON"),
        (Reply(200, b"\x89PNG\r\n\x1a\n" + bytes(64), {"Content-Type": "image/png"}), "binary"),
        (Reply(200, b"GIF89a" + bytes(64), RSS), "binary"),  # an image that says it is a feed
        (Reply(200, (FIXTURES / "feeds" / "login_page.html").read_bytes()), "HTML page"),
    ],
)
def test_it_records_each_kind_of_not_a_feed_answer_and_keeps_the_articles(reply, message, loopback):
    loopback.route("/feed.xml", reply)
    source = _source_with_an_article(loopback.url("/feed.xml"))

    _poll(source)

    _assert_refused(source, "not_a_feed")
    assert message in source.last_error and source.last_status == 200


@pytest.mark.parametrize(
    ("retry_after", "wait"),
    [
        ("3600", timedelta(hours=1)),
        ("Fri, 01 Jan 2100 00:00:00 GMT", timedelta(days=1)),  # clamped to the longest interval
        ("99999999999999999999", timedelta(days=1)),
        ("1", timedelta(minutes=5)),  # never sooner than the shortest interval
        ("soon", timedelta(minutes=5)),
    ],
)
def test_it_honours_a_503_retry_after_within_the_clamp(retry_after, wait, loopback, settings):
    settings.SOURCE_MIN_INTERVAL, settings.SOURCE_MAX_INTERVAL = timedelta(minutes=5), timedelta(1)
    loopback.route("/feed.xml", Reply(503, b"busy", {"Retry-After": retry_after}))
    source = _source_with_an_article(loopback.url("/feed.xml"))

    _poll(source)

    _assert_refused(source, "http")
    assert abs(source.next_fetch_at - source.last_fetched_at - wait) < timedelta(seconds=5)


def test_it_honours_a_retry_after_date(loopback):
    later = format_datetime(timezone.now() + timedelta(hours=3), usegmt=True)
    loopback.route("/feed.xml", Reply(429, b"slow down", {"Retry-After": later}))
    source = _source_with_an_article(loopback.url("/feed.xml"))

    _poll(source)

    _assert_refused(source, "http")
    wait = source.next_fetch_at - source.last_fetched_at
    assert timedelta(hours=2, minutes=59) < wait <= timedelta(hours=3)


def test_a_gone_feed_is_never_claimed_again_but_keeps_its_articles(loopback):
    loopback.route("/feed.xml", Reply(410, b"gone"))
    source = _source_with_an_article(loopback.url("/feed.xml"))

    _poll(source)

    with time_machine.travel(timezone.now() + timedelta(days=30)):
        assert services.claim_due_sources(now=timezone.now()) == []
    assert len(loopback.hits("/feed.xml")) == 1
    assert list(source.articles.values_list("guid", flat=True)) == ["kept"]


def test_a_failing_source_is_retried_for_ever_at_a_bounded_interval(loopback, settings):
    settings.SOURCE_MIN_INTERVAL, settings.SOURCE_MAX_INTERVAL = timedelta(minutes=5), timedelta(1)
    loopback.route("/feed.xml", Reply(500, b"oops"))
    source = _source_with_an_article(loopback.url("/feed.xml"))
    now = timezone.now()
    waits = []
    for _ in range(12):
        with time_machine.travel(now, tick=False):
            [(source_id, token)] = services.claim_due_sources(now=timezone.now())
            services.fetch_source(source_id, claim_token=token)
        source.refresh_from_db()
        waits.append(source.next_fetch_at - now)
        now = source.next_fetch_at  # the next poll happens exactly when it falls due

    assert waits[:4] == [timedelta(minutes=5 * 2**n) for n in range(4)]
    assert waits[-3:] == [timedelta(days=1)] * 3
    assert source.is_active and source.consecutive_errors == 12
    assert source.articles.count() == 1


def test_it_records_a_compression_bomb_as_too_large(loopback, settings):
    settings.FETCH_MAX_BYTES = 1 << 20
    bomb = zlib.compress(bytes(16 << 20), level=9, wbits=31)
    loopback.route("/feed.xml", Reply(200, bomb, RSS | {"Content-Encoding": "gzip"}))
    source = _source_with_an_article(loopback.url("/feed.xml"))

    _poll(source)

    _assert_refused(source, "too_large")


def test_a_dripping_feed_ends_at_the_deadline_and_releases_its_claim(loopback, settings):
    settings.FETCH_DEADLINE_SECONDS = 1
    loopback.route("/feed.xml", Reply(200, itertools.repeat(b" "), RSS, chunk_delay=0.2))
    source = _source_with_an_article(loopback.url("/feed.xml"))
    started = time.monotonic()

    _poll(source)

    assert time.monotonic() - started < 2
    _assert_refused(source, "timeout")


def test_it_stores_no_nul_control_or_bidi_characters_in_any_field(loopback):
    # PostgreSQL refuses NUL in text and feedparser passes NUL through: every field is cleaned.
    dirty = "A\x00B\x07C\x1b[31mD\u202eE\u2066F\u200bG"
    rss_item = (
        f"<item><title>{dirty}</title><link>https://news.example/{dirty}</link>"
        f"<guid>guid-{dirty}</guid><author>x@example.org ({dirty})</author>"
        f"<description><![CDATA[<p>{dirty}</p>]]></description></item>"
    )
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{dirty}</title>{rss_item}'
    loopback.route("/feed.xml", Reply(200, (body + "</channel></rss>").encode(), RSS))
    json_item = {"id": f"json-{dirty}", "url": f"https://news.example/j{dirty}", "title": dirty}
    json_item["authors"] = [{"name": dirty}]
    json_feed = {"version": "https://jsonfeed.org/version/1.1", "title": dirty}
    json_feed["items"] = [json_item | {"content_html": f"<p>{dirty}</p>"}]
    loopback.route("/feed.json", Reply(200, json.dumps(json_feed).encode()))

    for path in ("/feed.xml", "/feed.json"):
        _poll(services.add_source(loopback.url(path)))

    fields = ("guid", "url", "title", "author", "summary_html", "feed_content_html")
    values = [getattr(article, name) for article in Article.objects.all() for name in fields]
    values += Source.objects.values_list("title", flat=True)
    articles = list(Article.objects.all())
    assert len(articles) == 2 and all(getattr(a, name) for a in articles for name in fields[:4])
    assert all(article.summary_html or article.feed_content_html for article in articles)
    for value in values:
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u200b\u202a-\u202e\u2066-\u2069]", value)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) to show it"
)
def test_postgresql_refuses_nul_in_text_which_is_why_every_field_is_cleaned():
    source = Source.objects.create(feed_url="https://news.example/feed.xml")
    with pytest.raises(DataError, match="NUL"):
        Article.objects.create(
            source=source, guid="nul", title="a\x00b", published_at=timezone.now()
        )


def test_entries_without_guids_are_stored_once_however_often_they_are_polled(loopback):
    items = (
        "<item><title>Linked</title><link>https://news.example/linked</link></item>"
        "<item><title>Unlinked</title><pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate></item>"
        "<item><title>Linked</title><link>https://news.example/linked</link></item>"
    )
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}'
    loopback.route("/feed.xml", Reply(200, (body + "</channel></rss>").encode(), RSS))
    source = services.add_source(loopback.url("/feed.xml"))

    first, second = _poll(source), _poll(source)

    assert len(first.new_article_ids) == 2 and second.new_article_ids == []
    assert sorted(source.articles.values_list("title", flat=True)) == ["Linked", "Unlinked"]


def test_the_same_guid_in_two_feeds_makes_two_articles_each_with_its_own_content(loopback):
    for path, title in (("/a.xml", "Outlet A's story"), ("/b.xml", "Outlet B's story")):
        item = f"<item><title>{title}</title><guid>shared-guid</guid></item>"
        body = f'<?xml version="1.0"?><rss version="2.0"><channel>{item}</channel></rss>'
        loopback.route(path, Reply(200, body.encode(), RSS))
    first, second = (services.add_source(loopback.url(p)) for p in ("/a.xml", "/b.xml"))

    _poll(first)
    _poll(second)
    _poll(first)

    assert first.articles.get().title == "Outlet A's story"
    assert second.articles.get().title == "Outlet B's story"


def test_control_characters_in_response_headers_never_reach_the_database(loopback):
    # The validators are stored on the source; PostgreSQL refuses NUL in text.
    serve_outlet(loopback, count=1)
    feed = loopback.routes["/feed.xml"]
    headers = {"ETag": '"v\x00\x1b1"', "Last-Modified": "Mon, 02 Mar 2026\x00 09:00:00 GMT"}
    loopback.route("/feed.xml", lambda request: Reply(200, feed(request).body, RSS | headers))
    source = services.add_source(loopback.url("/feed.xml"))

    result = _poll(source)

    source.refresh_from_db()
    assert result.error is None and source.articles.count() == 1
    assert source.etag == '"v1"' and source.last_modified == "Mon, 02 Mar 2026 09:00:00 GMT"
