from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from apps.sources import services
from apps.sources.models import Article, FetchLog, Source
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
