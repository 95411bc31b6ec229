"""Thin Celery tasks: take ids, call one service, enqueue the next stage after commit.

Fetch failures are data on the Source row, not Celery retries. Every task is idempotent: a
redelivered or duplicated message finds its work done (or its claim gone) and does nothing.
"""

import logging
import uuid
from functools import partial

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from apps.sources import services, signals
from apps.sources.models import Article

logger = logging.getLogger(__name__)


@shared_task(name="sources.fetch_due_sources", ignore_result=True)
def fetch_due_sources() -> int:
    """Claim the due sources and queue a fetch of each; the number queued."""
    now = timezone.now()
    claims = services.claim_due_sources(now=now)
    for queued, (source_id, token) in enumerate(claims):
        try:
            # Outside a transaction (as in a worker) on_commit sends at once, so a broker that
            # is down raises here.
            transaction.on_commit(partial(fetch_source.delay, source_id, str(token)))
        except OperationalError as error:
            # Give the rest back, due now: the next beat after Redis returns fetches them,
            # instead of nobody until their lease runs out.
            unsent = [claimed for claimed, _ in claims[queued:]]
            services.release_claims(unsent, token=token, now=now)
            logger.warning(
                "broker unreachable, %d due sources left for later: %s", len(unsent), error
            )
            return queued
    return len(claims)


# Both network tasks run under the soft and hard limits of settings (CELERY_TASK_*_TIME_LIMIT):
# the soft limit stops a task cleanly, the hard one kills a child that is stuck anyway.
@shared_task(name="sources.fetch_source", ignore_result=True)
def fetch_source(source_id: int, claim_token: str) -> None:
    token, started = uuid.UUID(claim_token), timezone.now()
    try:
        result = services.fetch_source(source_id, claim_token=token)
    except SoftTimeLimitExceeded:
        services.record_overrun(source_id, claim_token=token, started=started)
        return
    if result is None:
        return
    for article_id in result.new_article_ids:
        transaction.on_commit(partial(extract_article.delay, article_id))


@shared_task(name="sources.extract_article", ignore_result=True)
def extract_article(article_id: int) -> None:
    if services.extract_article(article_id) is services.Extraction.DONE:
        signals.article_extracted.send(Article, article_id=article_id, run_now=False)


@shared_task(name="sources.sweep_stuck_articles", ignore_result=True)
def sweep_stuck_articles() -> int:
    article_ids = services.stuck_article_ids()
    for article_id in article_ids:
        transaction.on_commit(partial(extract_article.delay, article_id))
    return len(article_ids)
