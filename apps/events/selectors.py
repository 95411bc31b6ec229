"""Reads shared by the API, the pages and the digests: which events, in what order, with what
loaded, so that every reader filters, orders and pages events the same way."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce

from apps.common.keyset import Key, Keyset, as_date, as_int
from apps.events.models import Event, EventParticipant, Evidence, Storyline, StorylineEvent

# What a storyline shows: what its rule selected and what curators pinned, never exclusions.
LISTED = [StorylineEvent.Origin.RULE, StorylineEvent.Origin.PINNED]
# Events a curator did not place sort after those they did, among events of one date.
UNPLACED = 2**31 - 1

# Newest first, as the home page, entity pages and the API list events (event_date_idx).
NEWEST_FIRST = Keyset("events", [Key("date", True, as_date), Key("id", True, as_int)])
# A storyline's timeline, oldest first (see storyline_events for `position`).
TIMELINE = Keyset(
    "timeline",
    [Key("date", False, as_date), Key("position", False, as_int), Key("id", False, as_int)],
)


def storyline_events(storyline: Storyline) -> QuerySet[Event]:
    """The storyline's events in timeline order: by date, then a curator's order among events of
    the same date; rule-selected and pinned, never excluded, rejected or merged away."""
    return (
        Event.objects.visible()
        .filter(storyline_entries__storyline=storyline, storyline_entries__origin__in=LISTED)
        .annotate(
            timeline_order=F("storyline_entries__order"),
            storyline_note=F("storyline_entries__note"),
            position=Coalesce("storyline_entries__order", Value(UNPLACED)),
        )
        .order_by("date", "position", "id")
    )


@dataclass(frozen=True)
class EventFilter:
    """Any of these types, statuses, storylines and participants, within these dates; an empty
    field does not filter."""

    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    since: datetime.date | None = None
    until: datetime.date | None = None
    storyline_ids: tuple[int, ...] = ()
    entity_ids: tuple[int, ...] = ()


def filter_events(events: QuerySet[Event], only: EventFilter) -> QuerySet[Event]:
    if only.types:
        events = events.filter(type__in=only.types)
    if only.statuses:
        events = events.filter(status__in=only.statuses)
    if only.since:
        events = events.filter(date__gte=only.since)
    if only.until:
        events = events.filter(date__lte=only.until)
    # Subqueries, not joins: an event with two matching participants is still one row.
    if only.storyline_ids:
        entries = StorylineEvent.objects.filter(storyline__in=only.storyline_ids, origin__in=LISTED)
        events = events.filter(Exists(entries.filter(event=OuterRef("pk"))))
    if only.entity_ids:
        roles = EventParticipant.objects.filter(entity__in=only.entity_ids)
        events = events.filter(Exists(roles.filter(event=OuterRef("pk"))))
    return events


def with_related(events: QuerySet[Event]) -> QuerySet[Event]:
    """What every reader shows of an event, in three more queries whatever the number of
    events: participants with their entities, evidence with its article and outlet, and the
    storylines it is in."""
    participants = (
        EventParticipant.objects.select_related("entity")
        .only("event_id", "role", "entity__slug", "entity__name", "entity__type")
        .order_by("role", "id")
    )
    # Articles' text and HTML are most of their weight and none of what is shown.
    shown = (
        "event_id", "sentence", "found_by", "status",
        "article__url", "article__canonical_url", "article__title", "article__published_at",
        "article__source__title", "article__source__site_url", "article__source__feed_url",
    )  # fmt: skip
    evidence = (
        Evidence.objects.select_related("article__source")
        .only(*shown)
        .order_by("article__published_at", "id")
    )
    entries = (
        StorylineEvent.objects.filter(origin__in=LISTED)
        .select_related("storyline")
        .only("event_id", "storyline__slug", "storyline__title")
        .order_by("storyline__slug")
    )
    return events.prefetch_related(
        Prefetch("participants", queryset=participants),
        Prefetch("evidence", queryset=evidence),
        Prefetch("storyline_entries", queryset=entries),
    )
