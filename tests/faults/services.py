"""Private servers and processes for the fault suite, so a fault never touches the machine's own
PostgreSQL (:5432) or Redis (:6379), which the rest of the suite and CI share.

Usage (fixtures in tests/faults/conftest.py give most of these ready-made):

    redis = RedisInstance(tmp_path / "redis").start()      # `redis` fixture
    redis.url(), redis.stop(), redis.start(), redis.restart(), redis.pause(), redis.resume(),
    redis.kill(), redis.flushall()                          # same port across restarts

    with private_broker(redis.url()):                       # `broker` fixture
        tasks.fetch_due_sources.delay()                     # this process publishes there

    worker = WorkerProcess(log, env=app_env(redis))         # tests.conftest.WorkerProcess
    worker.start(); worker.kill_children(); worker.kill_all(); worker.stop()
    beat = BeatProcess(tmp_path, env=app_env(redis, BEAT_SPEEDUP="120")).start()   # `beat()`

    pg = PostgresInstance(tmp_path / "pg").start()          # initdb on first start, as nobody
    url = pg.migrated_database("app")                       # an empty, migrated LabIntel
    pg.stop("fast" | "smart" | "immediate"), pg.start(), pg.restart("fast"), pg.kill()
    with pg.connect("app") as conn: conn.execute("select count(*) from sources_article")
    start_worker("w", DATABASE_URL=url); start_beat("b", DATABASE_URL=url)   # fixtures

    recovery_timer.healed(); ...; recovery_timer.record("name", **details)   # faults.json

Django's own test database stays on the machine's server for the tests that only break Redis
or workers (the app and the test read the same rows, through the ORM). A test that stops
PostgreSQL runs the app under test as subprocesses on a PostgresInstance (DATABASE_URL in
their environment) and asserts through psycopg (`pg.connect`): breaking the server Django's
test connection lives on would break the test runner itself, not just the app.
"""

import contextlib
import glob
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import psycopg
import redis as redis_client
from redis.backoff import NoBackoff
from redis.retry import Retry

from tests.conftest import ROOT, WorkerProcess, wait_for
from tests.digests.smtp import free_port

FIGURES = ROOT / "test-artifacts" / "faults.json"
# PostgreSQL refuses to run as root; `nobody` exists on every Debian system.
POSTGRES_OS_USER = "nobody"


