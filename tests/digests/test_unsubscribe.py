"""RFC 8058 (SECURITY.md 12): a cookie-less POST to the List-Unsubscribe URL unsubscribes and
answers 200 with no redirect; GET and HEAD only ask. Resubscribing works."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from apps.digests.models import DigestSend, Subscriber
from apps.digests.tokens import Purpose, make_token
from tests.digests.conftest import T0, make_subscriber

pytestmark = pytest.mark.django_db


def url(reader: Subscriber) -> str:
    return f"/digests/unsubscribe/{make_token(Purpose.UNSUBSCRIBE, reader)}/"


def test_get_and_head_only_ask(client):
    reader = make_subscriber()

    page = client.get(url(reader))
    head = client.head(url(reader))

    assert page.status_code == 200 and b'<form method="post"' in page.content
    assert head.status_code == 200 and head.content == b""
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.CONFIRMED


def test_a_one_click_post_without_cookies_or_csrf_unsubscribes_with_a_200():
    reader = make_subscriber()
    DigestSend.objects.create(subscriber=reader, period=T0)
    mail_client = Client(enforce_csrf_checks=True)  # no cookie, no token: as a mail client posts

    response = mail_client.post(
        url(reader),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200 and not response.has_header("Location")
    assert b"You are unsubscribed" in response.content
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED and reader.next_digest_at is None
    assert DigestSend.objects.get().status == DigestSend.Status.CANCELLED


def test_unsubscribing_twice_is_harmless():
    reader = make_subscriber()
    Client().post(url(reader))
    first = Subscriber.objects.get().unsubscribed_at

    response = Client().post(url(reader))

    assert response.status_code == 200 and Subscriber.objects.get().unsubscribed_at == first


def test_the_subscribe_form_resubscribes_through_a_new_confirmation(
    client, eager_tasks, django_capture_on_commit_callbacks
):
    from django.core import mail

    reader = make_subscriber(email="back@example.org")
    client.post(url(reader))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/digests/subscribe/", {"email": "back@example.org"})
    [message] = mail.outbox
    confirm = message.body.split("/digests/confirm/")[1].split("/")[0]

    client.post(f"/digests/confirm/{confirm}/")

    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.CONFIRMED and reader.unsubscribed_at is None


def test_get_with_the_one_click_query_and_repeated_heads_change_nothing():
    reader = make_subscriber()
    link = url(reader)

    for response in (
        Client().get(link + "?List-Unsubscribe=One-Click"),
        Client().head(link),
        Client().head(link + "?List-Unsubscribe=One-Click"),
    ):
        assert response.status_code == 200

    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.CONFIRMED and reader.unsubscribed_at is None


def test_a_one_click_post_with_a_tampered_token_changes_nothing():
    reader = make_subscriber()

    response = Client(enforce_csrf_checks=True).post(
        url(reader)[:-4] + "xyz/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.CONFIRMED


def test_a_one_click_post_works_from_a_years_old_mail():
    reader = make_subscriber()
    link = url(reader)

    with time_machine.travel(timezone.now() + timedelta(days=800)):
        response = Client(enforce_csrf_checks=True).post(
            link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )

    assert response.status_code == 200 and not response.has_header("Location")
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED
