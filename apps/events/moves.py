"""Moves: who left which company, for where, and when. The one reading behind the talent flow.

The source of truth is the events, because they are dated and every one of them cites the
sentences that report it:

- A move is a **departure** (PERSON leaves FROM_COMPANY, maybe for a DESTINATION) or a **hire**
  that says where the person came from (PERSON joins DESTINATION from FROM_COMPANY). A hire with
  no FROM_COMPANY says who arrived, not who left, so it is not a move.
- Only what readers are told happened: visible events (not rejected or merged away by a
  curator) whose status is confirmed. A rumour or a denial is not a move.
- The destination is the event's DESTINATION. When the departure does not say, the person's
  affiliation at the company left may: the seed and curators record where a stretch led
  (`Affiliation.destination`), and it counts when that stretch ended within a year of the
  departure. The person's next affiliation is not read as a destination: a board seat or an
  advisory role that overlaps is not where someone went. Otherwise the destination is not
  known yet.
- One move is counted once. The same person leaving the same company is one move when the dates
  agree (their intervals, as precise as each date is known, lie within a month of each other)
  and the destinations do not contradict (the same, or one not known): "Ba left xAI" in
  January and "OpenAI hired Ba from xAI" in February are one move, to OpenAI.

The database filters the events and projects the few columns needed (two queries whatever the
number of moves); merging the reports of one move needs them side by side, so the merging and the
counting happen here, over those narrow rows.
"""

import datetime
from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import product

from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from apps.common.dates import DatePrecision, format_partial_date
from apps.entities.models import Affiliation
from apps.events.models import Event, EventParticipant, Evidence
from apps.events.vocabulary import EventType, Role, Status

# Two reports of one move may be dated a few weeks apart (the leaving, the announced joining).
SAME_MOVE = datetime.timedelta(days=31)
# An affiliation's destination is this move's when the stretch ended this close to it.
AFFILIATION_WINDOW = datetime.timedelta(days=366)
_PRECISION_RANK = {DatePrecision.YEAR: 0, DatePrecision.MONTH: 1, DatePrecision.DAY: 2}


@dataclass(frozen=True)
class Party:
    """An entity as a move shows it."""

    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class Move:
    person: Party
    source: Party
    destination: Party | None
    date: datetime.date
    precision: str
    estimate: bool
    event_ids: tuple[int, ...]  # the events that report it, the best-dated first
    # Where the destination was read: "event", "affiliation", or "" when it is not known.
    destination_from: str = ""

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.precision, estimate=self.estimate)


@dataclass(frozen=True)
class MoveFilter:
    since: datetime.date | None = None
    until: datetime.date | None = None
    source_id: int | None = None
    destination_id: int | None = None
    destination_unknown: bool = False


def moves(only: MoveFilter = MoveFilter()) -> list[Move]:
    """The moves within the filter, newest first. Two queries whatever their number."""
    events = _move_events(only)
    drafts = _drafts(events)
    drafts = _with_affiliation_destinations(drafts, events)
    found = merge(drafts)
    found = [move for move in found if _wanted(move, only)]
    by_name = sorted(found, key=lambda m: (m.person.name, m.person.id))
    return sorted(by_name, key=lambda m: m.date, reverse=True)


def _move_events(only: MoveFilter) -> QuerySet[Event]:
    events = Event.objects.visible().filter(
        status=Status.CONFIRMED, type__in=[EventType.DEPARTURE, EventType.HIRE]
    )
    if only.since:
        events = events.filter(date__gte=only.since)
    if only.until:
        events = events.filter(date__lte=only.until)
    if only.source_id is not None:
        left = EventParticipant.objects.filter(role=Role.FROM_COMPANY, entity=only.source_id)
        events = events.filter(Exists(left.filter(event=OuterRef("pk"))))
    return events


def _drafts(events: QuerySet[Event]) -> list[Move]:
    """One move per person, company left and destination named in each event (one query)."""
    rows = (
        EventParticipant.objects.filter(
            event__in=events, role__in=[Role.PERSON, Role.FROM_COMPANY, Role.DESTINATION]
        )
        .order_by("event_id", "role", "id")
        .values_list(
            "event_id", "event__date", "event__date_precision", "event__date_is_estimate",
            "role", "entity_id", "entity__slug", "entity__name",
        )
    )  # fmt: skip
    dates: dict[int, tuple[datetime.date, str, bool]] = {}
    parties: dict[int, dict[str, list[Party]]] = defaultdict(lambda: defaultdict(list))
    for event_id, day, precision, estimate, role, entity_id, slug, name in rows:
        dates[event_id] = (day, precision, estimate)
        parties[event_id][role].append(Party(entity_id, slug, name))
    drafts = []
    for event_id, roles in parties.items():
        day, precision, estimate = dates[event_id]
        destinations: list[Party | None] = [*roles[Role.DESTINATION]] or [None]
        for person, source, destination in product(
            roles[Role.PERSON], roles[Role.FROM_COMPANY], destinations
        ):
            if destination == source:
                continue  # a misreading: nobody leaves a company for itself
            said = "event" if destination else ""
            drafts.append(
                Move(person, source, destination, day, precision, estimate, (event_id,), said)
            )
    return drafts


