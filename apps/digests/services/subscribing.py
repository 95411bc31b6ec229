"""Subscribing by double opt-in, confirming, following, changing settings, unsubscribing."""

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from apps.digests.models import DigestSend, Subscriber, SubscribeRequest, Subscription
from apps.digests.services.mail import already_subscribed_mail, confirmation_mail
from apps.digests.services.sending import record_bounce
from apps.entities.models import Entity
from apps.events.models import Storyline

# What "follow this" on a page without a subject (the home page) follows.
EVERY_STORYLINE = ("storylines", 0)
# Never-confirmed addresses are forgotten after this long.
PENDING_LIFETIME = timedelta(days=7)
# A request queued this long ago and still unsent lost its task (a flushed queue, a dead
# worker, retries that ran out): the sweep queues it again. Longer than the task's retries.
REQUEST_STALE = timedelta(minutes=20)


def resolve_follow(*, storyline: str, entity: str) -> tuple[tuple[str, int] | None, str]:
    """The follow a subscribe form asked for, by id, and LabIntel's own title for it. An
    unknown slug follows nothing (the visitor's text goes no further than this lookup)."""
    if storyline:
        found = Storyline.objects.filter(slug=storyline).values_list("id", "title").first()
        return (("storyline", found[0]), found[1]) if found else (None, "")
    if entity:
        known = Entity.objects.filter(slug=entity).values_list("id", "name").first()
        return (("entity", known[0]), known[1]) if known else (None, "")
    return EVERY_STORYLINE, "every LabIntel storyline"


def request_subscription(email: str, *, storyline: str = "", entity: str = "") -> None:
    """What the subscribe form asks for, done by a task whatever the address's state, so the
    form answers the same, in the same time, for every address. A confirmed reader gets their
    links (and a link to add the follow), anyone else a confirmation link; nothing changes
    until a link is clicked. Raises the mail backend's error, for the task to retry."""
    follow, title = resolve_follow(storyline=storyline, entity=entity)
    subscriber = subscriber_for(email)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        wanted = follow if follow is not None and not is_following(subscriber, follow) else None
        message = already_subscribed_mail(subscriber, follow=wanted, follow_title=title)
    else:
        message = confirmation_mail(subscriber, follow=follow, follow_title=title)
    message.send()


def record_request(email: str, *, storyline: str = "", entity: str = "") -> SubscribeRequest:
    """The accepted form, kept in the database before any broker is asked (see
    SubscribeRequest): one insert, whatever the address."""
    return SubscribeRequest.objects.create(email=email, storyline=storyline, entity=entity)


def mark_queued(request_id: int, *, now: datetime) -> None:
    SubscribeRequest.objects.filter(id=request_id).update(queued_at=now)


def unqueued_requests(*, now: datetime, limit: int = 1000) -> list[int]:
    """Requests whose task never reached the broker, or was lost on the way."""
    rows = SubscribeRequest.objects.filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=now - REQUEST_STALE)
    )
    return list(rows.order_by("created_at").values_list("id", flat=True)[:limit])


def send_request(request_id: int) -> bool:
    """Send the mail a stored request asks for, at most once: under the row's lock, deleting
    it in the same transaction. False when there is nothing to send (already sent, or another
    worker is sending it). Raises the mail backend's error, leaving the request in place."""
    with transaction.atomic():
        row = SubscribeRequest.objects.select_for_update(skip_locked=True).filter(id=request_id)
        request = row.first()
        if request is None:
            return False
        request_subscription(request.email, storyline=request.storyline, entity=request.entity)
        request.delete()
    return True


def drop_bounced_request(request_id: int, *, reason: str, now: datetime) -> None:
    """The server refused the address for good: no retry, and no more mail to it."""
    request = SubscribeRequest.objects.filter(id=request_id).first()
    if request is None:
        return
    record_bounce(subscriber_for(request.email), reason=reason, now=now)
    request.delete()


def follow_title(follow: tuple[str, int] | None) -> str:
    if follow is None:
        return ""
    kind, target = follow
    if kind == "storyline":
        return Storyline.objects.filter(id=target).values_list("title", flat=True).first() or ""
    if kind == "entity":
        return Entity.objects.filter(id=target).values_list("name", flat=True).first() or ""
    return "every LabIntel storyline"


