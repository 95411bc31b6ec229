"""The embedded default has no `celery beat`: the demo runs the schedule on a thread, and a
reader whose digest falls due gets it from there, over a real SMTP server, once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.common.periodic import EmbeddedBeat
from apps.digests.models import DigestSend
from apps.events.services.storylines import refresh_storyline
from tests.conftest import wait_for
from tests.digests.conftest import follow, make_subscriber
from tests.entities.builders import (
    make_article,
    make_company,
    make_event,
    make_evidence,
    make_person,
    make_storyline,
)

# The beat's thread has its own database connection: it must see committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_due_digest_goes_out_from_the_embedded_beat_once(smtp, eager_tasks) -> None:
    lab = make_company(name="Halcyon Labs", slug="halcyon")
    exodus = make_storyline(
        [{"types": ["departure"], "entities": ["halcyon"], "roles": ["from_company"]}],
        title="Halcyon exodus",
        slug="halcyon-exodus",
    )
    now = timezone.now()
    reader = make_subscriber(email="reader@example.org", next_digest_at=now - timedelta(minutes=1))
    follow(reader, exodus)
    event = make_event(
        (make_person(name="Ada Quill"), "person"),
        (lab, "from_company"),
        summary="Ada Quill leaves Halcyon Labs",
        date=now.date(),
    )
    make_evidence(event, make_article(title="Quill quits", url="https://news.example/quill"))
    refresh_storyline(exodus)

    beat = EmbeddedBeat(
        {"send-due-digests": {"task": "digests.send_due_digests", "schedule": 0.2}}, tick=0.1
    ).start()
    try:
        [digest] = wait_for(
            lambda: smtp.inbox.to("reader@example.org"), timeout=20, what="the digest"
        )
        # Later ticks find nothing due: the reader's next slot has moved on.
        wait_for(lambda: beat.runs["send-due-digests"] >= 3, timeout=10, what="more rounds")
    finally:
        beat.stop()
    assert "Ada Quill leaves Halcyon Labs" in digest.get_body(("plain",)).get_content()
    assert len(smtp.inbox.to("reader@example.org")) == 1
    assert DigestSend.objects.filter(subscriber=reader, status=DigestSend.Status.SENT).count() == 1


def test_a_failing_entry_neither_stops_the_beat_nor_the_other_entries(eager_tasks) -> None:
    beat = EmbeddedBeat(
        {
            # Fails: a sweep's task called with an argument it does not take.
            "broken": {"task": "digests.send_digests", "schedule": 0.1},
            "sweep": {"task": "sources.sweep_stuck_articles", "schedule": 0.1},
        },
        tick=0.05,
    ).start()
    try:
        wait_for(lambda: beat.runs["sweep"] >= 3, timeout=10, what="three rounds")
    finally:
        beat.stop()
    assert beat.runs["broken"] >= 3
