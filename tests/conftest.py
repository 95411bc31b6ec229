"""Shared fixtures: a loopback HTTP server, the real-services gate, and a real Celery worker."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from tests.httpserver import LoopbackServer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _real_services_missing() -> str:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "DATABASE_URL does not point at PostgreSQL"
    if not settings.REDIS_URL:
        return "REDIS_URL is not set"
    return ""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = _real_services_missing()
    if not missing:
        return
    reason = f"needs real PostgreSQL and Redis ({missing}); `.ci/run` sets both"
    # The browser suite commits the demo data for a live server's own threads: the embedded
    # default's in-memory SQLite test database cannot be shared with them.
    browser = f"browser tests need PostgreSQL and Redis ({missing}); `.ci/run` sets both"
    for item in items:
        if "services" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))
        elif "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=browser))


@pytest.fixture(autouse=True)
def fresh_matcher(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test links with a matcher built from its own entities. A cached one would name
    entities an earlier test created and rolled back, and its fingerprint (counts, latest
    change) can match across tests whose clocks are frozen at the same instant."""
    from apps.events.services import matcher

    monkeypatch.setattr(matcher, "_cached", None)


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer(FIXTURES).start()
    yield server
    server.stop()


@pytest.fixture
def eager_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run Celery tasks in this process, as the embedded default does, whatever the broker."""
    from labintel.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def wait_for(predicate: Callable[[], Any], *, timeout: float, what: str) -> Any:
    """Poll until predicate() is truthy; fail the test with `what` when the time is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


class WorkerProcess:
    """A real `celery worker` process on the test database and the real Redis; `env` overrides
    its environment (the fault suite points it at a private Redis or PostgreSQL)."""

    def __init__(
        self,
        log_path: Path,
        *,
        concurrency: int = 1,
        env: dict[str, str] | None = None,
        queues: str = "fetch,extract,analyze,default",
    ) -> None:
        self.log_path = log_path
        self.concurrency = concurrency
        self.queues = queues
        self.env = env or {}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "WorkerProcess":
        self.launch()
        wait_for(self.ready, timeout=30, what="worker ready")
        return self

    def launch(self) -> "WorkerProcess":
        """Start the process without waiting: processes launched together start in parallel."""
        env = {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            **self.env,
        }
        command = [
            sys.executable, "-m", "celery", "-A", "labintel", "worker",
            "-Q", self.queues, "--concurrency", str(self.concurrency),
            "--pool", "prefork", "--without-gossip", "--without-mingle",
            "--loglevel", "INFO", "--hostname", f"test-{os.getpid()}-{time.monotonic_ns()}@%h",
        ]  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        return self

    def ready(self) -> bool:
        return b"ready." in self.log_path.read_bytes()

    def children(self) -> list[int]:
        import psutil

        assert self.process is not None
        return [child.pid for child in psutil.Process(self.process.pid).children()]

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)

    def kill_children(self) -> list[int]:
        """SIGKILL every prefork child: the main process sees them die mid-task."""
        children = self.children()
        for child in children:
            os.kill(child, signal.SIGKILL)
        return children

    def kill_all(self) -> None:
        """SIGKILL the children and the main process: the whole worker vanishes, acks unsent."""
        self.kill_children()
        self.kill()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


def _test_database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    auth = f"{user}:{db['PASSWORD']}" if db["PASSWORD"] else user
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def purge_broker() -> None:
    """Start from an empty broker: messages left by an earlier run must not leak into this one."""
    from labintel.celery import app

    with app.connection_for_write() as conn:
        channel = conn.default_channel
        for queue in ("fetch", "extract", "analyze", "default"):
            channel.queue_purge(queue)
        channel.client.delete(channel.unacked_key, channel.unacked_index_key)


@pytest.fixture
def celery_worker(tmp_path: Path, purge_broker: None) -> Iterator[WorkerProcess]:
    worker = WorkerProcess(tmp_path / "worker.log").start()
    yield worker
    worker.stop()