def subscriber_for(email: str) -> Subscriber:
    """The row of an address, made (pending) if it is new."""
    try:
        subscriber, _ = Subscriber.objects.get_or_create(email=email)
    except IntegrityError:  # two requests for a new address at once: the other one made it
        subscriber = Subscriber.objects.get(email=email)
    return subscriber


def is_following(subscriber: Subscriber, follow: tuple[str, int]) -> bool:
    kind, target = follow
    rows = subscriber.subscriptions.all()
    if kind == "storyline":
        return rows.filter(storyline_id=target).exists()
    if kind == "entity":
        return rows.filter(entity_id=target).exists()
    return rows.filter(storyline__isnull=False).exists()


def add_follow(subscriber: Subscriber, follow: tuple[str, int] | None) -> None:
    if follow is None:
        return
    kind, target = follow
    if kind == "storyline":
        targets = list(Storyline.objects.filter(id=target).values_list("id", flat=True))
    elif kind == "storylines":
        targets = list(Storyline.objects.values_list("id", flat=True))
    else:
        if Entity.objects.filter(id=target).exists():
            Subscription.objects.get_or_create(subscriber=subscriber, entity_id=target)
        return
    for storyline_id in targets:
        Subscription.objects.get_or_create(subscriber=subscriber, storyline_id=storyline_id)


@transaction.atomic
def confirm(subscriber: Subscriber, follow: tuple[str, int] | None, *, now: datetime) -> None:
    """Confirm (or re-confirm after unsubscribing or a bounce) and add what the link follows."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status != Subscriber.Status.CONFIRMED:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = now
        subscriber.unsubscribed_at = None
        subscriber.bounced_at = None
        subscriber.bounce_reason = ""
        subscriber.next_digest_at = subscriber.slot_after(now)
        subscriber.save()
    add_follow(subscriber, follow)


@transaction.atomic
def unsubscribe(subscriber: Subscriber, *, now: datetime) -> None:
    """Stop every digest; idempotent. Periods already claimed are cancelled, not sent."""
    changed = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .exclude(status=Subscriber.Status.UNSUBSCRIBED)
        .update(status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=now, next_digest_at=None)
    )
    if changed:
        DigestSend.cancel_pending(subscriber.id, now=now)


@transaction.atomic
def resubscribe(subscriber: Subscriber, *, now: datetime) -> None:
    """From the manage page (a signed link proves the mailbox): back to confirmed."""
    confirm(subscriber, None, now=now)


@transaction.atomic
def update_settings(subscriber: Subscriber, data: dict[str, Any], *, now: datetime) -> None:
    """Replace what the subscriber follows and when, from ManageForm.cleaned_data."""
    for name in ("frequency", "hour", "weekday", "time_zone", "only_confirmed"):
        setattr(subscriber, name, data[name])
    if subscriber.status == Subscriber.Status.CONFIRMED:
        subscriber.next_digest_at = subscriber.slot_after(now)
    subscriber.save()
    entities = {entity.id for entity in data["entities"]}
    if data.get("add_entity") is not None:
        entities.add(data["add_entity"].id)
    storylines = {storyline.id for storyline in data["storylines"]}
    types = set(data["event_types"])
    rows = Subscription.objects.filter(subscriber=subscriber)
    rows.filter(
        Q(storyline__isnull=False) & ~Q(storyline__in=storylines)
        | Q(entity__isnull=False) & ~Q(entity__in=entities)
        | ~Q(event_type="") & ~Q(event_type__in=types)
    ).delete()
    have = set(rows.values_list("storyline_id", "entity_id", "event_type"))
    new = (
        [Subscription(subscriber=subscriber, storyline_id=i) for i in storylines
         if (i, None, "") not in have]
        + [Subscription(subscriber=subscriber, entity_id=i) for i in entities
           if (None, i, "") not in have]
        + [Subscription(subscriber=subscriber, event_type=t) for t in types
           if (None, None, t) not in have]
    )  # fmt: skip
    Subscription.objects.bulk_create(new)


def forget_unconfirmed(*, now: datetime) -> int:
    """Addresses nobody confirmed within a week, and requests whose mail could not be sent in
    a week: not kept."""
    SubscribeRequest.objects.filter(created_at__lt=now - PENDING_LIFETIME).delete()
    stale = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, created_at__lt=now - PENDING_LIFETIME
    )
    return stale.delete()[0]
