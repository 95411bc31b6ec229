"""Loading what a batch of digests is computed from, once for the whole batch.

Readers of one batch follow overlapping things, and the news since their last digests is the
same news: the candidate events (with their participants, sources and storylines), the
storylines' counters and the clusters' latest figures are read in a fixed number of queries
per batch, plus three per followed storyline (its co-founder counter, founders_gone). Each
reader's digest is then a pure diff (apps.digests.changes) with no query of its own. A preview
is a batch of one, so it shows exactly what would be sent.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from apps.common.batches import chunks
from apps.common.dates import format_partial_date
from apps.digests.changes import (
    METRICS,
    SOURCES_PER_EVENT,
    CounterFact,
    Digest,
    EventFact,
    Figure,
    Item,
    Reading,
    Snapshot,
    SourceLink,
    diff,
    window_start,
)
from apps.digests.models import Subscriber, Subscription
from apps.digests.schedule import LOOKBACK
from apps.entities.models import ClusterObservation, Entity
from apps.events.models import Event, EventParticipant, Evidence, Storyline, StorylineEvent
from apps.events.selectors import founders_gone
from apps.events.services.storylines import readable_rules
from apps.events.vocabulary import EventType

# However long a reader went without a digest, news older than this is not news any more.
MAX_LOOKBACK = timedelta(days=35)
# Id lists short enough for every database's limit on query parameters.
PARAMETERS_PER_QUERY = 5000
# The cluster figures a digest reports, as the diff names them.
FIGURES = tuple(METRICS)


def readers(subscribers: QuerySet[Subscriber]) -> QuerySet[Subscriber]:
    """Subscribers with their baseline (the last finished digest, with its snapshot)."""
    return subscribers.select_related("last_digest")


@dataclass
class Batch:
    now: datetime
    events: list[EventFact] = field(default_factory=list)
    counters: list[CounterFact] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    storyline_clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    items: dict[int, list[Item]] = field(default_factory=dict)  # per subscriber id


def previous_snapshot(subscriber: Subscriber) -> Snapshot | None:
    last = subscriber.last_digest
    return Snapshot.from_json(last.snapshot) if last is not None else None


def lookback(subscriber: Subscriber) -> timedelta:
    return LOOKBACK.get(subscriber.frequency, LOOKBACK["daily"])


@dataclass
class _Follows:
    storylines: dict[int, Storyline] = field(default_factory=dict)
    entities: dict[int, str] = field(default_factory=dict)  # id -> entity type
    types: set[str] = field(default_factory=set)


def prepare(subscribers: Sequence[Subscriber], *, now: datetime) -> Batch:
    """Everything the batch's digests read (the subscribers come from `readers`). Rows are read
    as tuples, not model instances: a chunk's readers follow thousands of things."""
    batch = Batch(now=now)
    follows = _follows(subscribers, batch)
    snapshots = [previous_snapshot(s) for s in subscribers]
    rumoured = set().union(*(s.rumoured for s in snapshots if s is not None))
    starts = [
        window_start(snapshot, now=now, lookback=lookback(s))
        for s, snapshot in zip(subscribers, snapshots, strict=True)
    ]
    since = max(min(starts, default=now), now - MAX_LOOKBACK)
    batch.events = _events(since, follows, rumoured)
    batch.counters = _counters(follows.storylines.values())
    batch.storyline_clusters = _storyline_clusters(list(follows.storylines.values()))
    clusters = {i for i, kind in follows.entities.items() if kind == Entity.Type.CLUSTER}
    clusters |= {
        int(key.split(":")[1]) for keys in batch.storyline_clusters.values() for key in keys
    }
    batch.figures = _figures(clusters)
    return batch


