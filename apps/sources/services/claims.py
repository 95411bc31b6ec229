"""Claiming sources for a fetch, so two beats or two workers never fetch one source twice.

A claim moves `next_fetch_at` forward by a lease and stamps a token in one conditional update
(under `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite's write lock serialises it). The
fetch clears the token when it finishes; a task delivered again after that finds no token and
does nothing, and a claim whose worker died simply expires with the lease.
"""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from apps.sources.models import Source


def claim_lease() -> timedelta:
    """Longer than any fetch task can live, so a live claim is never taken over: Celery's hard
    time limit kills a task that runs longer, and one more fetch deadline is the slack. Short
    enough that the sources of a dead worker, or of a lost message, come back soon."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + settings.FETCH_DEADLINE_SECONDS)


def claim_due_sources(*, now: datetime, limit: int = 500) -> list[tuple[int, uuid.UUID]]:
    token = uuid.uuid4()
    with transaction.atomic():
        due = Source.objects.due(now).order_by("next_fetch_at").select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:limit])
        Source.objects.filter(id__in=ids).update(
            claim_token=token, next_fetch_at=now + claim_lease()
        )
    return [(source_id, token) for source_id in ids]


def release_claim(source: Source, *, token: uuid.UUID, now: datetime) -> None:
    """Give a claim back unfetched (its task could not be queued): the source is due again."""
    release_claims([source.id], token=token, now=now)


def release_claims(source_ids: list[int], *, token: uuid.UUID, now: datetime) -> None:
    Source.objects.filter(id__in=source_ids, claim_token=token).update(
        claim_token=None, next_fetch_at=now
    )


def claim_source(source: Source, *, now: datetime) -> uuid.UUID:
    """Claim one source whether or not it is due: "fetch now" in admin, `add_source`."""
    token = uuid.uuid4()
    Source.objects.filter(id=source.id).update(claim_token=token, next_fetch_at=now + claim_lease())
    return token
