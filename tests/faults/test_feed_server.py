"""A feed server that hangs (accepts, never answers) or drips (a byte a second) while a real
worker polls (SECURITY.md 4 and 14).

tests/common/test_http.py proves the HTTP layer's one deadline on its own; this proves the worker
process around it stays healthy: with a single worker slot, each bad fetch ends at
FETCH_DEADLINE_SECONDS with a typed error on its source (and a later retry scheduled), the slot
is freed so the other sources are still fetched and their articles extracted, the articles the
bad sources had before are kept, and no task meets Celery's time limits.
"""

import itertools
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.sources import tasks
from apps.sources.models import Article, FetchLog, Source
from tests.conftest import wait_for
from tests.entities.builders import make_article
from tests.faults.services import write_figure
from tests.httpserver import LoopbackServer, Reply, Request
from tests.sitegen import serve_outlet

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE = 2  # FETCH_DEADLINE_SECONDS of the worker under test
GOOD_SOURCES = 2
RSS = {"Content-Type": "application/rss+xml"}
ARTICLES_EACH = 3


@pytest.fixture
def stalled() -> Iterator[threading.Event]:
    """Holds the hanging server's handler until the test ends."""
    release = threading.Event()
    yield release
    release.set()


def _hang(release: threading.Event):
    def reply(request: Request) -> Reply:
        release.wait(timeout=60)  # the connection is accepted; no status line ever comes
        return Reply(503, b"")

    return reply


def _drip() -> Iterator[bytes]:
    """A feed that starts well and then sends one byte a second, for ever."""
    start = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
    return itertools.chain((bytes([b]) for b in start), itertools.repeat(b" "))


def _bad_source(loopback: LoopbackServer, path: str, *, minutes_ago: int) -> Source:
    source = Source.objects.create(
        feed_url=loopback.url(path), next_fetch_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    make_article(source=source, guid=f"{path}-kept", title=f"Stored before {path} went bad")
    return source


def _fetched(source: Source) -> bool:
    source.refresh_from_db()
    return source.claim_token is None and source.last_fetched_at is not None


def test_a_hanging_and_a_dripping_feed_end_at_the_deadline_and_free_the_worker_slot(
    loopback, stalled, broker, start_worker
):
    loopback.route("/hang.xml", _hang(stalled))
    loopback.route("/drip.xml", Reply(200, _drip(), RSS, chunk_delay=1.0))
    # The bad sources are the most overdue, so they take the worker's only slot first.
    paths = {"/hang.xml": _bad_source(loopback, "/hang.xml", minutes_ago=10)}
    paths["/drip.xml"] = _bad_source(loopback, "/drip.xml", minutes_ago=9)
    bad = list(paths.values())
    good = []
    for n in range(GOOD_SOURCES):
        serve_outlet(loopback, count=ARTICLES_EACH, feed_path=f"/good{n}.xml", prefix=f"/good{n}")
        good.append(Source.objects.create(feed_url=loopback.url(f"/good{n}.xml")))
    worker = start_worker(concurrency=1, FETCH_DEADLINE_SECONDS=str(DEADLINE))
    children = worker.children()
    started = time.monotonic()
    tasks.fetch_due_sources.delay()

    wait_for(lambda: all(map(_fetched, bad)), timeout=30, what="the bad sources' fetches")
    slot_freed = time.monotonic() - started
    wait_for(lambda: all(map(_fetched, good)), timeout=30, what="the good sources' fetches")
    every_source = time.monotonic() - started
    extracted = Article.objects.filter(source__in=good, extracted_at__isnull=False)
    wanted = GOOD_SOURCES * ARTICLES_EACH
    wait_for(lambda: extracted.count() == wanted, timeout=60, what="the good articles")
    assert worker.process.poll() is None and worker.children() == children

    for path, source in paths.items():
        source.refresh_from_db()
        assert source.last_error_kind == "timeout" and source.consecutive_errors == 1
        assert source.is_active and source.next_fetch_at > source.last_fetched_at
        [log] = FetchLog.objects.filter(source=source)
        assert DEADLINE * 1000 <= log.duration_ms < (DEADLINE + 1.5) * 1000
        assert log.error_kind == "timeout" and log.error
        assert list(source.articles.values_list("guid", flat=True)) == [f"{path}-kept"]
        # A fetch failure is data on the source, not a Celery retry: one request each.
        assert len(loopback.hits(path)) == 1
    assert Article.objects.filter(source__in=good).count() == wanted
    assert Source.objects.filter(claim_token__isnull=False).count() == 0
    log_text = worker.log_path.read_text()
    assert "TimeLimitExceeded" not in log_text and "WorkerLostError" not in log_text
    write_figure(
        "feed server hanging and dripping",
        every_source,
        fetch_deadline_seconds=DEADLINE,
        slot_freed_after_seconds=round(slot_freed, 2),
        note="one worker slot; seconds from the poll until every source was fetched",
    )