def build(subscriber: Subscriber, batch: Batch) -> tuple[Digest, Snapshot]:
    reading = Reading(
        now=batch.now,
        items=batch.items.get(subscriber.id, []),
        events=batch.events,
        counters=batch.counters,
        figures=batch.figures,
        storyline_clusters=batch.storyline_clusters,
        only_confirmed=subscriber.only_confirmed,
        lookback=lookback(subscriber),
    )
    return diff(previous_snapshot(subscriber), reading)


def build_one(subscriber: Subscriber, *, now: datetime) -> tuple[Digest, Snapshot]:
    """A batch of one: the reader's preview, and the management command's."""
    reader = readers(Subscriber.objects.filter(pk=subscriber.pk)).get()
    return build(reader, prepare([reader], now=now))


def _absolute(name: str, slug: str) -> str:
    return settings.SITE_URL + reverse(f"dashboard:{name}", args=[slug])


def _follows(subscribers: Sequence[Subscriber], batch: Batch) -> _Follows:
    """What the batch's readers follow, as Items per reader (one Item per followed thing)."""
    follows = _Follows()
    rows = (
        Subscription.objects.filter(subscriber__in=[s.id for s in subscribers])
        .order_by("id")
        .values_list(
            "subscriber_id", "storyline_id", "entity_id", "entity__name", "entity__slug",
            "entity__type", "event_type",
        )
    )  # fmt: skip
    followed = list(rows)
    storyline_ids = {row[1] for row in followed if row[1] is not None}
    follows.storylines = {s.id: s for s in Storyline.objects.filter(id__in=storyline_ids)}
    items: dict[str, Item] = {}
    for subscriber_id, storyline_id, entity_id, name, slug, kind, event_type in followed:
        if storyline_id is not None:
            key = f"storyline:{storyline_id}"
            if key not in items and storyline_id in follows.storylines:
                storyline = follows.storylines[storyline_id]
                url = _absolute("storyline", storyline.slug)
                items[key] = Item(key, storyline.title, url, "Storyline")
        elif entity_id is not None:
            key = f"entity:{entity_id}"
            follows.entities[entity_id] = kind
            if key not in items:
                label = Entity.Type(kind).label if kind in Entity.Type.values else ""
                items[key] = Item(key, name, _absolute("entity", slug), label)
        else:
            key = f"type:{event_type}"
            follows.types.add(event_type)
            if key not in items:
                label = EventType(event_type).label if event_type in EventType.values else ""
                items[key] = Item(key, f"{label} events", settings.SITE_URL + "/", "Event type")
        if key in items:
            batch.items.setdefault(subscriber_id, []).append(items[key])
    return follows


def _events(since: datetime, follows: _Follows, rumoured: set[int]) -> list[EventFact]:
    """Visible events found since `since` under anything the batch follows, and the events that
    were rumours at the readers' last digests (to see which have been settled)."""
    if not (follows.types or follows.storylines or follows.entities or rumoured):
        return []
    scope = Q(pk__in=[])
    if follows.types:
        scope |= Q(type__in=follows.types)
    if follows.storylines:
        entries = StorylineEvent.objects.filter(
            storyline__in=list(follows.storylines), origin__in=StorylineEvent.LISTED
        )
        scope |= Q(Exists(entries.filter(event=OuterRef("pk"))))
    if follows.entities:
        roles = EventParticipant.objects.filter(entity__in=list(follows.entities))
        scope |= Q(Exists(roles.filter(event=OuterRef("pk"))))
    wanted = (Q(created_at__gte=since) & scope) | Q(pk__in=list(rumoured))
    rows = list(
        Event.objects.visible()
        .filter(wanted)
        .order_by("id")
        .values_list(
            "id", "type", "status", "date", "date_precision", "date_is_estimate", "summary",
            "created_at",
        )
    )  # fmt: skip
    ids = [row[0] for row in rows]
    keys: dict[int, set[str]] = {i: set() for i in ids}
    sources: dict[int, list[SourceLink]] = {i: [] for i in ids}
    for part in chunks(ids, PARAMETERS_PER_QUERY):
        for event_id, entity_id in EventParticipant.objects.filter(event__in=part).values_list(
            "event_id", "entity_id"
        ):
            keys[event_id].add(f"entity:{entity_id}")
        listed = StorylineEvent.objects.filter(event__in=part, origin__in=StorylineEvent.LISTED)
        for event_id, storyline_id in listed.values_list("event_id", "storyline_id"):
            keys[event_id].add(f"storyline:{storyline_id}")
        evidence = (
            Evidence.objects.filter(event__in=part)
            .order_by("article__published_at", "id")
            .values_list("event_id", "article__url", "article__title", "article__source__title")
        )
        for event_id, url, title, outlet in evidence:
            found = sources[event_id]
            if len(found) < SOURCES_PER_EVENT and all(s.url != url for s in found):
                outlet = outlet or urlsplit(url).hostname or url
                found.append(SourceLink(title=title or outlet, outlet=outlet, url=url))
    return [_fact(row, keys[row[0]], sources[row[0]]) for row in rows]


