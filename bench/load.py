"""Load benchmark: the full stack on loopback, its pages under load while ingestion runs.

The stack is the one a deployment runs: gunicorn (the Dockerfile's three sync workers) with
DEBUG off, a real `celery worker` on every queue, PostgreSQL (a database of its own, created,
migrated and dropped by this script) and Redis (one database, flushed at the start). The demo
corpus is ingested first, so the pages have storylines, entities, events and articles to show.

Then a generated news site (bench/ingest.py's generator: ten feeds, 600 pages by default) is
served from another process and added as sources, and the worker fetches, extracts and
analyses it while a load generator in a second process (stdlib threads, one HTTP connection
each, closed loop) requests the pages: home, storylines, entity pages, articles and search.
The anchor, in the same run and under the same ingestion, is /healthz (no database, no
template): rounds of the anchor and of the pages alternate, so both see the same background.
A short quiet round before ingestion starts shows what the pages cost without it.

Reported: requests/s, p50 and p99 per page kind and overall, gunicorn's CPU per request,
errors (any status but 200, any connection failure), and whether and when the ingestion backlog
drained (every new article extracted and analysed) within DRAIN_DEADLINE. Bounded: at most about
three minutes; fails (exit 1) on any error or a backlog left.

Run: make bench  (or .venv/bin/python bench/load.py [--articles N] [--postgres URL]
[--redis URL])
"""

import argparse
import http.client
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "load.json"
VENV_BIN = Path(sys.executable).parent
SEED = 20261101
DATABASE = "labintel_load"
GUNICORN_WORKERS = 3  # as the Dockerfile and docker-compose.yml run it
WORKER_CONCURRENCY = 2  # one worker process per core, celery's default here
CONNECTIONS = 4  # one more than gunicorn's workers: there is always a request waiting
QUIET_SECONDS = (4.0, 8.0)  # anchor, pages: before ingestion starts
ROUND_SECONDS = (5.0, 15.0)  # anchor, pages: each round under ingestion
ROUNDS = 3
DRAIN_DEADLINE = 120.0  # seconds after the fetch was enqueued: the whole run stays near 3 minutes
SEARCHES = ["colossus", "memphis turbines", "co-founder", "xai", "permit"]


# --- The load generator (the second process; stdlib only) ------------------------------------


