"""Digest fixtures: a real loopback SMTP server with Django pointed at it, and subscribers."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from itertools import count
from typing import Any

import pytest
from django.utils import timezone

from apps.digests.models import Subscriber, Subscription
from apps.events.services.storylines import refresh_storyline
from tests.digests.smtp import SmtpServer
from tests.entities.builders import make_company, make_event, make_person, make_storyline

_serial = count(1)

# Every test's clock starts here unless it says otherwise (a Monday, 09:00 UTC).
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def make_subscriber(**overrides: Any) -> Subscriber:
    fields = {
        "email": f"reader{next(_serial)}@example.org",
        "status": Subscriber.Status.CONFIRMED,
        "confirmed_at": T0,
        "next_digest_at": T0,
    }
    return Subscriber.objects.create(**(fields | overrides))


def follow(subscriber: Subscriber, *targets: Any, event_type: str = "") -> None:
    """follow(alice, storyline, entity…); event_type= follows a type."""
    from apps.entities.models import Entity

    for target in targets:
        if isinstance(target, Entity):
            Subscription.objects.create(subscriber=subscriber, entity=target)
        else:
            Subscription.objects.create(subscriber=subscriber, storyline=target)
    if event_type:
        Subscription.objects.create(subscriber=subscriber, event_type=event_type)


def make_due_readers(count: int) -> list[Subscriber]:
    """`count` confirmed readers of one storyline with news in it, whose digest is due now
    (on the real clock: for tests that run a worker process)."""
    lab = make_company(name="Halcyon Labs", slug="halcyon")
    storyline = make_storyline(
        [{"types": ["departure"], "entities": ["halcyon"], "roles": ["from_company"]}],
        title="Halcyon exodus",
    )
    make_event(
        (make_person(name="Ada Early"), "person"), (lab, "from_company"), summary="Ada leaves"
    )
    refresh_storyline(storyline)
    due = timezone.now() - timedelta(minutes=1)
    readers = [make_subscriber(email=f"r{n}@example.org", next_digest_at=due) for n in range(count)]
    for reader in readers:
        follow(reader, storyline)
    return readers


@pytest.fixture
def alice() -> Subscriber:
    return make_subscriber(email="alice@example.org")


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML parts of a received mail."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()
