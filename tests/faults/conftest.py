"""Fixtures of the fault suite: a private Redis per test, this process publishing to it, workers
and beats on it, a private PostgreSQL per module, and the recovery timer (see services.py)."""

import glob
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import WorkerProcess
from tests.faults.services import (
    BeatProcess,
    PostgresInstance,
    RecoveryTimer,
    RedisInstance,
    app_env,
    private_broker,
)

HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before the services gate of tests/conftest.py reads the marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test here starts real processes on real services: `-m faults` runs the suite alone,
    and the services gate of tests/conftest.py skips it, saying why, without them."""
    for item in items:
        if HERE in Path(item.path).parents:
            for mark in (pytest.mark.faults, pytest.mark.services, pytest.mark.slow):
                item.add_marker(mark)


def _needs(binary: str) -> None:
    if shutil.which(binary) is None:
        pytest.skip(f"the fault suite needs {binary} on PATH (apt-get install redis-server)")


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RedisInstance]:
    """A redis-server of this test's own: stopping, pausing or flushing it harms nobody else."""
    _needs("redis-server")
    instance = RedisInstance(tmp_path / "redis").start()
    yield instance
    instance.stop()


@pytest.fixture
def broker(redis: RedisInstance) -> Iterator[RedisInstance]:
    """The private Redis, with this process's Celery app publishing to it."""
    with private_broker(redis.url()):
        yield redis


@pytest.fixture
def start_worker(tmp_path: Path, redis: RedisInstance) -> Iterator[Callable[..., WorkerProcess]]:
    """start_worker(name, concurrency=1, wait=True, **env): a real worker on the private Redis
    (and on Django's test database unless DATABASE_URL is given), stopped after the test; with
    wait=False it is launched only (services.all_started)."""
    workers: list[WorkerProcess] = []

    def start(
        name: str = "worker", *, concurrency: int = 1, wait: bool = True, **env: str
    ) -> WorkerProcess:
        log = tmp_path / f"{name}.log"
        worker = WorkerProcess(log, concurrency=concurrency, env=app_env(redis, **env))
        workers.append(worker)
        return worker.start() if wait else worker.launch()

    yield start
    for worker in workers:
        # Nothing of the private Redis outlives the test: no need for a warm shutdown's wait.
        if worker.process is not None and worker.process.poll() is None:
            worker.kill_all()


@pytest.fixture
def start_beat(tmp_path: Path, redis: RedisInstance) -> Iterator[Callable[..., BeatProcess]]:
    """start_beat(name, wait=True, **env): a real beat on the private Redis, stopped after the
    test; with wait=False it is launched only (services.all_started)."""
    beats: list[BeatProcess] = []

    def start(name: str = "beat", *, wait: bool = True, **env: str) -> BeatProcess:
        beat = BeatProcess(tmp_path / "beats", name=name, env=app_env(redis, **env))
        beats.append(beat)
        return beat.start() if wait else beat.launch()

    yield start
    for beat in beats:
        beat.stop()


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresInstance]:
    """A PostgreSQL cluster of this module's own (initdb takes a second or two)."""
    if not glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"):
        pytest.skip(
            "the fault suite needs PostgreSQL's server binaries (apt-get install postgresql)"
        )
    instance = PostgresInstance().start()
    yield instance
    instance.remove()


@pytest.fixture
def recovery_timer() -> RecoveryTimer:
    return RecoveryTimer()
