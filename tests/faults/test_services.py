"""The fault suite's own tools do what the faults rely on: a private Redis that stops, pauses
and loses its messages; a private PostgreSQL that stops in each mode and keeps what was
committed, and hands out migrated databases (workers and beats on them: the other tests here).
Nothing here touches the machine's :5432 or :6379."""

import time

import psycopg
import pytest
import redis as redis_client

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_private_redis_stops_pauses_and_comes_back_empty(redis):
    client = redis.client()
    client.rpush("fetch", b"message")
    assert redis.port != 6379

    redis.pause()
    with pytest.raises(redis_client.TimeoutError):
        redis.client(timeout=0.3).ping()
    redis.resume()
    assert client.llen("fetch") == 1

    redis.restart()
    assert client.llen("fetch") == 0  # no persistence: a restart loses every message


def test_a_private_postgres_survives_each_stop_mode_with_committed_rows(postgres):
    url = postgres.create_database("modes")
    assert f":{postgres.port}/" in url and postgres.port != 5432
    with postgres.connect("modes") as conn:
        conn.execute("create table kept (n int)")
    for n, mode in enumerate(("fast", "immediate")):
        with postgres.connect("modes") as conn:
            conn.execute("insert into kept values (%s)", [n])
        postgres.restart(mode)
    postgres.kill()
    with pytest.raises(psycopg.OperationalError):
        postgres.connect("modes")
    postgres.start()
    with postgres.connect("modes") as conn:
        assert conn.execute("select n from kept order by n").fetchall() == [(0,), (1,)]


def test_a_private_postgres_copies_its_first_migrated_database(postgres):
    url = postgres.migrated_database("first")
    started = time.monotonic()
    copy = postgres.migrated_database("copy")  # a copy of the first: no second migration
    assert time.monotonic() - started < 8  # migrating takes longer, even on an idle machine
    for database in (url, copy):
        with psycopg.connect(database) as conn:
            assert conn.execute("select count(*) from sources_source").fetchone() == (0,)