class RedisInstance:
    """A `redis-server` of our own on a free loopback port: no persistence unless asked, so a
    restart comes back empty, as a crashed or replaced Redis without a volume does."""

    def __init__(self, directory: Path, *, persist: bool = False) -> None:
        self.directory = directory
        self.persist = persist
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> "RedisInstance":
        self.directory.mkdir(parents=True, exist_ok=True)
        persistence = ["--appendonly", "yes"] if self.persist else ["--appendonly", "no"]
        command = [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
            "--dir", str(self.directory), "--save", "", *persistence,
            "--logfile", str(self.directory / "redis.log"),
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_for(self._answers, timeout=10, what=f"redis-server on :{self.port}")
        return self

    def _answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis_client.RedisError:
            return False

    def client(self, *, timeout: float = 2) -> "redis_client.Redis[bytes]":
        """A client that gives up after `timeout`, without redis-py's own retries."""
        return redis_client.Redis(
            port=self.port,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
        )

    def stop(self) -> None:
        """A clean shutdown (SIGTERM); without persistence every message is gone with it."""
        if self.process is None or self.process.poll() is not None:
            return
        self.resume()  # a stopped process would never see the SIGTERM
        self.process.terminate()
        self.process.wait(timeout=10)

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)

    def restart(self) -> "RedisInstance":
        self.stop()
        return self.start()

    def pause(self) -> None:
        """SIGSTOP: connections stay open and accepted, nothing answers (a hung Redis)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def flushall(self) -> None:
        """Every queued and unacknowledged message lost at once."""
        self.client().flushall()

    def queued(self, queue: str) -> int:
        return int(self.client().llen(queue))


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    return Path(found[-1]).parent


class PostgresInstance:
    """A PostgreSQL cluster of our own (Debian's initdb and postgres, run as an unprivileged
    user) on a free loopback port, trust auth for `postgres`. The postmaster is this process's
    own child, so a killed one is reaped at once and the next start is not refused for a stale
    lock. fsync is off (a stopped or killed postmaster leaves the OS page cache intact);
    synchronous_commit stays on, so a committed row survives an immediate stop or a kill exactly
    as in production."""

    # pg_ctl's shutdown modes are these signals to the postmaster.
    STOP_SIGNALS = {"smart": signal.SIGTERM, "fast": signal.SIGINT, "immediate": signal.SIGQUIT}

    def __init__(self, directory: Path | None = None) -> None:
        # Under /tmp itself: pytest's tmp dirs sit in a root-only directory `nobody` cannot enter.
        self.directory = directory or Path(tempfile.mkdtemp(prefix="labintel-pg-"))
        self.data = self.directory / "data"
        self.log = self.directory / "postgres.log"
        self.port = free_port()
        self.bin = _postgres_bin()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _initdb(self) -> None:
        user = pwd.getpwnam(POSTGRES_OS_USER)
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chown(self.directory, user.pw_uid, user.pw_gid)
        command = [
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        ]  # fmt: skip
        done = subprocess.run(command, user=user.pw_uid, group=user.pw_gid, capture_output=True)
        if done.returncode:
            raise RuntimeError(f"initdb failed: {done.stderr.decode()}")

    def start(self) -> "PostgresInstance":
        if not (self.data / "PG_VERSION").exists():
            self._initdb()
        user = pwd.getpwnam(POSTGRES_OS_USER)
        command = [
            str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port),
            "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.directory}",
            "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=60",
        ]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, user=user.pw_uid, group=user.pw_gid, stdout=log, stderr=log
            )
        wait_for(self._answers, timeout=30, what=f"PostgreSQL on :{self.port}")
        return self

    def _answers(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"postgres exited: {self.log.read_text()[-2000:]}")
        try:
            self.connect().close()
        except psycopg.OperationalError:
            return False
        return True

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, mode: str = "fast") -> None:
        """As pg_ctl stop -m mode: "smart" waits for clients, "fast" rolls their transactions
        back, "immediate" aborts without a checkpoint (the next start replays the WAL)."""
        if not self.running():
            return
        assert self.process is not None
        self.process.send_signal(self.STOP_SIGNALS[mode])
        self.process.wait(timeout=60)

    def restart(self, mode: str = "fast") -> "PostgresInstance":
        self.stop(mode)
        return self.start()

    def kill(self) -> None:
        """SIGKILL the postmaster, as the OOM killer would. Its backends notice and exit; the
        next start waits until none of them holds the shared memory any more."""
        if not self.running():
            return
        assert self.process is not None
        backends = psutil.Process(self.process.pid).children()
        self.process.kill()
        self.process.wait(timeout=10)
        psutil.wait_procs(backends, timeout=15)

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(self.url(database), autocommit=True, connect_timeout=5)

    def create_database(self, name: str, *, template: str = "template1") -> str:
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def migrated_database(self, name: str) -> str:
        """A new database with LabIntel's schema: the first one is migrated (some seconds),
        the next ones are copies of it (a fraction of a second)."""
        template = "labintel_migrated"
        with self.connect() as conn:
            exists = conn.execute("select 1 from pg_database where datname = %s", [template])
            if exists.fetchone() is None:
                conn.execute(f'CREATE DATABASE "{template}"')
                migrate(self.url(template))
        return self.create_database(name, template=template)

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


def migrate(database_url: str) -> None:
    """LabIntel's schema on a database of a private server, by `manage.py migrate` in a
    subprocess (this process's Django stays on its own test database)."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
    )