def drive(base: str, paths: list[list[str]], *, seconds: float, connections: int) -> dict:
    """GET `paths` ([kind, path] pairs) in turn from `connections` threads for `seconds`."""
    parts = urlsplit(base)
    deadline = time.perf_counter() + seconds
    done: list[list[tuple[str, float, int]]] = [[] for _ in range(connections)]

    def client(n: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        turn = n * 7  # threads start at different places of the list
        while (started := time.perf_counter()) < deadline:
            kind, path = paths[turn % len(paths)]
            turn += 1
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0  # connection refused, reset or timed out: an error like a 500
                connection.close()
            done[n].append((kind, time.perf_counter() - started, status))
        connection.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kinds: dict[str, dict[str, Any]] = {}
    for kind, latency, status in (row for rows in done for row in rows):
        into = kinds.setdefault(kind, {"latencies": [], "statuses": Counter()})
        into["latencies"].append(latency)
        into["statuses"][status] += 1
    return {"seconds": time.perf_counter() - began, "kinds": kinds}


def run_load(base: str, paths: list[list[str]], seconds: float) -> dict:
    """One round of load, from a separate process so its CPU is not the server's."""
    spec = {"base": base, "paths": paths, "seconds": seconds, "connections": CONNECTIONS}
    result = subprocess.run(
        [sys.executable, __file__, "--drive"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    return json.loads(result.stdout)


def drive_from_stdin() -> None:
    spec = json.load(sys.stdin)
    result = drive(
        spec["base"], spec["paths"], seconds=spec["seconds"], connections=spec["connections"]
    )
    json.dump(result, sys.stdout)


# --- The stack ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stack_environment(database_url: str, redis_url: str, var_dir: Path) -> dict[str, str]:
    """Production settings, except that plain http and loopback feeds are allowed: the whole
    stack is on this machine, with no TLS proxy in front of it."""
    return {
        **{name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ},
        "DJANGO_SETTINGS_MODULE": "labintel.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "FETCH_ALLOW_LOOPBACK": "true",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "LABINTEL_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
    }


def fresh_database(server_url: str) -> tuple[str, str]:
    """(URL of a new, empty `labintel_load` database, URL of the server's admin database)."""
    import psycopg

    parts = urlsplit(server_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    return urlunsplit(parts._replace(path=f"/{DATABASE}")), admin


def drop_database(admin: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def flush_redis(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


@dataclass
class Processes:
    """Everything this benchmark started, stopped in reverse order at the end."""

    running: list[subprocess.Popen[Any]] = field(default_factory=list)

    def start(self, command: list[str], *, env: dict[str, str], log: Path) -> None:
        with log.open("ab") as out:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        self.running.append(process)

    def add(self, process: subprocess.Popen[Any]) -> None:
        self.running.append(process)

    def stop(self) -> None:
        for process in reversed(self.running):
            if process.poll() is None:
                process.terminate()
        for process in reversed(self.running):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def wait_until(predicate: Any, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what}")


def answers(base: str) -> bool:
    try:
        connection = http.client.HTTPConnection(urlsplit(base).hostname, urlsplit(base).port)
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False


def start_gunicorn(processes: Processes, env: dict[str, str], logs: Path) -> tuple[str, int]:
    port = free_port()
    command = [
        str(VENV_BIN / "gunicorn"), "labintel.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(GUNICORN_WORKERS), "--access-logfile", str(logs / "access.log"),
    ]  # fmt: skip
    processes.start(command, env=env, log=logs / "gunicorn.log")
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: answers(base), timeout=60, what="gunicorn")
    return base, processes.running[-1].pid


def web_cpu(master: int) -> float:
    """CPU seconds used so far by gunicorn's workers (PostgreSQL's share is not in it)."""
    import psutil

    return sum(sum(child.cpu_times()[:2]) for child in psutil.Process(master).children())


def start_worker(processes: Processes, env: dict[str, str], logs: Path) -> Path:
    log = logs / "worker.log"
    command = [
        sys.executable, "-m", "celery", "-A", "labintel", "worker",
        "-Q", "fetch,extract,analyze,default", "--concurrency", str(WORKER_CONCURRENCY),
        "--without-gossip", "--without-mingle", "--loglevel", "INFO",
    ]  # fmt: skip
    processes.start(command, env=env, log=log)
    wait_until(lambda: b"ready." in log.read_bytes(), timeout=60, what="the celery worker")
    return log


# --- The data -----------------------------------------------------------------------------------


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def load_demo_corpus(processes: Processes) -> None:
    """Seed, storylines and the demo corpus ingested in this process, as `make run` does."""
    import io

    from django.core.management import call_command
    from ingest import start_server

    from apps.sources.demo import DEMO_ROOT, feed_paths
    from apps.sources.services import add_source, ingest

    for command in ("migrate", "load_seed", "load_storylines"):
        call_command(command, verbosity=0, stdout=io.StringIO())
    call_command("collectstatic", interactive=False, verbosity=0)
    server, base = start_server(DEMO_ROOT)
    processes.add(server)
    for path in feed_paths(DEMO_ROOT):
        add_source(base + path)
    ingest()
    call_command("recount_mentions", verbosity=0, stdout=io.StringIO())


def page_paths() -> list[list[str]]:
    """[kind, path] for the pages under load, the kinds taking turns so each gets a fair share."""
    from django.db.models import Count

    from apps.events.models import Mention, Storyline
    from apps.sources.models import Article

    storylines = [f"/storylines/{s}/" for s in Storyline.objects.values_list("slug", flat=True)]
    named = Mention.objects.values("entity__slug").annotate(n=Count("id")).order_by("-n", "entity")
    entities = [f"/entities/{row['entity__slug']}/" for row in named[:8]]
    article_ids = Article.objects.filter(analyzed_at__isnull=False).order_by("id")
    articles = [f"/articles/{pk}/" for pk in article_ids.values_list("id", flat=True)[:12]]
    searches = [f"/search/?q={q.replace(' ', '+')}" for q in SEARCHES]
    by_kind = {
        "home": ["/"],
        "storyline": storylines,
        "entity": entities,
        "article": articles,
        "search": searches,
    }
    empty = [kind for kind, paths in by_kind.items() if not paths]
    if empty:
        raise SystemExit(f"the demo corpus gave no pages of kind {empty}")
    return [[kind, paths[i % len(paths)]] for i in range(12) for kind, paths in by_kind.items()]


def add_site_sources(site: Path, processes: Processes, *, articles: int) -> list[int]:
    from ingest import generate_site, start_server

    from apps.sources.services import add_source

    _, feeds = generate_site(site, pages=articles, seed=SEED)
    server, base = start_server(site)
    processes.add(server)
    return [add_source(base + path).id for path in feeds]


@dataclass
class Backlog:
    """The new site's articles, counted every half second by a thread of this process."""

    source_ids: list[int]
    expected: int
    started: float = 0.0
    load_ended: float = 0.0
    drained_after: float | None = None
    samples: list[tuple[float, int, int, int]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def count(self) -> tuple[int, int, int]:
        from apps.sources.models import Article

        rows = Article.objects.filter(source_id__in=self.source_ids)
        return (
            rows.count(),
            rows.filter(extracted_at__isnull=False).count(),
            rows.filter(analyzed_at__isnull=False).count(),
        )

    def watch(self) -> None:
        from django.db import connection

        while not self._stop.is_set():
            stored, extracted, analysed = self.count()
            elapsed = time.perf_counter() - self.started
            self.samples.append((round(elapsed, 2), stored, extracted, analysed))
            if analysed >= self.expected and self.drained_after is None:
                self.drained_after = elapsed
                break
            self._stop.wait(0.5)
        connection.close()

    def start(self) -> threading.Thread:
        from apps.sources.tasks import fetch_due_sources

        self.started = time.perf_counter()
        fetch_due_sources.delay()  # what beat does every minute
        thread = threading.Thread(target=self.watch, daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()

    def at(self, seconds: float) -> int:
        """How many were analysed by `seconds` after the start."""
        return max((s[3] for s in self.samples if s[0] <= seconds), default=0)


# --- Measuring ----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


@dataclass
class Tally:
    """Requests of one kind over every round it was measured in."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def add(self, kind: dict) -> None:
        self.latencies += kind["latencies"]
        # Statuses come back through JSON: their keys are strings.
        self.errors += sum(n for status, n in kind["statuses"].items() if status != "200")

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 0.50) * 1000

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 0.99) * 1000


@dataclass
class Phase:
    """The anchor's or the pages' rounds: totals, and a tally per kind of page."""

    seconds: float = 0.0
    cpu: float = 0.0
    kinds: dict[str, Tally] = field(default_factory=dict)

    def add(self, round_result: dict, *, cpu: float) -> None:
        self.seconds += round_result["seconds"]
        self.cpu += cpu
        for name, kind in round_result["kinds"].items():
            self.kinds.setdefault(name, Tally()).add(kind)

    @property
    def all(self) -> Tally:
        merged = Tally()
        for tally in self.kinds.values():
            merged.latencies += tally.latencies
            merged.errors += tally.errors
        return merged

    @property
    def rate(self) -> float:
        return len(self.all.latencies) / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        return self.cpu / len(self.all.latencies) * 1000 if self.all.latencies else 0.0


def measure(base: str, master: int, paths: list[list[str]], backlog: Backlog) -> dict[str, Phase]:
    anchor = [["healthz", "/healthz"]]
    phases = {name: Phase() for name in ("quiet anchor", "quiet pages", "anchor", "pages")}

    def load(phase: str, targets: list[list[str]], seconds: float) -> None:
        before = web_cpu(master)
        result = run_load(base, targets, seconds)
        phases[phase].add(result, cpu=web_cpu(master) - before)

    print("Quiet round (no ingestion) ...")
    load("quiet anchor", anchor, QUIET_SECONDS[0])
    load("quiet pages", paths, QUIET_SECONDS[1])
    print(f"Ingesting {backlog.expected} articles; {ROUNDS} rounds of load meanwhile ...")
    watcher = backlog.start()
    for n in range(ROUNDS):
        load("anchor", anchor, ROUND_SECONDS[0])
        load("pages", paths, ROUND_SECONDS[1])
        elapsed = time.perf_counter() - backlog.started
        print(f"  round {n + 1}: {backlog.at(elapsed)} of {backlog.expected} analysed")
    backlog.load_ended = time.perf_counter() - backlog.started
    print("Load over; waiting for the backlog to drain ...")
    watcher.join(timeout=max(0.0, DRAIN_DEADLINE - (time.perf_counter() - backlog.started)))
    backlog.stop()
    watcher.join(timeout=10)
    return phases


@dataclass
class Line:
    name: str
    rate: float
    p50: float
    p99: float
    errors: int
    requests: int
    cpu_ms: float | None
    ratio: str = ""


def line(
    name: str, tally: Tally, rate: float, ratio: str = "", cpu_ms: float | None = None
) -> Line:
    return Line(name, rate, tally.p50, tally.p99, tally.errors, len(tally.latencies), cpu_ms, ratio)


def lines(phases: dict[str, Phase]) -> list[Line]:
    anchor, pages = phases["anchor"], phases["pages"]
    quiet_anchor, quiet_pages = phases["quiet anchor"], phases["quiet pages"]
    vs_anchor = (
        f"{pages.rate / anchor.rate:.2f}x req/s, {pages.all.p99 / anchor.all.p99:.1f}x p99, "
        f"{pages.cpu_ms / anchor.cpu_ms:.0f}x CPU"
    )
    vs_quiet = f"under ingestion: {pages.all.p99 / quiet_pages.all.p99:.2f}x p99"
    return [
        line("anchor: /healthz", anchor.all, anchor.rate, cpu_ms=anchor.cpu_ms),
        line("pages, all kinds", pages.all, pages.rate, vs_anchor, pages.cpu_ms),
        *(
            line(f"  {name}", tally, len(tally.latencies) / pages.seconds,
                 f"{tally.p99 / anchor.all.p99:.1f}x p99")
            for name, tally in sorted(pages.kinds.items())
        ),
        line("quiet anchor: /healthz", quiet_anchor.all, quiet_anchor.rate,
             cpu_ms=quiet_anchor.cpu_ms),
        line("quiet pages, all kinds", quiet_pages.all, quiet_pages.rate, vs_quiet,
             quiet_pages.cpu_ms),
    ]  # fmt: skip


def print_lines(rows: list[Line]) -> None:
    header = (
        f"{'':<26} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'requests':>9} "
        f"{'CPU ms':>7}"
    )
    print("\n" + header + "  ratio\n" + "-" * (len(header) + 30))
    for r in rows:
        cpu = f"{r.cpu_ms:7.1f}" if r.cpu_ms is not None else " " * 7
        print(
            f"{r.name:<26} {r.rate:8.1f} {r.p50:8.1f} {r.p99:8.1f} {r.errors:7d} "
            f"{r.requests:9d} {cpu}  {r.ratio}"
        )
    print("(CPU ms: gunicorn's workers' CPU per request; PostgreSQL's is not counted)")


def describe(backlog: dict, *, worker_errors: int) -> str:
    during, load_seconds, drained = (
        backlog["analysed_during_load"],
        backlog["load_seconds"],
        backlog["drained_after_s"],
    )
    counts = (
        f"Backlog: {backlog['stored']} stored, {backlog['extracted']} extracted, "
        f"{backlog['analysed']} analysed of {backlog['articles']} new articles; "
    )
    verdict = f"drained {drained:.0f} s after the fetch" if drained else "NOT drained"
    rates = (
        f"{during} analysed during the {load_seconds:.0f} s of load ({during / load_seconds:.1f}/s)"
    )
    if drained and drained > load_seconds:
        rates += f", the rest at {(backlog['articles'] - during) / (drained - load_seconds):.1f}/s"
    return (
        f"{counts}{verdict} (deadline {DRAIN_DEADLINE:.0f} s). {rates}. "
        f"Worker errors logged: {worker_errors}"
    )


def worker_errors(log: Path) -> int:
    return sum(1 for line in log.read_text(errors="replace").splitlines() if " ERROR/" in line)


def run(args: argparse.Namespace) -> dict:
    processes = Processes()
    database_url, admin = fresh_database(args.postgres)
    flush_redis(args.redis)
    try:
        with tempfile.TemporaryDirectory(prefix="labintel-load-") as tmp:
            var_dir, logs = Path(tmp) / "var", Path(tmp)
            env = stack_environment(database_url, args.redis, var_dir)
            setup_django(env)
            started = time.perf_counter()
            print("Migrating, loading the seed and ingesting the demo corpus ...")
            load_demo_corpus(processes)
            paths = page_paths()
            source_ids = add_site_sources(Path(tmp) / "site", processes, articles=args.articles)
            base, master = start_gunicorn(processes, env, logs)
            worker_log = start_worker(processes, env, logs)
            print(f"Stack up in {time.perf_counter() - started:.0f} s: gunicorn at {base}")
            backlog = Backlog(source_ids, expected=args.articles)
            phases = measure(base, master, paths, backlog)
            stored, extracted, analysed = backlog.count()
            return {
                "lines": lines(phases),
                "backlog": {
                    "articles": args.articles,
                    "stored": stored,
                    "extracted": extracted,
                    "analysed": analysed,
                    "drained_after_s": backlog.drained_after,
                    "deadline_s": DRAIN_DEADLINE,
                    "load_seconds": round(backlog.load_ended, 1),
                    "analysed_during_load": backlog.at(backlog.load_ended),
                    "samples": backlog.samples,
                },
                "worker_errors": worker_errors(worker_log),
            }
    finally:
        processes.stop()
        from django.db import connections

        connections.close_all()
        drop_database(admin)


def main() -> None:
    if sys.argv[1:] == ["--drive"]:
        drive_from_stdin()
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--redis",
        default=os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/15"),
        help="a Redis database of the benchmark's own: it is flushed",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    load_before = os.getloadavg()
    result = run(args)
    backlog = result["backlog"]
    print_lines(result["lines"])
    drained = backlog["drained_after_s"]
    print("\n" + describe(backlog, worker_errors=result["worker_errors"]))
    errors = sum(row.errors for row in result["lines"] if not row.name.startswith(" "))
    print(f"Load average before {load_before[0]:.1f}, after {os.getloadavg()[0]:.1f}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "load",
                "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "load_average_before": load_before,
                "seconds": round(time.perf_counter() - started, 1),
                "gunicorn_workers": GUNICORN_WORKERS,
                "worker_concurrency": WORKER_CONCURRENCY,
                "connections": CONNECTIONS,
                "lines": [asdict(row) for row in result["lines"]],
                "backlog": backlog,
                "worker_errors": result["worker_errors"],
                "passed": errors == 0 and drained is not None,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"Wrote {RESULTS.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s")
    if errors or drained is None:
        raise SystemExit("load benchmark: errors under load or the backlog did not drain")


if __name__ == "__main__":
    main()
