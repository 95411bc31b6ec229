"""Keeping storylines' membership and counters in step with their rules and the events."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet

from apps.entities.models import Entity
from apps.events.models import Event, EventParticipant, Storyline, StorylineEvent
from apps.events.storylines import Clause, EventFacts, parse_rule, rule_slugs

Origin = StorylineEvent.Origin


def clauses_of(storyline: Storyline) -> list[Clause]:
    """The storyline's rule, read against today's entities (RuleError if it cannot be read)."""
    slugs = rule_slugs(storyline.rule)
    slug_ids = dict(Entity.objects.filter(slug__in=slugs).values_list("slug", "id"))
    return parse_rule(storyline.rule, slug_ids)


def rule_selection(storyline: Storyline) -> QuerySet[Event]:
    """The visible events the storyline's rule selects, before pins and exclusions."""
    condition = Q(pk__in=[])
    for clause in clauses_of(storyline):
        if not clause.types and not clause.entity_ids:
            continue
        q = Q()
        if clause.types:
            q &= Q(type__in=clause.types)
        if clause.statuses:
            q &= Q(status__in=clause.statuses)
        if clause.since:
            q &= Q(date__gte=clause.since)
        if clause.until:
            q &= Q(date__lte=clause.until)
        if clause.entity_ids:
            taking_part = EventParticipant.objects.filter(entity_id__in=clause.entity_ids)
            if clause.roles:
                taking_part = taking_part.filter(role__in=clause.roles)
            q &= Q(pk__in=taking_part.values("event_id"))
        condition |= q
    return Event.objects.visible().filter(condition)


def refresh_storyline(storyline: Storyline) -> None:
    """Recompute the rule's part of the storyline (after its rule changed); pins stay pinned and
    exclusions stay excluded."""
    selected = set(rule_selection(storyline).values_list("id", flat=True))
    with transaction.atomic():
        storyline.entries.filter(origin=Origin.RULE).exclude(event_id__in=selected).delete()
        StorylineEvent.objects.bulk_create(
            [StorylineEvent(storyline=storyline, event_id=event_id) for event_id in selected],
            ignore_conflicts=True,
        )
        update_counters([storyline.id])


def place_events(event_ids: Iterable[int]) -> None:
    """Add or remove these (new or changed) events in every storyline, by the storylines' rules.

    A fixed handful of queries whatever the number of storylines: the rules are applied in
    Python to each event's facts, so analysing an article never scans a storyline's selection,
    and only the entries that change are written.
    """
    ids = list(event_ids)
    if not ids:
        return
    storylines = list(Storyline.objects.all())
    if not storylines:
        return
    facts = _facts(ids)
    rules = readable_rules(storylines)
    entries = {
        (storyline_id, event_id): origin
        for storyline_id, event_id, origin in StorylineEvent.objects.filter(
            event_id__in=ids
        ).values_list("storyline_id", "event_id", "origin")
    }
    adds: list[StorylineEvent] = []
    drops = Q(pk__in=[])
    for storyline in storylines:
        clauses = rules[storyline.id]
        for event_id in ids:
            event = facts.get(event_id)
            chosen = event is not None and _any(clauses, event)
            origin = entries.get((storyline.id, event_id))
            if chosen and origin is None:
                adds.append(StorylineEvent(storyline=storyline, event_id=event_id))
            elif not chosen and origin == Origin.RULE:
                drops |= Q(storyline=storyline, event_id=event_id)
    with transaction.atomic():
        if adds:
            StorylineEvent.objects.bulk_create(adds, ignore_conflicts=True)
        if drops:
            StorylineEvent.objects.filter(drops, origin=Origin.RULE).delete()
        # Every storyline that holds one of the events: a pin the rule never touches still
        # counts, and rejecting, merging or re-dating its event changes the counters.
        held = {storyline_id for storyline_id, _ in entries} | {a.storyline_id for a in adds}
        update_counters(held, known=storylines)


def update_counters(storyline_ids: Iterable[int], *, known: Iterable[Storyline] = ()) -> None:
    """Recount the storylines in one query; write only the counters that moved."""
    ids = set(storyline_ids)
    if not ids:
        return
    counts = {
        row["storyline_id"]: (row["n"], row["last"])
        for row in StorylineEvent.objects.filter(
            storyline_id__in=ids,
            origin__in=StorylineEvent.LISTED,
            event__rejected=False,
            event__merged_into__isnull=True,
        )
        .values("storyline_id")
        .annotate(n=Count("id"), last=Max("event__date"))
        .order_by()
    }
    current = {s.id: (s.event_count, s.last_event_date) for s in known if s.id in ids}
    for storyline_id in ids:
        fresh = counts.get(storyline_id, (0, None))
        if current.get(storyline_id) != fresh:
            Storyline.objects.filter(id=storyline_id).update(
                event_count=fresh[0], last_event_date=fresh[1]
            )


def _any(clauses: list[Clause], facts: EventFacts) -> bool:
    return any(clause.selects(facts) for clause in clauses)


def _facts(event_ids: list[int]) -> dict[int, EventFacts | None]:
    """Each event's facts, or None for one that is hidden (rejected, merged away or gone)."""
    events = {
        row["id"]: row
        for row in Event.objects.visible()
        .filter(id__in=event_ids)
        .values("id", "type", "date", "status")
    }
    participants: dict[int, set[tuple[str, int]]] = {event_id: set() for event_id in events}
    for event_id, role, entity_id in EventParticipant.objects.filter(
        event_id__in=events
    ).values_list("event_id", "role", "entity_id"):
        participants[event_id].add((role, entity_id))
    return {
        event_id: (
            EventFacts(
                type=events[event_id]["type"],
                date=events[event_id]["date"],
                status=events[event_id]["status"],
                participants=frozenset(participants[event_id]),
            )
            if event_id in events
            else None
        )
        for event_id in event_ids
    }


def readable_rules(storylines: list[Storyline]) -> dict[int, list[Clause]]:
    """Each storyline's clauses as far as today's entities allow, in one query: what readers
    see must not fail because a curator merged away an entity a rule names."""
    slugs = set().union(*(rule_slugs(s.rule) for s in storylines))
    slug_ids = dict(Entity.objects.filter(slug__in=slugs).values_list("slug", "id"))
    rules: dict[int, list[Clause]] = {}
    for storyline in storylines:
        # A rule naming an entity that was since merged away selects by the rest of it.
        known = {slug: slug_ids[slug] for slug in rule_slugs(storyline.rule) if slug in slug_ids}
        try:
            rules[storyline.id] = _parse_lenient(storyline.rule, known)
        except ValueError:
            rules[storyline.id] = []
    return rules


def _parse_lenient(rule: object, slug_ids: dict[str, int]) -> list[Clause]:
    if not isinstance(rule, list):
        return parse_rule(rule, slug_ids)
    kept: list[object] = []
    for clause in rule:
        if isinstance(clause, dict) and isinstance(clause.get("entities"), list):
            named = clause["entities"]
            # Anything but a string stays, for parse_rule to refuse.
            known = [s for s in named if not isinstance(s, str) or s in slug_ids]
            if named and not known:
                # Its entities are all gone: without them it would select every event of its
                # types, so it selects nothing.
                continue
            clause = {**clause, "entities": known}
        kept.append(clause)
    return parse_rule(kept, slug_ids)
