"""The reader's pages. Each is one view that also answers its htmx fragments."""

import datetime

from django.db.models import Count, F, Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from apps.common.dates import DatePrecision
from apps.dashboard.forms import TimelineForm
from apps.entities.models import Entity
from apps.events.models import Event, Mention, Storyline
from apps.events.selectors import (
    NEWEST_FIRST,
    TIMELINE,
    EventFilter,
    filter_events,
    founders_gone,
    storyline_events,
    with_related,
)
from apps.events.vocabulary import Status
from apps.sources.models import Article, Source

LATEST_EVENTS = 15
IN_THE_NEWS = 10
TIMELINE_PAGE = 40


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_GET
@vary_on_headers("HX-Request")
def home(request: HtmxHttpRequest) -> HttpResponse:
    """The latest confirmed events (polled for new ones), the storylines, the entities most in
    the news, and for staff the sources' health."""
    if request.htmx and "after" in request.GET:
        return _new_events(request)
    latest = list(with_related(_confirmed().order_by("-id"))[:LATEST_EVENTS])
    context = {
        "latest": latest,
        "newest_id": latest[0].id if latest else 0,
        "storylines": Storyline.objects.order_by(
            F("last_event_date").desc(nulls_last=True), "title"
        ),
        **_in_the_news(),
        **(_source_health() if request.user.is_staff else {}),
    }
    return render(request, "dashboard/home.html", context)


def _confirmed() -> QuerySet[Event]:
    return Event.objects.visible().filter(status=Status.CONFIRMED)


def _new_events(request: HtmxHttpRequest) -> HttpResponse:
    """The poll: confirmed events found since the newest one the page shows; 204 if none."""
    try:
        after = int(request.GET["after"])
    except ValueError:
        return HttpResponse("`after` must be an event id.", status=400, content_type="text/plain")
    fresh = list(with_related(_confirmed().filter(id__gt=after).order_by("-id"))[:LATEST_EVENTS])
    if not fresh:
        return HttpResponse(status=204)
    context = {"latest": fresh, "newest_id": fresh[0].id}
    return render(request, "dashboard/home.html#latest-poll", context)


def _in_the_news() -> dict[str, object]:
    """The entities named in the most articles over the week up to the newest article (this
    week on a live desk; the last week of news on a quiet one, such as the demo)."""
    newest = Article.objects.aggregate(last=Max("published_at"))["last"]
    if newest is None:
        return {"in_the_news": [], "news_week_end": None}
    rows = (
        Mention.objects.filter(
            status=Mention.Status.LINKED,
            article__published_at__gt=newest - datetime.timedelta(days=7),
        )
        .values("entity__slug", "entity__name", "entity__type")
        .annotate(articles=Count("article", distinct=True))
        .order_by("-articles", "entity__name")[:IN_THE_NEWS]
    )
    return {"in_the_news": list(rows), "news_week_end": newest}


def _source_health() -> dict[str, object]:
    return {
        "failing_sources": list(Source.objects.failing().order_by("-consecutive_errors")[:10]),
        "pending_extraction": Article.objects.pending_extraction().count(),
        "pending_analysis": Article.objects.pending_analysis().count(),
    }


@require_GET
@vary_on_headers("HX-Request")
def storyline(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """A storyline as a timeline, grouped by month, filtered and paged through the URL."""
    found = get_object_or_404(Storyline, slug=slug)
    form = TimelineForm(request.GET)
    if not form.is_valid():
        context = {"storyline": found, "form": form, "rows": []}
        return render(request, "dashboard/storyline.html", context, status=400)
    cursor = form.cleaned_data["cursor"]
    events = with_related(filter_events(storyline_events(found), form.event_filter()))
    rows, next_cursor = TIMELINE.page(events, cursor=cursor, limit=TIMELINE_PAGE)
    previous = TIMELINE.decode(cursor)[0] if cursor else None
    context = {
        "storyline": found,
        "form": form,
        "entity": form.cleaned_data["entity"],
        "rows": _by_month(rows, previous),
        "next": next_cursor,
        "filters": form.filter_query(),
        "continued": bool(cursor),
        # The headline belongs to the whole page, not to its fragments.
        "founders": [] if request.htmx else founders_gone(found),
    }
    template = "dashboard/storyline.html"
    if request.htmx.target == "load-more":
        template += "#timeline-page"
    elif request.htmx.target == "timeline":
        template += "#timeline"
    return render(request, template, context)


def _by_month(
    events: list[Event], previous: datetime.date | None
) -> list[tuple[str | None, Event]]:
    """Each event with the month heading that starts before it, if one does (a page that goes
    on from the previous one does not repeat its month)."""
    rows: list[tuple[str | None, Event]] = []
    month = (previous.year, previous.month) if previous else None
    for event in events:
        this = (event.date.year, event.date.month)
        heading = None
        if this != month:
            year_only = event.date_precision == DatePrecision.YEAR
            heading = f"{event.date:%Y}" if year_only else f"{event.date:%B %Y}"
        rows.append((heading, event))
        month = this
    return rows


@require_GET
def entity(request: HttpRequest, slug: str) -> HttpResponse:
    """An entity's profile, aliases and latest events."""
    found = get_object_or_404(Entity, slug=slug)
    events = filter_events(Event.objects.visible(), EventFilter(entity_ids=(found.id,)))
    rows, _ = NEWEST_FIRST.page(with_related(events), cursor="", limit=TIMELINE_PAGE)
    context = {
        "entity": found,
        "aliases": list(found.aliases.order_by("text").values_list("text", flat=True)),
        "events": rows,
    }
    return render(request, "dashboard/entity.html", context)
