"""Beat's fan-out meets a broker that is down (SECURITY.md 14): the sources it claimed but
could not queue are given back at once, so polling resumes as soon as Redis does, instead of
waiting out the claims' lease (two minutes by default) with nobody fetching them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.sources import tasks
from apps.sources.models import Source

pytestmark = pytest.mark.django_db(transaction=True)


def test_sources_claimed_while_the_broker_is_down_are_due_again_at_once(broker):
    due = timezone.now() - timedelta(minutes=1)
    sources = [
        Source.objects.create(feed_url=f"https://outlet{n}.example/feed.xml", next_fetch_at=due)
        for n in range(3)
    ]
    broker.stop()

    assert tasks.fetch_due_sources() == 0

    for source in sources:
        source.refresh_from_db()
        assert source.claim_token is None and source.next_fetch_at <= timezone.now()
    broker.start()
    assert tasks.fetch_due_sources() == 3
    assert broker.queued("fetch") == 3