# Task limits small enough that a claim whose fetch message was lost comes back within seconds
# (the lease is the hard limit plus the fetch deadline: 13 s).
SHORT_LIMITS = {
    "CELERY_TASK_TIME_LIMIT": "10",
    "CELERY_TASK_SOFT_TIME_LIMIT": "8",
    "FETCH_DEADLINE_SECONDS": "3",
}


def app_env(redis: RedisInstance, **overrides: str) -> dict[str, str]:
    """Environment of a LabIntel process on the private Redis, with timing knobs small enough
    for tests: a dead worker's messages come back after 10 s, a lost article is swept after 2 s."""
    return {
        "REDIS_URL": redis.url(),
        "CELERY_VISIBILITY_TIMEOUT": "10",
        "SWEEP_AFTER_SECONDS": "2",
        "FETCH_ALLOW_LOOPBACK": "true",
        **overrides,
    }


@contextlib.contextmanager
def private_broker(url: str) -> Iterator[None]:
    """Make this process's Celery app publish to `url`: the tasks a test enqueues (and the
    sweeps it calls directly) reach the private Redis its workers read."""
    from labintel.celery import app

    saved = app.conf.broker_url, app._pool, app.amqp._producer_pool
    app.conf.broker_url = url
    app._pool = None  # pools are made on first use from broker_url
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_url, app._pool, app.amqp._producer_pool = saved


class BeatProcess:
    """A real `celery beat` process, with its own schedule file and no pidfile, so two can run
    at once (a second beat started by mistake, or two deploys overlapping)."""

    def __init__(self, directory: Path, *, name: str = "beat", env: dict[str, str]) -> None:
        self.directory = directory
        self.name = name
        self.env = env
        self.log_path = directory / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "BeatProcess":
        self.launch()
        wait_for(self.started, timeout=30, what=f"{self.name} started")
        return self

    def launch(self) -> "BeatProcess":
        """Start the process without waiting for it: beats launched together tick together."""
        from tests.conftest import _test_database_url

        self.directory.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "celery", "-A", "labintel", "beat", "--loglevel", "INFO",
            "--schedule", str(self.directory / f"{self.name}-schedule"), "--pidfile", "",
        ]  # fmt: skip
        env = {**os.environ, "DATABASE_URL": _test_database_url(), **self.env}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        return self

    def started(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.name} exited: {self.log_path.read_text()[-2000:]}")
        return b"beat: Starting..." in self.log_path.read_bytes()

    def sent(self, task: str) -> int:
        """How many times this beat sent `task` (from its log)."""
        return self.log_path.read_text().count(f"({task})")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def all_started(*processes: WorkerProcess | BeatProcess) -> None:
    """Wait for processes launched together (a loaded two-core machine starts each in seconds:
    launching them at once saves that time over again)."""
    for process in processes:
        ready = process.ready if isinstance(process, WorkerProcess) else process.started
        wait_for(ready, timeout=60, what=f"{process.log_path.name} ready")


class RecoveryTimer:
    """Seconds from the moment a fault was healed to the system back in its final state,
    kept in test-artifacts/faults.json (one entry per fault, for the report)."""

    def __init__(self) -> None:
        self.healed_at: float | None = None

    def healed(self) -> None:
        self.healed_at = time.monotonic()

    def record(self, name: str, **details: object) -> float:
        assert self.healed_at is not None, "call healed() when the fault ends"
        seconds = time.monotonic() - self.healed_at
        write_figure(name, seconds, **details)
        return seconds


def write_figure(name: str, seconds: float | None, **details: object) -> None:
    """One entry of faults.json; seconds None for a fault with nothing to recover from."""
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    figures = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    recovery = None if seconds is None else round(seconds, 2)
    figures[name] = {"recovery_seconds": recovery, **details, "at": time.time()}
    FIGURES.write_text(json.dumps(figures, indent=2, sort_keys=True))
