"""Findings into events: one event per real-world event, with every sentence that reports it.

For each finding the analysis service hands over, `record` finds the event it reports (same
type, key participants and a date that agrees: see apps.events.identity) or creates one, and
adds the sentence as evidence. A better-dated report refines the date; a new figure is a new
event (and a new observation of its cluster), never a correction of the old one. Events a
curator confirmed, edited or rejected keep what the curator decided: new evidence attaches to
them and changes nothing else.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from urllib.parse import urlsplit

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from apps.common.dates import DatePrecision, utc_day
from apps.entities.models import Affiliation, ClusterObservation, Company
from apps.events.confidence import Support, confidence
from apps.events.identity import DEFINING, KEY_ROLES, Report, better_dated, same_event
from apps.events.models import Event, EventParticipant, Evidence
from apps.events.rules.article import Found
from apps.events.rules.base import Finding
from apps.events.summaries import summarize
from apps.events.vocabulary import EventType, Role, Status
from apps.sources.models import Article

CURATOR = "curator"
_TYPE_INDEX = {value: index for index, value in enumerate(EventType.values, start=1)}


@dataclass(frozen=True)
class Reading:
    """A finding as the service reads it: its report and where it was found."""

    found: Found
    report: Report

    @property
    def finding(self) -> Finding:
        return self.found.finding


def reading(found: Found, *, published: datetime.datetime) -> Reading:
    finding = found.finding
    precision: str
    if finding.date is None:
        date, precision, approximate, undated = utc_day(published), DatePrecision.DAY, True, True
    else:
        date = finding.date.date
        precision, approximate, undated = finding.date.precision, finding.date.approximate, False
    return Reading(
        found,
        Report(
            type=finding.type,
            participants=frozenset((str(role), eid) for role, eid in finding.participants),
            date=date,
            precision=precision,
            approximate=approximate,
            undated=undated,
            quantities=quantities_of(finding),
            detail=finding.detail,
        ),
    )


def quantities_of(finding: Finding) -> dict[str, object]:
    """{kind: number} as JSON, the first of each kind; a valuation is kept apart from an amount."""
    values: dict[str, object] = {}
    for quantity in finding.quantities:
        kind = "valuation_usd" if quantity.role == "valuation" else quantity.kind
        if kind in values:
            continue
        values[kind] = _number(quantity.value)
        if quantity.chip_type and "chip_type" not in values:
            values["chip_type"] = quantity.chip_type
    if finding.extras.get("projection"):
        values["projection"] = True
    return values


@dataclass
class _Known:
    """An event as this batch sees it: the row, what it reports, and whether it changed."""

    event: Event
    report: Report
    changed: set[str] = field(default_factory=set)


@dataclass
class Recorded:
    touched: set[int] = field(default_factory=set)  # every event that got evidence
    fresh: set[int] = field(default_factory=set)  # created, or whose date or figures changed


def record(article: Article, readings: Iterable[Reading]) -> Recorded:
    """Attach each reading to its event (creating it if new).

    A fixed handful of queries per article, whatever the number of findings: the candidate
    events are read at once, new participants and evidence are written in bulk."""
    items = list(readings)
    result = Recorded()
    if not items:
        return result
    _lock_keys([item.report for item in items])
    known = _candidates([item.report for item in items])
    participants: list[EventParticipant] = []
    evidence: list[Evidence] = []
    for item in items:
        match = _best(known, item.report)
        if match is None:
            match = _create(item.report)
            known.append(match)
            result.fresh.add(match.event.id)
        elif not match.event.curated and not match.event.rejected:
            participants += _refine(match, item.report)
        if not item.report.undated and match.report.undated:
            match.report = replace(match.report, undated=False)
        evidence.append(_evidence(match.event, article, item))
        result.touched.add(match.event.id)
    # A merged-away event and its keeper share one row object: write each row once.
    changed = {k.event.id: k for k in known if k.changed}
    result.fresh |= set(changed)
    for event_id, k in changed.items():
        values = {name: getattr(k.event, name) for name in k.changed}
        Event.objects.filter(id=event_id).update(**values, updated_at=timezone.now())
    EventParticipant.objects.bulk_create(participants, ignore_conflicts=True)
    Evidence.objects.bulk_create(evidence, ignore_conflicts=True)
    return result


def _lock_keys(reports: list[Report]) -> None:
    """Two workers analysing two reports of the same new event at once must not both create
    it: on PostgreSQL, take a transaction lock per (type, key participant) before reading the
    candidates, in one sorted order so that two workers never wait on each other in a cycle.
    (The embedded SQLite default runs analysis in one process, one article at a time.)"""
    if connection.vendor != "postgresql":
        return
    keys = sorted(
        {
            _TYPE_INDEX[report.type] << 32 | entity_id
            for report in reports
            for role in KEY_ROLES[report.type]
            for entity_id in report.ids(role)
        }
    )
    if keys:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k", [keys])


def _candidates(reports: list[Report]) -> list[_Known]:
    """Every known event that any of the reports could be about: same type, a key participant
    in common. Rejected events are candidates too, so that a curator's rejection keeps catching
    the report it rejected; merged-away events hand over to the event they were merged into."""
    wanted = Q(pk__in=[])
    for report in reports:
        roles = KEY_ROLES[report.type]
        wanted |= Q(
            type=report.type,
            participants__role__in=roles,
            participants__entity_id__in=set().union(*(report.ids(role) for role in roles)),
        )
    events = _with_reports(Event.objects.filter(wanted).distinct())
    keepers = {e.merged_into_id for e in events if e.merged_into_id is not None}
    while keepers - {e.id for e in events}:
        events += _with_reports(
            Event.objects.filter(id__in=keepers).exclude(id__in=[e.id for e in events])
        )
        keepers = {e.merged_into_id for e in events if e.merged_into_id is not None}
    by_id = {e.id: e for e in events}
    # A merged-away event still matches what it reported; the new evidence goes to its keeper.
    return [_Known(_keeper(e, by_id), _report_of(e)) for e in events]


def _with_reports(events: "QuerySet[Event]") -> list[Event]:
    dated = Evidence.objects.filter(event=OuterRef("pk"), reported_date__isnull=False)
    return list(
        events.annotate(has_reported_date=Exists(dated)).prefetch_related(
            Prefetch(
                "participants",
                queryset=EventParticipant.objects.only("event_id", "role", "entity_id"),
            ),
        )
    )


def _keeper(event: Event, by_id: dict[int, Event]) -> Event:
    while event.merged_into_id is not None and event.merged_into_id in by_id:
        event = by_id[event.merged_into_id]
    return event


def _best(known: list[_Known], report: Report) -> _Known | None:
    agreeing = [k for k in known if same_event(k.report, report)]
    if not agreeing:
        return None
    return max(agreeing, key=lambda k: (not k.event.rejected, k.report.date == report.date))


def _report_of(event: Event) -> Report:
    return Report(
        type=event.type,
        participants=frozenset((p.role, p.entity_id) for p in event.participants.all()),
        date=event.date,
        precision=event.date_precision,
        approximate=event.date_is_estimate,
        undated=not getattr(event, "has_reported_date", False),
        quantities=event.quantities,
        detail=event.detail,
    )


def _create(report: Report) -> _Known:
    event = Event.objects.create(
        type=report.type,
        date=report.date,
        date_precision=report.precision,
        date_is_estimate=report.approximate,
        quantities=dict(report.quantities),
        detail=report.detail[:200],
        status=Status.CONFIRMED,
    )
    EventParticipant.objects.bulk_create(
        [EventParticipant(event=event, role=r, entity_id=e) for r, e in report.participants],
        ignore_conflicts=True,
    )
    return _Known(event, report)


def _refine(known: _Known, report: Report) -> list[EventParticipant]:
    """Fill in what the event lacks: a better date, a quantity it did not have; the
    participants it did not have yet, to be written by the caller."""
    event = known.event
    dated = (report.date, report.precision, report.approximate)
    # An undated event (its dated evidence was just dropped for re-reading) takes the same date
    # back: that is not a change to write or to follow up.
    if better_dated(report, known.report) and dated != (
        event.date,
        event.date_precision,
        event.date_is_estimate,
    ):
        event.date, event.date_precision, event.date_is_estimate = dated
        known.changed |= {"date", "date_precision", "date_is_estimate"}
    missing = {
        k: v
        for k, v in report.quantities.items()
        if k not in event.quantities and k not in DEFINING
    }
    if missing:
        event.quantities = {**event.quantities, **missing}
        known.changed.add("quantities")
    new = report.participants - known.report.participants
    known.report = replace(
        known.report,
        date=event.date,
        precision=event.date_precision,
        approximate=event.date_is_estimate,
        quantities=event.quantities,
        participants=known.report.participants | new,
    )
    return [EventParticipant(event=event, role=r, entity_id=e) for r, e in new]


def _evidence(event: Event, article: Article, item: Reading) -> Evidence:
    finding, found = item.finding, item.found
    trigger = finding.trigger or (None, None)
    return Evidence(
        event=event,
        article=article,
        start=found.start,
        sentence=found.sentence,
        end=found.end,
        trigger_start=trigger[0],
        trigger_end=trigger[1],
        found_by=f"{finding.rule}@{finding.version}"[:50],
        status=finding.status,
        reported_date=None if item.report.undated else item.report.date,
        reported_precision="" if item.report.undated else item.report.precision,
    )


def settle(event_ids: Iterable[int]) -> set[int]:
    """After evidence changed: drop automatic events left with none, and recompute the status,
    confidence and summary of the rest. Returns the ids that still exist."""
    ids = set(event_ids)
    empty = Event.objects.filter(
        id__in=ids, curated=False, rejected=False, evidence__isnull=True
    ).values_list("id", flat=True)
    gone = list(empty)
    if gone:
        # An event no sentence supports any more takes its observations with it.
        ClusterObservation.objects.filter(note__in=[observation_note(i) for i in gone]).delete()
        Event.objects.filter(id__in=gone).delete()
    events = list(
        Event.objects.filter(id__in=ids).prefetch_related(
            Prefetch(
                "participants",
                queryset=EventParticipant.objects.select_related("entity").only(
                    "event_id", "role", "entity_id", "entity__name"
                ),
            ),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("article").only(
                    "event_id",
                    "status",
                    "article__source_id",
                    "article__story_id",
                    "article__url",
                ),
            ),
        )
    )
    websites = _websites(events)
    for event in events:
        before = (event.status, event.confidence, event.summary)
        _settle_one(event, websites)
        if (event.status, event.confidence, event.summary) != before:
            Event.objects.filter(id=event.id).update(
                status=event.status,
                confidence=event.confidence,
                summary=event.summary,
                updated_at=timezone.now(),
            )
    return {event.id for event in events}


def _settle_one(event: Event, websites: dict[int, str]) -> None:
    evidence = list(event.evidence.all())
    participants = list(event.participants.all())
    if not event.curated:
        event.status = _status(e.status for e in evidence)
    hosts = {websites[p.entity_id] for p in participants if p.entity_id in websites}
    supports = [
        Support(
            outlet=e.article.source_id,
            story=e.article.story_id,
            primary=_host(e.article.url) in hosts,
        )
        for e in evidence
    ]
    event.confidence = confidence(supports, status=event.status)
    if not event.curated:
        names: dict[str, list[str]] = defaultdict(list)
        for p in participants:
            names[p.role].append(p.entity.name)
        event.summary = summarize(
            event.type, names, quantities=event.quantities, detail=event.detail, status=event.status
        )[:500]


def _status(statuses: Iterable[str]) -> Status:
    """Confirmed once any sentence confirms it; otherwise a denial outweighs the rumour it
    answers."""
    seen = set(statuses)
    for status in (Status.CONFIRMED, Status.DENIED):
        if status in seen:
            return status
    return Status.RUMOURED


def _websites(events: list[Event]) -> dict[int, str]:
    ids = {p.entity_id for event in events for p in event.participants.all()}
    rows = Company.objects.filter(id__in=ids).exclude(website="").values_list("id", "website")
    return {company_id: _host(website) for company_id, website in rows}


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def follow_up(event_ids: Iterable[int]) -> None:
    """What an event changes elsewhere: a cluster's observations, a person's affiliation."""
    ids = list(event_ids)
    if not ids:
        return
    events = Event.objects.filter(
        id__in=ids,
        rejected=False,
        merged_into__isnull=True,
        status=Status.CONFIRMED,
        type__in=[EventType.CLUSTER_MILESTONE, EventType.DEPARTURE],
    ).prefetch_related(
        "participants",
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related("article").only("event_id", "article__url"),
        ),
    )
    for event in events:
        if event.type == EventType.CLUSTER_MILESTONE:
            _observe(event)
        else:
            _close_affiliation(event)


def _observe(event: Event) -> None:
    """A milestone with a figure is an observation of its cluster; a revised figure is a new
    observation, not a correction of the old one."""
    q = event.quantities
    gpus = q.get("gpus") or q.get("chips")
    figures = {
        "gpus": _int(gpus),
        "h100_equivalents": _int(q.get("h100e")),
        "power_mw": q.get("power_mw"),
        "turbines": _int(q.get("turbines")),
    }
    if all(value is None for value in figures.values()):
        return
    evidence = min(event.evidence.all(), key=lambda e: e.id, default=None)
    for participant in event.participants.all():
        if participant.role != Role.CLUSTER:
            continue
        known = {k: v for k, v in figures.items() if v is not None}
        ours = ClusterObservation.objects.filter(
            cluster_id=participant.entity_id, note=observation_note(event.id)
        )
        if ours.update(as_of=event.date, as_of_precision=event.date_precision, **known):
            continue  # the event's own observation, re-dated with it
        if ClusterObservation.objects.filter(
            cluster_id=participant.entity_id, as_of=event.date, **known
        ).exists():
            continue  # the seed or a curator recorded it already
        ClusterObservation.objects.create(
            cluster_id=participant.entity_id,
            as_of=event.date,
            as_of_precision=event.date_precision,
            chip_type=str(q.get("chip_type", ""))[:100],
            basis=ClusterObservation.Basis.PRESS,
            is_projection=bool(q.get("projection")),
            note=observation_note(event.id),
            source_url=evidence.article.url[:2000] if evidence else "",
            **known,
        )


def observation_note(event_id: int) -> str:
    """How an observation says which event it came from (entities cannot point at events)."""
    return f"From LabIntel event {event_id}"


def _close_affiliation(event: Event) -> None:
    """A departure ends the person's open stretch at the company, unless a curator set it."""
    people = [p.entity_id for p in event.participants.all() if p.role == Role.PERSON]
    left = [p.entity_id for p in event.participants.all() if p.role == Role.FROM_COMPANY]
    went = [p.entity_id for p in event.participants.all() if p.role == Role.DESTINATION]
    if event.date > timezone.localdate():
        return  # an announced departure has not happened yet
    for person_id in people:
        for company_id in left:
            affiliation = (
                Affiliation.objects.filter(person_id=person_id, company_id=company_id)
                .order_by("-start")
                .first()
            )
            # Only a known stretch is closed: a departure the rules misread must not write a
            # career the knowledge base never had, which later readings would then trust.
            if affiliation is None or affiliation.curated_at is not None or affiliation.end:
                continue
            affiliation.end, affiliation.end_precision = event.date, event.date_precision
            if went and affiliation.destination_id is None:
                affiliation.destination_id = went[0]
            affiliation.save()


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _int(value: object) -> int | None:
    return None if value is None else int(Decimal(str(value)))
