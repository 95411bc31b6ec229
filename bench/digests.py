"""Digest benchmark: building and sending weekly digests to a loopback SMTP server.

In a fresh LabIntel (SQLite in a temp dir, or a throwaway PostgreSQL database with --postgres)
it generates, with a fixed seed, 2,000 entities (100 of them clusters with a revised GPU count),
a week of events (1,000 events, two participants each, each with a source article) and 10,000
weekly subscribers who follow 20 entities each and whose last digest was a week ago. Then:

1. **anchor**: the same digests built beforehand (not timed), and only the templates rendered
   from the precomputed contexts (`render_digest_context`): the floor under sending;
2. **measured**: what beat and the workers do, in two worker processes (one per core, as
   `celery worker` runs by default): `claim_due` in chunks (SKIP LOCKED keeps the workers'
   claims apart) and `send_digests` per chunk (load, diff, render, SMTP, mark sent), over one
   SMTP connection per chunk to a minimal sink in another process (bench/smtp_sink.py; its CPU
   is not counted). Queries are counted per chunk and per digest.

Goals: ≤ 10 s (wall) per 1,000 digests; a fixed number of queries per digest.

Run: make bench  (or .venv/bin/python bench/digests.py [--subscribers N] [--workers N]
[--postgres URL])
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from embedded import fresh_labintel
from report import Row, print_table

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "digests.json"
SEED = 20260302
ENTITIES = 2000
CLUSTERS = 100
EVENTS = 1000
FOLLOWS = 20
GOAL_SECONDS_PER_1000 = 10.0
TYPES = ["departure", "hire", "funding", "partnership", "model_release", "cluster_milestone"]


def start_sink() -> tuple[subprocess.Popen[str], int]:
    sys.path.insert(0, str(ROOT))
    from tests.digests.smtp import free_port

    port = free_port()
    sink = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "smtp_sink.py"), str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert sink.stdout is not None and sink.stdout.readline().strip() == "ready"
    return sink, port


def stop_sink(sink: subprocess.Popen[str]) -> int:
    sink.terminate()
    out, _ = sink.communicate(timeout=30)
    return int(out.split()[0])


def populate(rng: random.Random, *, subscribers: int, now: datetime) -> None:
    """The world of one week, and readers whose last digest was a week ago."""
    from django.db.models import OuterRef, Subquery

    from apps.digests.models import DigestSend, Subscriber, Subscription
    from apps.entities.models import ClusterObservation, ComputeCluster, Entity
    from apps.events.models import Event, EventParticipant, Evidence
    from apps.sources.models import Article, Source

    kinds = [Entity.Type.COMPANY, Entity.Type.PERSON]
    entities = Entity.objects.bulk_create(
        Entity(type=kinds[i % 2], name=f"Bench {kinds[i % 2]} {i}", slug=f"bench-{i}")
        for i in range(ENTITIES - CLUSTERS)
    )
    clusters = [
        ComputeCluster.objects.create(name=f"Bench cluster {i}", slug=f"bench-cluster-{i}")
        for i in range(CLUSTERS)
    ]
    everyone: list[Any] = [*entities, *clusters]
    for cluster in clusters:
        before = rng.randrange(50, 300) * 1000
        ClusterObservation.objects.create(
            cluster=cluster, as_of=(now - timedelta(days=60)).date(), gpus=before
        )
        ClusterObservation.objects.create(
            cluster=cluster,
            as_of=(now - timedelta(days=2)).date(),
            gpus=int(before * 1.15),
            source_url=f"https://news.example/{cluster.slug}",
        )

    source = Source.objects.create(feed_url="https://news.example/feed.xml", title="Bench News")
    events = Event.objects.bulk_create(
        Event(
            type=rng.choice(TYPES),
            date=(now - timedelta(days=n % 7)).date(),
            status="rumoured" if rng.random() < 0.1 else "confirmed",
            summary=f"Bench event {n}: something happened between two parties",
            confidence=0.5,
        )
        for n in range(EVENTS)
    )
    for day in range(7):  # found over the week, not all at once
        ids = [e.id for n, e in enumerate(events) if n % 7 == day]
        Event.objects.filter(id__in=ids).update(created_at=now - timedelta(days=day, hours=3))
    EventParticipant.objects.bulk_create(
        EventParticipant(event=event, entity=party, role="company")
        for event in events
        for party in rng.sample(everyone, 2)
    )
    articles = Article.objects.bulk_create(
        Article(
            source=source,
            guid=f"bench-{event.id}",
            url=f"https://news.example/story/{event.id}",
            canonical_url=f"https://news.example/story/{event.id}",
            title=f"Story {event.id}",
            published_at=now - timedelta(days=1),
            published_from="feed",
        )
        for event in events
    )
    Evidence.objects.bulk_create(
        Evidence(
            event=event, article=article, sentence="It happened.", start=0, end=12, found_by="bench"
        )
        for event, article in zip(events, articles, strict=True)
    )

    readers = Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader{n}@bench.example",
                status=Subscriber.Status.CONFIRMED,
                frequency=Subscriber.Frequency.WEEKLY,
                next_digest_at=now - timedelta(minutes=1),
            )
            for n in range(subscribers)
        ),
        batch_size=2000,
    )
    followed: dict[int, list[Any]] = {r.id: rng.sample(everyone, FOLLOWS) for r in readers}
    Subscription.objects.bulk_create(
        (Subscription(subscriber_id=r, entity=e) for r, es in followed.items() for e in es),
        batch_size=5000,
    )
    old_gpus = {
        c.id: c.observations.order_by("as_of").first().gpus  # type: ignore[union-attr]
        for c in clusters
    }
    DigestSend.objects.bulk_create(
        (
            DigestSend(
                subscriber_id=r,
                period=now - timedelta(days=7),
                status=DigestSend.Status.SENT,
                snapshot={
                    "v": 1,
                    "taken_at": (now - timedelta(days=7)).isoformat(),
                    "follows": [f"entity:{e.id}" for e in es],
                    "figures": {
                        f"entity:{e.id}/gpus": old_gpus[e.id] for e in es if e.id in old_gpus
                    },
                },
            )
            for r, es in followed.items()
        ),
        batch_size=2000,
    )
    Subscriber.objects.update(
        last_digest=Subquery(DigestSend.objects.filter(subscriber=OuterRef("pk")).values("id")[:1])
    )


def anchor(*, now: datetime) -> tuple[float, float, int]:
    """Per digest: render time of the precomputed contexts; events per digest; digests."""
    from apps.digests.models import Subscriber
    from apps.digests.services import building
    from apps.digests.services.mail import digest_context, event_line, render_digest_context

    contexts = []
    events = 0
    ids = list(Subscriber.objects.order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), 200):
        readers = list(building.readers(Subscriber.objects.filter(id__in=ids[start : start + 200])))
        batch = building.prepare(readers, now=now)
        for reader in readers:
            digest, _ = building.build(reader, batch)
            if not digest.is_empty:
                contexts.append(digest_context(reader, digest))
                events += sum(len(g.events) for g in digest.groups)
    event_line.cache_clear()  # both measures start cold: each event rendered once, then reused
    started = time.perf_counter()
    for context in contexts:
        render_digest_context(context)
    spent = time.perf_counter() - started
    return spent / len(contexts), events / len(contexts), len(contexts)


def send_all(*, now: datetime, workers: int) -> dict[str, float]:
    """`workers` processes claim and send side by side, as worker processes do (SKIP LOCKED
    keeps their claims apart); CPU and queries are summed over them."""
    import multiprocessing

    from django.db import connections

    from apps.digests.services.mail import event_line, group_block

    connections.close_all()  # each process opens its own
    event_line.cache_clear()  # and starts with cold caches
    group_block.cache_clear()
    context = multiprocessing.get_context("fork")
    results: Any = context.Queue()
    started = time.perf_counter()
    processes = [context.Process(target=_worker, args=(now, results)) for _ in range(workers)]
    for process in processes:
        process.start()
    parts = [results.get(timeout=3600) for _ in processes]
    for process in processes:
        process.join()
    total = {key: sum(part[key] for part in parts) for key in parts[0] if key != "shapes"}
    total["shapes"] = [shape for part in parts for shape in part["shapes"]]
    total["wall"] = time.perf_counter() - started
    total["workers"] = workers
    return total


def _worker(now: datetime, results: Any) -> None:
    from django.db import connection

    from apps.digests import services

    queries = {"claim": 0, "send": 0}
    phase = ["claim"]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries[phase[0]] += 1
        return execute(sql, params, many, context)

    sent = empty = chunks = 0
    shapes: list[tuple[int, int]] = []  # (digests, queries) of each chunk
    with connection.execute_wrapper(count):
        cpu = time.process_time()
        while True:
            phase[0] = "claim"
            ids = services.claim_due(now=now)
            if not ids:
                break
            phase[0] = "send"
            before = queries["send"]
            result = services.send_digests(ids, now=now)
            assert not result.again, result.error
            sent, empty, chunks = sent + len(result.sent), empty + len(result.empty), chunks + 1
            shapes.append((len(ids), queries["send"] - before))
        cpu = time.process_time() - cpu
    results.put(
        {
            "shapes": shapes,
            "sent": sent,
            "empty": empty,
            "chunks": chunks,
            "cpu": cpu,
            "send_queries": queries["send"],
            "claim_queries": queries["claim"],
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument(
        "--postgres", metavar="URL", help="a throwaway database on this PostgreSQL server"
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="sending processes (one per core by default)"
    )
    options = parser.parse_args()
    started = time.perf_counter()
    sink, port = start_sink()
    os.environ["EMAIL_HOST"], os.environ["EMAIL_PORT"] = "127.0.0.1", str(port)
    try:
        with tempfile.TemporaryDirectory(prefix="labintel-bench-digests-") as var_dir:
            fresh_labintel(Path(var_dir), postgres=options.postgres)
            from django.conf import settings
            from django.db import connection
            from django.utils import timezone

            vendor = connection.vendor

            assert settings.EMAIL_BACKEND.endswith("smtp.EmailBackend")
            now = timezone.now()
            populate(random.Random(SEED), subscribers=options.subscribers, now=now)
            per_render, events_per_digest, digests = anchor(now=now)
            run = send_all(now=now, workers=options.workers)
    finally:
        received = stop_sink(sink)

    per_digest = run["wall"] / max(run["sent"], 1)
    per_1000 = per_digest * 1000
    queries_per_digest = run["send_queries"] / max(run["sent"] + run["empty"], 1)
    # Per digest: lock, mark done, move the baseline (and SQLite's BEGIN, which it counts).
    per_digest_queries = 4 if vendor == "sqlite" else 3
    overheads = {queries - per_digest_queries * size for size, queries in run["shapes"]}
    batch_overhead = max(overheads)
    rows = [
        Row(
            f"wall s per 1,000 digests, {options.workers} workers",
            per_1000,
            per_render * 1000,
            per_digest / per_render,
            f"≤ {GOAL_SECONDS_PER_1000:.0f} s",
            per_1000 <= GOAL_SECONDS_PER_1000,
            "s; anchor: rendering the same templates from ready contexts, per 1,000",
        ),
        Row(
            "CPU seconds per 1,000 digests (all workers)",
            run["cpu"] / max(run["sent"], 1) * 1000,
            per_render * 1000,
            run["cpu"] / max(run["sent"], 1) / per_render,
            "info",
            True,
            "s; the worker processes (the SMTP sink runs in another)",
        ),
        Row(
            "SQL queries per digest (send)",
            queries_per_digest,
            None,
            None,
            "fixed",
            len(overheads) == 1,
            f"{per_digest_queries} per digest + {batch_overhead} per chunk, in every chunk",
        ),
        Row(
            "SQL queries per chunk (claim)",
            run["claim_queries"] / max(run["chunks"], 1),
            None,
            None,
            "info",
            True,
            "lock due readers, insert periods, move schedules, read ids",
        ),
        Row(
            "mails received by the sink",
            received,
            run["sent"],
            received / max(run["sent"], 1),
            "= sent",
            received == run["sent"],
            "messages",
        ),
    ]
    print(
        f"\n{options.subscribers} subscribers x {FOLLOWS} entities, {EVENTS} events in the week "
        f"({'PostgreSQL' if options.postgres else 'SQLite'}): {run['sent']} digests sent, "
        f"{run['empty']} empty, {events_per_digest:.1f} events per digest"
    )
    print_table(rows)
    results = RESULTS.with_name("digests-postgres.json") if options.postgres else RESULTS
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(
        json.dumps(
            {
                "subscribers": options.subscribers,
                "digests": digests,
                "events_per_digest": events_per_digest,
                "anchor_render_ms": per_render * 1000,
                "seconds_per_1000": per_1000,
                "ratio": per_digest / per_render,
                "cpu_seconds_per_1000": run["cpu"] / max(run["sent"], 1) * 1000,
                "queries_per_digest": queries_per_digest,
                "queries_per_chunk_overhead": batch_overhead,
                "received": received,
                **run,
            },
            indent=2,
        )
    )
    print(f"\nWrote {results.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
