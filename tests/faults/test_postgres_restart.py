"""PostgreSQL restarted in the middle of a batch upsert (SECURITY.md 14): a real worker is storing
a 2,000-item feed when the server goes away, by `pg_ctl restart -m fast` (every session is
terminated, the server comes straight back) or by an immediate-mode stop and a start (no
checkpoint: the next start replays the WAL).

The batch is made to be mid-way for certain: the test holds, in an open transaction, an article
row with the same source and guid as item 1,750, so the worker's insert of the fourth chunk waits
on it (PostgreSQL's unique-index wait) until the restart cuts both sessions. Afterwards the batch
must have been written whole by the worker's retry on a new connection: exactly one row per
item, exactly one extraction message per new article, one fetch-log line, and the source
released (no claim left, no error counted: the feed was fine, the database was not).

The app runs as subprocesses on a private PostgresInstance; the test reads and writes that
server through psycopg (see tests/faults/services.py).
"""

import json
import re
import time
from base64 import b64decode
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from apps.sources import tasks
from apps.sources.models import Article, Source
from tests.conftest import WorkerProcess, wait_for
from tests.faults._e_support import insert_statement
from tests.faults.services import PostgresInstance, app_env, migrate
from tests.httpserver import Reply
from tests.sitegen import rss_feed

ITEMS = 2000
HELD = 1750  # in the fourth chunk of 500 (apps.sources.services.fetching.STORE_CHUNK)


@pytest.fixture(scope="module")
def app_database(postgres: PostgresInstance) -> str:
    """A migrated LabIntel database on the module's private server."""
    url = postgres.create_database("app")
    migrate(url)
    return url


def _guid(loopback, n: int) -> str:
    return loopback.url(f"/news/{n}.html")


def _serve_big_feed(loopback, path: str) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    items = [(f"Item {n}", f"/news/{n}.html", start + timedelta(minutes=n)) for n in range(ITEMS)]
    body = rss_feed(loopback.base_url, items, title="A big outlet").encode()
    loopback.route(path, Reply(200, body, {"Content-Type": "application/rss+xml"}))


def _add_source(postgres: PostgresInstance, feed_url: str) -> int:
    """A source due now, written straight to the private database."""
    sql, params = insert_statement(Source(feed_url=feed_url))
    with postgres.connect("app") as conn:
        return conn.execute(sql + " RETURNING id", params).fetchone()[0]


@pytest.fixture
def fetch_worker(tmp_path, redis) -> Iterator[Callable[[str], WorkerProcess]]:
    """fetch_worker(database_url): a real worker on the polling queues only, so the articles'
    extraction messages stay in Redis for the test to count."""
    workers: list[WorkerProcess] = []

    def start(database_url: str) -> WorkerProcess:
        env = app_env(redis, DATABASE_URL=database_url)
        worker = WorkerProcess(tmp_path / "worker.log", env=env, queues="fetch,default")
        workers.append(worker)
        return worker.start()

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def held_row(postgres: PostgresInstance) -> Iterator[list[psycopg.Connection]]:
    """Connections holding an uncommitted article row; closed (if the restart has not) after."""
    held: list[psycopg.Connection] = []
    yield held
    for conn in held:
        conn.close()


def _hold(postgres: PostgresInstance, source_id: int, guid: str) -> psycopg.Connection:
    article = Article(
        source_id=source_id, guid=guid, url=guid, canonical_url=guid, title="Held by the test",
        published_at=datetime(2026, 3, 1, tzinfo=UTC), published_from="feed",
    )  # fmt: skip
    sql, params = insert_statement(article)
    conn = psycopg.connect(postgres.url("app"), autocommit=False, connect_timeout=5)
    conn.execute(sql, params)  # not committed: the worker's insert of this guid waits on it
    return conn


def _query(postgres: PostgresInstance, sql: str, *params: object) -> list[tuple]:
    with postgres.connect("app") as conn:
        return conn.execute(sql, params).fetchall()


def _waiting_insert(postgres: PostgresInstance) -> bool:
    return bool(
        _query(
            postgres,
            "select 1 from pg_stat_activity where wait_event_type = 'Lock'"
            " and query like 'INSERT INTO \"sources_article\"%%'",
        )
    )


def _released(postgres: PostgresInstance, source_id: int) -> bool:
    try:
        [(token, fetched)] = _query(
            postgres,
            "select claim_token, last_fetched_at from sources_source where id = %s",
            source_id,
        )
    except psycopg.OperationalError:  # still starting up
        return False
    return token is None and fetched is not None


def _queued_article_ids(redis, queue: str) -> list[int]:
    """The article ids of the task messages waiting in a queue (Celery's protocol 2)."""
    ids = []
    for raw in redis.client().lrange(queue, 0, -1):
        args, _, _ = json.loads(b64decode(json.loads(raw)["body"]))
        ids.append(args[0])
    return ids


def _task_done(worker: WorkerProcess, task: str) -> bool:
    done = rf"Task {re.escape(task)}\[[^\]]+\] succeeded"
    return bool(re.search(done, worker.log_path.read_text()))


def _restart(postgres: PostgresInstance, mode: str) -> None:
    if mode == "fast":
        postgres.restart("fast")
    else:
        postgres.stop("immediate")
        time.sleep(1)  # down for a moment: the worker's reconnects are refused meanwhile
        postgres.start()


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_a_restart_mid_batch_leaves_one_row_per_item_and_the_source_released(
    mode, postgres, app_database, loopback, broker, fetch_worker, held_row, recovery_timer
):
    path = f"/big-{mode}.xml"
    _serve_big_feed(loopback, path)
    source_id = _add_source(postgres, loopback.url(path))
    held_row.append(_hold(postgres, source_id, _guid(loopback, HELD)))
    worker = fetch_worker(app_database)

    tasks.fetch_due_sources.delay()
    wait_for(lambda: _waiting_insert(postgres), timeout=30, what="the worker mid-batch")
    _restart(postgres, mode)
    recovery_timer.healed()

    wait_for(lambda: _released(postgres, source_id), timeout=40, what="the source fetched")
    seconds = recovery_timer.record(
        f"PostgreSQL {mode} restart mid-batch", items=ITEMS, mode=mode,
        note="seconds from the server's return until the batch was stored and the source free",
    )  # fmt: skip

    [(rows, guids)] = _query(
        postgres,
        "select count(*), count(distinct guid) from sources_article where source_id = %s",
        source_id,
    )
    assert rows == guids == ITEMS
    [(title,)] = _query(
        postgres,
        "select title from sources_article where source_id = %s and guid = %s",
        source_id,
        _guid(loopback, HELD),
    )
    assert title == f"Item {HELD}"  # the worker's row: the test's never committed
    [(errors, error, claim)] = _query(
        postgres,
        "select consecutive_errors, last_error, claim_token from sources_source where id = %s",
        source_id,
    )
    assert (errors, error, claim) == (0, "", None)
    assert _query(
        postgres, "select status, new_entries from sources_fetchlog where source_id = %s", source_id
    ) == [(200, ITEMS)]
    # The task hands the new articles on after its commit; wait for it to have finished.
    wait_for(lambda: _task_done(worker, "sources.fetch_source"), timeout=30, what="the task")
    stored = _query(postgres, "select id from sources_article where source_id = %s", source_id)
    queued = _queued_article_ids(broker, "extract")
    assert sorted(queued) == sorted(i for (i,) in stored)  # each new article handed on once
    assert "trying again" in worker.log_path.read_text()
    assert seconds < 30
