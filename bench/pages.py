"""Page speed at scale: the dashboard's pages on a large PostgreSQL dataset, with same-run anchors.

The data is `bench/largedata.py`'s (1,000,000 articles, 100,000 events, 5,000 entities with a
long-tailed fame, storylines of thousands of events), generated once into the `labintel_bench`
database and reused by later runs. Each page is requested in this process with Django's test
`Client` (the whole middleware stack, production settings: DEBUG off, no network), 20 times to
warm up and then `--requests` times, the pages in turn (one request to each, round after round,
so that a change in the machine's load falls on all of them alike); the wall time of each
request is the server's time, database included.

Anchors, measured in the same run on the same data:

- each page's main query: the slowest of the SQL statements the page ran, executed bare with
  `connection.cursor()` (the floor under the page: what the database must do at the least);
- a bare render of a 50-row template (the floor of turning rows into HTML).

Goals: every page p95 <= 25 ms (search <= 50 ms, even for a term in most articles); the deep
timeline page (page 50, reached through the "load more" cursors the page hands out) <= 1.3x the
first page; the most-named company's page <= 2x the least-named one's. Pages that do not exist
yet are reported as not built. A page that misses its goal gets its slowest query EXPLAINed.

Run: make bench  (or .venv/bin/python bench/pages.py [--scale 0.01] [--requests 200] [--force])
"""

import argparse
import gc
import json
import logging
import os
import platform
import re
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import largedata
from report import Row, print_table

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "pages.json"
WARMUP = 20
# A page far off its goal (seconds per request) must not hold `make bench` for an hour: each page
# gets at most this long for its warm-up and for its timed requests, and at least MIN_REQUESTS.
WARMUP_SECONDS = 5.0
MEASURE_SECONDS = 30.0
MIN_REQUESTS = 10
SQL_REPEATS = 25
DEEP_PAGE = 50
PAGE_GOAL_MS = 25.0
SEARCH_GOAL_MS = 50.0
DEEP_GOAL = 1.3
HOT_GOAL = 2.0
TEMPLATE_50 = """<table>{% for row in rows %}
<tr><td><a href="/entities/{{ row.slug }}/">{{ row.name }}</a></td><td>{{ row.kind }}</td>
<td><time datetime="{{ row.day|date:'Y-m-d' }}">{{ row.day|date:"j M Y" }}</time></td>
<td>{{ row.summary }}</td><td>{{ row.count }}</td></tr>{% endfor %}
</table>"""


@dataclass
class Page:
    key: str
    label: str
    path: str
    goal_ms: float | None  # None: measured for information
    headers: dict[str, str] = field(default_factory=dict)
    note: str = ""


@dataclass
class Measured:
    key: str
    label: str
    path: str
    status: str  # "ok", "not built", "error: …"
    goal_ms: float | None = None
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    cpu_ms: float = 0.0  # this process's CPU per request (the rest is waiting for PostgreSQL)
    requests: int = 0
    queries: int = 0
    main_sql_ms: float = 0.0
    all_sql_ms: float = 0.0
    main_sql: str = ""
    bytes: int = 0
    note: str = ""
    slowest: list[dict[str, Any]] = field(default_factory=list)
    explain: str = ""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def fetch(client: Any, page: Page) -> Any:
    return client.get(page.path, secure=True, headers=page.headers)


