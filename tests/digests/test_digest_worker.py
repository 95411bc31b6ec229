"""A real `celery worker` killed in the middle of a digest run (SECURITY.md 14): the period is
sent again by the redelivered task or by the sweep; nobody gets two copies, nobody is skipped."""

import asyncio
import os
import signal
import threading
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from apps.digests import tasks
from apps.digests.models import DigestSend
from tests.conftest import WorkerProcess, wait_for
from tests.digests.conftest import make_due_readers
from tests.digests.smtp import Inbox, SmtpServer

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
READERS = 4


class HangingInbox(Inbox):
    """Holds the first recipient until released: the worker is mid-digest (before DATA, so
    the server has accepted nothing for it) when it is killed."""

    def __init__(self) -> None:
        super().__init__()
        self.held = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if not self.held.is_set():
            self.held.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
        return await super().handle_RCPT(server, session, envelope, address, options)


@pytest.fixture
def hanging_smtp(monkeypatch: pytest.MonkeyPatch):
    server = SmtpServer(HangingInbox()).start()
    # The worker process reads these from its environment.
    monkeypatch.setenv("EMAIL_HOST", "127.0.0.1")
    monkeypatch.setenv("EMAIL_PORT", str(server.port))
    yield server
    server.inbox.release.set()
    server.stop()


@pytest.fixture
def due_readers():
    return make_due_readers(READERS)


def _all_sent() -> bool:
    return DigestSend.objects.filter(status="sent").count() == READERS


def _assert_each_reader_once(inbox: Inbox, readers) -> None:
    assert sorted(m["To"] for m in inbox.messages) == sorted(r.email for r in readers)
    assert DigestSend.objects.count() == READERS


def test_a_worker_child_killed_mid_digest_run_sends_everyone_once(
    hanging_smtp, due_readers, celery_worker
):
    inbox = hanging_smtp.inbox

    tasks.send_due_digests.delay()
    wait_for(inbox.held.is_set, timeout=60, what="the worker's first RCPT")
    for child in celery_worker.children():
        os.kill(child, signal.SIGKILL)
    inbox.release.set()

    # The redelivered task (or its retry, if a row was still locked) sends every period.
    wait_for(_all_sent, timeout=120, what=f"{READERS} sent digests")
    _assert_each_reader_once(inbox, due_readers)


def test_a_whole_worker_killed_mid_run_is_recovered_by_the_sweep(
    hanging_smtp, due_readers, tmp_path, purge_broker
):
    inbox = hanging_smtp.inbox
    doomed = WorkerProcess(tmp_path / "doomed.log").start()
    tasks.send_due_digests.delay()
    wait_for(inbox.held.is_set, timeout=60, what="the worker's first RCPT")
    for child in doomed.children():
        os.kill(child, signal.SIGKILL)
    doomed.kill()
    inbox.release.set()
    assert DigestSend.objects.filter(status="pending").count() == READERS

    survivor = WorkerProcess(tmp_path / "survivor.log").start()
    try:
        # Its message stays unacknowledged in Redis until the visibility timeout; the next
        # beat's sweep hands the periods back first.
        with time_machine.travel(timezone.now() + timedelta(minutes=20)):
            tasks.send_due_digests()
        wait_for(_all_sent, timeout=120, what=f"{READERS} sent digests")
    finally:
        survivor.stop()
    _assert_each_reader_once(inbox, due_readers)
