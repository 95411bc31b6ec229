"""Claiming due digest periods and sending them, each period at most once.

1. `claim_due` (beat): in one transaction, lock a chunk of due subscribers (SKIP LOCKED, so a
   second beat takes others), create one pending `DigestSend` per subscriber and period (unique,
   so a repeated claim creates nothing), and move each subscriber's `next_digest_at` on. The
   rows exist before anything is sent, and the sweep finds them again if their task is lost.
2. `send_digests` (a worker): per row, in its own transaction, lock it (SKIP LOCKED), check it is
   still pending, build, send, and mark it done before the lock is released. A second delivery
   of the same task skips a locked row and finds an unlocked one done. A worker that dies
   mid-digest leaves the row pending (its transaction is rolled back when its connection
   drops), so the redelivered task or the sweep sends it.

The one window no database can close is SMTP's own: the server has accepted the message and the
process dies before its COMMIT. The period's Message-ID is fixed, so such a copy is the same
message to the mail systems that deduplicate.

Failures: a connection-level error (server down, refused greeting, timeout) stops the batch and
leaves the rest pending for a retry with backoff; a 4xx for one recipient leaves that row
pending and goes on; a 5xx for one recipient (a hard bounce) marks the address bounced and goes
on. One bad address never stops a batch.
"""

import contextlib
import logging
import smtplib
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.digests.changes import Snapshot
from apps.digests.models import DigestSend, Subscriber
from apps.digests.services import building
from apps.digests.services.mail import digest_mail, render_digest

log = logging.getLogger(__name__)

# Readers of a chunk share one load of the week's news and one SMTP connection.
CHUNK = 200
# A pending period whose task was lost (or whose retries ran out) is sent again after this.
STALE = timedelta(minutes=15)
# A batch stops early and hands its rest back, well within the task's soft time limit.
BATCH_SECONDS = 40.0


@dataclass
class BatchResult:
    sent: list[int] = field(default_factory=list)
    empty: list[int] = field(default_factory=list)
    bounced: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    # Still pending: a transient failure, a row another worker held, or the batch ran out of
    # time. The task retries these with backoff.
    again: list[int] = field(default_factory=list)
    error: str = ""


class ServerDown(Exception):
    """The mail server cannot be reached or refuses to talk: no point trying the next one."""


# --- Claiming ---------------------------------------------------------------------------------


def claim_due(*, now: datetime, limit: int = CHUNK) -> list[int]:
    """One chunk of due subscribers' periods, as pending DigestSend ids (see module doc)."""
    with transaction.atomic():
        due = list(
            Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, next_digest_at__lte=now)
            .order_by("next_digest_at")
            .select_for_update(skip_locked=True)[:limit]
        )
        if not due:
            return []
        DigestSend.objects.bulk_create(
            [DigestSend(subscriber=s, period=s.next_digest_at or now) for s in due],
            ignore_conflicts=True,
        )
        for subscriber in due:
            # One period for all the time that passed: a reader away for a week (or a stack
            # down for one) gets one digest, not seven.
            subscriber.next_digest_at = subscriber.slot_after(now)
        Subscriber.objects.bulk_update(due, ["next_digest_at"])
        pending = DigestSend.objects.filter(subscriber__in=due, status=DigestSend.Status.PENDING)
        return list(pending.order_by("period", "id").values_list("id", flat=True))


def stale_pending(*, now: datetime) -> list[int]:
    """Pending periods nobody has worked on for a while: their message was lost, their worker
    died, or their retries ran out during a long outage."""
    rows = DigestSend.objects.filter(
        Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lt=now - STALE),
        status=DigestSend.Status.PENDING,
        created_at__lt=now - STALE,
    )
    return list(rows.order_by("created_at").values_list("id", flat=True)[:5000])


# --- Sending ----------------------------------------------------------------------------------


def send_digests(send_ids: list[int], *, now: datetime | None = None) -> BatchResult:
    """Build and send these periods over one SMTP connection (see module doc)."""
    result = BatchResult()
    now = now or timezone.now()
    sends = list(
        DigestSend.objects.filter(id__in=send_ids, status=DigestSend.Status.PENDING)
        .only("id", "subscriber_id", "period")
        .order_by("period", "id")
    )
    if not sends:
        return result
    subscribers = {
        s.id: s
        for s in building.readers(
            Subscriber.objects.filter(id__in={x.subscriber_id for x in sends})
        )
    }
    batch = building.prepare(list(subscribers.values()), now=now)
    started = time.monotonic()
    connection = get_connection(fail_silently=False)
    try:
        for index, send in enumerate(sends):
            if time.monotonic() - started > BATCH_SECONDS:
                result.again.extend(s.id for s in sends[index:])
                break
            try:
                _send_one(send, subscribers[send.subscriber_id], batch, connection, result)
            except ServerDown as error:
                result.error = str(error)
                result.again.extend(s.id for s in sends[index:])
                break
            except Exception as error:  # a bug in one digest must not hold up the others
                log.exception("digest %s failed", send.id)
                DigestSend.objects.filter(id=send.id).update(
                    attempts=F("attempts") + 1,
                    last_attempt_at=now,
                    last_error=f"{type(error).__name__}: {error}"[:1000],
                )
    finally:
        _close(connection)
    return result


