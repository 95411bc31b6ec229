"""The linking stage: an article's mentions of known entities, written as Mention rows."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.entities.matching import Linked
from apps.entities.models import Alias
from apps.events.models import Mention, UnknownName
from apps.events.services.matcher import current_matcher
from apps.sources.models import Article

# An extracted article this long without mentions lost its linking message.
UNLINKED_AFTER = timedelta(minutes=10)
RELINK_CHUNK = 200


def link_article(article_id: int) -> bool:
    """(Re)write an extracted article's mentions. False when the article has no text yet.

    Idempotent: the automatic mentions are replaced as a whole, and a curator's rejections stay:
    the same entity in the same sentence is not linked again.
    """
    article = Article.objects.filter(id=article_id, extracted_at__isnull=False).first()
    if article is None:
        return False
    linked = current_matcher().link(title=article.title, text=article.text)
    first_time = article.analyzed_at is None
    with transaction.atomic():
        # A first link has nothing to replace, and nothing a curator could have rejected yet.
        rejected = set() if first_time else _rejected(article)
        if not first_time:
            Mention.objects.filter(article=article, status=Mention.Status.LINKED).delete()
        Mention.objects.bulk_create(_mentions(article, linked, rejected), ignore_conflicts=True)
        Article.objects.filter(id=article.id).update(analyzed_at=timezone.now())
        if first_time:
            _count_unknown_names(linked.unknown_names)
    return True


def _rejected(article: Article) -> set[tuple[int, str]]:
    rows = Mention.objects.filter(article=article, status=Mention.Status.REJECTED)
    return set(rows.values_list("entity_id", "sentence"))


def _mentions(
    article: Article, linked: Linked, rejected: set[tuple[int, str]]
) -> Iterable[Mention]:
    for match in linked.matches:
        sentence = linked.document[match.sentence_start : match.sentence_end].strip()
        if (match.entity_id, sentence) in rejected:
            continue
        yield Mention(
            article=article,
            entity_id=match.entity_id,
            start=match.start,
            end=match.end,
            surface=match.surface[:200],
            sentence=sentence,
            in_title=match.in_title,
            salience=linked.salience.get(match.entity_id, 0.0),
            is_about=match.entity_id in linked.about,
        )


def _count_unknown_names(names: list[str]) -> None:
    """Two queries whatever the number of names: insert the new ones, then count them all."""
    distinct = {name[:200] for name in names}
    if not distinct:
        return
    now = timezone.now()
    UnknownName.objects.bulk_create(
        [UnknownName(text=name, last_seen_at=now) for name in distinct], ignore_conflicts=True
    )
    UnknownName.objects.filter(text__in=distinct).update(
        article_count=F("article_count") + 1, last_seen_at=now
    )


def unlinked_article_ids(*, limit: int = 1000) -> list[int]:
    cutoff = timezone.now() - UNLINKED_AFTER
    pending = Article.objects.pending_analysis().filter(extracted_at__lt=cutoff)
    return list(pending.order_by("extracted_at").values_list("id", flat=True)[:limit])


@dataclass
class LinkReport:
    articles: int = 0
    mentions: int = 0


def relink(*, progress: Callable[[int], None] | None = None) -> LinkReport:
    """Relink every extracted article with a freshly built matcher (after aliases changed)."""
    current_matcher(rebuild=True)
    _forget_names_that_became_aliases()
    report = LinkReport()
    ids = list(
        Article.objects.filter(extracted_at__isnull=False)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for start in range(0, len(ids), RELINK_CHUNK):
        chunk = ids[start : start + RELINK_CHUNK]
        report.articles += sum(link_article(article_id) for article_id in chunk)
        if progress:
            progress(len(chunk))
    report.mentions = Mention.objects.filter(status=Mention.Status.LINKED).count()
    return report


def _forget_names_that_became_aliases() -> None:
    known = {text.casefold() for text in Alias.objects.values_list("text", flat=True)}
    stale = [
        row.id
        for row in UnknownName.objects.only("id", "text").iterator()
        if row.text.casefold() in known
    ]
    UnknownName.objects.filter(id__in=stale).delete()
