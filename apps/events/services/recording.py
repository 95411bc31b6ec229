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
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

from django.db.models import Prefetch
from django.utils import timezone

from apps.common.dates import DatePrecision
from apps.entities.models import Affiliation, ClusterObservation, Company
from apps.events.confidence import Support, confidence
from apps.events.identity import KEY_ROLES, Report, better_dated, same_event
from apps.events.models import Event, EventParticipant, Evidence
from apps.events.rules.article import Found
from apps.events.rules.base import Finding
from apps.events.summaries import summarize
from apps.events.vocabulary import EventType, Role, Status
from apps.sources.models import Article

CURATOR = "curator"


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
        date, precision, approximate, undated = _utc_day(published), DatePrecision.DAY, True, True
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


def record(article: Article, readings: Iterable[Reading]) -> set[int]:
    """Attach each reading to its event (creating it if new); the ids of the events touched."""
    touched: set[int] = set()
    for item in readings:
        event = _matching_event(item.report)
        if event is None:
            event = _create(item.report)
        elif not event.curated and not event.rejected:
            _refine(event, item.report)
        _add_evidence(event, article, item)
        touched.add(event.id)
    return touched


def _matching_event(report: Report) -> Event | None:
    """The known event this report is about: the best-dated candidate that agrees with it.
    Rejected events are candidates too, so that a curator's rejection keeps catching the rumour
    it rejected; a merged-away event hands over to the one it was merged into."""
    key_role = KEY_ROLES[report.type][0]
    key_ids = report.ids(key_role)
    candidates = (
        Event.objects.filter(
            type=report.type,
            participants__role=key_role,
            participants__entity_id__in=key_ids,
        )
        .distinct()
        .prefetch_related(
            Prefetch("participants", queryset=EventParticipant.objects.only("role", "entity_id")),
            Prefetch("evidence", queryset=Evidence.objects.only("event_id", "reported_date")),
        )
    )
    agreeing = [
        (event, known) for event in candidates if same_event(known := _report_of(event), report)
    ]
    if not agreeing:
        return None
    event = max(agreeing, key=lambda pair: (not pair[0].rejected, pair[1].date == report.date))[0]
    while event.merged_into_id is not None:
        event = Event.objects.get(id=event.merged_into_id)
    return event


def _report_of(event: Event) -> Report:
    return Report(
        type=event.type,
        participants=frozenset((p.role, p.entity_id) for p in event.participants.all()),
        date=event.date,
        precision=event.date_precision,
        approximate=event.date_is_estimate,
        undated=not any(e.reported_date for e in event.evidence.all()),
        quantities=event.quantities,
        detail=event.detail,
    )


def _create(report: Report) -> Event:
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
    return event


def _refine(event: Event, report: Report) -> None:
    """Fill in what the event lacks: a better date, a participant, a quantity it did not have."""
    changed = []
    if better_dated(report, _report_of(event)):
        event.date, event.date_precision = report.date, report.precision
        event.date_is_estimate = report.approximate
        changed += ["date", "date_precision", "date_is_estimate"]
    missing = {k: v for k, v in report.quantities.items() if k not in event.quantities}
    if missing:
        event.quantities = {**event.quantities, **missing}
        changed.append("quantities")
    if changed:
        event.save(update_fields=[*changed, "updated_at"])
    EventParticipant.objects.bulk_create(
        [EventParticipant(event=event, role=r, entity_id=e) for r, e in report.participants],
        ignore_conflicts=True,
    )


def _add_evidence(event: Event, article: Article, item: Reading) -> None:
    finding, found = item.finding, item.found
    trigger = finding.trigger or (None, None)
    Evidence.objects.get_or_create(
        event=event,
        article=article,
        start=found.start,
        defaults={
            "sentence": found.sentence,
            "end": found.end,
            "trigger_start": trigger[0],
            "trigger_end": trigger[1],
            "found_by": f"{finding.rule}@{finding.version}"[:50],
            "status": finding.status,
            "reported_date": None if item.report.undated else item.report.date,
            "reported_precision": "" if item.report.undated else item.report.precision,
        },
    )


def settle(event_ids: Iterable[int]) -> set[int]:
    """After evidence changed: drop automatic events left with none, and recompute the status,
    confidence and summary of the rest. Returns the ids that still exist."""
    ids = set(event_ids)
    Event.objects.filter(id__in=ids, curated=False, rejected=False, evidence__isnull=True).delete()
    events = list(
        Event.objects.filter(id__in=ids).prefetch_related(
            Prefetch("participants", queryset=EventParticipant.objects.select_related("entity")),
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
        _settle_one(event, websites)
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
    event.save(update_fields=["status", "confidence", "summary", "updated_at"])


def _status(statuses: Iterable[str]) -> Status:
    seen = set(statuses)
    for status in (Status.CONFIRMED, Status.RUMOURED):
        if status in seen:
            return status
    return Status.DENIED


def _websites(events: list[Event]) -> dict[int, str]:
    ids = {p.entity_id for event in events for p in event.participants.all()}
    rows = Company.objects.filter(id__in=ids).exclude(website="").values_list("id", "website")
    return {company_id: _host(website) for company_id, website in rows}


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def follow_up(event_ids: Iterable[int]) -> None:
    """What an event changes elsewhere: a cluster's observations, a person's affiliation."""
    events = Event.objects.filter(
        id__in=list(event_ids),
        rejected=False,
        merged_into__isnull=True,
        status=Status.CONFIRMED,
        type__in=[EventType.CLUSTER_MILESTONE, EventType.DEPARTURE],
    ).prefetch_related("participants", "evidence__article")
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
        ClusterObservation.objects.get_or_create(
            cluster_id=participant.entity_id,
            as_of=event.date,
            **{k: v for k, v in figures.items() if v is not None},
            defaults={
                "as_of_precision": event.date_precision,
                "chip_type": str(q.get("chip_type", ""))[:100],
                "basis": ClusterObservation.Basis.PRESS,
                "is_projection": bool(q.get("projection")),
                "note": f"From LabIntel event {event.id}"[:500],
                "source_url": evidence.article.url[:2000] if evidence else "",
            },
        )


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
            if affiliation is None:
                affiliation = Affiliation(person_id=person_id, company_id=company_id)
            elif affiliation.curated_at is not None or affiliation.end is not None:
                continue
            affiliation.end, affiliation.end_precision = event.date, event.date_precision
            if went and affiliation.destination_id is None:
                affiliation.destination_id = went[0]
            affiliation.save()


def _utc_day(published: datetime.datetime) -> datetime.date:
    if published.tzinfo is None:
        return published.date()
    return published.astimezone(datetime.UTC).date()


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _int(value: object) -> int | None:
    return None if value is None else int(Decimal(str(value)))
