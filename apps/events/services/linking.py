"""The first half of analysis: an article's mentions of known entities, as Mention rows."""

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from apps.entities.matching import Linked, Match
from apps.entities.models import Alias
from apps.events.models import Mention, UnknownName
from apps.events.services.mention_weeks import counting
from apps.sources.models import Article

# An extracted article this long without mentions lost its linking message.
UNLINKED_AFTER = timedelta(minutes=10)
RELINK_CHUNK = 200


def write_mentions(article: Article, linked: Linked) -> list[Match]:
    """(Re)write the article's automatic mentions; the matches that stand (all but the ones a
    curator rejected: the same entity in the same sentence is not linked again)."""
    first_time = article.analyzed_at is None
    # A first analysis has nothing to replace, and nothing a curator could have rejected yet.
    rejected = set() if first_time else _rejected(article)
    with counting([article.id]):
        if not first_time:
            Mention.objects.filter(article=article, status=Mention.Status.LINKED).delete()
            # A curator's rejections stay; their copy of the date follows the article's, so an
            # undone rejection counts in the right week.
            Mention.objects.filter(article=article).exclude(
                published_at=article.published_at
            ).update(published_at=article.published_at)
        Mention.objects.bulk_create(_mentions(article, linked, rejected), ignore_conflicts=True)
    if first_time:
        _count_unknown_names(linked.unknown_names)
    return [m for m in linked.matches if (m.entity_id, _sentence(linked, m)) not in rejected]


def _sentence(linked: Linked, match: Match) -> str:
    return linked.document[match.sentence_start : match.sentence_end].strip()


def _rejected(article: Article) -> set[tuple[int, str]]:
    rows = Mention.objects.filter(article=article, status=Mention.Status.REJECTED)
    return set(rows.values_list("entity_id", "sentence"))


def _mentions(
    article: Article, linked: Linked, rejected: set[tuple[int, str]]
) -> Iterable[Mention]:
    for match in linked.matches:
        sentence = _sentence(linked, match)
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
            published_at=article.published_at,
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


def forget_names_that_became_aliases() -> None:
    known = {text.casefold() for text in Alias.objects.values_list("text", flat=True)}
    stale = [
        row.id
        for row in UnknownName.objects.only("id", "text").iterator()
        if row.text.casefold() in known
    ]
    UnknownName.objects.filter(id__in=stale).delete()
