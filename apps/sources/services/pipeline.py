"""Running the pipeline by hand: the sweep for stuck work and the synchronous `ingest`."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from apps.sources.models import Article
from apps.sources.services.claims import claim_due_sources
from apps.sources.services.extraction import Extraction, extract_article
from apps.sources.services.fetching import fetch_source
from apps.sources.signals import article_extracted


def stuck_article_ids(*, limit: int = 1000) -> list[int]:
    # An article this long without text was lost between stages (a dropped message, a dead worker).
    cutoff = timezone.now() - timedelta(seconds=settings.SWEEP_AFTER_SECONDS)
    pending = Article.objects.pending_extraction().filter(fetched_at__lt=cutoff)
    return list(pending.order_by("fetched_at").values_list("id", flat=True)[:limit])


@dataclass
class IngestReport:
    sources_fetched: int = 0
    fetch_errors: int = 0
    articles_created: int = 0
    articles_extracted: int = 0


def ingest(*, progress: Callable[[str], None] | None = None) -> IngestReport:
    """Fetch every due source and extract every pending article, in this process, until idle.

    Works the same in the embedded default and the full stack; it calls the services directly,
    so it needs no worker.
    """
    report = IngestReport()
    while True:
        fetched = _fetch_due(report, progress)
        extracted = _extract_pending(report, progress)
        if not fetched and not extracted:
            return report


def _fetch_due(report: IngestReport, progress: Callable[[str], None] | None) -> int:
    claims = claim_due_sources(now=timezone.now())
    for source_id, token in claims:
        result = fetch_source(source_id, claim_token=token)
        if result is None:
            continue
        report.sources_fetched += 1
        report.fetch_errors += result.error is not None
        report.articles_created += len(result.new_article_ids)
        if progress:
            progress("source")
    return len(claims)


def _extract_pending(report: IngestReport, progress: Callable[[str], None] | None) -> int:
    # Every call counts an attempt, and past the limit the feed's text is stored: this ends.
    worked = 0
    pending = Article.objects.pending_extraction().order_by("id")
    for article_id in list(pending.values_list("id", flat=True)):
        outcome = extract_article(article_id)
        if outcome is Extraction.NOTHING_TO_DO:
            continue
        worked += 1
        if outcome is Extraction.DONE:
            report.articles_extracted += 1
            # Later stages (linking, analysis) run here too: `ingest` ends with nothing pending.
            article_extracted.send(Article, article_id=article_id, run_now=True)
        if progress:
            progress("article")
    return worked
