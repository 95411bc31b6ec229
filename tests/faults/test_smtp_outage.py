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
from collections.abc import Callable

import pytest

from apps.digests import tasks
from apps.digests.models import DigestSend
from tests.conftest import WorkerProcess, wait_for
from tests.digests.conftest import make_due_readers
from tests.digests.smtp import Inbox, SmtpServer
from tests.faults._e_support import DroppingInbox
from tests.faults.services import write_figure

pytestmark = pytest.mark.django_db(transaction=True)

RETRY_SECONDS = 1  # MAIL_RETRY_SECONDS of the worker: retries after about 1, 2, 4… seconds


@pytest.fixture
def mail_worker(start_worker) -> Callable[[SmtpServer], WorkerProcess]:
    """mail_worker(server): a real worker whose mail goes to that server."""

    def start(server: SmtpServer) -> WorkerProcess:
        return start_worker(
            MAIL_RETRY_SECONDS=str(RETRY_SECONDS),
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(server.port),
        )

    return start


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
    mail_worker, broker, recovery_timer
):
    readers = make_due_readers(8)
    server = SmtpServer(Inbox(accept_at_most=3)).start()
    worker = mail_worker(server)
    try:
        tasks.send_due_digests.delay()
        # Three delivered, then a 421 on the fourth; then the server goes away altogether.
        refused = DigestSend.objects.filter(attempts__gt=0, status=DigestSend.Status.PENDING)
        wait_for(refused.exists, timeout=30, what="the first refused digest")
        server.stop()
        wait_for(lambda: len(_retry_waits(worker)) >= 2, timeout=30, what="two retries")
        assert len(server.inbox.messages) == 3

        server.inbox.accept_at_most = None
        server.restart()
        recovery_timer.healed()
        wait_for(lambda: _all_sent(len(readers)), timeout=60, what="every digest sent")
    finally:
        server.stop()
    waits = _retry_waits(worker)
    recovery_timer.record(
        "SMTP server down during a digest run", readers=len(readers), retries=len(waits),
        note="seconds from the server's return until every due digest was sent",
    )  # fmt: skip

    _assert_each_reader_once(server.inbox, readers)
    assert waits == sorted(waits) and waits[-1] > waits[0]  # each retry waits longer
    late = [m["To"] for m in server.inbox.messages[3:]]
    assert DigestSend.objects.filter(subscriber__email__in=late, attempts__gte=2).exists()


def test_a_mail_server_that_hangs_up_at_data_is_retried_and_sends_each_once(mail_worker, broker):
    readers = make_due_readers(4)
    server = SmtpServer(DroppingInbox(drops=2)).start()
    worker = mail_worker(server)
    try:
        started = time.monotonic()
        tasks.send_due_digests.delay()
        wait_for(lambda: _all_sent(len(readers)), timeout=60, what="every digest sent")
        seconds = time.monotonic() - started
    finally:
        server.stop()
    write_figure(
        "SMTP server hanging up at DATA", seconds, readers=len(readers), drops=2,
        note="seconds from the run's start until every due digest was sent",
    )  # fmt: skip

    assert server.inbox.dropped == 2
    _assert_each_reader_once(server.inbox, readers)
    assert len(_retry_waits(worker)) == 2  # one retry per hang-up