def _send_one(
    send: DigestSend,
    subscriber: Subscriber,
    batch: building.Batch,
    connection: BaseEmailBackend,
    result: BatchResult,
) -> None:
    with transaction.atomic():
        down = _send_locked(send, subscriber, batch, connection, result)
    # Raised only now, so that the failed attempt recorded above is committed.
    if down:
        raise ServerDown(down)


def _send_locked(
    send: DigestSend,
    subscriber: Subscriber,
    batch: building.Batch,
    connection: BaseEmailBackend,
    result: BatchResult,
) -> str:
    """Inside the row's transaction; returns why the server is down, if it is."""
    now = batch.now
    row = (
        DigestSend.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("subscriber")
        .only("id", "status", "period", "subscriber__status")
        .filter(id=send.id)
        .first()
    )
    if row is None:  # another worker holds it: it sends it, or leaves it pending for us
        result.again.append(send.id)
        return ""
    if row.status != DigestSend.Status.PENDING:
        return ""
    if row.subscriber.status != Subscriber.Status.CONFIRMED:
        _finish(send, DigestSend.Status.CANCELLED, now=now)
        result.cancelled.append(send.id)
        return ""
    digest, snapshot = building.build(subscriber, batch)
    if digest.is_empty:
        _finish(send, DigestSend.Status.EMPTY, now=now, snapshot=snapshot)
        _advance_baseline(subscriber, send)
        result.empty.append(send.id)
        return ""
    rendered = render_digest(subscriber, digest)
    message = digest_mail(subscriber, rendered, send=send, connection=connection)
    try:
        # Opened once and kept for the batch (send_messages closes a connection it opened).
        connection.open()
        connection.send_messages([message])
    except Exception as error:
        _close(connection)
        return _failed(send, subscriber, error, now=now, result=result)
    _finish(
        send,
        DigestSend.Status.SENT,
        now=now,
        snapshot=snapshot,
        subject=rendered.subject,
        change_count=digest.change_count,
    )
    _advance_baseline(subscriber, send)
    result.sent.append(send.id)
    return ""


def _finish(
    send: DigestSend,
    status: str,
    *,
    now: datetime,
    snapshot: Snapshot | None = None,
    **fields: object,
) -> None:
    values: dict[str, object] = {"status": status, "finished_at": now, "last_error": "", **fields}
    if snapshot is not None:
        values["snapshot"] = send.snapshot = snapshot.to_json()
    if status in DigestSend.DONE:
        values.update(attempts=F("attempts") + 1, last_attempt_at=now)
    DigestSend.objects.filter(id=send.id).update(**values)


def _advance_baseline(subscriber: Subscriber, send: DigestSend) -> None:
    """The next digest compares with this one, unless a later period finished first. The
    condition is on the baseline this batch loaded: should another worker have moved it in
    the meantime, it stays where that worker put it (at worst the next digest repeats a
    change; it never misses one)."""
    loaded = subscriber.last_digest
    if loaded is not None and loaded.period >= send.period:
        return
    Subscriber.objects.filter(id=subscriber.id, last_digest=loaded).update(last_digest=send)
    # In memory too, for a second period of the same subscriber in this batch.
    subscriber.last_digest = send


def _failed(
    send: DigestSend,
    subscriber: Subscriber,
    error: Exception,
    *,
    now: datetime,
    result: BatchResult,
) -> str:
    """Record a failed delivery; returns the error if the server itself is down."""
    text = f"{type(error).__name__}: {error}"[:1000]
    if is_hard_bounce(error):
        _finish(send, DigestSend.Status.BOUNCED, now=now, last_attempt_at=now)
        record_bounce(subscriber, reason=text, now=now)
        result.bounced.append(send.id)
        log.warning("digest %s bounced: %s", send.id, text)
        return ""
    DigestSend.objects.filter(id=send.id).update(
        attempts=F("attempts") + 1, last_attempt_at=now, last_error=text
    )
    if is_server_down(error):
        return text  # the batch hands this one back with the rest
    result.again.append(send.id)
    log.warning("digest %s not delivered, will retry: %s", send.id, text)
    return ""


def is_hard_bounce(error: BaseException) -> bool:
    """A permanent refusal of this recipient (5xx for the address or this message), not of
    our sender, our credentials or our greeting, which would refuse every message alike."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(
        error,
        smtplib.SMTPSenderRefused | smtplib.SMTPAuthenticationError | smtplib.SMTPHeloError,
    ):
        return False
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def is_server_down(error: BaseException) -> bool:
    """Errors that every next message would meet too."""
    if isinstance(error, smtplib.SMTPResponseException) and error.smtp_code == 421:
        return True  # "service not available, closing transmission channel", at any step
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return False
    if isinstance(error, smtplib.SMTPDataError):
        return False
    return isinstance(error, OSError | smtplib.SMTPException)


def record_bounce(subscriber: Subscriber, *, reason: str, now: datetime) -> None:
    """No more mail to this address until it confirms again (visible in admin)."""
    Subscriber.objects.filter(id=subscriber.id).update(
        status=Subscriber.Status.BOUNCED,
        bounced_at=now,
        bounce_reason=reason[:500],
        next_digest_at=None,
    )
    DigestSend.cancel_pending(subscriber.id, now=now)


def _close(connection: BaseEmailBackend) -> None:
    # A dead connection cannot be closed politely; the next send opens a new one.
    with contextlib.suppress(OSError, smtplib.SMTPException):
        connection.close()
