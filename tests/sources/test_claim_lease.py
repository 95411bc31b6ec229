"""A claimed source is not claimed again while its fetch task may still be running: the lease
outlasts Celery's hard time limit, whatever the fetch deadline (a lease shorter than the task
let a second beat fetch a source whose first fetch was still alive)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.sources.models import Source
from apps.sources.services import claim_due_sources

pytestmark = pytest.mark.django_db


def test_a_claim_outlasts_the_longest_a_fetch_task_may_run(settings):
    settings.CELERY_TASK_TIME_LIMIT = 300
    settings.FETCH_DEADLINE_SECONDS = 30
    now = timezone.now()
    source = Source.objects.create(
        feed_url="https://outlet.example/feed.xml", next_fetch_at=now - timedelta(minutes=1)
    )

    [(claimed, _)] = claim_due_sources(now=now)

    assert claimed == source.id
    # Still running, or killed by the hard limit only now: nobody else may claim it yet.
    assert claim_due_sources(now=now + timedelta(seconds=300)) == []
    # Its task is surely gone: the next beat takes the source over.
    assert [c for c, _ in claim_due_sources(now=now + timedelta(seconds=331))] == [source.id]
