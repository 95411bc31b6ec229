"""Two beat processes at once (SECURITY.md 14): a second beat started by mistake, or two
deploys overlapping. Both send "fetch due sources" every period, and a worker runs their
messages side by side, yet every source is fetched once per period: the claim is one
conditional update under SELECT … FOR UPDATE SKIP LOCKED, so the second claim finds nothing
due. Checked on the fetch log (one row per fetch, each a full interval after the one before)
and on the feed server itself (one request per logged fetch)."""

import time
from itertools import pairwise

import pytest

from apps.sources.models import FetchLog, Source
from tests.conftest import wait_for
from tests.faults.services import all_started, write_figure
from tests.httpserver import conditional
from tests.sitegen import rss_feed

pytestmark = pytest.mark.django_db(transaction=True)

SOURCES = 6
INTERVAL = 2  # seconds: every source's interval, clamped from both sides
WINDOW = 8  # seconds both beats run
# Each beat sends "fetch due sources" every half second (a minute divided by 120).
KNOBS = {
    "BEAT_SPEEDUP": "120",
    "SOURCE_MIN_INTERVAL_SECONDS": str(INTERVAL),
    "SOURCE_MAX_INTERVAL_SECONDS": str(INTERVAL),
}


def _serve_feeds(loopback) -> dict[str, Source]:
    feeds = {}
    for n in range(SOURCES):
        path = f"/quiet{n}.xml"
        body = rss_feed(loopback.base_url, [], title=f"Quiet outlet {n}").encode()
        loopback.route(path, conditional(body, etag=f'"q{n}"', content_type="application/rss+xml"))
        feeds[path] = Source.objects.create(feed_url=loopback.url(path))
    return feeds


def test_two_beats_at_once_fetch_every_source_once_per_period(
    loopback, redis, start_worker, start_beat
):
    feeds = _serve_feeds(loopback)
    # Idle children, so both beats' claims and their fetches can run at the same moment.
    worker = start_worker(concurrency=4, wait=False, **KNOBS)
    beats = [start_beat(name, wait=False, **KNOBS) for name in ("beat-a", "beat-b")]
    all_started(worker, *beats)

    time.sleep(WINDOW)
    for beat in beats:
        beat.stop()
    wait_for(
        lambda: not Source.objects.filter(claim_token__isnull=False).exists(),
        timeout=15,
        what="the last fetches to finish",
    )

    sent = [beat.sent("sources.fetch_due_sources") for beat in beats]
    assert min(sent) >= WINDOW  # both beats really ran, about twice a second each
    gaps = []
    for path, source in feeds.items():
        logged = FetchLog.objects.filter(source=source).values_list("started_at", flat=True)
        started = sorted(logged)
        assert len(started) >= WINDOW // INTERVAL - 1
        assert len(loopback.hits(path)) == len(started)  # no fetch that was not logged
        gaps += [(later - earlier).total_seconds() for earlier, later in pairwise(started)]
    assert min(gaps) >= INTERVAL, f"a source fetched twice within one period: {min(gaps):.2f}s"
    write_figure(
        "two beats at once",
        None,
        sources=SOURCES,
        interval_seconds=INTERVAL,
        fetch_due_sent_by_each_beat=sent,
        fetches=FetchLog.objects.count(),
        shortest_gap_seconds=round(min(gaps), 2),
    )
