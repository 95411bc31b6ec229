"""The MentionWeek counters: how many articles of each ISO week link each entity.

Pages read these few rows instead of counting mentions, so whatever changes the entities an
article links (linking and relinking, a curator rejecting a mention or undoing that, merging two
entities) changes the counters in the same transaction, through `counting(article_ids)`.
`recount()` rebuilds the whole table from the mentions: after a bulk load, or as a repair.

An article counts once for an entity in a week when it has at least one linked mention of it; the
week is the Monday of the article's publication day in UTC, read from the mention's copy of that
date (`Mention.published_at`), so that live counting and a recount agree row for row.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, DateField, F, Q, QuerySet
from django.db.models.functions import Greatest, TruncWeek

from apps.common.dates import utc_day
from apps.events.models import Mention, MentionWeek
from apps.sources.models import Article

# (article id, entity id, week): one article counting for one entity in one week.
Link = tuple[int, int, datetime.date]
Key = tuple[int, datetime.date]
# Rows per statement when many counters change at once (a curator's action on many mentions).
CHUNK = 500


def week_of(moment: datetime.datetime) -> datetime.date:
    """The Monday of the ISO week holding `moment`, in UTC."""
    day = utc_day(moment)
    return day - datetime.timedelta(days=day.weekday())


@contextmanager
def counting(article_ids: Iterable[int]) -> Iterator[None]:
    """Keep the counters in step with whatever the block does to these articles' mentions.

    The block and the counting are one transaction (a savepoint inside the caller's). The
    articles' rows are locked first, so two workers relinking the same article (a redelivered
    task) count it once, one after the other.
    """
    ids = sorted(set(article_ids))
    with transaction.atomic():
        locked = Article.objects.select_for_update().filter(id__in=ids).order_by("id")
        list(locked.values_list("id", flat=True))
        before = _links(ids)
        yield
        apply_changes(before, _links(ids))


def uncount_articles(article_ids: Iterable[int]) -> None:
    """Take these articles out of the counters: they are about to be deleted."""
    apply_changes(_links(sorted(set(article_ids))), set())


def _links(article_ids: list[int]) -> set[Link]:
    rows = (
        Mention.objects.filter(
            article_id__in=article_ids,
            status=Mention.Status.LINKED,
            published_at__isnull=False,
        )
        .order_by()
        .values_list("article_id", "entity_id", "published_at")
        .distinct()
    )
    # `if at`: the filter above already holds; it only tells the type checker.
    return {(article_id, entity_id, week_of(at)) for article_id, entity_id, at in rows if at}


def apply_changes(before: set[Link], after: set[Link]) -> None:
    """Add what `after` links that `before` did not, take away what it no longer links."""
    delta: Counter[Key] = Counter()
    for _, entity_id, week in after - before:
        delta[(entity_id, week)] += 1
    for _, entity_id, week in before - after:
        delta[(entity_id, week)] -= 1
    _add({key: n for key, n in delta.items() if n > 0})
    _subtract({key: -n for key, n in delta.items() if n < 0})


def _add(increments: Mapping[Key, int]) -> None:
    """One upsert per chunk: new (entity, week) rows are inserted, existing ones incremented."""
    table = connection.ops.quote_name(MentionWeek._meta.db_table)
    items = sorted(increments.items())  # a fixed order: two writers never deadlock on rows
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        values = ", ".join(["(%s, %s, %s)"] * len(chunk))
        params: list[Any] = []
        for (entity_id, week), n in chunk:
            params += [entity_id, connection.ops.adapt_datefield_value(week), n]
        sql = (
            f"INSERT INTO {table} (entity_id, week, articles) VALUES {values} "  # noqa: S608
            f"ON CONFLICT (entity_id, week) DO UPDATE SET articles = {table}.articles + "
            "excluded.articles"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _subtract(decrements: Mapping[Key, int]) -> None:
    """Decrement, never below zero (a counter a bulk load left behind is repaired by a recount,
    not turned into an error in the analysis), and drop the rows that reach zero."""
    by_amount: dict[int, list[Key]] = {}
    for key, n in sorted(decrements.items()):
        by_amount.setdefault(n, []).append(key)
    for n, keys in by_amount.items():
        for start in range(0, len(keys), CHUNK):
            rows = MentionWeek.objects.filter(_matching(keys[start : start + CHUNK]))
            rows.update(articles=Greatest(F("articles") - n, 0))
            rows.filter(articles=0).delete()


def _matching(keys: list[Key]) -> Q:
    return reduce(or_, (Q(entity_id=entity_id, week=week) for entity_id, week in keys))


def recount_entity(entity_id: int) -> None:
    """Rebuild one entity's counters from its mentions (after a merge brought it another's)."""
    with transaction.atomic():
        MentionWeek.objects.filter(entity_id=entity_id).delete()
        _insert_counts(Mention.objects.filter(entity_id=entity_id))


def recount() -> int:
    """Rebuild every counter from the mentions, first copying each article's publication date
    to its mentions (a raw bulk insert leaves it empty). Returns the number of counter rows.

    On PostgreSQL the counter table is locked for the rebuild, so a concurrent analysis waits for
    it and then applies its own change to the rebuilt counts rather than being lost in them.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(MentionWeek._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        copy_publication_dates()
        MentionWeek.objects.all().delete()
        _insert_counts(Mention.objects.all())
        return MentionWeek.objects.count()


def copy_publication_dates() -> int:
    """Set each mention's `published_at` to its article's where it is empty or differs; return
    how many changed. One UPDATE … FROM (PostgreSQL, SQLite 3.33+): a join, not a subquery per
    row. It only scans when the mentions already carry their dates (the linker writes them, and
    a bulk loader should too: rewriting millions of rows and their indexes takes minutes)."""
    mention = connection.ops.quote_name(Mention._meta.db_table)
    article = connection.ops.quote_name(Article._meta.db_table)
    sql = (
        f"UPDATE {mention} SET published_at = a.published_at FROM {article} AS a "  # noqa: S608
        f"WHERE a.id = {mention}.article_id AND ({mention}.published_at IS NULL "
        f"OR {mention}.published_at <> a.published_at)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount


def _insert_counts(mentions: QuerySet[Mention]) -> None:
    """INSERT … SELECT: the counts are grouped in the database, never loaded into Python."""
    counts = (
        mentions.filter(status=Mention.Status.LINKED, published_at__isnull=False)
        .annotate(
            counted_week=TruncWeek("published_at", tzinfo=datetime.UTC, output_field=DateField())
        )
        .order_by()
        .values("entity_id", "counted_week")
        .annotate(counted=Count("article_id", distinct=True))
        .values_list("entity_id", "counted_week", "counted")
    )
    select, params = counts.query.sql_with_params()
    table = connection.ops.quote_name(MentionWeek._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (entity_id, week, articles) {select}", params)