def _fact(row: tuple[Any, ...], keys: set[str], sources: list[SourceLink]) -> EventFact:
    event_id, kind, status, day, precision, estimate, summary, created_at = row
    shown = format_partial_date(day, precision, estimate=estimate)
    label = EventType(kind).label if kind in EventType.values else kind
    return EventFact(
        id=event_id,
        type_label=label,
        status=status,
        date_display=shown,
        summary=summary or f"{label} on {shown}",
        created_at=created_at,
        keys=frozenset(keys | {f"type:{kind}"}),
        sources=tuple(sources),
        day=day,
    )


def _counters(storylines: Iterable[Storyline]) -> list[CounterFact]:
    """Each followed storyline's "N of M co-founders gone" (three queries a storyline). Only
    confirmed departures count: a mail saying "now 11 of 12 gone" states it as a fact."""
    facts = []
    for storyline in storylines:
        for count in founders_gone(storyline):
            facts.append(
                CounterFact(
                    storyline_key=f"storyline:{storyline.id}",
                    company_slug=count.company_slug,
                    company_name=count.company_name,
                    company_url=_absolute("entity", count.company_slug),
                    gone=count.gone,
                    founders=count.founders,
                )
            )
    return facts


def _storyline_clusters(storylines: list[Storyline]) -> dict[str, tuple[str, ...]]:
    """The clusters each storyline's rule names: their figures are the storyline's news."""
    if not storylines:
        return {}
    named = {
        storyline_id: {i for clause in clauses for i in clause.entity_ids}
        for storyline_id, clauses in readable_rules(storylines).items()
    }
    every = set().union(*named.values())
    clusters = (
        set(
            Entity.objects.filter(id__in=every, type=Entity.Type.CLUSTER).values_list(
                "id", flat=True
            )
        )
        if every
        else set()
    )
    return {
        f"storyline:{storyline_id}": tuple(f"entity:{i}" for i in sorted(ids & clusters))
        for storyline_id, ids in named.items()
        if ids & clusters
    }


def _figures(clusters: set[int]) -> list[Figure]:
    """Each cluster's latest figure of each kind: the value of its latest dated observation
    that gives one and is not a projection."""
    if not clusters:
        return []
    rows = (
        ClusterObservation.objects.filter(cluster_id__in=clusters, is_projection=False)
        .order_by("cluster_id", "as_of", "id")
        .values("cluster_id", "cluster__name", "cluster__slug", "source_url", *FIGURES)
    )
    latest: dict[tuple[int, str], Figure] = {}
    for row in rows:
        for metric in FIGURES:
            if row[metric] is None:
                continue
            latest[(row["cluster_id"], metric)] = Figure(
                cluster_key=f"entity:{row['cluster_id']}",
                cluster_name=row["cluster__name"],
                cluster_url=_absolute("entity", row["cluster__slug"]),
                metric=metric,
                value=float(row[metric]),
                source_url=row["source_url"],
            )
    return list(latest.values())
