"""An entity's page, one kind at a time: a company (its people, owners, successors, clusters), a
person (a career), a compute cluster (its growth as reported, and the reports that disagree).
All three show the entity's events, its storylines, and the articles about it with a weekly
count, each list paged with its own "load more" cursor in the URL."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from apps.common.dates import format_partial_date
from apps.dashboard import charts
from apps.dashboard.conflicts import Report, conflicts
from apps.dashboard.forms import EntityPageForm
from apps.dashboard.http import HtmxHttpRequest
from apps.dashboard.templatetags.entity_pages import web_url
from apps.entities.models import (
    Affiliation,
    Alias,
    ClusterObservation,
    Company,
    ComputeCluster,
    Entity,
    Person,
)
from apps.entities.selectors import where_it_led
from apps.events.models import Event, MentionWeek, Storyline, StorylineEvent
from apps.events.selectors import (
    ARTICLES_ABOUT,
    NEWEST_FIRST,
    EventFilter,
    articles_about,
    filter_events,
    with_related,
)
from apps.events.services.mention_weeks import week_of
from apps.sources.models import Article

# Short pages: an entity page is a profile first, and "load more" is one click away.
EVENTS_PAGE = 10
ARTICLES_PAGE = 10
# The weekly chart: a year of news, up to the week of the newest article LabIntel has.
NEWS_WEEKS = 52
# How far the page follows what a company became or who owns it; a longer chain ends "…".
CHAIN_STEPS = 4
# What a cluster's observations report, in the order the page shows them.
METRICS = (
    ("gpus", "GPUs"),
    ("h100_equivalents", "H100 equivalents"),
    ("power_mw", "MW"),
    ("turbines", "turbines"),
)

Context = dict[str, Any]


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def entity(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """A company's, a person's or a cluster's page, or one of its "load more" fragments."""
    found = get_object_or_404(Entity.objects.only("id", "type", "slug", "name"), slug=slug)
    form = EntityPageForm(request.GET)
    if not form.is_valid():
        errors = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    if request.htmx.target == "events-more":
        return render(request, "dashboard/entity.html#events-page", _events(found, form))
    if request.htmx.target == "articles-more":
        return render(request, "dashboard/entity.html#articles-page", _articles(found, form))
    context = {
        **PAGES[found.type](found.id),
        "aliases": _aliases(found),
        "storylines": _storylines(found.id),
        **_events(found, form),
        **_articles(found, form),
        **_weekly(found.id),
    }
    return render(request, f"dashboard/{found.type}.html", context)


# What every kind of entity shows --------------------------------------------------------------


def _aliases(entity: Entity) -> list[str]:
    names = Alias.objects.filter(entity_id=entity.id).order_by("text")
    own = entity.name.casefold()
    return [text for text in names.values_list("text", flat=True) if text.casefold() != own]


def _storylines(entity_id: int) -> list[Storyline]:
    """The storylines that list one of the entity's visible events."""
    entries = StorylineEvent.objects.filter(
        storyline=OuterRef("pk"),
        origin__in=StorylineEvent.LISTED,
        event__rejected=False,
        event__merged_into__isnull=True,
        event__participants__entity_id=entity_id,
    )
    rows = Storyline.objects.filter(Exists(entries)).only(
        "slug", "title", "event_count", "last_event_date"
    )
    return list(rows.order_by(F("last_event_date").desc(nulls_last=True), "title"))


def _events(entity: Entity, form: EntityPageForm) -> Context:
    cursor = form.cleaned_data["events"]
    events = filter_events(Event.objects.visible(), EventFilter(entity_ids=(entity.id,)))
    rows, after = NEWEST_FIRST.page(with_related(events), cursor=cursor, limit=EVENTS_PAGE)
    return {
        "events": rows,
        "events_more": form.query(events=after) if after else "",
        "events_continued": bool(cursor),
        "events_first": form.query(events=""),
    }


def _articles(entity: Entity, form: EntityPageForm) -> Context:
    cursor = form.cleaned_data["articles"]
    rows, after = ARTICLES_ABOUT.page(articles_about(entity.id), cursor=cursor, limit=ARTICLES_PAGE)
    return {
        "articles": [mention.article for mention in rows],
        "articles_more": form.query(articles=after) if after else "",
        "articles_continued": bool(cursor),
        "articles_first": form.query(articles=""),
    }


def _weekly(entity_id: int) -> Context:
    """The entity's articles per week, from the counters, for a year up to the newest news."""
    newest = Article.objects.newest_published_at()
    if newest is None:
        return {"weekly": None}
    last_week = week_of(newest)
    first_week = last_week - datetime.timedelta(weeks=NEWS_WEEKS - 1)
    rows = MentionWeek.objects.filter(entity_id=entity_id, week__range=(first_week, last_week))
    counts = dict(rows.values_list("week", "articles"))
    return {"weekly": charts.weekly_bars(counts, last_week=last_week, weeks=NEWS_WEEKS)}


# A company ------------------------------------------------------------------------------------