def _with_affiliation_destinations(drafts: list[Move], events: QuerySet[Event]) -> list[Move]:
    """Fill in a destination the event does not give from the affiliation it ended (one query,
    over the people of the filtered events whatever their number)."""
    people = EventParticipant.objects.filter(event__in=events, role=Role.PERSON)
    rows = Affiliation.objects.filter(
        destination__isnull=False, person__in=people.values("entity_id")
    ).values_list("person_id", "company_id", "end", "destination_id", "destination__slug",
                  "destination__name")  # fmt: skip
    stretches: dict[tuple[int, int], list[tuple[datetime.date | None, Party]]] = defaultdict(list)
    for person_id, company_id, end, destination_id, slug, name in rows:
        stretches[person_id, company_id].append((end, Party(destination_id, slug, name)))
    filled = []
    for move in drafts:
        known = stretches.get((move.person.id, move.source.id), [])
        destination = None if move.destination else _closest(known, move.date, move.source)
        if destination:
            move = replace(move, destination=destination, destination_from="affiliation")
        filled.append(move)
    return filled


def _closest(
    stretches: list[tuple[datetime.date | None, Party]], day: datetime.date, source: Party
) -> Party | None:
    """The destination of the stretch that ended nearest the day, if near enough; a stretch
    with no end recorded counts when it is the only one at that company."""
    dated = [
        (abs(end - day), party)
        for end, party in stretches
        if end is not None and abs(end - day) <= AFFILIATION_WINDOW and party != source
    ]
    if dated:
        return min(dated, key=lambda found: (found[0], found[1].id))[1]
    if len(stretches) == 1 and stretches[0][0] is None and stretches[0][1] != source:
        return stretches[0][1]
    return None


def merge(drafts: Iterable[Move]) -> list[Move]:
    """The drafts with the reports of one move made one: same person, same company left, dates
    that agree and destinations that do not contradict. Pure."""
    groups: dict[tuple[int, int], list[Move]] = defaultdict(list)
    for draft in drafts:
        groups[draft.person.id, draft.source.id].append(draft)
    merged: list[Move] = []
    for reports in groups.values():
        kept: list[Move] = []
        for report in sorted(reports, key=lambda m: (_interval(m)[0], m.event_ids)):
            for i, move in enumerate(kept):
                if _same_move(move, report):
                    kept[i] = _combine(move, report)
                    break
            else:
                kept.append(report)
        merged.extend(kept)
    return merged


def _same_move(a: Move, b: Move) -> bool:
    if a.destination and b.destination and a.destination.id != b.destination.id:
        return False
    a_start, a_end = _interval(a)
    b_start, b_end = _interval(b)
    return a_start - SAME_MOVE <= b_end and b_start - SAME_MOVE <= a_end


def _combine(a: Move, b: Move) -> Move:
    """The better-dated report's date; a destination an event gives over one an affiliation
    does; every report's events."""
    best, other = (a, b) if _date_rank(a) >= _date_rank(b) else (b, a)
    said = [m for m in (best, other) if m.destination_from == "event"]
    guessed = [m for m in (best, other) if m.destination]
    chosen = (said or guessed or [best])[0]
    events = tuple(dict.fromkeys(best.event_ids + other.event_ids))
    return replace(
        best,
        destination=chosen.destination,
        destination_from=chosen.destination_from,
        event_ids=events,
    )


def _date_rank(move: Move) -> tuple[int, bool]:
    return _PRECISION_RANK.get(DatePrecision(move.precision), 0), not move.estimate


def _interval(move: Move) -> tuple[datetime.date, datetime.date]:
    day = move.date
    if move.precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1), day.replace(month=12, day=31)
    if move.precision == DatePrecision.MONTH:
        return day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1])
    return day, day


def _wanted(move: Move, only: MoveFilter) -> bool:
    if only.source_id is not None and move.source.id != only.source_id:
        return False
    if only.destination_unknown:
        return move.destination is None
    if only.destination_id is not None:
        return move.destination is not None and move.destination.id == only.destination_id
    return True


def evidence_for(shown: Iterable[Move]) -> dict[int, Evidence]:
    """One sentence for each event of these moves, to cite: its first confirming sentence, else
    its first sentence. One query, whatever the number of moves (none when there are none)."""
    event_ids = {event_id for move in shown for event_id in move.event_ids}
    if not event_ids:
        return {}
    first = (
        Evidence.objects.filter(event_id__in=event_ids)
        .values("event_id")
        .annotate(pick=Coalesce(Min("id", filter=Q(status=Status.CONFIRMED)), Min("id")))
        .values("pick")
    )
    rows = (
        Evidence.objects.filter(id__in=first)
        .select_related("article__source")
        .only(
            "event_id", "sentence", "article__url", "article__title", "article__published_at",
            "article__source__title", "article__source__feed_url",
        )
    )  # fmt: skip
    return {evidence.event_id: evidence for evidence in rows}
