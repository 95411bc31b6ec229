"""A worker killed in the middle of the pipeline (SECURITY.md 14), on a private Redis.

A prefork child SIGKILLed while it extracts an article: the main process hands the message
back (late acks, reject on worker lost) and another child extracts the article, by itself.
The whole worker SIGKILLed (main process and children, no ack or goodbye sent): a new worker
and beat carry on from PostgreSQL's state. The messages the dead worker held would come back
only after Redis's visibility timeout (left at its production ten minutes here), so it is the
sweeps that resend the articles left between stages. Either way every article ends extracted
and analysed once, and each departure it reports is one event.

tests/sources/test_pipeline_worker.py covers the extract stage on the shared Redis, with the
sweep called under a moved clock; here the whole pipeline, down to events, recovers on its own.
"""

import pytest

from apps.sources import tasks
from apps.sources.models import Article
from tests.conftest import wait_for
from tests.faults.corpus import assert_finished_once, finished, hold_first_request, serve_corpus
from tests.faults.services import SHORT_LIMITS, all_started

pytestmark = pytest.mark.django_db(transaction=True)

OUTLETS = 2


def _attempts(path: str) -> int:
    return Article.objects.get(url__endswith=path).extract_attempts


def test_a_child_killed_mid_extraction_has_its_article_redelivered_and_extracted_once(
    loopback, broker, start_worker, recovery_timer
):
    corpus = serve_corpus(loopback, outlets=OUTLETS)
    held = hold_first_request(loopback, "/o0/2.html")
    worker = start_worker(concurrency=2, **SHORT_LIMITS)

    tasks.fetch_due_sources.delay()
    assert held.reached.wait(timeout=60), "the worker never asked for the held page"
    killed = worker.kill_children()
    held.released.set()
    recovery_timer.healed()

    wait_for(lambda: finished(corpus), timeout=60, what="every article analysed")
    seconds = recovery_timer.record("worker child killed mid-extraction", children=len(killed))
    assert_finished_once(corpus, outlets=OUTLETS)
    # Redelivered, not swept (no beat runs here): the page was asked for again, and the attempt
    # the killed child began is counted, so a page that kills workers is given up on in time.
    assert len(loopback.hits("/o0/2.html")) == 2 and _attempts("/o0/2.html") == 2
    assert worker.process.poll() is None and set(worker.children()).isdisjoint(killed)
    assert "WorkerLostError" in worker.log_path.read_text()
    assert seconds < 30


def test_a_whole_worker_killed_mid_ingest_is_finished_by_a_new_worker_and_the_sweeps(
    loopback, broker, start_worker, start_beat, recovery_timer
):
    corpus = serve_corpus(loopback, outlets=OUTLETS)
    held = hold_first_request(loopback, "/o1/4.html")
    # Unacknowledged messages stay unacknowledged for the test's whole length.
    knobs = {**SHORT_LIMITS, "CELERY_VISIBILITY_TIMEOUT": "600"}
    doomed = start_worker("doomed", concurrency=1, **knobs)

    tasks.fetch_due_sources.delay()
    assert held.reached.wait(timeout=60), "the worker never asked for the held page"
    doomed.kill_all()
    held.released.set()
    stranded = Article.objects.filter(analyzed_at__isnull=True).count()
    survivor = start_worker("survivor", concurrency=2, wait=False, **knobs)
    # The sweeps every 2.5 s, polling every half second.
    all_started(survivor, start_beat(BEAT_SPEEDUP="120", wait=False, **knobs))
    recovery_timer.healed()

    wait_for(lambda: finished(corpus), timeout=60, what="every article analysed")
    seconds = recovery_timer.record("whole worker killed mid-ingest", stranded=stranded)
    assert stranded > 0
    assert_finished_once(corpus, outlets=OUTLETS)
    # Asked again, for the sweep's message (a later sweep may resend it while it is queued:
    # that copy finds the article extracted, or stores nothing if it races the first).
    assert len(loopback.hits("/o1/4.html")) >= 2
    assert "sources.sweep_stuck_articles" in survivor.log_path.read_text()
    assert seconds < 30
