"""Two workers reading two reports of the same new event at the same moment make one event."""

import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from apps.entities.services.seed import load_seed
from apps.events import services
from apps.events.models import Event
from apps.events.services import matcher, recording
from apps.sources.models import Source
from tests.entities.builders import make_extracted_article

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_two_analyses_at_once_make_one_event(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the lock is PostgreSQL's; the embedded default analyses in one process")
    matcher._cached = None
    load_seed(Path(settings.BASE_DIR) / "demo" / "seed")
    articles = [
        make_extracted_article(
            f"Report {n}",
            "Jimmy Ba has left xAI, the company confirmed on Tuesday.",
            source=Source.objects.create(feed_url=f"https://outlet{n}.example/feed.xml"),
        )
        for n in range(2)
    ]
    read_candidates = recording._candidates

    def slow_candidates(reports):
        # Hold each analysis between its lock and its writes long enough for the other to come.
        found = read_candidates(reports)
        time.sleep(0.5)
        return found

    monkeypatch.setattr(recording, "_candidates", slow_candidates)
    errors: list[BaseException] = []

    def analyse(article_id: int) -> None:
        try:
            services.analyze_article(article_id)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=analyse, args=(a.id,)) for a in articles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors
    (event,) = Event.objects.filter(type="departure")
    assert event.evidence.values("article").distinct().count() == 2