def _company_page(entity_id: int) -> Context:
    company = Company.objects.select_related("parent", "successor").get(pk=entity_id)
    related = Company.objects.filter(Q(parent=company) | Q(successor=company)).only(
        "slug", "name", "parent_id", "successor_id"
    )
    related_list = list(related.order_by("name"))
    roster = list(
        Affiliation.objects.filter(company=company)
        .select_related("person", "destination")
        .only(*_AFFILIATION_FIELDS, "person__slug", "person__name")
    )
    clusters = ComputeCluster.objects.filter(owner=company).only(
        "slug", "name", "status", "city", "country"
    )
    chain, chain_goes_on = where_it_led(company, steps=CHAIN_STEPS)
    return {
        "entity": company,
        # Worth a line of its own only when it goes further than the company's own links.
        "chain": chain if len(chain) > 1 else [],
        "chain_goes_on": chain_goes_on,
        "subsidiaries": [c for c in related_list if c.parent_id == company.id],
        "predecessors": [c for c in related_list if c.successor_id == company.id],
        "current": sorted((a for a in roster if not _has_left(a)), key=_started),
        "former": sorted((a for a in roster if _has_left(a)), key=_ended, reverse=True),
        "clusters": list(clusters.order_by("name")),
    }


_AFFILIATION_FIELDS = (
    "person_id", "company_id", "title", "kind", "is_cofounder", "start", "start_precision",
    "end", "end_precision", "end_reason", "destination__slug", "destination__name",
)  # fmt: skip


def _has_left(affiliation: Affiliation) -> bool:
    return bool(affiliation.end or affiliation.end_reason or affiliation.destination_id)


def _started(affiliation: Affiliation) -> tuple[bool, datetime.date]:
    return affiliation.start is None, affiliation.start or datetime.date.min


def _ended(affiliation: Affiliation) -> tuple[bool, datetime.date]:
    return affiliation.end is not None, affiliation.end or datetime.date.min


# A person -------------------------------------------------------------------------------------


def _person_page(entity_id: int) -> Context:
    person = Person.objects.get(pk=entity_id)
    career = (
        Affiliation.objects.filter(person=person)
        .select_related("company", "destination")
        .only(*_AFFILIATION_FIELDS, "company__slug", "company__name")
        .order_by(F("start").asc(nulls_first=True), F("end").asc(nulls_last=True), "id")
    )
    return {"entity": person, "career": list(career)}


# A compute cluster ----------------------------------------------------------------------------


def _cluster_page(entity_id: int) -> Context:
    cluster = ComputeCluster.objects.select_related("owner").get(pk=entity_id)
    observations = list(ClusterObservation.objects.filter(cluster=cluster).order_by("as_of", "id"))
    dated = [o.as_of for o in observations if o.gpus is not None or o.power_mw is not None]
    # Both charts share one time axis, so a step in GPUs lines up with a step in power.
    start, end = (min(dated), max(dated)) if dated else (None, None)
    return {
        "entity": cluster,
        "site": ", ".join(p for p in (cluster.city, cluster.region, cluster.country) if p),
        "observations": observations,
        "gpu_chart": charts.step_chart(_series(observations, "gpus", "GPUs"), start=start, end=end),
        "power_chart": charts.step_chart(
            _series(observations, "power_mw", "MW"), start=start, end=end
        ),
        "conflicts": _conflicts(observations),
    }


def _series(
    observations: Iterable[ClusterObservation], field: str, unit: str
) -> list[charts.Point]:
    points = []
    for o in observations:
        value = getattr(o, field)
        if value is None:
            continue
        when = format_partial_date(o.as_of, o.as_of_precision)
        plan = " (planned)" if o.is_projection else ""
        label = f"{_figure(value)} {unit}{plan}, {when}: {o.get_basis_display()}"
        points.append(
            charts.Point(
                day=o.as_of,
                value=float(value),
                href=web_url(o.source_url),
                label=label,
                projected=o.is_projection,
            )
        )
    return points


@dataclass(frozen=True)
class Conflict:
    """Reports of one figure for one period that disagree, to show side by side."""

    metric: str
    when: str
    reports: list[tuple[str, ClusterObservation]]  # (the figure as reported, the report)


def _conflicts(observations: Iterable[ClusterObservation]) -> list[Conflict]:
    reports = [
        Report(
            metric=field,
            day=o.as_of,
            precision=o.as_of_precision,
            value=getattr(o, field),
            # A report without a URL is its own source: it cannot be shown to repeat another.
            source=o.source_url or f"observation {o.id}",
            item=o,
        )
        for o in observations
        if not o.is_projection  # a plan does not contradict a report
        for field, _ in METRICS
        if getattr(o, field) is not None
    ]
    units = dict(METRICS)
    return [
        Conflict(
            metric=units[group[0].metric],
            when=_when(group),
            reports=[(f"{_figure(r.value)} {units[r.metric]}", r.item) for r in group],
        )
        for group in conflicts(reports)
    ]


def _when(group: list[Report[ClusterObservation]]) -> str:
    """The period the reports share: "Sep 2024", or "around 1 Sep 2024" for days close together."""
    first = group[0]
    shown = format_partial_date(first.day, first.precision)
    return shown if all(r.day == first.day for r in group) else f"around {shown}"


def _figure(value: object) -> str:
    """A reported figure in full (the chart's axis rounds, the reports do not): 200,000; 150.5."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int | float) else str(value)


PAGES: dict[str, Callable[[int], Context]] = {
    Entity.Type.COMPANY: _company_page,
    Entity.Type.PERSON: _person_page,
    Entity.Type.CLUSTER: _cluster_page,
}
