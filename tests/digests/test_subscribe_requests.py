"""A subscribe form's request is kept in the database until its mail is sent: the sweep finds
the ones whose task never reached the broker, and the mail goes out once however often the
task is delivered. (tests/faults/test_web_under_faults.py runs this against a paused Redis.)"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from apps.digests import services, tasks
from apps.digests.models import Subscriber, SubscribeRequest

pytestmark = pytest.mark.django_db


def test_the_mail_goes_out_once_and_the_request_is_gone(smtp):
    request = services.record_request("reader@example.org")

    assert services.send_request(request.id) is True
    assert services.send_request(request.id) is False  # a second delivery of the task

    assert [m["To"] for m in smtp.inbox.messages] == ["reader@example.org"]
    assert not SubscribeRequest.objects.exists()


def test_a_failed_send_keeps_the_request_for_a_later_try(smtp):
    request = services.record_request("reader@example.org")
    smtp.stop()

    with pytest.raises(ConnectionRefusedError):
        services.send_request(request.id)

    assert SubscribeRequest.objects.filter(id=request.id).exists()
    assert not Subscriber.objects.exists()  # rolled back with the attempt


def test_a_hard_bounce_drops_the_request_and_stops_mail_to_the_address(smtp, eager_tasks):
    smtp.inbox.refuse["gone@example.org"] = "550 5.1.1 No such user"
    request = services.record_request("gone@example.org")

    tasks.send_subscribe_mail.delay(request.id)

    assert not SubscribeRequest.objects.exists()
    assert Subscriber.objects.get().status == Subscriber.Status.BOUNCED


def test_the_sweep_takes_requests_never_queued_or_queued_long_ago():
    now = timezone.now()
    never = services.record_request("never@example.org")
    lost = services.record_request("lost@example.org")
    waiting = services.record_request("waiting@example.org")
    services.mark_queued(lost.id, now=now - services.subscribing.REQUEST_STALE - timedelta(1))
    services.mark_queued(waiting.id, now=now)

    assert services.unqueued_requests(now=now) == [never.id, lost.id]


def test_requests_nobody_could_send_for_a_week_are_forgotten():
    services.record_request("reader@example.org")

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        services.forget_unconfirmed(now=timezone.now())

    assert not SubscribeRequest.objects.exists()
