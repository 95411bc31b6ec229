"""Home: the latest confirmed events (polled for new ones), the storylines, the entities most in
the news, and for staff the sources' health."""

from django.conf import settings
from django.db.models import F, Max, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from apps.dashboard.http import HtmxHttpRequest
from apps.events.models import Event, MentionWeek, Storyline
from apps.events.selectors import NEWEST_FIRST, with_related
from apps.events.services.mention_weeks import week_of
from apps.events.vocabulary import Status
from apps.sources.models import Article, Source

LATEST_EVENTS = 15
IN_THE_NEWS = 10


@require_GET
@vary_on_headers("HX-Request")
def home(request: HtmxHttpRequest) -> HttpResponse:
    """The latest confirmed events (polled for new ones), the storylines, the entities most in
    the news, and for staff the sources' health."""
    if request.htmx and "after" in request.GET:
        return _new_events(request)
    # The latest by when they happened; the poll then brings whatever is found after the page
    # was drawn, whatever its date.
    latest, _ = NEWEST_FIRST.page(with_related(_confirmed()), cursor="", limit=LATEST_EVENTS)
    context = {
        "latest": latest,
        "newest_id": _confirmed().aggregate(newest=Max("id"))["newest"] or 0,
        "poll_seconds": settings.HOME_POLL_SECONDS,
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
    context = {
        "latest": fresh,
        "newest_id": fresh[0].id,
        "poll_seconds": settings.HOME_POLL_SECONDS,
    }
    return render(request, "dashboard/home.html#latest-poll", context)


def _in_the_news() -> dict[str, object]:
    """The entities named in the most articles in the week (ISO, UTC) holding the newest article:
    this week on a live desk, the last week of news on a quiet one such as the demo. Read from
    the weekly counters (mentionweek_top_idx), so it costs the same at any number of articles."""
    newest = Article.objects.newest_published_at()
    if newest is None:
        return {"in_the_news": [], "news_week_end": None}
    rows = (
        MentionWeek.objects.filter(week=week_of(newest), articles__gt=0)
        .values("entity__slug", "entity__name", "entity__type", "articles")
        .order_by("-articles", "entity__name")[:IN_THE_NEWS]
    )
    return {"in_the_news": list(rows), "news_week_end": newest}


def _source_health() -> dict[str, object]:
    return {
        "failing_sources": list(Source.objects.failing().order_by("-consecutive_errors")[:10]),
        "pending_extraction": Article.objects.pending_extraction().count(),
        "pending_analysis": Article.objects.pending_analysis().count(),
    }
