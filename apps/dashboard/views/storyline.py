"""A storyline as a timeline, grouped by month, filtered and paged through the URL."""

import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from apps.common.dates import DatePrecision
from apps.dashboard.forms import TimelineForm
from apps.dashboard.http import HtmxHttpRequest
from apps.events.models import Event, Storyline
from apps.events.selectors import (
    TIMELINE,
    filter_events,
    founders_gone,
    storyline_events,
    with_related,
)

TIMELINE_PAGE = 40


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
