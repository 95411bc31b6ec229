"""Who reads the digests, what each of them follows, and one row per digest period.

A `DigestSend` row exists before its mail is sent and is unique per subscriber and period, so a
retried task, a second beat or a redelivered message finds the period taken and sends nothing
twice. Each row keeps a small snapshot of what its reader was shown; the next digest is the
difference between the world then and now (apps.digests.changes).
"""

from datetime import datetime

from django.db import models
from django.db.models import Q

from apps.digests import schedule
from apps.entities.models import Entity
from apps.events.models import Storyline
from apps.events.vocabulary import EventType


class Subscriber(models.Model):
    """An address, its confirmation state and its digest schedule (in the reader's time zone)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        # The mail server refused the address for good: no more mail until it confirms again.
        BOUNCED = "bounced", "Bounced"

    class Frequency(models.TextChoices):
        DAILY = schedule.DAILY, "Daily"
        WEEKLY = schedule.WEEKLY, "Weekly"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    # Stored lower-cased (apps.digests.forms.normalise_email): one row per mailbox.
    email = models.EmailField(max_length=254, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    time_zone = models.CharField(max_length=64, default="UTC")
    frequency = models.CharField(max_length=6, choices=Frequency.choices, default=Frequency.DAILY)
    # Local hour of the day (and day of the week, for weekly digests) the digest is sent at.
    hour = models.PositiveSmallIntegerField(default=8)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.MONDAY)
    only_confirmed = models.BooleanField(
        default=True, help_text="Leave rumoured events out of the digest."
    )
    # The next period's scheduled instant (UTC); beat claims subscribers whose time has come.
    next_digest_at = models.DateTimeField(null=True, blank=True)
    # The latest finished digest: its snapshot is what the next one is compared with.
    last_digest = models.ForeignKey(
        "DigestSend", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    bounce_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(condition=Q(hour__lte=23), name="subscriber_hour_range"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="subscriber_weekday_range"),
        ]
        indexes = [
            # send_due_digests: confirmed subscribers whose next digest is due, oldest first.
            models.Index(
                fields=["next_digest_at"],
                condition=Q(status="confirmed"),
                name="subscriber_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def slot_after(self, moment: datetime) -> datetime:
        """The reader's next digest time after `moment`, by their own settings."""
        return schedule.next_slot(
            moment,
            frequency=self.frequency,
            hour=self.hour,
            weekday=self.weekday,
            time_zone=self.time_zone,
        )


class Subscription(models.Model):
    """One thing a subscriber follows: a storyline, an entity or an event type."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    storyline = models.ForeignKey(
        Storyline, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event_type = models.CharField(max_length=20, choices=EventType.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["subscriber", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(storyline__isnull=False, entity__isnull=True, event_type="")
                    | Q(storyline__isnull=True, entity__isnull=False, event_type="")
                    | (Q(storyline__isnull=True, entity__isnull=True) & ~Q(event_type=""))
                ),
                name="subscription_one_target",
            ),
            # NULLs are distinct: these only bind the rows that follow that kind of thing. Plain
            # (unconditional) constraints, so that an entity merge recognises a duplicate.
            models.UniqueConstraint(
                fields=["subscriber", "storyline"], name="subscription_storyline_uniq"
            ),
            models.UniqueConstraint(
                fields=["subscriber", "entity"], name="subscription_entity_uniq"
            ),
            models.UniqueConstraint(
                fields=["subscriber", "event_type"],
                condition=~Q(event_type=""),
                name="subscription_type_uniq",
            ),
        ]

    def __str__(self) -> str:
        return str(self.storyline or self.entity or self.get_event_type_display())


class DigestSend(models.Model):
    """One period of one subscriber's digest: claimed, then sent (or found to have nothing)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        # Nothing changed: no mail, but the period is done and its snapshot is the new baseline.
        EMPTY = "empty", "Nothing to say"
        BOUNCED = "bounced", "Refused by the mail server"
        # The subscriber left (or bounced) between the claim and the send.
        CANCELLED = "cancelled", "Cancelled"

    DONE = (Status.SENT, Status.EMPTY)

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="digests")
    # The scheduled instant this digest is for (Subscriber.next_digest_at when claimed).
    period = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=1000, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    change_count = models.PositiveIntegerField(default=0)
    # What the reader was shown (apps.digests.changes.Snapshot as JSON).
    snapshot = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "period"], name="digestsend_subscriber_period_uniq"
            ),
        ]
        indexes = [
            # The sweep: pending periods whose task was lost, oldest first.
            models.Index(
                fields=["created_at"], condition=Q(status="pending"), name="digestsend_pending_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} for {self.period:%Y-%m-%d %H:%M}"

    @classmethod
    def cancel_pending(cls, subscriber_id: int, *, now: datetime) -> int:
        """Periods claimed for someone who no longer gets mail (left, or bounced): never sent."""
        pending = cls.objects.filter(subscriber_id=subscriber_id, status=cls.Status.PENDING)
        return pending.update(status=cls.Status.CANCELLED, finished_at=now)


class RateLimitBucket(models.Model):
    """Hits of one key (an address, a client) in the current window of the subscribe form.

    In the database rather than the cache: the embedded default has no Redis and its default
    cache is per process, so gunicorn workers (and restarts) would each count apart; every web
    process shares this table in both ways of running.
    """

    key = models.CharField(max_length=100, unique=True)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.key


class SubscribeRequest(models.Model):
    """An accepted subscribe form whose mail is not sent yet; deleted once it is.

    The form stores one for every accepted request (the same work whatever the address) and
    only then asks the broker for a task, so a request made while Redis is down, hung or
    flushed is still here, and the sweep queues its mail when the broker is back. The task
    sends under this row's lock and deletes it in the same transaction: a second delivery
    finds nothing to send.
    """

    email = models.EmailField(max_length=254)
    # What the form asked to follow, as its slugs; resolved (or ignored) when the mail is built.
    storyline = models.SlugField(max_length=200, blank=True)
    entity = models.SlugField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a task for it was last handed to the broker; empty when that failed.
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The sweep: requests never queued, or queued long ago, oldest first.
            models.Index(fields=["created_at"], name="subscriberequest_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.created_at:%Y-%m-%d %H:%M})"
