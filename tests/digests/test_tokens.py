"""Signed links: salted per purpose, expiring where they should, tampered ones refused, and each
refusal a page that says why."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from apps.digests.models import Subscriber
from apps.digests.tokens import BadToken, ExpiredToken, Purpose, make_token, read_token
from tests.digests.conftest import make_subscriber

pytestmark = pytest.mark.django_db


def test_it_reads_back_who_and_what_to_follow():
    reader = make_subscriber()

    claim = read_token(Purpose.CONFIRM, make_token(Purpose.CONFIRM, reader, ("storyline", 4)))

    assert claim.subscriber == reader and claim.follow == ("storyline", 4)


def test_it_carries_no_address():
    reader = make_subscriber(email="private.person@example.org")

    token = make_token(Purpose.MANAGE, reader)

    assert "private" not in token.lower()
    assert "private" not in repr(signing.loads(token, salt=Purpose.MANAGE.salt))


@pytest.mark.parametrize("made_for", list(Purpose))
def test_a_token_for_one_purpose_is_refused_for_every_other(made_for):
    token = make_token(made_for, make_subscriber())

    for purpose in Purpose:
        if purpose is made_for:
            read_token(purpose, token)
        else:
            with pytest.raises(BadToken):
                read_token(purpose, token)


def test_a_tampered_token_is_refused():
    reader, other = make_subscriber(), make_subscriber()
    token = make_token(Purpose.MANAGE, reader)
    payload, signature = token.split(":", 1)
    forged = make_token(Purpose.MANAGE, other).split(":", 1)[0] + ":" + signature

    for bad in (token[:-2] + "xx", forged, payload, "", "a:b:c"):
        with pytest.raises(BadToken):
            read_token(Purpose.MANAGE, bad)


def test_confirm_and_manage_links_expire_and_unsubscribe_links_do_not():
    reader = make_subscriber()
    tokens = {purpose: make_token(purpose, reader) for purpose in Purpose}

    with time_machine.travel(timezone.now() + timedelta(days=91)):
        for purpose in (Purpose.CONFIRM, Purpose.MANAGE, Purpose.FOLLOW):
            with pytest.raises(ExpiredToken):
                read_token(purpose, tokens[purpose])
        assert read_token(Purpose.UNSUBSCRIBE, tokens[Purpose.UNSUBSCRIBE]).subscriber == reader


def test_a_token_stops_working_when_the_address_on_the_row_changes():
    reader = make_subscriber()
    token = make_token(Purpose.MANAGE, reader)
    Subscriber.objects.filter(pk=reader.pk).update(email="someone.else@example.org")

    with pytest.raises(BadToken):
        read_token(Purpose.MANAGE, token)


@pytest.mark.parametrize("name", ["confirm", "manage", "follow", "unsubscribe"])
def test_every_link_page_refuses_a_tampered_token_with_a_clear_page(client, name):
    token = make_token(Purpose.MANAGE, make_subscriber())[:-3] + "abc"

    response = client.get(f"/digests/{name}/{token}/")

    assert response.status_code == 400
    assert b"This link is not valid" in response.content


def test_an_expired_confirmation_link_says_it_expired(client):
    token = make_token(Purpose.CONFIRM, make_subscriber(status=Subscriber.Status.PENDING))

    with time_machine.travel(timezone.now() + timedelta(days=4)):
        response = client.get(f"/digests/confirm/{token}/")
        refused = client.post(f"/digests/confirm/{token}/")

    assert response.status_code == 400 and b"This link has expired" in response.content
    assert refused.status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_a_manage_token_does_not_unsubscribe(client):
    reader = make_subscriber()
    token = make_token(Purpose.MANAGE, reader)

    response = client.post(f"/digests/unsubscribe/{token}/")

    assert response.status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_a_token_signed_with_another_key_is_refused():
    reader = make_subscriber()
    payload = signing.loads(make_token(Purpose.MANAGE, reader), salt=Purpose.MANAGE.salt)

    forged = signing.dumps(payload, key="not-our-secret-key", salt=Purpose.MANAGE.salt)

    with pytest.raises(BadToken):
        read_token(Purpose.MANAGE, forged)


@pytest.mark.parametrize(
    ("purpose", "lifetime"),
    [
        (Purpose.CONFIRM, timedelta(days=3)),
        (Purpose.FOLLOW, timedelta(days=3)),
        (Purpose.MANAGE, timedelta(days=90)),
    ],
)
def test_a_link_works_until_its_lifetime_ends_and_not_a_second_longer(purpose, lifetime):
    reader = make_subscriber()
    made = timezone.now()
    with time_machine.travel(made, tick=False):
        token = make_token(purpose, reader)

    with time_machine.travel(made + lifetime - timedelta(seconds=1), tick=False):
        assert read_token(purpose, token).subscriber == reader
    expired = made + lifetime + timedelta(seconds=1)
    with time_machine.travel(expired, tick=False), pytest.raises(ExpiredToken):
        read_token(purpose, token)
