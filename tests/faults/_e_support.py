"""Helpers of the second half of the fault suite (PostgreSQL restarts, the web under a paused
Redis, hanging feed servers, SMTP outages) that the shared fault services do not offer."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import requests
from django.db import models

from tests.conftest import ROOT, _test_database_url, wait_for
from tests.digests.smtp import Inbox, free_port


class DroppingInbox(Inbox):
    """Takes MAIL FROM and RCPT TO, then hangs up on the message itself, the first `drops`
    times: the client sees the connection close at DATA and nothing is delivered."""

    def __init__(self, *, drops: int) -> None:
        super().__init__()
        self.drops = drops
        self.dropped = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            drop = self.dropped < self.drops
            self.dropped += drop
        if drop:
            server.transport.close()
            return "421 4.4.2 Connection dropped"  # never reaches the client: it is gone
        return await super().handle_DATA(server, session, envelope)


class WebProcess:
    """The real web app under gunicorn on a free loopback port, on Django's test database
    unless `env` says otherwise."""

    def __init__(self, log_path: Path, *, env: dict[str, str]) -> None:
        self.log_path = log_path
        self.env = env
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> "WebProcess":
        command = [
            sys.executable, "-m", "gunicorn", "labintel.wsgi", "--bind", f"127.0.0.1:{self.port}",
            "--workers", "2", "--timeout", "30", "--graceful-timeout", "5",
        ]  # fmt: skip
        env = {**os.environ, "DATABASE_URL": _test_database_url(), **self.env}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        return self

    def wait_ready(self) -> "WebProcess":
        """Separate from start, so a test can start its other processes meanwhile."""
        wait_for(self._answers, timeout=30, what="gunicorn answering")
        return self

    def _answers(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()[-2000:]}")
        try:
            return requests.get(self.url("/healthz"), timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def insert_statement(instance: models.Model) -> tuple[str, tuple[Any, ...]]:
    """The INSERT Django would run for `instance`, compiled for PostgreSQL but not run, for a
    test to run on a private server's connection of its own (inside a transaction it holds)."""
    from django.db import connection
    from django.db.models.sql import InsertQuery

    model = type(instance)
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    query = InsertQuery(model)
    query.insert_values(fields, [instance])
    [(sql, params)] = query.get_compiler(connection=connection).as_sql()
    return sql, tuple(params)