def prepare(client: Any, page: Page) -> tuple[Measured, list[str]]:
    """Whether the page is there; if so, warmed up, with the SQL it runs (its anchors' input)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = Measured(page.key, page.label, page.path, "ok", page.goal_ms, note=page.note)
    statements: list[str] = []
    try:
        response = fetch(client, page)
        if response.status_code == 404:
            result.status = "not built"
        elif response.status_code != 200:
            result.status = f"error: HTTP {response.status_code}"
        else:
            result.bytes = len(response.content)
            warm_until = time.perf_counter() + WARMUP_SECONDS
            for _ in range(WARMUP):
                fetch(client, page)
                if time.perf_counter() > warm_until:
                    break
            with CaptureQueriesContext(connection) as captured:
                fetch(client, page)
            # Read now: the next request's request_started signal empties the log read here.
            statements = [query["sql"] for query in captured.captured_queries]
            result.queries = len(statements)
    except Exception as error:  # a page under construction may fail in any way
        result.status = f"error: {type(error).__name__}: {str(error)[:200]}"
    return result, statements


def time_pages(client: Any, pages: list[tuple[Page, Measured]], requests: int) -> None:
    """Round robin: one request to each page in turn, so that a change in the machine's load
    falls on every page alike (the deep/first and hot/cold ratios compare like with like)."""
    wall: dict[str, list[float]] = {page.key: [] for page, _ in pages}
    cpu: dict[str, float] = {page.key: 0.0 for page, _ in pages}
    spent: dict[str, float] = {page.key: 0.0 for page, _ in pages}
    gc.collect()
    active = list(pages)
    while active:
        for page, result in list(active):
            cpu_started, started = time.process_time(), time.perf_counter()
            try:
                fetch(client, page)
            except Exception as error:
                result.status = f"error: {type(error).__name__}: {str(error)[:200]}"
                active.remove((page, result))
                continue
            took = time.perf_counter() - started
            cpu[page.key] += time.process_time() - cpu_started
            wall[page.key].append(took * 1000)
            spent[page.key] += took
            count = len(wall[page.key])
            if count >= requests or (count >= MIN_REQUESTS and spent[page.key] > MEASURE_SECONDS):
                active.remove((page, result))
    for page, result in pages:
        times = wall[page.key]
        if result.status != "ok" or not times:
            continue
        result.requests = len(times)
        result.cpu_ms = cpu[page.key] * 1000 / len(times)
        result.p50, result.p95, result.p99 = (percentile(times, p) for p in (0.5, 0.95, 0.99))


def raw_sql_ms(sql: str, repeats: int = SQL_REPEATS) -> float:
    """Median wall time of the statement run bare: execute and fetch every row."""
    from django.db import connection

    times = []
    with connection.cursor() as cursor:
        for _ in range(repeats):
            started = time.perf_counter()
            cursor.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def anchor_queries(result: Measured, statements: list[str]) -> None:
    # Reads only (a GET that wrote would be timed as it is, just not replayed).
    reads = [sql for sql in statements if READ.match(sql)]
    timed = [(raw_sql_ms(sql), sql) for sql in reads]
    if not timed:
        return
    timed.sort(reverse=True)
    result.main_sql_ms, result.main_sql = timed[0]
    result.all_sql_ms = sum(ms for ms, _ in timed)
    result.slowest = [{"ms": round(ms, 3), "sql": sql[:600]} for ms, sql in timed[:3]]


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def template_anchor(requests: int) -> float:
    """Median ms of rendering a plain 50-row table with Django's template engine."""
    import datetime

    from django.template import engines

    template = engines["django"].from_string(TEMPLATE_50)
    rows = [
        {
            "slug": f"entity-{i}",
            "name": f"Entity {i}",
            "kind": "Company",
            "day": datetime.date(2025, 1, 1) + datetime.timedelta(days=i),
            "summary": f"Something happened to entity {i} & its people",
            "count": i * 7,
        }
        for i in range(50)
    ]
    for _ in range(WARMUP):
        template.render({"rows": rows})
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        template.render({"rows": rows})
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


READ = re.compile(r"\s*(SELECT|WITH)\b", re.IGNORECASE)
CURSOR = re.compile(r"[?&](?:amp;)?cursor=([A-Za-z0-9_-]+)")


def deep_path(client: Any, first: str, depth: int) -> tuple[str, int]:
    """Follow the timeline's "load more" links from the first page to page `depth` (or the last
    page), as htmx follows them; return the page's own URL and the page number reached."""
    path, page = first, 1
    while page < depth:
        headers = {"HX-Request": "true", "HX-Target": "load-more"} if page > 1 else {}
        try:
            response = client.get(path, secure=True, headers=headers)
        except Exception:  # the page itself is measured (and its error reported) later
            break
        if response.status_code != 200:
            break
        found = CURSOR.findall(response.content.decode())
        if not found:
            break
        path = f"{first}?cursor={found[-1]}"
        page += 1
    return path, page


