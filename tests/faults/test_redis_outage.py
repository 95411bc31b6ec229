"""Redis lost in the middle of ingestion (SECURITY.md 14), on a private Redis, with a real
worker and beat running throughout.

Restarted: Redis stops while a worker is extracting an article and comes back empty (no
persistence, as a replaced container), so every queued and unacknowledged message is gone.
Flushed: FLUSHALL while the worker is mid-way, Redis staying up. Either way the worker and the
beat reconnect by themselves, and the sweeps re-derive the pending work from PostgreSQL (each
stage's state is on the article row): every article ends extracted and analysed, once.
"""

import time

import pytest

from apps.sources.models import Article, Source
from tests.conftest import wait_for
from tests.faults.corpus import assert_finished_once, finished, hold_first_request, serve_corpus
from tests.faults.services import SHORT_LIMITS, all_started

pytestmark = pytest.mark.django_db(transaction=True)

OUTLETS = 2


def _restart(redis, held) -> None:
    redis.stop()
    time.sleep(2)  # the worker and the beat notice, and try again
    held.released.set()  # the held task ends while there is no broker to hand its result to
    time.sleep(1)
    redis.start()


def _flush(redis, held) -> None:
    redis.flushall()
    held.released.set()


@pytest.mark.parametrize(
    ("fault", "name"),
    [(_restart, "Redis stopped and restarted empty"), (_flush, "Redis flushed")],
    ids=["restarted", "flushed"],
)
def test_the_sweeps_finish_every_article_once_after_redis_loses_its_messages(
    fault, name, loopback, redis, start_worker, start_beat, recovery_timer
):
    corpus = serve_corpus(loopback, outlets=OUTLETS)
    held = hold_first_request(loopback, "/o0/1.html")
    worker = start_worker(concurrency=2, wait=False, **SHORT_LIMITS)
    # Polling every half second, the sweeps every 2.5 s.
    all_started(worker, start_beat(BEAT_SPEEDUP="120", wait=False, **SHORT_LIMITS))

    assert held.reached.wait(timeout=60), "the worker never asked for the held page"
    fault(redis, held)
    recovery_timer.healed()
    pending = Article.objects.filter(analyzed_at__isnull=True).count()

    wait_for(lambda: finished(corpus), timeout=60, what="every article analysed")
    seconds = recovery_timer.record(name, pending_when_healed=pending)
    assert pending > 0
    assert_finished_once(corpus, outlets=OUTLETS)
    assert not Source.objects.filter(claim_token__isnull=False).exists()
    assert worker.process.poll() is None
    assert seconds < 30
