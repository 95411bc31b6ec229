"""The tasks are thin: each calls one service and enqueues the next stage after commit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.sources import services, tasks
from apps.sources.models import Article, Source
from tests.sitegen import serve_outlet

pytestmark = pytest.mark.django_db


def _enqueued(callbacks) -> list[tuple[str, tuple]]:
    return [(cb.func.__self__.name, cb.args) for cb in callbacks]


def test_fetch_due_sources_enqueues_one_fetch_per_due_source(
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    due = Source.objects.create(feed_url="https://a.example/feed", next_fetch_at=now)
    Source.objects.create(feed_url="https://b.example/feed", next_fetch_at=now + timedelta(hours=1))
    Source.objects.create(feed_url="https://c.example/feed", next_fetch_at=now, is_active=False)

    with django_capture_on_commit_callbacks() as callbacks:
        assert tasks.fetch_due_sources() == 1

    due.refresh_from_db()
    assert _enqueued(callbacks) == [("sources.fetch_source", (due.id, str(due.claim_token)))]


def test_fetch_source_enqueues_extraction_of_each_new_article(
    loopback, django_capture_on_commit_callbacks
):
    serve_outlet(loopback, count=3)
    source = services.add_source(loopback.url("/feed.xml"))
    token = services.claim_source(source, now=timezone.now())

    with django_capture_on_commit_callbacks() as callbacks:
        tasks.fetch_source(source.id, str(token))

    new_ids = sorted(Article.objects.values_list("id", flat=True))
    assert sorted(args[0] for _, args in _enqueued(callbacks)) == new_ids
    assert {name for name, _ in _enqueued(callbacks)} == {"sources.extract_article"}


def test_the_sweep_enqueues_stuck_articles(loopback, django_capture_on_commit_callbacks):
    source = Source.objects.create(feed_url=loopback.url("/feed.xml"))
    stuck = Article.objects.create(
        source=source,
        guid="g",
        url=loopback.url("/a.html"),
        canonical_url=loopback.url("/a.html"),
        published_at=timezone.now(),
        published_from=Article.PublishedFrom.FEED,
        fetched_at=timezone.now() - timedelta(hours=1),
    )

    with django_capture_on_commit_callbacks() as callbacks:
        assert tasks.sweep_stuck_articles() == 1

    assert _enqueued(callbacks) == [("sources.extract_article", (stuck.id,))]
