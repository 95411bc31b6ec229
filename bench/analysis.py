"""Analysis benchmark: what it costs to turn an extracted article into mentions and events.

The analyze stage (linking + event rules + event matching + writes) must never become the
pipeline's bottleneck, so it is measured against the stage before it: bare extraction of the
same pages. In a fresh embedded LabIntel (SQLite in a temp dir; the seed entities and the seed
storylines loaded) it

1. reads every article page of the demo corpus (demo/site/) and, as the anchor, measures with
   time.process_time() bare `trafilatura.extract(html)` per page (the fastest of 3 rounds);
2. stores each page as an extracted article (our own `extract`, not timed);
3. measures `analyze_article` per article, first analysis (everything is new: events, evidence,
   observations, storyline entries are created) and re-analysis (the fastest of 2 rounds: the
   `reanalyze` case), and counts the SQL queries of each.

Goal: analysis CPU per article ≤ 0.3x bare extraction; queries per article bounded (reported).

Run: make bench  (or .venv/bin/python bench/analysis.py [--postgres postgres://…/any]: the
same on a throwaway database of that server, where the database's own work is not counted)
"""

import argparse
import datetime
import json
import sys
import tempfile
import time
from pathlib import Path

from embedded import fresh_labintel
from report import Row, print_table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "analysis.json"
SITE = ROOT / "demo" / "site"
GOAL = 0.3


def article_pages() -> list[Path]:
    """The corpus's article pages: every HTML file but the outlets' front pages."""
    return sorted(
        path
        for path in SITE.rglob("*.html")
        if path.parent != SITE and path.relative_to(SITE).parts[1:] != ("index.html",)
    )


def anchor(pages: list[str]) -> float:
    import trafilatura

    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for html in pages:
            trafilatura.extract(html)
        best = min(best, time.process_time() - started)
    return best / len(pages)


def store(paths: list[Path], pages: list[str]) -> list[int]:
    from django.utils import timezone

    from apps.sources.models import Article, Source
    from apps.sources.parsers.extract import extract

    source = Source.objects.create(feed_url="https://bench.example/feed.xml", title="Bench")
    ids = []
    for n, (path, html) in enumerate(zip(paths, pages, strict=True)):
        url = f"https://bench.example/{path.relative_to(SITE)}"
        page = extract(html, url=url)
        if page is None:
            continue
        published = page.published_at or datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
        article = Article.objects.create(
            source=source,
            guid=str(n),
            url=url,
            canonical_url=url,
            title=page.title or path.stem,
            text=page.text,
            text_from=Article.TextFrom.PAGE,
            published_at=published,
            published_from=Article.PublishedFrom.PAGE,
            extracted_at=timezone.now(),
        )
        ids.append(article.id)
    return ids


def analyse(ids: list[int]) -> tuple[float, float]:
    """CPU seconds and SQL queries per article of one analysis of every article."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.events.services import analyze_article

    with CaptureQueriesContext(connection) as queries:
        started = time.process_time()
        for article_id in ids:
            analyze_article(article_id)
        spent = time.process_time() - started
    return spent / len(ids), len(queries) / len(ids)


def rules_alone(ids: list[int]) -> float:
    """CPU per article of the pure part: sentences through every rule, on the linker's matches
    (no database), the fastest of 3 rounds."""
    from apps.events.rules.article import dedupe, read_article
    from apps.events.rules.registry import ALL_RULES
    from apps.events.services import current_matcher
    from apps.sources.models import Article

    matcher = current_matcher()
    articles = list(Article.objects.filter(id__in=ids))
    linked = [(a, matcher.link(title=a.title, text=a.text)) for a in articles]
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for article, link in linked:
            dedupe(
                read_article(
                    link.document, link.matches, published=article.published_at, rules=ALL_RULES
                )
            )
        best = min(best, time.process_time() - started)
    return best / len(ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="measure on a throwaway database of this PostgreSQL server instead of SQLite",
    )
    options = parser.parse_args()
    started = time.perf_counter()
    paths = article_pages()
    pages = [path.read_text(encoding="utf-8") for path in paths]
    with tempfile.TemporaryDirectory(prefix="labintel-bench-analysis-") as var_dir:
        fresh_labintel(Path(var_dir), postgres=options.postgres)
        from apps.events.models import Event, Evidence
        from apps.events.services import current_matcher

        per_page = anchor(pages)
        ids = store(paths, pages)
        current_matcher()  # built once per process; not part of an article's cost
        first_cpu, first_queries = analyse(ids)
        again = [analyse(ids) for _ in range(2)]
        again_cpu, again_queries = min(again)
        rules_cpu = rules_alone(ids)
        events, evidence = Event.objects.count(), Evidence.objects.count()

    rows = [
        Row(
            "analysis CPU per article, first time",
            first_cpu * 1000,
            per_page * 1000,
            first_cpu / per_page,
            f"≤ {GOAL}x",
            first_cpu / per_page <= GOAL,
            "ms; anchor: bare trafilatura.extract per page",
        ),
        Row(
            "analysis CPU per article, re-analysis",
            again_cpu * 1000,
            per_page * 1000,
            again_cpu / per_page,
            f"≤ {GOAL}x",
            again_cpu / per_page <= GOAL,
            "ms; anchor: bare trafilatura.extract per page",
        ),
        Row(
            "of which the rules alone (no database)",
            rules_cpu * 1000,
            per_page * 1000,
            rules_cpu / per_page,
            "info",
            True,
            "ms; read_article over the linker's matches",
        ),
        Row("SQL queries per article, first", first_queries, None, None, "—", True, "queries"),
        Row("SQL queries per article, again", again_queries, None, None, "—", True, "queries"),
    ]
    print(f"\n{len(ids)} demo articles analysed: {events} events, {evidence} pieces of evidence")
    print_table(rows)
    results = RESULTS.with_name("analysis-postgres.json") if options.postgres else RESULTS
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(
        json.dumps(
            {
                "articles": len(ids),
                "events": events,
                "evidence": evidence,
                "anchor_extract_ms": per_page * 1000,
                "first_ms": first_cpu * 1000,
                "again_ms": again_cpu * 1000,
                "first_ratio": first_cpu / per_page,
                "again_ratio": again_cpu / per_page,
                "rules_ms": rules_cpu * 1000,
                "rules_ratio": rules_cpu / per_page,
                "first_queries": first_queries,
                "again_queries": again_queries,
            },
            indent=2,
        )
    )
    print(f"\nWrote {results.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
