"""Thin Celery tasks of the digests app. Mail delivery is the one thing retried by Celery: a
transient SMTP failure is retried with backoff; what stays pending after that is found by the
next beat's sweep, because every period's state is a row in the database."""

import logging
import random
import smtplib
from functools import partial

from celery import Task, shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from apps.common.batches import chunks
from apps.digests import services
from apps.digests.services import ratelimit
from apps.digests.services.sending import is_hard_bounce

log = logging.getLogger(__name__)

# With MAIL_RETRY_SECONDS at 30: 30 s, 1, 2, 4, 8, 16, 30, 30 min, about an hour and a half;
# then the sweep.
MAX_RETRIES = 8
# A run fans out at most this many chunks; the next beat goes on with the rest.
MAX_CHUNKS_PER_RUN = 200


def backoff(retries: int) -> float:
    first = settings.MAIL_RETRY_SECONDS
    return min(first * 2**retries, 1800) * random.uniform(0.8, 1.2)


@shared_task(name="digests.send_due_digests", ignore_result=True)
def send_due_digests() -> int:
    """Claim due periods chunk by chunk, and hand back lost ones; each chunk is one task."""
    now = timezone.now()
    claimed = 0
    for _ in range(MAX_CHUNKS_PER_RUN):
        send_ids = services.claim_due(now=now)
        if not send_ids:
            break
        claimed += len(send_ids)
        _enqueue(send_ids)
    for send_ids in chunks(services.stale_pending(now=now), services.CHUNK):
        _enqueue(send_ids)
    ratelimit.forget_old(now=now)
    services.forget_unconfirmed(now=now)
    return claimed


def _enqueue(send_ids: list[int]) -> None:
    transaction.on_commit(partial(_enqueue_now, send_ids))


def _enqueue_now(send_ids: list[int]) -> None:
    try:
        send_digests.delay(send_ids)
    except OperationalError:
        # The broker is down: the rows are pending in the database and the sweep finds them.
        log.warning("could not enqueue %d digests; the sweep will", len(send_ids))


@shared_task(bind=True, name="digests.send_digests", ignore_result=True, max_retries=MAX_RETRIES)
def send_digests(self: Task, send_ids: list[int]) -> int:
    result = services.send_digests(send_ids)
    if result.again and not self.request.is_eager:
        if self.request.retries >= MAX_RETRIES:
            log.warning(
                "%d digests still pending after retries; the sweep takes over", len(result.again)
            )
        else:
            raise self.retry(args=(result.again,), countdown=backoff(self.request.retries))
    return len(result.sent)


@shared_task(bind=True, name="digests.send_subscribe_mail", ignore_result=True, max_retries=5)
def send_subscribe_mail(self: Task, request_id: int) -> None:
    try:
        services.send_request(request_id)
    except (OSError, smtplib.SMTPException) as error:
        if is_hard_bounce(error):
            services.drop_bounced_request(request_id, reason=str(error), now=timezone.now())
            return
        if self.request.is_eager:
            # In process (the embedded default) the page must still answer: the request stays
            # stored, and the sweep tries again later.
            log.warning("could not send the subscribe mail: %s", error)
            return
        raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error


def queue_subscribe_mail(request_id: int) -> bool:
    """Hand a stored request to the broker, failing fast: the subscribe page waits for this,
    and a hung broker would otherwise hold it for every publish retry. On failure the request
    stays unqueued in the database, and the sweep queues it once the broker answers."""
    try:
        send_subscribe_mail.apply_async((request_id,), retry=False)
    except OperationalError:
        log.warning("could not queue subscribe mail %s; the sweep will", request_id)
        return False
    services.mark_queued(request_id, now=timezone.now())
    return True


@shared_task(name="digests.sweep_subscribe_mails", ignore_result=True)
def sweep_subscribe_mails() -> int:
    """Queue the subscribe mails whose task never reached the broker, or was lost."""
    queued = 0
    for request_id in services.unqueued_requests(now=timezone.now()):
        if not queue_subscribe_mail(request_id):
            break  # the broker is gone again: the next sweep goes on
        queued += 1
    return queued