def plan_pages(client: Any, facts: dict[str, Any]) -> list[Page]:
    storyline = max(facts["storylines"], key=lambda s: s["events"])
    first = f"/storylines/{storyline['slug']}/"
    deep, reached = deep_path(client, first, DEEP_PAGE)
    hot, cold, cluster = facts["hot_company"], facts["cold_company"], facts["cluster"]
    rare, rare_count = facts["rare_terms"][0] if facts["rare_terms"] else ("zzzz", 0)
    common = facts["common_terms"][1]
    fragment = {"HX-Request": "true", "HX-Target": "load-more"}
    return [
        Page("home", "home /", "/", PAGE_GOAL_MS),
        Page(
            "storyline",
            f"storyline, first page ({storyline['events']} events)",
            first,
            PAGE_GOAL_MS,
        ),
        Page("deep", f"storyline, page {reached}", deep, PAGE_GOAL_MS, note=f"page {reached}"),
        Page("deep_fragment", "  its htmx 'load more' fragment", deep, None, fragment),
        Page(
            "hot",
            f"company, hot ({hot['mentions']:,} mentions)",
            f"/entities/{hot['slug']}/",
            PAGE_GOAL_MS,
        ),
        Page(
            "cold",
            f"company, cold ({cold['mentions']:,} mentions)",
            f"/entities/{cold['slug']}/",
            PAGE_GOAL_MS,
        ),
        Page(
            "cluster",
            f"cluster ({cluster['mentions']:,} mentions)",
            f"/entities/{cluster['slug']}/",
            PAGE_GOAL_MS,
        ),
        Page(
            "person",
            f"person ({facts['person']['mentions']:,} mentions)",
            f"/entities/{facts['person']['slug']}/",
            PAGE_GOAL_MS,
        ),
        Page(
            "search_rare",
            f"search, rare term ({rare_count} articles)",
            f"/search/?q={rare}",
            SEARCH_GOAL_MS,
        ),
        Page(
            "search_common",
            f"search, common term '{common}'",
            f"/search/?q={common}",
            SEARCH_GOAL_MS,
        ),
        Page("talent", "talent flow /talent/", "/talent/", PAGE_GOAL_MS),
        Page(
            "article",
            "article reader (newest with events)",
            f"/articles/{facts.get('article_id', facts['newest_article_id'])}/",
            PAGE_GOAL_MS,
        ),
    ]


def rows_for(results: dict[str, Measured], render_ms: float) -> list[Row]:
    rows: list[Row] = []
    for m in results.values():
        if m.status != "ok":
            continue
        rows.append(
            Row(
                f"{m.label} p95"[:38],
                m.p95,
                m.main_sql_ms or None,
                m.p95 / m.main_sql_ms if m.main_sql_ms else None,
                f"≤ {m.goal_ms:g} ms" if m.goal_ms else "info",
                m.goal_ms is None or m.p95 <= m.goal_ms,
                f"ms; {m.queries} queries; anchor: its main SQL, bare",
            )
        )
    pairs = (("deep", "storyline", DEEP_GOAL, "deep page / first page, p95"),
             ("hot", "cold", HOT_GOAL, "hot / cold company page, p95"))  # fmt: skip
    for one, other, most, name in pairs:
        a, b = results.get(one), results.get(other)
        if a and b and a.status == b.status == "ok":
            ratio = a.p95 / b.p95
            rows.append(Row(name, ratio, None, None, f"≤ {most}x", ratio <= most, "x"))
    rows.append(Row("bare render, 50-row template", render_ms, None, None, "anchor", True, "ms"))
    return rows


