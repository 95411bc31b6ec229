"""The mail server fails during a digest run handled by a real worker (SECURITY.md 14): it goes
down mid-run and comes back, or it takes the recipient and hangs up at DATA. The batch is
retried with growing waits, and then every due reader has exactly one digest for the period:
nobody skipped, nobody twice.

tests/digests/test_smtp.py covers the same failures one call at a time in process, and
tests/digests/test_digest_worker.py a worker killed mid-run; here the worker's own retries (a
Celery countdown that doubles) carry the run through the outage by themselves.
"""

import re
import time
from collections.abc import Iterator

import pytest

from apps.digests import tasks
from apps.digests.models import DigestSend
from tests.conftest import WorkerProcess, wait_for
from tests.digests.conftest import make_due_readers
from tests.digests.smtp import Inbox, SmtpServer
from tests.faults._e_support import DroppingInbox, record_recovery

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RETRY_SECONDS = 1  # MAIL_RETRY_SECONDS of the worker: retries after about 1, 2, 4… seconds


@pytest.fixture
def mail_worker(tmp_path, monkeypatch, purge_broker) -> Iterator[WorkerProcess]:
    """A worker whose mail goes to the server the test sets with `point_at`."""
    monkeypatch.setenv("MAIL_RETRY_SECONDS", str(RETRY_SECONDS))
    monkeypatch.setenv("EMAIL_HOST", "127.0.0.1")
    worker = WorkerProcess(tmp_path / "worker.log")
    yield worker
    worker.stop()


def _start(worker: WorkerProcess, server: SmtpServer, monkeypatch) -> None:
    monkeypatch.setenv("EMAIL_PORT", str(server.port))
    worker.start()


def _all_sent(count: int) -> bool:
    return DigestSend.objects.filter(status=DigestSend.Status.SENT).count() == count


def _assert_each_reader_once(inbox: Inbox, readers) -> None:
    assert sorted(m["To"] for m in inbox.messages) == sorted(r.email for r in readers)
    assert len({m["Message-ID"] for m in inbox.messages}) == len(readers)
    assert DigestSend.objects.count() == len(readers)
    assert not DigestSend.objects.exclude(status=DigestSend.Status.SENT).exists()


def _retry_waits(worker: WorkerProcess) -> list[float]:
    """The countdowns of the digest task's retries, from the worker's log."""
    log = worker.log_path.read_text()
    return [float(s) for s in re.findall(r"send_digests\[[^\]]+\] retry: Retry in ([\d.]+)s", log)]


def test_a_mail_server_down_mid_run_gets_everyone_one_digest_when_it_is_back(
    mail_worker, monkeypatch
):
    readers = make_due_readers(8)
    server = SmtpServer(Inbox(accept_at_most=3)).start()
    _start(mail_worker, server, monkeypatch)
    try:
        tasks.send_due_digests.delay()
        # Three delivered, then a 421 on the fourth; the server then goes away altogether.
        wait_for(lambda: DigestSend.objects.filter(attempts__gt=0, status="pending").exists(),
                 timeout=30, what="the first refused digest")  # fmt: skip
        server.stop()
        wait_for(lambda: len(_retry_waits(mail_worker)) >= 2, timeout=30, what="two retries")
        assert len(server.inbox.messages) == 3

        server.inbox.accept_at_most = None
        server.restart()
        back = time.monotonic()
        wait_for(lambda: _all_sent(len(readers)), timeout=60, what="every digest sent")
        recovered = time.monotonic() - back
    finally:
        server.stop()

    _assert_each_reader_once(server.inbox, readers)
    waits = _retry_waits(mail_worker)
    assert waits == sorted(waits) and waits[-1] > waits[0]  # each retry waits longer
    refused = DigestSend.objects.filter(
        subscriber__email__in=[m["To"] for m in server.inbox.messages[3:]]
    )
    assert refused.filter(attempts__gte=2).exists()  # the failed tries were counted
    record_recovery(
        "SMTP server down during a digest run",
        recovered,
        readers=len(readers),
        retries=len(waits),
        note="seconds from the server's return until every due digest was sent",
    )


def test_a_mail_server_that_hangs_up_at_data_is_retried_and_sends_each_once(
    mail_worker, monkeypatch
):
    readers = make_due_readers(4)
    server = SmtpServer(DroppingInbox(drops=2)).start()
    _start(mail_worker, server, monkeypatch)
    try:
        started = time.monotonic()
        tasks.send_due_digests.delay()
        wait_for(lambda: _all_sent(len(readers)), timeout=60, what="every digest sent")
        elapsed = time.monotonic() - started
    finally:
        server.stop()

    assert server.inbox.dropped == 2
    _assert_each_reader_once(server.inbox, readers)
    assert len(_retry_waits(mail_worker)) == 2
    record_recovery(
        "SMTP server hanging up at DATA",
        elapsed,
        readers=len(readers),
        drops=2,
        note="seconds from the run's start until every due digest was sent",
    )
