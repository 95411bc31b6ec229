"""Building and sending digests from the database: what changed in what each reader follows,
each period once, nothing when there is nothing to say, in a fixed number of queries."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.digests import services
from apps.digests.models import DigestSend, Subscriber
from apps.digests.tokens import Purpose, make_token
from apps.events.services.storylines import refresh_storyline
from tests.digests.conftest import T0, follow, make_subscriber
from tests.entities.builders import (
    make_affiliation,
    make_article,
    make_cluster,
    make_company,
    make_event,
    make_evidence,
    make_observation,
    make_person,
    make_storyline,
)

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def run_digests(at):
    """What beat and a worker do at `at`: claim the due periods and send them."""
    with time_machine.travel(at, tick=False):
        result = services.BatchResult()
        while ids := services.claim_due(now=at):
            batch = services.send_digests(ids, now=at)
            result.sent += batch.sent
            result.empty += batch.empty
        return result


@pytest.fixture
def lab():
    return make_company(name="Halcyon Labs", slug="halcyon")


@pytest.fixture
def founders(lab):
    people = [make_person(name=name) for name in ("Ada Early", "Bo Second", "Cy Third")]
    for person in people:
        make_affiliation(person, lab, is_cofounder=True, kind="founder")
    return people


@pytest.fixture
def exodus(lab):
    return make_storyline(
        [{"types": ["departure"], "entities": ["halcyon"], "roles": ["from_company"]}],
        title="Halcyon exodus",
        slug="halcyon-exodus",
    )


def departure(lab, person, exodus, *, at, status="confirmed"):
    with time_machine.travel(at, tick=False):
        event = make_event(
            (person, "person"), (lab, "from_company"), summary=f"{person.name} leaves Halcyon",
            date=at.date(), status=status,
        )  # fmt: skip
        article = make_article(title=f"{person.name} quits", url=f"https://news.example/{event.id}")
        make_evidence(event, article)
        refresh_storyline(exodus)
    return event


@pytest.fixture
def reader(exodus):
    subscriber = make_subscriber(email="reader@example.org", next_digest_at=T0 + DAY)
    follow(subscriber, exodus)
    return subscriber


def test_it_tells_the_story_period_by_period(settings, lab, founders, exodus, reader):
    settings.SITE_URL = "https://labintel.example"
    ada, bo, cy = founders
    departure(lab, ada, exodus, at=T0 + DAY / 2)

    # Day 1: a first digest covers the last day.
    assert len(run_digests(T0 + DAY).sent) == 1
    [first] = mail.outbox
    assert first.subject == "Halcyon exodus: Ada Early leaves Halcyon"
    assert "1 of 3 co-founders have left Halcyon Labs" in first.body
    assert "https://labintel.example/storylines/halcyon-exodus/#event-" in first.body
    assert "https://news.example/" in first.body

    # Day 2: one more co-founder leaves, another is only rumoured to.
    departure(lab, bo, exodus, at=T0 + DAY * 1.5)
    rumour = departure(lab, cy, exodus, at=T0 + DAY * 1.6, status="rumoured")
    run_digests(T0 + 2 * DAY)
    second = mail.outbox[1]
    assert second.subject == "Halcyon exodus: now 2 of 3 co-founders gone · and 1 more change"
    assert "Now 2 of 3 co-founders have left Halcyon Labs (was 1)" in second.body
    assert "Bo Second leaves Halcyon" in second.body and "Ada Early" not in second.body
    assert "Cy Third" not in second.body  # a rumour, and this reader wants confirmed events

    # Day 3: the rumour is confirmed.
    with time_machine.travel(T0 + DAY * 2.5, tick=False):
        rumour.status = "confirmed"
        rumour.save()
        refresh_storyline(exodus)
    run_digests(T0 + 3 * DAY)
    third = mail.outbox[2]
    assert third.subject == "Halcyon exodus: now 3 of 3 co-founders gone · and 1 more change"
    assert "CONFIRMED (was rumoured)" in third.body and "Cy Third leaves Halcyon" in third.body

    # Day 4: nothing happened: no mail, and the period is done.
    assert run_digests(T0 + 4 * DAY).empty and len(mail.outbox) == 3
    assert [s.status for s in DigestSend.objects.order_by("period")] == [
        "sent", "sent", "sent", "empty",
    ]  # fmt: skip
    assert Subscriber.objects.get().last_digest == DigestSend.objects.order_by("period").last()


def test_a_reader_who_follows_rumours_is_told_them(lab, founders, exodus, reader):
    Subscriber.objects.update(only_confirmed=False)
    departure(lab, founders[2], exodus, at=T0 + DAY / 2, status="rumoured")

    run_digests(T0 + DAY)

    [message] = mail.outbox
    assert "RUMOURED" in message.body and "Cy Third leaves Halcyon" in message.body


def test_it_tells_a_revised_gpu_count_of_a_followed_cluster():
    colossus = make_cluster(name="Colossus", slug="colossus")
    make_observation(colossus, as_of=date(2025, 1, 1), gpus=200_000)
    make_observation(colossus, as_of=date(2026, 6, 1), gpus=1_000_000, is_projection=True)
    reader = make_subscriber(next_digest_at=T0 + DAY)
    follow(reader, colossus)

    run_digests(T0 + DAY)  # the first digest remembers the figure; it tells nothing
    make_observation(
        colossus, as_of=date(2026, 3, 2), gpus=230_000, source_url="https://news.example/gpus"
    )
    run_digests(T0 + 2 * DAY)

    [message] = mail.outbox
    assert message.subject == "Colossus: 200,000 → 230,000 GPUs"
    assert "Colossus: 200,000 -> 230,000 GPUs" in message.body
    assert "https://news.example/gpus" in message.body
    html = message.alternatives[0][0]
    assert "<s style" in html and "230,000" in html


def test_events_of_a_followed_entity_come_under_it(lab, founders, exodus):
    reader = make_subscriber(next_digest_at=T0 + DAY)
    follow(reader, lab)
    departure(lab, founders[0], exodus, at=T0 + DAY / 2)

    run_digests(T0 + DAY)

    [message] = mail.outbox
    assert "== Halcyon Labs (Company) ==" in message.body
    assert "/entities/halcyon/#event-" in message.body


def test_every_digest_carries_one_click_unsubscribe_headers(
    settings, lab, founders, exodus, reader
):
    settings.SITE_URL = "https://labintel.example"
    departure(lab, founders[0], exodus, at=T0 + DAY / 2)

    run_digests(T0 + DAY)

    [message] = mail.outbox
    header = message.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(r"<https://labintel\.example/digests/unsubscribe/[^>]+/>", header)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.alternatives[0][0]
    assert "<script" not in html and "<img" not in html and 'style="' in html


def test_a_second_claim_of_the_same_period_sends_nothing(lab, founders, exodus, reader):
    departure(lab, founders[0], exodus, at=T0 + DAY / 2)
    with time_machine.travel(T0 + DAY, tick=False):
        ids = services.claim_due(now=T0 + DAY)
        Subscriber.objects.update(next_digest_at=T0 + DAY)  # as if a second beat claimed too
        again = services.claim_due(now=T0 + DAY)
        services.send_digests(ids, now=T0 + DAY)
        services.send_digests(ids + again, now=T0 + DAY)

    assert ids == again and DigestSend.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_reader_who_left_after_the_claim_gets_nothing(lab, founders, exodus, reader):
    departure(lab, founders[0], exodus, at=T0 + DAY / 2)
    with time_machine.travel(T0 + DAY, tick=False):
        ids = services.claim_due(now=T0 + DAY)
        Subscriber.objects.update(status=Subscriber.Status.UNSUBSCRIBED)
        result = services.send_digests(ids, now=T0 + DAY)

    assert result.cancelled == ids and mail.outbox == []


def _readers(count: int, exodus, lab) -> None:
    for _ in range(count):
        subscriber = make_subscriber(next_digest_at=T0 + DAY)
        follow(subscriber, exodus, lab, event_type="funding")


def _queries(count: int, exodus, lab, founders) -> int:
    Subscriber.objects.all().delete()
    _readers(count, exodus, lab)
    with time_machine.travel(T0 + DAY, tick=False):
        ids = services.claim_due(now=T0 + DAY)
        with CaptureQueriesContext(connection) as queries:
            result = services.send_digests(ids, now=T0 + DAY)
    assert len(result.sent) == count
    return len(queries)


def test_it_sends_a_batch_in_a_fixed_number_of_queries_per_digest(lab, founders, exodus):
    for person in founders[:2]:
        departure(lab, person, exodus, at=T0 + DAY / 2)

    one, five, ten = (_queries(n, exodus, lab, founders) for n in (1, 5, 10))

    # Per digest: lock the row, mark it sent, move the baseline (+ the savepoint pair that
    # the test's transaction adds); the rest is per batch, whatever its size.
    assert five - one == 4 * 5 and ten - five == 5 * 5
    assert one == 18


def test_the_preview_shows_exactly_what_would_be_sent(client, lab, founders, exodus, reader):
    departure(lab, founders[0], exodus, at=T0 + DAY / 2)
    token = make_token(Purpose.MANAGE, reader)

    with time_machine.travel(T0 + DAY, tick=False):
        page = client.get(f"/digests/manage/{token}/preview/").content.decode()
        ids = services.claim_due(now=T0 + DAY)
        services.send_digests(ids, now=T0 + DAY)

    [message] = mail.outbox
    assert f"<h1>{message.subject}</h1>" in page
    srcdoc = re.search(r'srcdoc="([^"]*)"', page).group(1)
    import html as html_module

    assert html_module.unescape(srcdoc) == message.alternatives[0][0]
    assert html_module.unescape(re.search(r"<pre[^>]*>(.*?)</pre>", page, re.S).group(1)) == (
        message.body
    )


def test_the_preview_of_nothing_says_no_mail_would_be_sent(client, reader):
    token = make_token(Purpose.MANAGE, reader)

    page = client.get(f"/digests/manage/{token}/preview/").content.decode()

    assert "no mail would be sent" in page


def test_hostile_text_is_escaped_in_the_mail_and_in_the_preview(
    client, lab, founders, exodus, reader
):
    event = departure(lab, founders[0], exodus, at=T0 + DAY / 2)
    event.summary = '<script>alert(1)</script><img src="https://tracker.example/x.gif">'
    event.save()
    token = make_token(Purpose.MANAGE, reader)

    with time_machine.travel(T0 + DAY, tick=False):
        page = client.get(f"/digests/manage/{token}/preview/").content.decode()
    run_digests(T0 + DAY)

    html = mail.outbox[0].alternatives[0][0]
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert "<script>alert" not in page and '<img src="https://tracker' not in page


def test_two_periods_of_one_reader_are_told_in_order_and_the_baseline_is_the_latest(
    lab, founders, exodus, reader
):
    departure(lab, founders[0], exodus, at=T0 + DAY / 2)
    older = DigestSend.objects.create(subscriber=reader, period=T0)  # left pending by an outage
    with time_machine.travel(T0 + DAY, tick=False):
        newer_ids = services.claim_due(now=T0 + DAY)
        result = services.send_digests(newer_ids, now=T0 + DAY)

    assert newer_ids[0] == older.id and result.sent == [older.id] and len(result.empty) == 1
    assert Subscriber.objects.get().last_digest_id == newer_ids[1]


def test_an_older_period_finishing_late_does_not_move_the_baseline_back(
    lab, founders, exodus, reader
):
    with time_machine.travel(T0 + DAY, tick=False):
        [newer] = services.claim_due(now=T0 + DAY)
        services.send_digests([newer], now=T0 + DAY)
        older = DigestSend.objects.create(subscriber=reader, period=T0)
        services.send_digests([older.id], now=T0 + DAY)

    assert DigestSend.objects.get(id=older.id).status == "empty"
    assert Subscriber.objects.get().last_digest_id == newer
