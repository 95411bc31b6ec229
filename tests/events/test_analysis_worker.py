"""The analyze stage on the real services: the demo corpus through `celery worker` processes,
PostgreSQL and Redis, into events and storylines, twice over without a duplicate."""

import io
from collections import Counter
from datetime import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.events import tasks as event_tasks
from apps.events.models import Event, EventParticipant, Evidence, Storyline
from apps.events.services import matcher
from apps.sources import services, tasks
from apps.sources.demo import DEMO_ROOT, feed_paths, serve_demo
from apps.sources.models import Article
from tests.conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _analysed(count: int, since: datetime | None = None) -> bool:
    done = Article.objects.filter(analyzed_at__isnull=False)
    if since is not None:
        done = done.filter(analyzed_at__gte=since)
    return done.count() == count


def _departures_per_person() -> Counter[int]:
    people = EventParticipant.objects.filter(
        event__type="departure",
        event__rejected=False,
        event__merged_into__isnull=True,
        role="person",
    ).values_list("entity_id", flat=True)
    return Counter(people)


def test_the_worker_turns_the_demo_corpus_into_storylines_once(celery_worker):
    matcher._cached = None
    call_command("load_seed", verbosity=0, stdout=io.StringIO())
    call_command("load_storylines", verbosity=0, stdout=io.StringIO())
    with serve_demo(DEMO_ROOT, port=0) as demo:
        for path in feed_paths(DEMO_ROOT):
            services.add_source(demo.url(path))
        tasks.fetch_due_sources.delay()
        wait_for(lambda: Article.objects.count() >= 42, timeout=90, what="the demo articles")
        total = Article.objects.count()
        wait_for(lambda: _analysed(total), timeout=120, what="every article analysed")

    exodus = Storyline.objects.get(slug="xai-exodus")
    colossus = Storyline.objects.get(slug="colossus-build-out")
    assert exodus.event_count >= 15 and colossus.event_count >= 12
    assert not Event.objects.filter(evidence__isnull=True).exists()
    counts = (Event.objects.count(), Evidence.objects.count(), _departures_per_person())

    # Analysing everything again through the worker changes nothing.
    again = timezone.now()
    for article_id in Article.objects.values_list("id", flat=True):
        event_tasks.analyze_article.delay(article_id)
    wait_for(lambda: _analysed(total, again), timeout=120, what="every article analysed again")
    assert (Event.objects.count(), Evidence.objects.count(), _departures_per_person()) == counts
