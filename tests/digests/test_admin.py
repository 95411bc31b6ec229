"""Admin: subscribers with status, follows, last digest and bounces; a staff preview of anyone's
next digest; the DigestSend log; and a command that sends or previews digests."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from apps.digests.models import DigestSend, Subscriber
from apps.events.services.storylines import refresh_storyline
from tests.digests.conftest import follow, make_subscriber
from tests.entities.builders import make_company, make_event, make_person, make_storyline

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client):
    user = User.objects.create_superuser("curator", "curator@example.org", "pw")
    client.force_login(user)
    return user


@pytest.fixture
def story():
    lab = make_company(name="Halcyon Labs", slug="halcyon")
    storyline = make_storyline(
        [{"types": ["departure"], "entities": ["halcyon"], "roles": ["from_company"]}],
        title="Halcyon exodus",
    )
    make_event(
        (make_person(name="Ada Early"), "person"), (lab, "from_company"), summary="Ada leaves"
    )
    refresh_storyline(storyline)
    return storyline


def test_the_subscriber_list_shows_status_follows_last_digest_and_bounces(
    client, curator, story, django_assert_max_num_queries
):
    reader = make_subscriber(email="reader@example.org")
    follow(reader, story)
    send = DigestSend.objects.create(subscriber=reader, period=timezone.now(), status="sent")
    Subscriber.objects.filter(pk=reader.pk).update(last_digest=send)
    make_subscriber(
        email="gone@example.org", status="bounced", bounced_at=timezone.now(),
        bounce_reason="550 5.1.1 No such user",
    )  # fmt: skip

    with django_assert_max_num_queries(12):
        page = client.get("/admin/digests/subscriber/").content.decode()

    assert "reader@example.org" in page and "gone@example.org" in page
    assert "Bounced" in page and "(Sent)" in page and ">Preview</a>" in page


def test_staff_preview_any_subscribers_next_digest(client, curator, story):
    reader = make_subscriber(next_digest_at=timezone.now())
    follow(reader, story)

    page = client.get(f"/admin/digests/subscriber/{reader.pk}/preview/").content.decode()

    assert "Halcyon exodus: Ada leaves" in page and "srcdoc=" in page


def test_the_preview_is_for_staff_with_the_permission_only(client, story):
    reader = make_subscriber()
    User.objects.create_user("visitor", password="pw")
    client.login(username="visitor", password="pw")
    assert client.get(f"/admin/digests/subscriber/{reader.pk}/preview/").status_code == 302

    staff = User.objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(staff)
    assert client.get(f"/admin/digests/subscriber/{reader.pk}/preview/").status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_subscriber"))
    assert client.get(f"/admin/digests/subscriber/{reader.pk}/preview/").status_code == 200


def test_send_the_preview_to_me_sends_to_staff_and_records_nothing(client, curator, story):
    reader = make_subscriber(email="reader@example.org")
    follow(reader, story)

    client.post(
        "/admin/digests/subscriber/",
        {"action": "send_preview_to_me", "_selected_action": [reader.pk]},
    )

    [message] = mail.outbox
    assert message.to == ["curator@example.org"]
    assert message.subject.startswith("[Preview for reader@example.org] Halcyon exodus")
    assert not DigestSend.objects.exists()


def test_the_digest_log_lists_every_period(client, curator):
    reader = make_subscriber()
    DigestSend.objects.create(
        subscriber=reader, period=timezone.now(), status="pending", attempts=2,
        last_error="SMTPServerDisconnected: gone",
    )  # fmt: skip

    page = client.get("/admin/digests/digestsend/").content.decode()

    assert "SMTPServerDisconnected: gone" in page
    assert client.get("/admin/digests/digestsend/add/").status_code == 403


def test_the_command_sends_what_is_due_and_previews_one(story):
    reader = make_subscriber(email="reader@example.org", next_digest_at=None)
    follow(reader, story)

    preview = io.StringIO()
    call_command("send_digests", "--preview", "reader@example.org", stdout=preview)
    assert "Subject: Halcyon exodus: Ada leaves" in preview.getvalue() and mail.outbox == []

    out = io.StringIO()
    call_command("send_digests", "--all", stdout=out)
    assert out.getvalue().startswith("1 sent") and len(mail.outbox) == 1

    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        call_command("send_digests", "--all", stdout=out)
    assert len(mail.outbox) == 1  # nothing new: no second mail
