"""The mails: confirmation, "already subscribed", and the digest, each as a plain-text and an
HTML part rendered from templates.

Every link is built from settings.SITE_URL, never from a request: these run in workers too, and
a request's Host header is the visitor's to choose. No mail repeats anything a visitor typed.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import get_random_string

from apps.digests.changes import (
    CounterChange,
    Digest,
    EventChange,
    Item,
    Revision,
    subject_line,
)
from apps.digests.models import DigestSend, Subscriber
from apps.digests.tokens import Purpose, make_token


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "labintel.localhost"


def link(name: str, purpose: Purpose, subscriber: Subscriber, **follow: Any) -> str:
    token = make_token(purpose, subscriber, follow.get("follow"))
    return absolute(reverse(f"digests:{name}", args=[token]))


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    unsubscribe_url: str = ""


class Mail(EmailMultiAlternatives):
    """A message whose long header lines are not folded into encoded words.

    The email package folds at 78 columns; a List-Unsubscribe URL has no space to fold at, so
    it would be rewritten as =?utf-8?q?…?= words, which mail clients do not read as a URL. SMTP
    allows lines up to 998 octets, and a header this long fits one."""

    def message(self) -> Any:
        message = super().message()
        message.policy = message.policy.clone(max_line_length=998)
        return message


def _message(
    subscriber: Subscriber,
    rendered: Rendered,
    *,
    headers: dict[str, str],
    connection: BaseEmailBackend | None = None,
) -> EmailMultiAlternatives:
    message = Mail(
        subject=rendered.subject,
        body=rendered.text,
        to=[subscriber.email],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def _message_id(local: str) -> str:
    # Explicit, so no DNS lookup of this machine's name is needed to make one.
    return f"<{local}@{site_host()}>"


def _render(template: str, context: dict[str, Any], subject: str) -> Rendered:
    context = {"site_url": settings.SITE_URL, **context}
    return Rendered(
        subject=subject,
        text=render_to_string(f"digests/mail/{template}.txt", context),
        html=render_to_string(f"digests/mail/{template}.html", context),
    )


# --- Subscribing ------------------------------------------------------------------------------


def confirmation_mail(
    subscriber: Subscriber, *, follow: tuple[str, int] | None, follow_title: str
) -> EmailMultiAlternatives:
    """The double opt-in link. The follow travels inside the signed token, by id; the title
    shown is LabIntel's own for that storyline or entity, never the visitor's input."""
    context = {
        "confirm_url": link("confirm", Purpose.CONFIRM, subscriber, follow=follow),
        "follow_title": follow_title,
        "valid_days": Purpose.CONFIRM.max_age // 86400,  # type: ignore[operator]
    }
    rendered = _render("confirm", context, "Confirm your LabIntel digest")
    headers = {"Message-ID": _message_id(f"confirm.{get_random_string(16)}")}
    return _message(subscriber, rendered, headers=headers)


def already_subscribed_mail(
    subscriber: Subscriber, *, follow: tuple[str, int] | None, follow_title: str
) -> EmailMultiAlternatives:
    """For a confirmed address: nothing changes without a click; here are the links."""
    context = {
        "manage_url": link("manage", Purpose.MANAGE, subscriber),
        "follow_url": link("follow", Purpose.FOLLOW, subscriber, follow=follow) if follow else "",
        "follow_title": follow_title,
    }
    rendered = _render("already", context, "Your LabIntel digest")
    headers = {"Message-ID": _message_id(f"already.{get_random_string(16)}")}
    return _message(subscriber, rendered, headers=headers)


# --- The digest -------------------------------------------------------------------------------


def digest_context(subscriber: Subscriber, digest: Digest) -> dict[str, Any]:
    return {
        "site_url": settings.SITE_URL,
        "digest": digest,
        "subscriber": subscriber,
        "manage_url": link("manage", Purpose.MANAGE, subscriber),
        "unsubscribe_url": link("unsubscribe", Purpose.UNSUBSCRIBE, subscriber),
    }


@dataclass(frozen=True)
class Line:
    """One event's lines in a digest, in both parts."""

    html: str
    text: str


@lru_cache(maxsize=20_000)
def event_line(change: EventChange, url: str) -> Line:
    """An event reads the same in every digest that tells it under the same page, and a week's
    news is shared by thousands of readers: each is rendered once per worker process. The key
    is the whole (frozen) change, so an edited summary or status is a new entry."""
    context = {"change": change, "event": change.event, "url": url}
    return Line(
        html=render_to_string("digests/mail/_event.html", context),
        text=render_to_string("digests/mail/_event.txt", context).rstrip("\n"),
    )


@lru_cache(maxsize=20_000)
def group_block(
    item: Item,
    events: tuple[EventChange, ...],
    counters: tuple[CounterChange, ...],
    revisions: tuple[Revision, ...],
    more: int,
) -> Line:
    """One followed item's part of a digest. Readers who follow the same thing with the same
    baseline are told the same changes, so this is cached like event_line."""
    context = {
        "item": item,
        "lines": [event_line(change, item.url) for change in events],
        "counters": counters,
        "revisions": revisions,
        "more": more,
    }
    return Line(
        html=render_to_string("digests/mail/_group.html", context),
        text=render_to_string("digests/mail/_group.txt", context).strip("\n"),
    )


def render_digest_context(context: dict[str, Any]) -> Rendered:
    """The two parts from a ready context: what the benchmark's anchor measures alone."""
    digest: Digest = context["digest"]
    blocks = [
        group_block(
            group.item, tuple(group.events), tuple(group.counters), tuple(group.revisions),
            group.more,
        )
        for group in digest.groups
    ]  # fmt: skip
    context = {**context, "blocks": blocks}
    return Rendered(
        subject=subject_line(digest),
        text=render_to_string("digests/mail/digest.txt", context),
        html=render_to_string("digests/mail/digest.html", context),
        unsubscribe_url=context["unsubscribe_url"],
    )


def render_digest(subscriber: Subscriber, digest: Digest) -> Rendered:
    return render_digest_context(digest_context(subscriber, digest))


def digest_mail(
    subscriber: Subscriber,
    rendered: Rendered,
    *,
    send: DigestSend | None,
    connection: BaseEmailBackend | None = None,
) -> EmailMultiAlternatives:
    """The digest with the RFC 8058 one-click unsubscribe headers. A period's Message-ID is
    fixed, so should a copy ever be repeated, mail systems can tell it is the same message."""
    unsubscribe = rendered.unsubscribe_url or link("unsubscribe", Purpose.UNSUBSCRIBE, subscriber)
    local = (
        f"digest.{send.pk}.{send.period:%Y%m%d%H%M}" if send else f"preview.{get_random_string(16)}"
    )
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"LabIntel digest <digest.{site_host()}>",
        "Auto-Submitted": "auto-generated",
        "Message-ID": _message_id(local),
    }
    return _message(subscriber, rendered, headers=headers, connection=connection)
