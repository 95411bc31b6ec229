"""Reads shared by the API, the pages and the digests: which events, in what order, with what
loaded, so that every reader filters, orders and pages events the same way."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce

from apps.common.keyset import BadCursor, Key, Keyset, as_date, as_int, as_str
from apps.entities.models import Affiliation
from apps.events.models import (
    Event,
    EventParticipant,
    Evidence,
    Mention,
    Storyline,
    StorylineEvent,
)
from apps.events.services.storylines import readable_rules
from apps.events.vocabulary import EventType, Role, Status

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
        .filter(
            storyline_entries__storyline=storyline,
            storyline_entries__origin__in=StorylineEvent.LISTED,
        )
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
    # Only events one of whose people co-founded this company (a headline's "N of M").
    cofounders_of: int | None = None


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
        entries = StorylineEvent.objects.filter(
            storyline__in=only.storyline_ids, origin__in=StorylineEvent.LISTED
        )
        events = events.filter(Exists(entries.filter(event=OuterRef("pk"))))
    if only.entity_ids:
        roles = EventParticipant.objects.filter(entity__in=only.entity_ids)
        events = events.filter(Exists(roles.filter(event=OuterRef("pk"))))
    if only.cofounders_of is not None:
        founders = Affiliation.objects.filter(company=only.cofounders_of, is_cofounder=True)
        people = EventParticipant.objects.filter(
            role=Role.PERSON, entity__in=founders.values("person_id")
        )
        events = events.filter(Exists(people.filter(event=OuterRef("pk"))))
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
        StorylineEvent.objects.filter(origin__in=StorylineEvent.LISTED)
        .select_related("storyline")
        .only("event_id", "storyline__slug", "storyline__title")
        .order_by("storyline__slug")
    )
    return events.prefetch_related(
        Prefetch("participants", queryset=participants),
        Prefetch("evidence", queryset=evidence),
        Prefetch("storyline_entries", queryset=entries),
    )


@dataclass(frozen=True)
class FoundersGone:
    """A storyline's headline counter: "11 of 12 co-founders have left xAI"."""

    company_slug: str
    company_name: str
    gone: int
    founders: int


def founders_gone(storyline: Storyline) -> list[FoundersGone]:
    """For each company whose departures the storyline follows and whose co-founders the
    knowledge base knows: how many of them leave it on the storyline's timeline, by confirmed
    departures only (a rumoured exit is not "gone"). Three queries."""
    followed = {
        company_id
        for clause in readable_rules([storyline])[storyline.id]
        if EventType.DEPARTURE in clause.types
        and (not clause.roles or Role.FROM_COMPANY in clause.roles)
        for company_id in clause.entity_ids
    }
    founders: dict[int, set[int]] = {}
    names: dict[int, tuple[str, str]] = {}
    rows = Affiliation.objects.filter(company_id__in=followed, is_cofounder=True).values_list(
        "company_id", "company__slug", "company__name", "person_id"
    )
    for company_id, slug, name, person_id in rows:
        founders.setdefault(company_id, set()).add(person_id)
        names[company_id] = (slug, name)
    if not founders:
        return []
    # Only the departures of co-founders: a long storyline has thousands of other ones.
    founder_ids = set().union(*founders.values())
    a_founder = EventParticipant.objects.filter(
        event=OuterRef("pk"), role=Role.PERSON, entity_id__in=founder_ids
    )
    departures = storyline_events(storyline).filter(
        Exists(a_founder), type=EventType.DEPARTURE, status=Status.CONFIRMED
    )
    roles: dict[int, dict[str, set[int]]] = {}
    for event_id, role, entity_id in (
        EventParticipant.objects.filter(
            event__in=departures.values("id"), role__in=[Role.PERSON, Role.FROM_COMPANY]
        )
        .order_by()
        .values_list("event_id", "role", "entity_id")
    ):
        roles.setdefault(event_id, {}).setdefault(role, set()).add(entity_id)
    left = {
        (company_id, person_id)
        for event in roles.values()
        for company_id in event.get(Role.FROM_COMPANY, set())
        for person_id in event.get(Role.PERSON, set())
    }
    return [
        FoundersGone(
            company_slug=names[company_id][0],
            company_name=names[company_id][1],
            gone=sum((company_id, person) in left for person in people),
            founders=len(people),
        )
        for company_id, people in sorted(founders.items())
    ]


def as_datetime(value: Any) -> datetime.datetime:
    """A cursor's timestamp back to an aware datetime, or BadCursor."""
    try:
        moment = datetime.datetime.fromisoformat(as_str(value))
    except ValueError:
        raise BadCursor("not a timestamp") from None
    if moment.tzinfo is None:
        raise BadCursor("not an aware timestamp")
    return moment


# An entity's articles, newest first, each represented by one of its mentions (see below).
ARTICLES_ABOUT = Keyset("about", [Key("published_at", True, as_datetime), Key("id", True, as_int)])


def articles_about(entity_id: int) -> QuerySet[Mention]:
    """The articles about an entity (the linker found it central to them), newest first, as the
    first such mention of the entity in each article, with the article and its outlet loaded.

    Read from mention_about_idx in order, each row checked against the unique (article, entity,
    start) index for an earlier mention, so a page costs the same for an entity in ten articles
    or in a hundred thousand; joining every mention to its article to sort by date would not.
    """
    about = Mention.objects.filter(entity_id=entity_id, is_about=True, status=Mention.Status.LINKED)
    earlier = about.filter(article=OuterRef("article"), start__lt=OuterRef("start"))
    shown = (
        "published_at", "article__title", "article__url", "article__published_at",
        "article__source__title", "article__source__site_url", "article__source__feed_url",
    )  # fmt: skip
    return (
        about.filter(published_at__isnull=False)
        .exclude(Exists(earlier))
        .select_related("article__source")
        .only(*shown)
    )
