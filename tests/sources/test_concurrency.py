"""Two beats, two workers, one database: claims and upserts never double anything."""

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from apps.sources import services
from apps.sources.models import Article, Source
from apps.sources.parsers.feeds import FeedEntry

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _in_parallel(work: Callable[[], Any], *, times: int = 2) -> list[Any]:
    """Run `work` in threads that start together, each on its own database connection."""
    barrier = threading.Barrier(times)
    results: list[Any] = [None] * times

    def run(slot: int) -> None:
        barrier.wait()
        try:
            results[slot] = work()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _entry(n: int) -> FeedEntry:
    return FeedEntry(
        guid=f"urn:story:{n}",
        url=f"https://news.example/{n}",
        title=f"Story {n}",
        author="",
        summary_html="<p>Summary.</p>",
        content_html="",
        published_at=datetime(2026, 2, 1, tzinfo=UTC),
        updated_at=None,
    )


def test_two_beats_never_claim_the_same_source():
    now = timezone.now()
    Source.objects.bulk_create(
        Source(feed_url=f"https://feeds.example/{n}.xml", next_fetch_at=now) for n in range(200)
    )

    first, second = _in_parallel(lambda: services.claim_due_sources(now=now, limit=150))

    claimed = [source_id for source_id, _ in first + second]
    assert len(claimed) == len(set(claimed)) == 200


def test_the_same_feed_stored_twice_at_once_makes_each_article_once():
    source = Source.objects.create(feed_url="https://feeds.example/feed.xml")
    entries = [_entry(n) for n in range(300)]

    results = _in_parallel(lambda: services.store_entries(source, entries, now=timezone.now()))

    assert Article.objects.filter(source=source).count() == 300
    assert sum(len(new_ids) for new_ids, _ in results) == 300
