"""The whole flow against a real SMTP server on loopback, and the mail server's failures: an
outage mid-run (nobody twice, nobody skipped), a hard bounce, a soft one."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from celery.exceptions import Retry
from django.test import Client

from apps.digests import services, tasks
from apps.digests.models import DigestSend, Subscriber
from apps.events.services.storylines import refresh_storyline
from tests.digests.conftest import T0, follow, make_subscriber, parts
from tests.entities.builders import (
    make_article,
    make_company,
    make_event,
    make_evidence,
    make_person,
    make_storyline,
)

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


@pytest.fixture
def lab():
    return make_company(name="Halcyon Labs", slug="halcyon")


@pytest.fixture
def exodus(lab):
    return make_storyline(
        [{"types": ["departure"], "entities": ["halcyon"], "roles": ["from_company"]}],
        title="Halcyon exodus",
        slug="halcyon-exodus",
    )


def departure(lab, exodus, name: str, *, at):
    with time_machine.travel(at, tick=False):
        person = make_person(name=name)
        event = make_event(
            (person, "person"), (lab, "from_company"), summary=f"{name} leaves Halcyon Labs",
            date=at.date(),
        )  # fmt: skip
        article = make_article(title=f"{name} quits", url=f"https://news.example/{event.id}")
        make_evidence(event, article)
        refresh_storyline(exodus)


def run_digests(at) -> services.BatchResult:
    with time_machine.travel(at, tick=False):
        ids = services.claim_due(now=at)
        return services.send_digests(ids, now=at)


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_subscribe_confirm_digest_and_one_click_unsubscribe_over_real_smtp(
    client, smtp, lab, exodus, eager_tasks, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://labintel.example"
    inbox = smtp.inbox
    with time_machine.travel(T0, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/digests/subscribe/",
                {"email": "Reader@Example.org", "storyline": "halcyon-exodus"},
            )
        [confirmation] = inbox.to("reader@example.org")
        text, html = parts(confirmation)
        [link] = re.findall(r"https://labintel\.example/digests/confirm/\S+/", text)
        assert link in html
        assert client.get(path_of(link)).status_code == 200
        assert client.post(path_of(link)).status_code == 303
    reader = Subscriber.objects.get()
    assert (
        reader.status == Subscriber.Status.CONFIRMED
        and reader.next_digest_at == T0 + DAY - timedelta(hours=1)
    )

    departure(lab, exodus, "Ada Early", at=T0 + DAY / 2)
    assert len(run_digests(T0 + DAY).sent) == 1

    digest = inbox.messages[-1]
    assert digest["To"] == "reader@example.org"
    assert digest["Subject"] == "Halcyon exodus: Ada Early leaves Halcyon Labs"
    assert digest.get_content_type() == "multipart/alternative"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digest["Message-ID"].startswith("<digest.")
    text, html = parts(digest)
    assert "Ada Early leaves Halcyon Labs" in text and "Ada Early leaves Halcyon Labs" in html
    assert "https://labintel.example/storylines/halcyon-exodus/#event-" in text
    assert "https://news.example/" in html and "<script" not in html
    unsubscribe = re.fullmatch(
        r"<(https://labintel\.example/digests/unsubscribe/\S+/)>", digest["List-Unsubscribe"]
    ).group(1)

    # RFC 8058: what a mail client does, with no cookie and no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        path_of(unsubscribe), "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED

    departure(lab, exodus, "Bo Second", at=T0 + DAY * 1.5)
    run_digests(T0 + 2 * DAY)
    run_digests(T0 + 9 * DAY)
    assert len(inbox.messages) == 2  # the confirmation and the one digest: nothing after


def _due_readers(count: int, exodus) -> list[Subscriber]:
    readers = [
        make_subscriber(email=f"r{n}@example.org", next_digest_at=T0 + DAY) for n in range(count)
    ]
    for reader in readers:
        follow(reader, exodus)
    return readers


def _statuses() -> dict[str, str]:
    return dict(DigestSend.objects.values_list("subscriber__email", "status"))


def test_an_outage_mid_run_leaves_the_rest_pending_and_nobody_gets_two(smtp, lab, exodus):
    readers = _due_readers(6, exodus)
    departure(lab, exodus, "Ada Early", at=T0 + DAY / 2)
    smtp.inbox.accept_at_most = 3  # the server goes away after three messages

    first = run_digests(T0 + DAY)
    assert len(first.sent) == 3 and len(first.again) == 3 and "421" in first.error

    smtp.stop()  # still down when the retry comes
    with time_machine.travel(T0 + DAY + timedelta(minutes=1), tick=False):
        second = services.send_digests(first.again)
    assert second.sent == [] and sorted(second.again) == sorted(first.again)
    # Each run stopped at its first failure: the server was down for all of them alike.
    pending = DigestSend.objects.filter(status="pending").order_by("attempts")
    assert [row.attempts for row in pending] == [0, 0, 2]
    assert "Connection refused" in pending.last().last_error

    smtp.inbox.accept_at_most = None
    smtp.restart()
    with time_machine.travel(T0 + DAY + timedelta(minutes=5), tick=False):
        third = services.send_digests(first.again + second.again)
    assert len(third.sent) == 3

    received = [m["To"] for m in smtp.inbox.messages]
    assert sorted(received) == sorted(r.email for r in readers)  # each once, nobody skipped
    assert set(_statuses().values()) == {"sent"}


def test_a_hard_bounce_stops_mail_to_that_address_and_not_the_batch(smtp, lab, exodus):
    _due_readers(3, exodus)
    smtp.inbox.refuse["r1@example.org"] = "550 5.1.1 No such user"
    departure(lab, exodus, "Ada Early", at=T0 + DAY / 2)

    result = run_digests(T0 + DAY)

    assert len(result.sent) == 2 and len(result.bounced) == 1
    assert sorted(m["To"] for m in smtp.inbox.messages) == ["r0@example.org", "r2@example.org"]
    bounced = Subscriber.objects.get(email="r1@example.org")
    assert bounced.status == Subscriber.Status.BOUNCED and "550" in bounced.bounce_reason
    assert bounced.next_digest_at is None
    assert _statuses()["r1@example.org"] == "bounced"

    departure(lab, exodus, "Bo Second", at=T0 + DAY * 1.5)
    run_digests(T0 + 2 * DAY)
    assert "r1@example.org" not in [m["To"] for m in smtp.inbox.messages]


def test_a_soft_bounce_is_retried_and_the_batch_goes_on(smtp, lab, exodus):
    _due_readers(3, exodus)
    smtp.inbox.refuse["r0@example.org"] = "450 4.2.1 Mailbox busy"
    departure(lab, exodus, "Ada Early", at=T0 + DAY / 2)

    result = run_digests(T0 + DAY)
    assert len(result.sent) == 2 and len(result.again) == 1 and result.error == ""

    del smtp.inbox.refuse["r0@example.org"]
    with time_machine.travel(T0 + DAY + timedelta(minutes=2), tick=False):
        assert len(services.send_digests(result.again).sent) == 1
    assert sorted(m["To"] for m in smtp.inbox.messages) == [f"r{n}@example.org" for n in range(3)]


def test_the_task_retries_undelivered_digests_with_backoff(smtp, lab, exodus):
    _due_readers(2, exodus)
    departure(lab, exodus, "Ada Early", at=T0 + DAY / 2)
    smtp.stop()
    with time_machine.travel(T0 + DAY, tick=False):
        ids = services.claim_due(now=T0 + DAY)
        with pytest.raises(Retry):
            tasks.send_digests.run(ids)

    # The first failure stops the batch: the server is down, the next one would fail too.
    assert DigestSend.objects.filter(status="pending").count() == 2
    assert sorted(DigestSend.objects.values_list("attempts", flat=True)) == [0, 1]
    assert tasks.backoff(0) < tasks.backoff(3) <= 1800 * 1.2


def test_the_sweep_finds_periods_whose_task_was_lost(smtp, lab, exodus):
    _due_readers(2, exodus)
    departure(lab, exodus, "Ada Early", at=T0 + DAY / 2)
    with time_machine.travel(T0 + DAY, tick=False):
        services.claim_due(now=T0 + DAY)  # claimed, and the message never reached a worker

    with time_machine.travel(T0 + DAY + timedelta(minutes=5), tick=False):
        assert services.stale_pending(now=T0 + DAY + timedelta(minutes=5)) == []
    later = T0 + DAY + timedelta(minutes=20)
    with time_machine.travel(later, tick=False):
        lost = services.stale_pending(now=later)
        assert len(lost) == 2
        services.send_digests(lost)
    assert len(smtp.inbox.messages) == 2
