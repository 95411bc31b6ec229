"""End to end on the real services: PostgreSQL, Redis and `celery worker` processes."""

import os
import signal
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from apps.sources import services, tasks
from apps.sources.models import Article, ArticleBand, FetchLog, Source, StoryCluster
from tests.conftest import WorkerProcess, wait_for
from tests.httpserver import Reply, Request
from tests.sitegen import article_page, serve_outlet

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _all_extracted(count: int) -> bool:
    return Article.objects.filter(extracted_at__isnull=False).count() == count


def _hanging_page(number: int, release: threading.Event) -> Callable[[Request], Reply]:
    """A page whose first request hangs until `release` is set; later ones answer at once."""
    page = article_page(number, title=f"Lab news number {number}").encode()
    first = threading.Event()

    def reply(request: Request) -> Reply:
        if not first.is_set():
            first.set()
            release.wait(timeout=30)
        return Reply(200, page, {"Content-Type": "text/html; charset=utf-8"})

    return reply


def _assert_each_article_once(count: int) -> None:
    assert Article.objects.count() == count
    assert Article.objects.filter(text_from="page", word_count__gt=50).count() == count
    assert ArticleBand.objects.count() == count * 16
    assert StoryCluster.objects.count() == 0  # distinct stories: no copies to cluster


def test_it_ingests_a_feed_with_a_real_worker(loopback, celery_worker):
    serve_outlet(loopback, count=5)
    services.add_source(loopback.url("/feed.xml"))

    tasks.fetch_due_sources.delay()

    wait_for(lambda: _all_extracted(5), timeout=60, what="5 extracted articles")
    # The worker goes on to the next stage by itself: linking, on the analyze queue.
    wait_for(
        lambda: not Article.objects.filter(analyzed_at__isnull=True).exists(),
        timeout=60,
        what="5 linked articles",
    )
    _assert_each_article_once(5)
    assert FetchLog.objects.get().status == 200
    assert all(len(loopback.hits(f"/news/{n}.html")) == 1 for n in range(5))


def test_it_redelivers_the_task_of_a_worker_child_killed_mid_extraction(loopback, celery_worker):
    serve_outlet(loopback, count=4)
    release = threading.Event()
    loopback.route("/news/2.html", _hanging_page(2, release))
    services.add_source(loopback.url("/feed.xml"))

    tasks.fetch_due_sources.delay()
    wait_for(lambda: loopback.hits("/news/2.html"), timeout=60, what="the hanging page request")
    for child in celery_worker.children():
        os.kill(child, signal.SIGKILL)
    release.set()

    wait_for(lambda: _all_extracted(4), timeout=60, what="4 extracted articles")
    _assert_each_article_once(4)
    assert len(loopback.hits("/news/2.html")) >= 2


def test_it_recovers_from_a_dead_worker_through_the_sweep(loopback, tmp_path, purge_broker):
    serve_outlet(loopback, count=3)
    release = threading.Event()
    loopback.route("/news/1.html", _hanging_page(1, release))
    services.add_source(loopback.url("/feed.xml"))
    doomed = WorkerProcess(tmp_path / "doomed.log").start()
    tasks.fetch_due_sources.delay()
    wait_for(lambda: loopback.hits("/news/1.html"), timeout=60, what="the hanging page request")

    for child in doomed.children():
        os.kill(child, signal.SIGKILL)
    doomed.kill()
    release.set()
    survivor = WorkerProcess(tmp_path / "survivor.log").start()
    try:
        with time_machine.travel(timezone.now() + timedelta(minutes=11)):
            assert tasks.sweep_stuck_articles() >= 1
        wait_for(lambda: _all_extracted(3), timeout=60, what="3 extracted articles")
    finally:
        survivor.stop()
    _assert_each_article_once(3)


def _fetch_recorded(source: Source) -> bool:
    source.refresh_from_db()
    return source.last_fetched_at is not None


def test_a_feed_too_large_to_read_in_the_time_limit_is_recorded_on_its_source(
    loopback, tmp_path, monkeypatch, purge_broker
):
    # About five seconds of feedparser's work in 1.5 MB; 10 MB of it (the fetch cap) is a
    # minute. The soft limit must end as a typed error on the source, like any other failure.
    items = "".join(f"<item><guid>{n}</guid></item>" for n in range(60_000))
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>{items}'
    loopback.route("/huge.xml", Reply(200, (body + "</channel></rss>").encode()))
    source = services.add_source(loopback.url("/huge.xml"))
    monkeypatch.setenv("CELERY_TASK_SOFT_TIME_LIMIT", "1")
    monkeypatch.setenv("CELERY_TASK_TIME_LIMIT", "30")
    worker = WorkerProcess(tmp_path / "worker.log").start()
    try:
        tasks.fetch_due_sources.delay()
        wait_for(lambda: _fetch_recorded(source), timeout=15, what="the fetch to be recorded")
    finally:
        worker.stop()

    assert source.last_error_kind == "timeout" and source.consecutive_errors == 1
    assert source.claim_token is None and source.next_fetch_at > source.last_fetched_at