def print_details(results: dict[str, Measured], render_ms: float) -> None:
    header = (
        f"{'page':<40} {'n':>4} {'p50':>7} {'p95':>7} {'p99':>7} {'cpu':>6} {'q':>4} {'mainSQL':>8}"
        f" {'allSQL':>7} {'p50/SQL':>8} {'p50/tpl':>8}"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for m in results.values():
        if m.status != "ok":
            print(f"{m.label[:40]:<40} {m.status}")
            continue
        by_sql = f"{m.p50 / m.main_sql_ms:7.1f}x" if m.main_sql_ms else f"{'':>8}"
        print(
            f"{m.label[:40]:<40} {m.requests:4d} {m.p50:7.2f} {m.p95:7.2f} {m.p99:7.2f}"
            f" {m.cpu_ms:6.2f} {m.queries:4d} {m.main_sql_ms:8.2f} {m.all_sql_ms:7.2f} {by_sql}"
            f" {m.p50 / render_ms:7.1f}x"
        )
    print("(ms; n: timed requests; cpu: this process's CPU per request; q: SQL queries;")
    print(" mainSQL: the slowest query run bare; allSQL: all of them run bare;")
    print(" p50/tpl: p50 over a bare 50-row template render)")


def skip(reason: str) -> None:
    print(f"Page benchmark skipped: {reason}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"benchmark": "pages", "skipped": reason}, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full dataset")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--force", action="store_true", help="generate the data again")
    options = parser.parse_args()
    started = time.perf_counter()
    url = largedata.database_url(options.scale)
    problem = largedata.server_reachable(url)
    if problem:
        skip(f"PostgreSQL is not reachable at {url} ({problem}); set BENCH_DATABASE_URL")
        return
    with tempfile.TemporaryDirectory(prefix="labintel-bench-pages-") as var_dir:
        dataset = largedata.ensure(options.scale, force=options.force, var_dir=Path(var_dir))
        from django.core.management import call_command
        from django.test import Client

        # DEBUG is off, as in production: static URLs come from the manifest collectstatic writes.
        call_command("collectstatic", interactive=False, verbosity=0)
        logging.getLogger("django.request").setLevel(logging.ERROR)  # pages not built yet: 404
        load_before = os.getloadavg()
        client = Client()
        pages = plan_pages(client, dataset.facts)
        results: dict[str, Measured] = {}
        prepared: list[tuple[Page, Measured, list[str]]] = []
        for page in pages:
            print(f"  {page.label} ...", flush=True)
            result, statements = prepare(client, page)
            results[page.key] = result
            if result.status == "ok":
                prepared.append((page, result, statements))
        print(f"Timing {len(prepared)} pages, {options.requests} requests each, in turn ...")
        time_pages(client, [(page, result) for page, result, _ in prepared], options.requests)
        for _, result, statements in prepared:
            if result.status == "ok":
                anchor_queries(result, statements)
        render_ms = template_anchor(options.requests)
        for m in results.values():
            if m.status == "ok" and m.goal_ms and m.p95 > m.goal_ms and m.main_sql:
                m.explain = explain(m.main_sql)
        load_after = os.getloadavg()

    rows = rows_for(results, render_ms)
    print(f"\nData: {json.dumps(dataset.facts['counts'])}")
    print(
        f"Data {'generated' if dataset.generated else 'reused'}"
        f" (generation took {dataset.seconds:.0f} s); load average {load_before[0]:.1f}"
        f" before, {load_after[0]:.1f} after measuring"
    )
    print_details(results, render_ms)
    print_table(rows)
    for m in results.values():
        if m.explain:
            print(f"\n{m.label}: p95 {m.p95:.1f} ms > {m.goal_ms:g} ms; its slowest query:")
            print("  " + m.main_sql[:500])
            print("\n".join("    " + line for line in m.explain.splitlines()[:30]))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "pages",
                "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "load_average": [load_before[0], load_after[0]],
                "requests_per_page": options.requests,
                "seconds": round(time.perf_counter() - started, 1),
                "data": {
                    "database": url.rsplit("/", 1)[-1],
                    "generated_now": dataset.generated,
                    "generation_seconds": round(dataset.seconds, 1),
                    "notes": dataset.notes,
                    **{k: v for k, v in dataset.facts.items()},
                },
                "template_50_rows_ms": render_ms,
                "pages": [asdict(m) for m in results.values()],
                "rows": [asdict(r) for r in rows],
                "passed": all(r.passed for r in rows),
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"\nWrote {RESULTS.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
