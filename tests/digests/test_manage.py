"""Confirming by the mailed link, then managing what to follow and when, by signed links only."""

import re
from datetime import UTC, datetime

import pytest
import time_machine

from apps.digests.models import Subscriber, Subscription
from apps.digests.tokens import Purpose, make_token
from tests.digests.conftest import follow, make_subscriber
from tests.entities.builders import make_cluster, make_company, make_storyline

pytestmark = pytest.mark.django_db


def test_confirming_asks_first_then_confirms_on_post_and_follows_what_was_asked(client):
    reader = make_subscriber(status=Subscriber.Status.PENDING, next_digest_at=None)
    storyline = make_storyline(title="Halcyon exodus")
    url = f"/digests/confirm/{make_token(Purpose.CONFIRM, reader, ('storyline', storyline.id))}/"

    page = client.get(url)
    assert page.status_code == 200 and b"Halcyon exodus" in page.content
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING  # a GET changes nothing

    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False):
        response = client.post(url)

    assert response.status_code == 303 and "/digests/manage/" in response["Location"]
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.CONFIRMED
    assert reader.next_digest_at == datetime(2026, 3, 3, 8, tzinfo=UTC)
    assert list(reader.subscriptions.values_list("storyline", flat=True)) == [storyline.id]


def test_the_home_page_follow_means_every_storyline(client):
    reader = make_subscriber(status=Subscriber.Status.PENDING)
    stories = [make_storyline(), make_storyline()]

    client.post(f"/digests/confirm/{make_token(Purpose.CONFIRM, reader, ('storylines', 0))}/")

    assert set(reader.subscriptions.values_list("storyline", flat=True)) == {s.id for s in stories}


def test_the_manage_page_shows_and_saves_the_settings(client):
    reader = make_subscriber()
    kept, dropped, added = make_storyline(title="Kept"), make_storyline(), make_storyline()
    lab, cluster = make_company(name="Halcyon Labs"), make_cluster(name="Colossus", slug="colossus")
    follow(reader, kept, dropped, lab, event_type="funding")
    url = f"/digests/manage/{make_token(Purpose.MANAGE, reader)}/"

    page = client.get(url).content.decode()
    assert "Halcyon Labs" in page and 'value="Europe/Paris"' in page

    response = client.post(
        url,
        {
            "storylines": [kept.id, added.id],
            "entities": [],
            "add_entity": "colossus",
            "event_types": ["permit"],
            "frequency": "weekly",
            "hour": "17",
            "weekday": "4",
            "time_zone": "Europe/Paris",
            "only_confirmed": "",
        },
    )

    assert response.status_code == 303 and response["Location"] == url + "?saved=1"
    reader.refresh_from_db()
    assert (reader.frequency, reader.hour, reader.weekday, reader.time_zone) == (
        "weekly",
        17,
        4,
        "Europe/Paris",
    )
    assert reader.only_confirmed is False
    assert reader.next_digest_at.astimezone(reader.next_digest_at.tzinfo).weekday() == 4
    rows = set(Subscription.objects.values_list("storyline", "entity", "event_type"))
    assert rows == {
        (kept.id, None, ""),
        (added.id, None, ""),
        (None, cluster.id, ""),
        (None, None, "permit"),
    }
    assert b"Saved." in client.get(response["Location"]).content


def test_a_bad_setting_is_a_400_with_the_reason(client):
    reader = make_subscriber()
    url = f"/digests/manage/{make_token(Purpose.MANAGE, reader)}/"

    response = client.post(
        url,
        {"frequency": "hourly", "hour": "25", "weekday": "0", "time_zone": "Nowhere/Land",
         "add_entity": "no-such-entity"},
    )  # fmt: skip

    assert response.status_code == 400
    body = response.content.decode()
    assert "No company, person or cluster has this name" in body
    assert "Select a valid choice" in body
    assert Subscriber.objects.get().frequency == "daily"


def test_an_unsubscribed_reader_can_resubscribe_from_the_manage_page(client):
    reader = make_subscriber(status=Subscriber.Status.UNSUBSCRIBED, next_digest_at=None)
    token = make_token(Purpose.MANAGE, reader)

    page = client.get(f"/digests/manage/{token}/").content.decode()
    assert "Resubscribe" in page

    client.post(f"/digests/manage/{token}/resubscribe/")

    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.CONFIRMED and reader.next_digest_at is not None


def test_a_follow_link_adds_on_post_only(client):
    reader = make_subscriber()
    lab = make_company(name="Halcyon Labs")
    url = f"/digests/follow/{make_token(Purpose.FOLLOW, reader, ('entity', lab.id))}/"

    assert b"Add Halcyon Labs to your digest?" in client.get(url).content
    assert not reader.subscriptions.exists()

    client.post(url)

    assert list(reader.subscriptions.values_list("entity", flat=True)) == [lab.id]


def test_the_manage_page_links_to_the_preview_and_unsubscribe(client):
    reader = make_subscriber()
    token = make_token(Purpose.MANAGE, reader)

    page = client.get(f"/digests/manage/{token}/").content.decode()

    assert f"/digests/manage/{token}/preview/" in page
    assert re.search(r'href="/digests/unsubscribe/[^"]+/"', page)
