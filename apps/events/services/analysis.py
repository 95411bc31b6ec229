"""The analyze stage: an extracted article's mentions, then the events its sentences report.

`analyze_article` is idempotent: run again (after aliases or rules changed), it replaces the
article's automatic mentions and rule-found evidence and records the findings again, so no event
is duplicated, and it never changes what a curator decided (see apps.events.services.recording).
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from apps.common.dates import DatePrecision, utc_day
from apps.entities.matching import Match, Matcher
from apps.entities.models import Affiliation
from apps.events.models import Event, Evidence, Mention
from apps.events.rules.article import Found, dedupe, read_article
from apps.events.rules.registry import ALL_RULES
from apps.events.services.linking import forget_names_that_became_aliases, write_mentions
from apps.events.services.matcher import current_matcher
from apps.events.services.recording import (
    CURATOR,
    Reading,
    follow_up,
    reading,
    record,
    settle,
)
from apps.events.services.storylines import place_events
from apps.events.vocabulary import EventType
from apps.sources.models import Article

REANALYZE_CHUNK = 200
# A stretch that ended this long before publication still explains "Ba, who left last month".
RECENTLY_LEFT = timedelta(days=92)


def analyze_article(article_id: int) -> bool:
    """(Re)analyse an extracted article. False when it has no text yet."""
    article = Article.objects.filter(id=article_id, extracted_at__isnull=False).first()
    if article is None:
        return False
    try:
        _analyze(article, current_matcher())
    except IntegrityError:
        # This process's matcher is a few seconds stale and still names an entity a curator
        # has since deleted or merged away: read the article again with a fresh one.
        _analyze(article, current_matcher(rebuild=True))
    return True


def _analyze(article: Article, matcher: Matcher) -> None:
    linked = matcher.link(title=article.title, text=article.text)
    published = article.published_at or article.fetched_at
    with transaction.atomic():
        matches = write_mentions(article, linked)
        found = read_article(
            linked.document,
            matches,
            published=published,
            rules=ALL_RULES,
            employers=_employers(matches, published),
            about=linked.about,
        )
        readings = [r for f in dedupe(found) if (r := _reading(f, published)) is not None]
        # A first analysis has nothing to replace.
        replaced = set() if article.analyzed_at is None else _drop_rule_evidence(article)
        recorded = record(article, readings)
        alive = settle(replaced | recorded.touched)
        # Observations and careers follow an event once, when it appears or its date or
        # figures change; re-reading the same report changes nothing there.
        follow_up(recorded.fresh & alive)
        place_events(replaced | recorded.touched)
        Article.objects.filter(id=article.id).update(analyzed_at=timezone.now())


def _employers(matches: list[Match], published: datetime.datetime) -> dict[int, tuple[int, ...]]:
    """Each person of the article whose one employer at publication time (a stretch open then,
    or closed within the last few months) the article names. A person with two such stretches
    (leaving one company for another) gets none: the knowledge base cannot tell which one a
    sentence means. One query, only when the article names people and companies."""
    people = {m.entity_id for m in matches if m.entity_type == "person"}
    companies = {m.entity_id for m in matches if m.entity_type == "company"}
    if not people or not companies:
        return {}
    day = utc_day(published)
    stretches = (
        Affiliation.objects.filter(person_id__in=people, company_id__in=companies)
        .filter(Q(start__isnull=True) | Q(start__lte=day))
        .filter(Q(end__isnull=True) | Q(end__gte=day - RECENTLY_LEFT))
        .values_list("person_id", "company_id")
    )
    employers: dict[int, set[int]] = {}
    for person_id, company_id in stretches:
        employers.setdefault(person_id, set()).add(company_id)
    return {person: tuple(ids) for person, ids in employers.items() if len(ids) == 1}


def _reading(found: Found, published: datetime.datetime) -> Reading | None:
    """What the service keeps of a finding. A dated plan ("will leave next month", "in 2027") is
    not an event yet, except a cluster's announced target, which is dated by its announcement."""
    item = reading(found, published=published)
    q = item.report.quantities
    if item.report.type == EventType.CLUSTER_MILESTONE and q.get("projection") and not _figures(q):
        return None  # a plan without a figure says nothing a timeline can show
    today = utc_day(published)
    if item.report.date <= today:
        return item
    if item.report.quantities.get("projection"):
        announced = replace(
            item.report, date=today, precision=DatePrecision.DAY, approximate=True, undated=True
        )
        return Reading(found, announced)
    return None


def _figures(quantities: Mapping[str, object]) -> bool:
    return any(quantities.get(kind) for kind in ("gpus", "chips", "h100e", "power_mw", "turbines"))


def _drop_rule_evidence(article: Article) -> set[int]:
    """Remove what the rules found in this article before (a curator's evidence stays); the
    events it supported, to settle once the new findings are recorded."""
    found = Evidence.objects.filter(article=article).exclude(found_by=CURATOR)
    event_ids = set(found.values_list("event_id", flat=True))
    if event_ids:
        found.delete()
    return event_ids


def unanalyzed_article_ids(*, limit: int = 1000) -> list[int]:
    # An extracted article this long without analysis lost its message: the sweep sends another.
    cutoff = timezone.now() - timedelta(seconds=settings.SWEEP_AFTER_SECONDS)
    pending = Article.objects.pending_analysis().filter(extracted_at__lt=cutoff)
    return list(pending.order_by("extracted_at").values_list("id", flat=True)[:limit])


@dataclass
class AnalysisReport:
    articles: int = 0
    mentions: int = 0
    events: int = 0


def reanalyze(*, progress: Callable[[int], None] | None = None) -> AnalysisReport:
    """Analyse every extracted article again with a fresh matcher (after aliases or rules
    changed). Safe to run at any time: see analyze_article."""
    current_matcher(rebuild=True)
    forget_names_that_became_aliases()
    report = AnalysisReport()
    ids = list(
        Article.objects.filter(extracted_at__isnull=False)
        .order_by("published_at", "id")
        .values_list("id", flat=True)
    )
    for start in range(0, len(ids), REANALYZE_CHUNK):
        chunk = ids[start : start + REANALYZE_CHUNK]
        report.articles += sum(analyze_article(article_id) for article_id in chunk)
        if progress:
            progress(len(chunk))
    report.mentions = Mention.objects.filter(status=Mention.Status.LINKED).count()
    report.events = Event.objects.visible().count()
    return report
